package hdf5

import (
	"fmt"
)

// Version 1 B-tree node types.
const (
	btree1Group = 0
	btree1Chunk = 1
)

// btree1Node is a decoded version 1 B-tree node: its children and the
// keys around them (one more key than children).
type btree1Node struct {
	level    int
	keys     [][]byte
	children []uint64
}

func (f *File) readBTree1(addr uint64, typ, keySize int) (*btree1Node, error) {
	kind := fmt.Sprintf("v1 B-tree node of type %d, keys of %d bytes", typ, keySize)
	return cached(f, addr, kind, func() (*btree1Node, int64, error) {
		n, err := f.decodeBTree1(addr, typ, keySize)
		if err != nil {
			return nil, 0, fmt.Errorf("v1 B-tree node at %#x: %w", addr, err)
		}
		return n, int64(len(n.keys) * (keySize + 16)), nil
	})
}

func (f *File) decodeBTree1(addr uint64, typ, keySize int) (*btree1Node, error) {
	o := uint64(f.offSize)
	head, err := f.readAt(addr, 8+2*o)
	if err != nil {
		return nil, err
	}
	d := f.decoder(head)
	d.signature("TREE")
	gotType := int(d.u8())
	level := int(d.u8())
	entries := uint64(d.u16())
	if d.err != nil {
		return nil, d.err
	}
	if gotType != typ {
		return nil, fmt.Errorf("node type %d, expected %d", gotType, typ)
	}
	body, err := f.readAt(addr+8+2*o, entries*(uint64(keySize)+o)+uint64(keySize))
	if err != nil {
		return nil, err
	}
	d = f.decoder(body)
	node := &btree1Node{level: level, keys: make([][]byte, entries+1), children: make([]uint64, entries)}
	for i := range node.children {
		node.keys[i] = d.take(keySize)
		node.children[i] = d.addr()
	}
	node.keys[entries] = d.take(keySize)
	return node, d.err
}

