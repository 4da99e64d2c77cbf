package hdf5

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
)

// Object is a group or a dataset.
type Object interface {
	// Path is where the object was opened, from the root ("/a/b").
	Path() string
	// Attr returns the attribute called name.
	Attr(name string) (*Attribute, error)
	// Attrs lists the object's attribute names, sorted.
	Attrs() ([]string, error)
}

// object is what groups and datasets share: a path and a header.
type object struct {
	f    *File
	path string
	hdr  *objectHeader
}

// Path is where the object was opened, from the root ("/a/b").
func (o *object) Path() string { return o.path }

// Group is a group: named links to other objects.
type Group struct {
	object
	links map[string]link
	names []string // sorted
}

// Link kinds.
type linkKind uint8

const (
	hardLink     linkKind = 0
	softLink     linkKind = 1
	externalLink linkKind = 64
)

// link is a group member: an object's address (hard link) or a path
// (soft link).
type link struct {
	kind   linkKind
	addr   uint64
	target string
}

// Members lists the names of the group's links, sorted.
func (g *Group) Members() []string { return slices.Clone(g.names) }

// Group opens the group at path, relative to g unless it starts with "/".
func (g *Group) Group(path string) (*Group, error) {
	obj, err := g.Object(path)
	if err != nil {
		return nil, err
	}
	sub, ok := obj.(*Group)
	if !ok {
		return nil, fmt.Errorf("hdf5: %s is a dataset, not a group", obj.Path())
	}
	return sub, nil
}

// Dataset opens the dataset at path, relative to g unless it starts with
// "/".
func (g *Group) Dataset(path string) (*Dataset, error) {
	obj, err := g.Object(path)
	if err != nil {
		return nil, err
	}
	ds, ok := obj.(*Dataset)
	if !ok {
		return nil, fmt.Errorf("hdf5: %s is a group, not a dataset", obj.Path())
	}
	return ds, nil
}

// Object opens the group or dataset at path, relative to g unless it
// starts with "/", following soft links.
func (g *Group) Object(p string) (Object, error) {
	full := g.join(p)
	hops := 0
	addr, err := g.resolve(p, &hops)
	if err != nil {
		return nil, fmt.Errorf("hdf5: %s: %w", full, err)
	}
	obj, err := g.f.openObject(addr, full)
	if err != nil {
		return nil, fmt.Errorf("hdf5: %s: %w", full, err)
	}
	return obj, nil
}

// join is the path of p opened from g.
func (g *Group) join(p string) string {
	if !strings.HasPrefix(p, "/") {
		p = g.path + "/" + p
	}
	return path.Clean(p)
}

// maxSoftLinks bounds the soft links followed to resolve one path.
const maxSoftLinks = 40

// resolve finds the address of the object at path p, relative to g
// unless p starts with "/".
func (g *Group) resolve(p string, hops *int) (uint64, error) {
	cur := g
	if strings.HasPrefix(p, "/") {
		cur = g.f.root
	}
	var parts []string
	for _, name := range strings.Split(p, "/") {
		if name != "" && name != "." {
			parts = append(parts, name)
		}
	}
	addr := cur.hdr.addr
	for i, name := range parts {
		if i > 0 {
			obj, err := cur.f.openObject(addr, cur.join(parts[i-1]))
			if err != nil {
				return 0, err
			}
			var ok bool
			if cur, ok = obj.(*Group); !ok {
				return 0, fmt.Errorf("%s is not a group", obj.Path())
			}
		}
		l, ok := cur.links[name]
		switch {
		case !ok && i == len(parts)-1:
			return 0, ErrNotFound // the caller names the path
		case !ok:
			return 0, fmt.Errorf("group %s: %w", cur.join(name), ErrNotFound)
		}
		switch l.kind {
		case hardLink:
			addr = l.addr
		case softLink:
			if *hops++; *hops > maxSoftLinks {
				return 0, fmt.Errorf("%s: more than %d soft links", cur.join(name), maxSoftLinks)
			}
			target, err := cur.resolve(l.target, hops)
			if err != nil {
				return 0, fmt.Errorf("soft link %s -> %s: %w", cur.join(name), l.target, err)
			}
			addr = target
		default:
			return 0, fmt.Errorf("%s: external or user-defined link: %w", cur.join(name), ErrUnsupported)
		}
	}
	return addr, nil
}

