package sonata

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// FuzzConfig reads any bytes as a simulation config and as a circuit
// config, up to (not including) opening the files they name: errors, never
// a panic, a hang or unbounded expansion.
func FuzzConfig(f *testing.F) {
	for _, p := range []string{
		"testdata/bbp/simulation_config.json", "testdata/bbp/circuit_config.json",
		"testdata/allen/config.json", "testdata/allen/circuit_config.json", "testdata/allen/simulation_config.json",
	} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"manifest": {"$A": "$B$B", "$B": "${A}"}, "network": "$A", "networks": {"nodes": [{"nodes_file": "$B"}]}}`))
	f.Add([]byte(`{"manifest": {"$A": "${configdir}/$A"}, "reports": {"r": {"file_name": "$A"}}}`))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "config.json")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		cf, err := readConfig(path)
		if err != nil {
			return
		}
		s := &Simulation{}
		_ = s.readSimulation(cf)
		entries, err := parseCircuit(cf)
		if err != nil {
			return
		}
		for _, e := range entries {
			if e.nodesFile == "" {
				t.Fatal("a node file entry without a file")
			}
		}
		if cf.budget < -len(data)-MaxExpansion {
			t.Fatalf("expansion ran %d bytes past its budget", -cf.budget)
		}
	})
}

// FuzzNodeSets reads any bytes as a node sets file and resolves every set
// in it against the BBP test circuit's nodes.
func FuzzNodeSets(f *testing.F) {
	for _, p := range []string{"testdata/bbp/node_sets.json", "testdata/allen/node_sets.json"} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"a": ["b", "b"], "b": ["c"], "c": {"node_id": [1, 2.0], "layer": {"$gt": 3, "$regex": "x*"}}}`))
	s, err := Open("testdata/bbp/simulation_config.json")
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	nodes, err := s.Nodes("cortex")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ns, err := parseNodeSets("fuzz.json", data)
		if err != nil {
			return
		}
		for name := range ns.sets {
			basics, err := ns.resolve(name)
			if err != nil {
				continue
			}
			for i := range nodes {
				for _, b := range basics {
					b.match(&nodes[i])
				}
			}
		}
	})
}

// FuzzLayout lays any element ids and positions onto a cell and reads a
// frame through the layout: errors for what cannot be laid out; otherwise
// one value per compartment, finite for finite input, each between the
// frame's smallest and largest value (within rounding).
func FuzzLayout(f *testing.F) {
	f.Add(uint8(3), []byte{0, 0, 1, 1, 1, 2}, false)
	f.Add(uint8(2), []byte{1, 200, 0, 10, 1, 40, 0, 128}, true)
	f.Fuzz(func(t *testing.T, sections uint8, raw []byte, positioned bool) {
		var ids []int64
		var pos []float64
		step := 1
		if positioned {
			step = 2
			pos = []float64{}
		}
		for i := 0; i+step <= len(raw); i += step {
			ids = append(ids, int64(int8(raw[i])))
			if positioned {
				pos = append(pos, float64(raw[i+1])/200)
			}
		}
		l, err := newLayout(7, 3, ids, pos, int(sections))
		if err != nil {
			return
		}
		frame := Frame{First: 1, Values: make([]float32, len(ids)+4)}
		lo, hi := float32(math.Inf(1)), float32(math.Inf(-1))
		for i := range frame.Values {
			frame.Values[i] = float32(int16(binary.LittleEndian.Uint16([]byte{byte(i * 37), byte(i)})))
			lo, hi = min(lo, frame.Values[i]), max(hi, frame.Values[i])
		}
		v, err := l.Voltages(frame, nil)
		if err != nil {
			t.Fatal(err)
		}
		total := 0
		for s, vals := range v {
			if len(vals) != l.NSeg(s) {
				t.Fatalf("section %d: %d values, nseg %d", s, len(vals), l.NSeg(s))
			}
			for _, x := range vals {
				if !(x >= lo-1 && x <= hi+1) { // values are whole numbers; interpolation rounds
					t.Fatalf("section %d: %g outside [%g, %g]", s, x, lo, hi)
				}
			}
			total += len(vals)
		}
		if total != len(ids) {
			t.Fatalf("%d values for %d columns", total, len(ids))
		}
	})
}

// FuzzNodeTypes reads any bytes as a node types file.
func FuzzNodeTypes(f *testing.F) {
	for _, p := range []string{"testdata/allen/network/v1_node_types.csv", "testdata/allen/network/lif_node_types.csv"} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		nt, err := parseNodeTypes("fuzz.csv", data)
		if err != nil {
			return
		}
		for k, row := range nt.rows {
			if len(row) != len(nt.columns) {
				t.Fatalf("type %v: %d values for %d columns", k, len(row), len(nt.columns))
			}
		}
	})
}
