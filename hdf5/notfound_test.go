package hdf5

import (
	"errors"
	"strings"
	"testing"
)

// TestNotFoundMessages: a missing object's error names its path once, and
// the missing group on the way to it when that is what is missing.
func TestNotFoundMessages(t *testing.T) {
	f, err := Open("../testdata/morphologies/quirks/no_soma.h5")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, tc := range []struct{ path, want string }{
		{"nope", "hdf5: /nope: not found"},
		{"/nope/deeper", "hdf5: /nope/deeper: group /nope: not found"},
		{"points/x", "hdf5: /points/x: /points is not a group"},
	} {
		_, err := f.Root().Object(tc.path)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: %v, want %q", tc.path, err, tc.want)
		}
		if strings.HasSuffix(tc.want, "not found") && !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: %v is not ErrNotFound", tc.path, err)
		}
	}
}