// Walk calls fn for g and every group and dataset below it, depth first
// in name order. Each object is visited once, at the first path that
// reaches it through hard links, so walking links that form a cycle
// ends; soft and external links are not followed and named datatypes
// are skipped. An error from fn or from opening an object stops the walk.
func (g *Group) Walk(fn func(Object) error) error {
	// An explicit stack, not recursion: a hostile file may nest groups
	// deeper than a goroutine's stack allows.
	type frame struct {
		g    *Group
		next int // the next member to visit
	}
	seen := map[uint64]bool{g.hdr.addr: true}
	if err := fn(g); err != nil {
		return err
	}
	stack := []frame{{g, 0}}
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.next == len(top.g.names) {
			stack = stack[:len(stack)-1]
			continue
		}
		g, name := top.g, top.g.names[top.next]
		top.next++
		l := g.links[name]
		if l.kind != hardLink || seen[l.addr] {
			continue
		}
		seen[l.addr] = true
		obj, err := g.f.openObject(l.addr, g.join(name))
		if errors.Is(err, errNamedDatatype) {
			continue
		}
		if err != nil {
			return fmt.Errorf("hdf5: %s: %w", g.join(name), err)
		}
		if err := fn(obj); err != nil {
			return err
		}
		if sub, ok := obj.(*Group); ok {
			stack = append(stack, frame{sub, 0})
		}
	}
	return nil
}

var errNamedDatatype = fmt.Errorf("a named datatype: %w", ErrUnsupported)

// openObject opens the object whose header is at addr.
func (f *File) openObject(addr uint64, path string) (Object, error) {
	h, err := f.readHeader(addr)
	if err != nil {
		return nil, err
	}
	switch {
	case h.first(msgLayout) != nil:
		return f.newDataset(h, path)
	case h.first(msgSymbolTable) != nil || h.first(msgLinkInfo) != nil || h.first(msgLink) != nil:
		return f.newGroup(h, path)
	case h.first(msgDatatype) != nil:
		return nil, errNamedDatatype
	}
	return nil, errors.New("object header with neither links nor data")
}

func (f *File) openGroup(addr uint64, path string) (*Group, error) {
	h, err := f.readHeader(addr)
	if err != nil {
		return nil, err
	}
	return f.newGroup(h, path)
}

func (f *File) newGroup(h *objectHeader, path string) (*Group, error) {
	links, err := f.groupLinks(h)
	if err != nil {
		return nil, err
	}
	g := &Group{object: object{f, path, h}, links: links}
	for name := range links {
		g.names = append(g.names, name)
	}
	slices.Sort(g.names)
	return g, nil
}

// groupLinks reads a group's links from wherever the group keeps them:
// a symbol table, link messages in its header, or dense storage.
func (f *File) groupLinks(h *objectHeader) (map[string]link, error) {
	links := map[string]link{}
	add := func(name string, l link) error {
		if _, dup := links[name]; dup {
			return fmt.Errorf("two links named %q", name)
		}
		if name == "" || strings.Contains(name, "/") {
			return fmt.Errorf("link named %q", name)
		}
		links[name] = l
		return nil
	}
	if m := h.first(msgSymbolTable); m != nil {
		return links, f.symbolTable(m.data, add)
	}
	if m := h.first(msgLinkInfo); m != nil {
		heap, index, err := f.parseLinkInfo(m.data)
		if err != nil {
			return nil, err
		}
		if heap != undefined {
			return links, f.denseLinks(heap, index, add)
		}
	}
	for _, m := range h.msgs {
		if m.typ != msgLink {
			continue
		}
		name, l, err := f.parseLink(m.data)
		if err == nil {
			err = add(name, l)
		}
		if err != nil {
			return nil, err
		}
	}
	return links, nil
}

