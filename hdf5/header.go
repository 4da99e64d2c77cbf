package hdf5

import (
	"errors"
	"fmt"
)

// Object header message types this package reads.
const (
	msgNil          = 0x00
	msgDataspace    = 0x01
	msgLinkInfo     = 0x02
	msgDatatype     = 0x03
	msgFillOld      = 0x04
	msgFill         = 0x05
	msgLink         = 0x06
	msgLayout       = 0x08
	msgFilters      = 0x0B
	msgAttribute    = 0x0C
	msgContinuation = 0x10
	msgSymbolTable  = 0x11
	msgAttrInfo     = 0x15
)

// Message flags.
const (
	flagShared      = 0x02
	flagFailUnknown = 0x80
)

// known lists the message types libhdf5 defines (0x00 to 0x18); a message
// of another type flagged "fail if unknown" makes the object unreadable.
func known(typ uint16) bool { return typ <= 0x18 }

// message is one object header message, its data still encoded.
type message struct {
	typ   uint16
	flags uint8
	data  []byte
}

// objectHeader is an object's header: its messages, from every chunk.
type objectHeader struct {
	addr uint64
	msgs []message
	// attrOrder is set when attribute messages carry a creation order
	// (version 2 headers), which dense attribute storage also records.
	attrOrder bool
}

// first is the first message of type typ, or nil.
func (h *objectHeader) first(typ uint16) *message {
	for i := range h.msgs {
		if h.msgs[i].typ == typ {
			return &h.msgs[i]
		}
	}
	return nil
}

// chunkRef is an object header chunk still to be read.
type chunkRef struct{ addr, size uint64 }

// readHeader reads the object header at addr and every continuation
// chunk it names. Chunks are read once each (a continuation pointing back
// is refused), and their total size may not exceed the file's.
func (f *File) readHeader(addr uint64) (*objectHeader, error) {
	return cached(f, addr, "object header", func() (*objectHeader, int64, error) {
		h, err := f.readHeaderChunks(addr)
		if err != nil {
			return nil, 0, fmt.Errorf("object header at %#x: %w", addr, err)
		}
		size := int64(64)
		for _, m := range h.msgs {
			size += int64(len(m.data)) + 32
		}
		return h, size, nil
	})
}

func (f *File) readHeaderChunks(addr uint64) (*objectHeader, error) {
	prefix, err := f.readUpTo(addr, 64)
	if err != nil {
		return nil, err
	}
	h := &objectHeader{addr: addr}
	var (
		first chunkRef
		v2    bool
	)
	switch {
	case len(prefix) >= 4 && string(prefix[:4]) == "OHDR":
		v2 = true
		first, err = f.headerPrefixV2(prefix, addr, h)
	case len(prefix) >= 16 && prefix[0] == 1:
		first = chunkRef{addr + 16, uint64(le.Uint32(prefix[8:]))}
	case len(prefix) >= 1:
		err = fmt.Errorf("object header version %d: %w", prefix[0], ErrUnsupported)
	default:
		err = errShort
	}
	if err != nil {
		return nil, err
	}
	pending := []chunkRef{first}
	seen := map[uint64]bool{}
	var total uint64
	for len(pending) > 0 {
		c := pending[0]
		pending = pending[1:]
		if seen[c.addr] {
			return nil, fmt.Errorf("continuation chunk at %#x is read twice (a cycle)", c.addr)
		}
		seen[c.addr] = true
		if total += c.size; total > f.size {
			return nil, errors.New("continuation chunks larger than the file")
		}
		var more []chunkRef
		if v2 {
			more, err = f.headerChunkV2(c, c.addr == first.addr, h)
		} else {
			more, err = f.headerChunkV1(c, h)
		}
		if err != nil {
			return nil, err
		}
		pending = append(pending, more...)
	}
	return h, nil
}

// headerPrefixV2 decodes a version 2 header's prefix and locates its
// first chunk: from the signature to the end of the messages (the
// checksum follows).
func (f *File) headerPrefixV2(p []byte, addr uint64, h *objectHeader) (chunkRef, error) {
	d := f.decoder(p)
	d.skip(4)
	if v := d.u8(); v != 2 && d.err == nil {
		return chunkRef{}, fmt.Errorf("object header version %d after OHDR", v)
	}
	flags := d.u8()
	if flags&0x20 != 0 {
		d.skip(16) // access, modification, change and birth times
	}
	if flags&0x10 != 0 {
		d.skip(4) // attribute storage phase change values
	}
	size := d.uint(1 << (flags & 3))
	if d.err != nil {
		return chunkRef{}, d.err
	}
	h.attrOrder = flags&0x04 != 0
	// The first chunk is read from the signature on, for its checksum.
	return chunkRef{addr, uint64(d.off) + size}, nil
}

