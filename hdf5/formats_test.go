package hdf5

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
)

var indexNames = [...]string{"version 1 B-tree", "single chunk", "implicit", "fixed array", "extensible array", "version 2 B-tree"}

// TestEveryFormatFeature checks that the generated files hold every
// storage form the package reads, so that TestGeneratedFiles reads each
// of them at least once.
func TestEveryFormatFeature(t *testing.T) {
	files, err := filepath.Glob("testdata/*.h5")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, path := range files {
		f := openTest(t, path)
		seen[fmt.Sprintf("superblock %d", f.superblock)] = true
		err := f.Root().Walk(func(obj Object) error {
			switch obj := obj.(type) {
			case *Group:
				h := obj.hdr
				if h.first(msgSymbolTable) != nil {
					seen["symbol table group"] = true
				}
				if m := h.first(msgLinkInfo); m != nil {
					heap, _, _ := f.parseLinkInfo(m.data)
					seen[map[bool]string{true: "compact links", false: "dense links"}[heap == undefined]] = true
				}
				if h.first(msgAttrInfo) != nil {
					seen["dense attributes"] = true
				}
			case *Dataset:
				l := obj.layout
				seen[[]string{"compact", "contiguous", "chunked"}[l.class]] = true
				if l.class == layoutChunked {
					name := indexNames[l.index]
					if len(obj.filters) > 0 {
						name += ", filtered"
					}
					seen[name] = true
				}
				if x, ok := obj.index.(*fixedArray); ok && x.pageElems > 0 {
					seen["paged fixed array"] = true
				}
				if x, ok := obj.index.(*extensibleArray); ok && obj.grid[x.unlimDim] > x.idxElems+x.sblk[x.iblockSblks].startIdx {
					seen["extensible array super block"] = true
				}
				for _, flt := range obj.filters {
					seen[fmt.Sprintf("filter %d", flt.id)] = true
				}
				if obj.hdr.first(msgDatatype).flags&flagShared != 0 {
					seen["shared datatype"] = true
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	want := []string{
		"superblock 0", "superblock 2", "superblock 3",
		"symbol table group", "compact links", "dense links", "dense attributes",
		"compact", "contiguous", "chunked",
		"version 1 B-tree", "version 1 B-tree, filtered", "single chunk", "single chunk, filtered",
		"implicit", "fixed array", "fixed array, filtered", "paged fixed array",
		"extensible array", "extensible array, filtered", "extensible array super block",
		"version 2 B-tree", "version 2 B-tree, filtered",
		"filter 1", "filter 2", "filter 3", "shared datatype",
	}
	for _, w := range want {
		if !seen[w] {
			t.Errorf("no generated file has: %s", w)
		}
	}
	for s := range seen {
		if !slices.Contains(want, s) {
			t.Errorf("unexpected feature %q: add it to the list", s)
		}
	}
}
