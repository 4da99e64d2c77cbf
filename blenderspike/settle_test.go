package blenderspike

import (
	"reflect"
	"strings"
	"testing"
)

// TestVoltageSettledWhileDecoding checks that the decoder turns a Voltage
// dict into its decoded table as soon as its section holds it, so that
// the per-frame arrays are not kept to the end of the file.
func TestVoltageSettledWhileDecoding(t *testing.T) {
	data := encode(ballAndStick())
	b := newBudget(int64(len(data)))
	pl, err := prescan(data, b)
	if err != nil {
		t.Fatal(err)
	}
	root, err := decodePickle(data, pl, b)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range root.(*pyList).items {
		d := s.(*pyDict)
		tab, ok := d.vals[len(d.vals)-1].(*voltageTable)
		if !ok {
			t.Fatalf("section %d: Voltage is %T, want a *voltageTable", i, d.vals[len(d.vals)-1])
		}
		want := [][]float32{{-65, -60}, {-65, -64, -63, -30, -40, -50}}[i]
		if tab.frames != 2 || tab.nseg != len(want)/2 || !reflect.DeepEqual(tab.values, want) {
			t.Errorf("section %d: table %+v, want 2 frames of %v", i, tab, want)
		}
	}
}

// TestVoltageChangedAfterItsSection covers Voltage dicts that are still
// reachable through the memo when their section takes them, and change
// later: they must be read as they are at the end, not as they were.
func TestVoltageChangedAfterItsSection(t *testing.T) {
	// recording writes section 0 of ballAndStick with the Voltage dict
	// volt writes, then the opcodes of later, then ends the list.
	recording := func(volt, later func(p *pk)) []byte {
		p := newPickle().op(opEmptyList, opEmptyDict, opMark)
		for _, e := range ballAndStick()[0].without("Voltage") {
			p.str(e.key)
			e.val(p)
		}
		p.str("Voltage")
		volt(p)
		p.op(opSetItems)
		later(p)
		return p.op(opAppend).stop()
	}
	for _, tc := range []struct {
		name        string
		volt, later func(p *pk)
		want        []float32 // the voltages read, or nil for an error
		wantErr     string
	}{
		{
			name: "frame added to a shared dict",
			volt: func(p *pk) { p.op(opEmptyDict, opMemoize).int(0).apply(f8(-65)).op(opSetItem) },
			// Section 0 has no memo slots before the dict: it is slot 0.
			later: func(p *pk) { p.op(opBinGet, 0).int(1).apply(f8(-60)).op(opSetItem, opPop) },
			want:  []float32{-65, -60},
		},
		{
			name: "value appended to a shared frame list",
			volt: func(p *pk) {
				p.op(opEmptyDict).int(0).op(opEmptyList, opMemoize).float(-65).op(opAppend, opSetItem)
				p.int(1).apply(floatList(-60)).op(opSetItem)
			},
			later:   func(p *pk) { p.op(opBinGet, 0).float(-64).op(opAppend, opPop) },
			wantErr: "section 0 frame 1: Voltage has 1 values, frame 0 has 2",
		},
		{
			name: "shared frame array built later",
			volt: func(p *pk) {
				p.op(opEmptyDict).int(0)
				unbuiltArray(p)
				p.op(opMemoize, opSetItem)
			},
			later: func(p *pk) {
				p.op(opBinGet, 0, opMark).int(1).int(2).op(opTuple1).dtype("f8", "<").op(opNewFalse).bytes(f8raw(-65, -64)).op(opTuple, opBuild, opPop)
			},
			want: []float32{-65, -64},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, rec, err := decode(recording(tc.volt, tc.later))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := rec.Traces[0].Values; !reflect.DeepEqual(got, tc.want) {
				t.Errorf("voltages %v, want %v", got, tc.want)
			}
		})
	}
}