// headerChunkV2 reads one chunk of a version 2 header: the first
// (prefix, messages) or a continuation ("OCHK", messages), each followed
// by a checksum of everything before it.
func (f *File) headerChunkV2(c chunkRef, first bool, h *objectHeader) ([]chunkRef, error) {
	size := c.size // a continuation's length counts its checksum, chunk 0's does not
	if first {
		size += 4
	}
	block, err := f.readAt(c.addr, size)
	if err != nil {
		return nil, err
	}
	if err := verifyChecksum(block, "object header chunk"); err != nil {
		return nil, err
	}
	d := f.decoder(block[:len(block)-4])
	if first {
		d.skip(5)
		flags := d.u8()
		if flags&0x20 != 0 {
			d.skip(16)
		}
		if flags&0x10 != 0 {
			d.skip(4)
		}
		d.skip(1 << (flags & 3))
	} else {
		d.signature("OCHK")
	}
	if d.err != nil {
		return nil, d.err
	}
	head := 4
	if h.attrOrder {
		head = 6
	}
	var more []chunkRef
	for d.left() >= head {
		typ := uint16(d.u8())
		size := int(d.u16())
		flags := d.u8()
		if h.attrOrder {
			d.u16()
		}
		data := d.take(size)
		if d.err != nil {
			return nil, fmt.Errorf("message of type %#x: %w", typ, d.err)
		}
		if more, err = h.add(f, typ, flags, data, more); err != nil {
			return nil, err
		}
	}
	return more, nil
}

// headerChunkV1 reads one chunk of a version 1 header: messages with
// 8-byte headers, no signature, no checksum.
func (f *File) headerChunkV1(c chunkRef, h *objectHeader) ([]chunkRef, error) {
	block, err := f.readAt(c.addr, c.size)
	if err != nil {
		return nil, err
	}
	d := f.decoder(block)
	var more []chunkRef
	for d.left() >= 8 {
		typ := d.u16()
		size := int(d.u16())
		flags := d.u8()
		d.skip(3)
		data := d.take(size)
		if d.err != nil {
			return nil, fmt.Errorf("message of type %#x: %w", typ, d.err)
		}
		if more, err = h.add(f, typ, flags, data, more); err != nil {
			return nil, err
		}
	}
	return more, nil
}

// add records a message, or the chunk a continuation message names.
func (h *objectHeader) add(f *File, typ uint16, flags uint8, data []byte, more []chunkRef) ([]chunkRef, error) {
	switch {
	case typ == msgContinuation:
		d := f.decoder(data)
		c := chunkRef{d.addr(), d.length()}
		if d.err != nil {
			return nil, fmt.Errorf("continuation message: %w", d.err)
		}
		return append(more, c), nil
	case typ == msgNil:
	case !known(typ) && flags&flagFailUnknown != 0:
		return nil, fmt.Errorf("message type %#x that must be understood: %w", typ, ErrUnsupported)
	default:
		h.msgs = append(h.msgs, message{typ: typ, flags: flags, data: data})
	}
	return more, nil
}

// maxShared bounds how many shared-message references are followed in a
// row.
const maxShared = 4

// body returns a message's own encoding, following a shared message to
// the object header that holds it (a committed datatype, for instance).
func (f *File) body(m *message) ([]byte, error) {
	for range maxShared {
		if m.flags&flagShared == 0 {
			return m.data, nil
		}
		addr, err := f.sharedAddr(m.data)
		if err != nil {
			return nil, err
		}
		h, err := f.readHeader(addr)
		if err != nil {
			return nil, fmt.Errorf("shared message: %w", err)
		}
		target := h.first(m.typ)
		if target == nil {
			return nil, fmt.Errorf("shared message of type %#x: not in the object header at %#x", m.typ, addr)
		}
		m = target
	}
	return nil, errors.New("shared messages nested too deeply")
}

// sharedAddr decodes a shared message reference to the object header
// holding the message.
func (f *File) sharedAddr(p []byte) (uint64, error) {
	d := f.decoder(p)
	version := d.u8()
	typ := d.u8()
	switch {
	case d.err != nil:
	case version == 1:
		d.skip(6)
		d.length()
	case version == 2 || version == 3 && typ == 2:
	case version == 3 && typ == 1:
		return 0, fmt.Errorf("message in the shared message heap: %w", ErrUnsupported)
	default:
		return 0, fmt.Errorf("shared message version %d, type %d", version, typ)
	}
	addr := d.addr()
	if d.err != nil {
		return 0, fmt.Errorf("shared message: %w", d.err)
	}
	return addr, nil
}