// symbolTable reads an old-style group: a v1 B-tree of symbol table
// nodes, names in a local heap.
func (f *File) symbolTable(p []byte, add func(string, link) error) error {
	d := f.decoder(p)
	tree, heapAddr := d.addr(), d.addr()
	if d.err != nil {
		return fmt.Errorf("symbol table message: %w", d.err)
	}
	heap, err := f.readLocalHeap(heapAddr)
	if err != nil {
		return err
	}
	entrySize := uint64(f.lenSize + f.offSize + 24)
	return f.eachGroupNode(tree, func(addr uint64) error {
		head, err := f.readAt(addr, 8)
		if err != nil {
			return fmt.Errorf("symbol table node: %w", err)
		}
		if string(head[:4]) != "SNOD" {
			return fmt.Errorf("symbol table node at %#x: signature %q", addr, head[:4])
		}
		n := uint64(le.Uint16(head[6:]))
		body, err := f.readAt(addr+8, n*entrySize)
		if err != nil {
			return fmt.Errorf("symbol table node at %#x: %w", addr, err)
		}
		d := f.decoder(body)
		for range n {
			nameOff := d.length()
			l := link{kind: hardLink, addr: d.addr()}
			cache := d.u32()
			d.skip(4)
			scratch := d.take(16)
			if d.err != nil {
				return d.err
			}
			name, err := heap.str(nameOff)
			if err != nil {
				return err
			}
			if cache == 2 {
				l.kind = softLink
				if l.target, err = heap.str(uint64(le.Uint32(scratch))); err != nil {
					return fmt.Errorf("soft link %q: %w", name, err)
				}
			}
			if err := add(name, l); err != nil {
				return err
			}
		}
		return nil
	})
}

// parseLinkInfo decodes a link info message: the fractal heap and name
// index of dense storage, undefined for compact storage.
func (f *File) parseLinkInfo(p []byte) (heap, index uint64, err error) {
	d := f.decoder(p)
	if v := d.u8(); v != 0 && d.err == nil {
		return 0, 0, fmt.Errorf("link info version %d", v)
	}
	if d.u8()&1 != 0 {
		d.u64() // maximum creation index
	}
	heap, index = d.addr(), d.addr()
	if d.err != nil {
		return 0, 0, fmt.Errorf("link info: %w", d.err)
	}
	return heap, index, nil
}

// denseLinks reads the links of a group in dense storage: link messages
// in a fractal heap, indexed by name in a v2 B-tree.
func (f *File) denseLinks(heapAddr, index uint64, add func(string, link) error) error {
	heap, err := f.openFractalHeap(heapAddr)
	if err != nil {
		return err
	}
	tree, err := f.openBTree2(index, btree2LinkName)
	if err != nil {
		return err
	}
	return tree.each(func(rec []byte) error {
		if len(rec) < 4 {
			return fmt.Errorf("link name record of %d bytes", len(rec))
		}
		p, err := heap.get(rec[4:])
		if err != nil {
			return err
		}
		name, l, err := f.parseLink(p)
		if err != nil {
			return err
		}
		return add(name, l)
	})
}

// parseLink decodes a link message.
func (f *File) parseLink(p []byte) (string, link, error) {
	d := f.decoder(p)
	if v := d.u8(); v != 1 && d.err == nil {
		return "", link{}, fmt.Errorf("link message version %d", v)
	}
	flags := d.u8()
	l := link{kind: hardLink}
	if flags&0x08 != 0 {
		l.kind = linkKind(d.u8())
	}
	if flags&0x04 != 0 {
		d.u64() // creation order
	}
	if flags&0x10 != 0 {
		d.u8() // character set
	}
	n := d.uint(1 << (flags & 3))
	if n > uint64(d.left()) {
		return "", link{}, fmt.Errorf("link name of %d bytes in a message of %d", n, len(p))
	}
	name := string(d.take(int(n)))
	switch l.kind {
	case hardLink:
		l.addr = d.addr()
	case softLink:
		l.target = string(d.take(int(d.u16())))
	default:
		d.take(int(d.u16())) // external or user-defined: kept only to be refused
	}
	if d.err != nil {
		return "", link{}, fmt.Errorf("link message: %w", d.err)
	}
	return name, l, nil
}
