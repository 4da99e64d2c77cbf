package hdf5

import (
	"bytes"
	"fmt"
	"slices"
)

// Attribute is a small named value attached to a group or dataset.
type Attribute struct {
	f     *File
	owner string // the path of the object it is attached to
	name  string
	space *dataspace
	dtype *datatype
	raw   []byte // the values as stored
}

// Name is the attribute's name.
func (a *Attribute) Name() string { return a.name }

// Shape is the attribute's dimensions: empty for a scalar, nil for an
// empty (null) attribute.
func (a *Attribute) Shape() []uint64 { return a.space.shape() }

// DType describes the attribute's elements.
func (a *Attribute) DType() DType { return a.dtype.DType }

func (a *Attribute) count() int { return len(a.raw) / a.dtype.Size }

// ReadFloat64 returns the attribute's values, integers converted.
func (a *Attribute) ReadFloat64() ([]float64, error) {
	v, err := a.dtype.float64s(a.raw, a.count())
	return v, a.wrap(err)
}

// ReadInt64 returns the attribute's integer values.
func (a *Attribute) ReadInt64() ([]int64, error) {
	v, err := a.dtype.int64s(a.raw, a.count())
	return v, a.wrap(err)
}

// ReadStrings returns the attribute's string values.
func (a *Attribute) ReadStrings() ([]string, error) {
	v, err := a.f.strings(a.dtype, a.raw, a.count())
	return v, a.wrap(err)
}

func (a *Attribute) wrap(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("hdf5: %s: attribute %q: %w", a.owner, a.name, err)
}

// strings decodes n fixed- or variable-length strings.
func (f *File) strings(t *datatype, raw []byte, n int) ([]string, error) {
	switch t.Kind {
	case String:
		return t.fixedStrings(raw, n), nil
	case VarString:
		return f.vlenStrings(raw, n)
	case Other:
		return nil, t.unreadable
	}
	return nil, fmt.Errorf("%s values are not strings", t.DType)
}

// Attrs lists the object's attribute names, sorted.
func (o *object) Attrs() ([]string, error) {
	var names []string
	err := o.eachAttr(func(a *Attribute) bool {
		names = append(names, a.name)
		return true
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	return names, nil
}

// Attr returns the attribute called name.
func (o *object) Attr(name string) (*Attribute, error) {
	var found *Attribute
	err := o.eachAttr(func(a *Attribute) bool {
		if a.name == name {
			found = a
		}
		return found == nil
	})
	if err != nil {
		return nil, err
	}
	if found == nil {
		return nil, fmt.Errorf("hdf5: %s: attribute %q: %w", o.path, name, ErrNotFound)
	}
	return found, nil
}

// errStop ends an iteration early.
var errStop = fmt.Errorf("stop")

// eachAttr calls fn with each attribute until fn returns false: those in
// the object header, then those in dense storage.
func (o *object) eachAttr(fn func(*Attribute) bool) error {
	err := o.eachAttrErr(func(a *Attribute) bool {
		a.owner = o.path
		return fn(a)
	})
	if err == errStop {
		return nil
	}
	if err != nil {
		return fmt.Errorf("hdf5: %s: attributes: %w", o.path, err)
	}
	return nil
}

func (o *object) eachAttrErr(fn func(*Attribute) bool) error {
	f := o.f
	for _, m := range o.hdr.msgs {
		if m.typ != msgAttribute {
			continue
		}
		a, err := f.parseAttribute(m.data)
		if err != nil {
			return err
		}
		if !fn(a) {
			return errStop
		}
	}
	m := o.hdr.first(msgAttrInfo)
	if m == nil {
		return nil
	}
	d := f.decoder(m.data)
	if v := d.u8(); v != 0 && d.err == nil {
		return fmt.Errorf("attribute info version %d", v)
	}
	if d.u8()&1 != 0 {
		d.u16() // maximum creation index
	}
	heapAddr, index := d.addr(), d.addr()
	if d.err != nil {
		return fmt.Errorf("attribute info: %w", d.err)
	}
	if heapAddr == undefined {
		return nil
	}
	heap, err := f.openFractalHeap(heapAddr)
	if err != nil {
		return err
	}
	tree, err := f.openBTree2(index, btree2AttrName)
	if err != nil {
		return err
	}
	return tree.each(func(rec []byte) error {
		if len(rec) < heap.idLen+1 {
			return fmt.Errorf("attribute name record of %d bytes", len(rec))
		}
		if rec[heap.idLen]&flagShared != 0 {
			return fmt.Errorf("attribute in the shared message heap: %w", ErrUnsupported)
		}
		p, err := heap.get(rec[:heap.idLen])
		if err != nil {
			return err
		}
		a, err := f.parseAttribute(p)
		if err != nil {
			return err
		}
		if !fn(a) {
			return errStop
		}
		return nil
	})
}

// parseAttribute decodes an attribute message (versions 1 to 3).
func (f *File) parseAttribute(p []byte) (*Attribute, error) {
	d := f.decoder(p)
	version := d.u8()
	flags := d.u8()
	nameSize, typeSize, spaceSize := int(d.u16()), int(d.u16()), int(d.u16())
	switch version {
	case 1, 2:
	case 3:
		d.u8() // name encoding
	default:
		if d.err == nil {
			return nil, fmt.Errorf("attribute message version %d: %w", version, ErrUnsupported)
		}
	}
	pad := func(n int) int {
		if version == 1 {
			return (n + 7) &^ 7
		}
		return n
	}
	name := d.take(pad(nameSize))
	typeBytes := d.take(pad(typeSize))
	spaceBytes := d.take(pad(spaceSize))
	if d.err != nil {
		return nil, fmt.Errorf("attribute message: %w", d.err)
	}
	if i := bytes.IndexByte(name, 0); i >= 0 {
		name = name[:i]
	}
	a := &Attribute{f: f, name: string(name)}
	fail := func(err error) (*Attribute, error) {
		return nil, fmt.Errorf("attribute %q: %w", a.name, err)
	}
	typeBytes, err := f.body(&message{typ: msgDatatype, flags: flags << 1 & flagShared, data: typeBytes})
	if err != nil {
		return fail(err)
	}
	if a.dtype, err = f.parseDatatype(typeBytes); err != nil {
		return fail(err)
	}
	spaceBytes, err = f.body(&message{typ: msgDataspace, flags: flags & flagShared, data: spaceBytes})
	if err != nil {
		return fail(err)
	}
	if a.space, err = f.parseDataspace(spaceBytes); err != nil {
		return fail(err)
	}
	n, _ := a.space.count()
	size, ok := mulOK(n, uint64(a.dtype.Size))
	if !ok || size > uint64(d.left()) {
		return fail(fmt.Errorf("%d values of %d bytes in %d bytes", n, a.dtype.Size, d.left()))
	}
	a.raw = d.take(int(size))
	return a, nil
}
