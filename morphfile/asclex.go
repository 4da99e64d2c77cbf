package morphfile

import (
	"bytes"
	"fmt"
	"strconv"
)

// tokenKind is the kind of a Neurolucida ASC token.
type tokenKind uint8

const (
	tokEOF tokenKind = iota
	tokNumber
	tokLeft  // (
	tokRight // )
	tokComma
	tokBar // |
	tokSet // set, Set or SET
	tokRGB // RGB
	tokString
	tokLabel    // a word of letters, digits and '_'
	tokBad      // anything else
	tokSpineIn  // <
	tokSpineOut // >
)

var tokenNames = [...]string{
	tokEOF: "end of file", tokNumber: "a number", tokLeft: `"("`, tokRight: `")"`,
	tokComma: `","`, tokBar: `"|"`, tokSet: "Set", tokRGB: "RGB", tokString: "a string",
	tokLabel: "a word", tokBad: "an unexpected character", tokSpineIn: `"<"`, tokSpineOut: `">"`,
}

func (k tokenKind) String() string { return tokenNames[k] }

// token is one lexical token and the line it is on.
type token struct {
	kind tokenKind
	line int
	num  float64
	text string // a string's or a word's text, the bad character
}

func (t token) describe() string {
	switch t.kind {
	case tokNumber:
		return fmt.Sprintf("number %g", t.num)
	case tokString:
		return fmt.Sprintf("string %q", t.text)
	case tokLabel:
		return fmt.Sprintf("word %q", t.text)
	case tokBad:
		if t.text == `"` {
			return "a string not closed on its line"
		}
		return fmt.Sprintf("%q", t.text)
	}
	return t.kind.String()
}

// lexer splits an ASC file into tokens the way Import3d_Neurolucida3 does:
// ';' starts a comment that runs to the end of the line; a number is
// read before anything else, so "12abc" is 12 then abc; "set", "Set",
// "SET" and "RGB" are keywords even at the start of a longer word; a
// string ends on the line it starts. Unlike Import3d, every kind of
// white space separates tokens (Import3d fails on a tab at a line's end).
type lexer struct {
	data []byte
	pos  int
	line int
}

func newLexer(data []byte) lexer {
	return lexer{data: bytes.TrimPrefix(data, utf8BOM), line: 1}
}

// next returns the next token.
func (lx *lexer) next() token {
	for lx.pos < len(lx.data) {
		c := lx.data[lx.pos]
		switch {
		case c == '\n':
			lx.line++
			lx.pos++
		case c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f':
			lx.pos++
		case c == ';':
			if end := bytes.IndexByte(lx.data[lx.pos:], '\n'); end >= 0 {
				lx.pos += end
			} else {
				lx.pos = len(lx.data)
			}
		default:
			return lx.token()
		}
	}
	// The end of a file that ends with a newline is on the line before.
	line := lx.line
	if line > 1 && len(lx.data) > 0 && lx.data[len(lx.data)-1] == '\n' {
		line--
	}
	return token{kind: tokEOF, line: line}
}

// token reads the token that starts at lx.pos.
func (lx *lexer) token() token {
	rest := lx.data[lx.pos:]
	t := token{line: lx.line}
	if n := numberLen(rest); n > 0 {
		v, err := strconv.ParseFloat(string(rest[:n]), 64)
		if err != nil { // out of range
			t.kind, t.text = tokBad, string(rest[:n])
			lx.pos += n
			return t
		}
		t.kind, t.num = tokNumber, v
		lx.pos += n
		return t
	}
	if k := punctuation(rest[0]); k != tokBad {
		t.kind = k
		lx.pos++
		return t
	}
	for _, kw := range []string{"set", "Set", "SET", "RGB"} {
		if bytes.HasPrefix(rest, []byte(kw)) {
			t.kind = tokSet
			if kw == "RGB" {
				t.kind = tokRGB
			}
			lx.pos += len(kw)
			return t
		}
	}
	if rest[0] == '"' {
		end := bytes.IndexAny(rest[1:], "\"\n")
		if end < 0 || rest[1+end] == '\n' {
			// A string not closed on its line: Import3d drops the line.
			t.kind, t.text = tokBad, `"`
			if end < 0 {
				end = len(rest) - 1
			}
			lx.pos += 1 + end
			return t
		}
		t.kind, t.text = tokString, string(rest[1:1+end])
		lx.pos += end + 2
		return t
	}
	n := 0
	for n < len(rest) && isWordByte(rest[n]) {
		n++
	}
	if n > 0 {
		t.kind, t.text = tokLabel, string(rest[:n])
		lx.pos += n
		return t
	}
	t.kind, t.text = tokBad, string(rest[:1])
	lx.pos++
	return t
}

// punctuation is the kind of a one-byte token, tokBad for other bytes.
func punctuation(c byte) tokenKind {
	switch c {
	case '(':
		return tokLeft
	case ')':
		return tokRight
	case ',':
		return tokComma
	case '|':
		return tokBar
	case '<':
		return tokSpineIn
	case '>':
		return tokSpineOut
	}
	return tokBad
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '_'
}
