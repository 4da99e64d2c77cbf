package blenderspike

import (
	"strings"
	"testing"
)

// TestAmplifiers covers inputs that once cost far more memory than their
// size: each must be read or refused within the budget of a file its size.
func TestAmplifiers(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		want string // the error, or "" for a recording that reads
	}{
		{
			// One string memoized a million times: the pre-scan kept a
			// map entry per MEMOIZE.
			name: "MEMOIZE flood",
			data: nested([]byte{opShortBinUnicode, 1, 'x'}, []byte{opMemoize}, 1<<20, opStop),
			want: "memo put of a value the previous opcode did not make",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			n := allocated(func() { _, _, err = decode(tc.data) })
			if tc.want == "" && err != nil {
				t.Errorf("error %v", err)
			}
			if tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("error = %v, want %q", err, tc.want)
			}
			if limit := budgetPerByte*uint64(len(tc.data)) + budgetBase; n > limit {
				t.Errorf("allocated %d bytes for %d bytes of input, more than its budget of %d", n, len(tc.data), limit)
			}
		})
	}
}