// eachGroupNode calls visit with the address of every symbol table node
// of a group's B-tree. Each tree node is visited once, and children must
// sit one level below their parent, so a hostile tree cannot loop.
func (f *File) eachGroupNode(root uint64, visit func(snod uint64) error) error {
	seen := map[uint64]bool{}
	var walk func(addr uint64, level int) error
	walk = func(addr uint64, level int) error {
		if seen[addr] {
			return fmt.Errorf("v1 B-tree node at %#x reached twice", addr)
		}
		seen[addr] = true
		n, err := f.readBTree1(addr, btree1Group, f.lenSize)
		if err != nil {
			return err
		}
		if level >= 0 && n.level != level {
			return fmt.Errorf("v1 B-tree node at %#x: level %d, expected %d", addr, n.level, level)
		}
		for _, c := range n.children {
			if n.level == 0 {
				err = visit(c)
			} else {
				err = walk(c, n.level-1)
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
	return walk(root, -1)
}

// btree1Chunk finds the chunk at element offsets off (one per dataset
// dimension) in a chunk B-tree whose keys hold rank+1 offsets.
func (f *File) btree1Chunk(root uint64, off []uint64) (chunkLoc, bool, error) {
	keySize := 8 + 8*(len(off)+1)
	addr, level := root, -1
	for {
		n, err := f.readBTree1(addr, btree1Chunk, keySize)
		if err != nil {
			return chunkLoc{}, false, err
		}
		if level >= 0 && n.level != level {
			return chunkLoc{}, false, fmt.Errorf("v1 B-tree node at %#x: level %d, expected %d", addr, n.level, level)
		}
		// The child whose left key is the last one not after off.
		i := -1
		for j := range n.children {
			if compareOffsets(n.keys[j][8:], off) > 0 {
				break
			}
			i = j
		}
		if i < 0 {
			return chunkLoc{}, false, nil
		}
		if n.level == 0 {
			key := n.keys[i]
			if compareOffsets(key[8:], off) != 0 {
				return chunkLoc{}, false, nil
			}
			return chunkLoc{addr: n.children[i], size: uint64(le.Uint32(key)), mask: le.Uint32(key[4:]), filtered: true}, true, nil
		}
		addr, level = n.children[i], n.level-1
	}
}

// compareOffsets compares the little-endian 8-byte offsets in key with
// off, dimension by dimension.
func compareOffsets(key []byte, off []uint64) int {
	for k, v := range off {
		switch w := le.Uint64(key[8*k:]); {
		case w < v:
			return -1
		case w > v:
			return 1
		}
	}
	return 0
}

// Version 2 B-tree record types this package reads.
const (
	btree2LinkName      = 5
	btree2AttrName      = 8
	btree2Chunk         = 10
	btree2FilteredChunk = 11
)

// btree2 is an open version 2 B-tree.
type btree2 struct {
	f        *File
	typ      uint8
	nodeSize uint64
	recSize  int
	depth    int
	root     uint64
	rootNrec int
	// For nodes at each depth (0: leaves): the most records one may hold,
	// and the bytes of a count of all records below one of its children.
	maxNrec  []uint64
	cumBytes []int
	nrecSize int // bytes of a count of a child's own records
}

const btree2Prefix = 10 // signature, version, type, checksum

func (f *File) openBTree2(addr uint64, typ uint8) (*btree2, error) {
	return cached(f, addr, "v2 B-tree header", func() (*btree2, int64, error) {
		t, err := f.decodeBTree2(addr, typ)
		if err != nil {
			return nil, 0, fmt.Errorf("v2 B-tree at %#x: %w", addr, err)
		}
		return t, 256, nil
	})
}

func (f *File) decodeBTree2(addr uint64, typ uint8) (*btree2, error) {
	p, err := f.readAt(addr, 4+1+1+4+2+2+1+1+uint64(f.offSize)+2+uint64(f.lenSize)+4)
	if err != nil {
		return nil, err
	}
	if err := verifyChecksum(p, "header"); err != nil {
		return nil, err
	}
	d := f.decoder(p)
	d.signature("BTHD")
	d.u8()
	t := &btree2{f: f, typ: d.u8()}
	t.nodeSize = uint64(d.u32())
	t.recSize = int(d.u16())
	t.depth = int(d.u16())
	d.skip(2)
	t.root = d.addr()
	t.rootNrec = int(d.u16())
	if d.err != nil {
		return nil, d.err
	}
	if t.typ != typ {
		return nil, fmt.Errorf("record type %d, expected %d", t.typ, typ)
	}
	if t.recSize == 0 || t.nodeSize < btree2Prefix+uint64(t.recSize) || t.nodeSize > 1<<24 || t.depth > 32 {
		return nil, fmt.Errorf("nodes of %d bytes, records of %d, depth %d", t.nodeSize, t.recSize, t.depth)
	}
	// The sizes libhdf5 derives from the node and record sizes.
	t.maxNrec = make([]uint64, t.depth+1)
	t.cumBytes = make([]int, t.depth+1)
	t.maxNrec[0] = (t.nodeSize - btree2Prefix) / uint64(t.recSize)
	t.nrecSize = bytesFor(t.maxNrec[0])
	cum := t.maxNrec[0]
	for u := 1; u <= t.depth; u++ {
		ptr := uint64(t.pointerSize(u))
		if t.nodeSize < btree2Prefix+ptr {
			return nil, fmt.Errorf("nodes of %d bytes cannot hold depth %d", t.nodeSize, t.depth)
		}
		t.maxNrec[u] = (t.nodeSize - btree2Prefix - ptr) / (uint64(t.recSize) + ptr)
		var ok bool
		if cum, ok = mulOK(t.maxNrec[u]+1, cum); !ok {
			cum = 1 << 62
		}
		cum = min(cum+t.maxNrec[u], 1<<62)
		t.cumBytes[u] = bytesFor(cum)
	}
	return t, nil
}

// pointerSize is the size of a child pointer in a node at depth u.
func (t *btree2) pointerSize(u int) int {
	n := t.f.offSize + t.nrecSize
	if u > 1 {
		n += t.cumBytes[u-1]
	}
	return n
}

// btree2Node is a decoded node: its records and, if internal, its
// children and how many records each holds.
type btree2Node struct {
	records   [][]byte
	children  []uint64
	childNrec []int
}

func (t *btree2) node(addr uint64, depth, nrec int) (*btree2Node, error) {
	kind := fmt.Sprintf("v2 B-tree node type %d depth %d records %d", t.typ, depth, nrec)
	return cached(t.f, addr, kind, func() (*btree2Node, int64, error) {
		n, err := t.decodeNode(addr, depth, nrec)
		if err != nil {
			return nil, 0, fmt.Errorf("v2 B-tree node at %#x: %w", addr, err)
		}
		return n, int64(t.nodeSize), nil
	})
}

func (t *btree2) decodeNode(addr uint64, depth, nrec int) (*btree2Node, error) {
	if uint64(nrec) > t.maxNrec[depth] {
		return nil, fmt.Errorf("%d records, at most %d fit", nrec, t.maxNrec[depth])
	}
	size := 6 + nrec*t.recSize + 4
	sig := "BTLF"
	if depth > 0 {
		size += (nrec + 1) * t.pointerSize(depth)
		sig = "BTIN"
	}
	p, err := t.f.readAt(addr, uint64(size))
	if err != nil {
		return nil, err
	}
	d := t.f.decoder(p)
	d.signature(sig)
	d.u8()
	if typ := d.u8(); typ != t.typ && d.err == nil {
		return nil, fmt.Errorf("record type %d, expected %d", typ, t.typ)
	}
	if d.err == nil {
		d.err = verifyChecksum(p, "node")
	}
	n := &btree2Node{records: make([][]byte, nrec)}
	for i := range n.records {
		n.records[i] = d.take(t.recSize)
	}
	if depth > 0 {
		n.children = make([]uint64, nrec+1)
		n.childNrec = make([]int, nrec+1)
		for i := range n.children {
			n.children[i] = d.addr()
			n.childNrec[i] = int(d.uint(t.nrecSize))
			if depth > 1 {
				d.uint(t.cumBytes[depth-1])
			}
		}
	}
	return n, d.err
}

// each calls fn with every record, in order. Each node is visited once.
func (t *btree2) each(fn func(rec []byte) error) error {
	if t.root == undefined || t.rootNrec == 0 && t.depth == 0 {
		return nil
	}
	seen := map[uint64]bool{}
	var walk func(addr uint64, depth, nrec int) error
	walk = func(addr uint64, depth, nrec int) error {
		if seen[addr] {
			return fmt.Errorf("v2 B-tree node at %#x reached twice", addr)
		}
		seen[addr] = true
		n, err := t.node(addr, depth, nrec)
		if err != nil {
			return err
		}
		for i, rec := range n.records {
			if depth > 0 {
				if err := walk(n.children[i], depth-1, n.childNrec[i]); err != nil {
					return err
				}
			}
			if err := fn(rec); err != nil {
				return err
			}
		}
		if depth > 0 {
			return walk(n.children[len(n.records)], depth-1, n.childNrec[len(n.records)])
		}
		return nil
	}
	return walk(t.root, t.depth, t.rootNrec)
}

// find returns the record for which cmp is 0, or nil. cmp tells whether
// the record sought sorts before (<0) or after (>0) rec.
func (t *btree2) find(cmp func(rec []byte) int) ([]byte, error) {
	if t.root == undefined {
		return nil, nil
	}
	addr, depth, nrec := t.root, t.depth, t.rootNrec
	for {
		n, err := t.node(addr, depth, nrec)
		if err != nil {
			return nil, err
		}
		i := 0
		for ; i < len(n.records); i++ {
			c := cmp(n.records[i])
			if c == 0 {
				return n.records[i], nil
			}
			if c < 0 {
				break
			}
		}
		if depth == 0 {
			return nil, nil
		}
		addr, depth, nrec = n.children[i], depth-1, n.childNrec[i]
	}
}
