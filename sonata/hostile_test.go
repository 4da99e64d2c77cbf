package sonata

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/spikeframes/spikeframes/morph"
)

// threeSections is a cell for laying out the hostile reports.
var threeSections = &morph.Cell{Sections: make([]morph.Section, 3)}

func TestHostileReports(t *testing.T) {
	for _, c := range []struct {
		file, want string
	}{
		{"report_data_1d.h5", "/report/cortex/data: shape [6], want frames × values"},
		{"report_no_data.h5", "/report/cortex/data: not found"},
		{"report_no_mapping.h5", "/report/cortex/mapping: not found"},
		{"report_pointers_decreasing.h5", "index_pointers: pointer 2 is 3, less than the one before it (4)"},
		{"report_pointers_past_end.h5", "index_pointers: pointer 2 is 9, outside the 6 values of a frame"},
		{"report_pointers_too_many.h5", "index_pointers: 4 pointers for 2 nodes, want 3"},
		{"report_element_ids_short.h5", "element_ids: shape [5], want [6]"},
		{"report_duplicate_nodes.h5", "node_ids: node id 7 listed twice"},
		{"report_time_zero_step.h5", "time: [0 2 0] is not start, stop and a positive step"},
		{"report_time_two_values.h5", "time: shape [2], want [3]"},
		{"report_time_nan.h5", "time: [NaN 2 0.5] is not start"},
		{"report_node_ids_2d.h5", "node_ids: shape [2 1], want a list"},
		{"not_hdf5.h5", "not_hdf5.h5"},
		{"missing.h5", "no such file"},
	} {
		t.Run(c.file, func(t *testing.T) {
			path := filepath.Join("testdata", "bad", c.file)
			r, err := OpenReport(path, "cortex")
			if err == nil {
				r.Close()
				t.Fatal("opened")
			}
			if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.file) {
				t.Errorf("error %q, want one naming %s and saying %q", err, c.file, c.want)
			}
		})
	}
}

// Element ids and positions are read per node, when it is laid out.
func TestHostileLayouts(t *testing.T) {
	for _, c := range []struct {
		file, want string
	}{
		{"report_element_pos_nan.h5", "element_pos: node 0, column 1 is at NaN, outside [0, 1]"},
		{"report_element_pos_outside.h5", "element_pos: node 0, column 2 is at 1.5, outside [0, 1]"},
		{"report_section_past_cell.h5", "element_ids: node 0, column 2 names section 900, but its morphology has 3 sections"},
	} {
		t.Run(c.file, func(t *testing.T) {
			r, err := OpenReport(filepath.Join("testdata", "bad", c.file), "")
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if _, err := r.Layout(1, threeSections); err != nil {
				t.Fatalf("node 1 is sound: %v", err)
			}
			_, err = r.Layout(0, threeSections)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one saying %q", err, c.want)
			}
		})
	}
}

func TestReportMisuse(t *testing.T) {
	r, err := OpenReport("testdata/bbp/output/soma.h5", "cortex")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := OpenReport("testdata/bbp/output/soma.h5", "thalamus"); err == nil || !strings.Contains(err.Error(), `no population "thalamus" in /report (it has "cortex")`) {
		t.Errorf("a missing population: %v", err)
	}
	if _, err := OpenReport("testdata/bbp/output/soma.h5", "thalamus"); !errors.Is(err, ErrNoPopulation) {
		t.Errorf("a missing population: %v is not ErrNoPopulation", err)
	}
	if _, err := r.Layout(99, threeSections); err == nil || !strings.Contains(err.Error(), "node 99 is not in report cortex") {
		t.Errorf("a node not in the report: %v", err)
	}
	for _, c := range [][3]int{{-1, 0, 1}, {r.Frames, 0, 1}, {0, 0, r.Columns + 1}, {0, 3, 2}} {
		if _, err := r.ReadFrame(c[0], c[1], c[2]); err == nil {
			t.Errorf("ReadFrame(%d, %d, %d) read", c[0], c[1], c[2])
		}
	}
	l, err := r.Layout(4, threeSections)
	if err != nil {
		t.Fatal(err)
	}
	f, err := r.ReadFrame(0, 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Voltages(f, nil); err == nil || !strings.Contains(err.Error(), "frame 0 holds columns [0, 2), not node 4's [4, 5)") {
		t.Errorf("a frame without the node's columns: %v", err)
	}
}

func TestHostileSpikes(t *testing.T) {
	for _, c := range []struct {
		file, want string
	}{
		{"spikes_length_mismatch.h5", "node_ids: shape [2], want [3]"},
		{"spikes_nan_time.h5", "timestamps: spike 1 is at NaN"},
		{"spikes_no_node_ids.h5", "/spikes/cortex/node_ids: not found"},
		{"report_data_1d.h5", "not a SONATA spike report"},
	} {
		t.Run(c.file, func(t *testing.T) {
			_, err := ReadSpikes(filepath.Join("testdata", "bad", c.file), "")
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.file) {
				t.Errorf("error %v, want one naming %s and saying %q", err, c.file, c.want)
			}
		})
	}
}

// writeCircuit writes a simulation config whose circuit is the nodes file
// given (and, if not "", a node types file) into a new folder, and returns
// the simulation config's path.
func writeCircuit(t *testing.T, nodesFile, typesCSV string) string {
	t.Helper()
	dir := t.TempDir()
	abs, err := filepath.Abs(nodesFile)
	if err != nil {
		t.Fatal(err)
	}
	types := ""
	if typesCSV != "" {
		if err := os.WriteFile(filepath.Join(dir, "types.csv"), []byte(typesCSV), 0o644); err != nil {
			t.Fatal(err)
		}
		types = `, "node_types_file": "types.csv"`
	}
	writeFile(t, dir, "circuit_config.json", `{"components": {"morphologies_dir": "."},
		"networks": {"nodes": [{"nodes_file": "`+abs+`"`+types+`}]}}`)
	return writeFile(t, dir, "simulation_config.json", `{"network": "circuit_config.json"}`)
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestHostileNodes(t *testing.T) {
	for _, c := range []struct {
		file, types, want string
	}{
		{"nodes_missing_group.h5", "", "node 2: node group 3: /nodes/cells/3: not found"},
		{"nodes_index_past_group.h5", "", "node_group_index: node 2 is at 5 in group 0, whose /nodes/cells/0/x has 3 values"},
		{"nodes_short_type_ids.h5", "", "/nodes/cells/node_type_id: shape [2], want the population's 3 nodes"},
		{"nodes_no_group_ids.h5", "", "/nodes/cells/node_group_id: not found"},
		{"nodes_nan_position.h5", "", "node 1: x is NaN"},
		{"nodes_zero_quaternion.h5", "", "node 0: orientation quaternion (0, 0, 0, 0) is not a rotation"},
		{"nodes_library_out_of_range.h5", "", "/nodes/cells/0/mtype: value 2 is 2, not one of the 2 names of /nodes/cells/0/@library/mtype"},
		{"nodes_text_position.h5", "", `node 0: x is "1", not a number`},
		{"nodes_short_attribute.h5", "", "/nodes/cells/0/y: 2 values, but /nodes/cells/0/x has 3"},
		{"nodes_numeric_morphology.h5", "", "node 0: morphology is the number 1, not a name"},
		{"nodes_nan_position.h5", "node_type_id model_type\n-1 point_neuron\n-1 virtual\n", "types.csv:3: node_type_id -1 listed twice"},
		{"nodes_nan_position.h5", "model_type\nbiophysical\n", "types.csv:1: the header names no node_type_id column"},
		{"nodes_nan_position.h5", "node_type_id model_type\n-1\n", "types.csv:2: 1 fields, the header has 2"},
		{"nodes_nan_position.h5", "node_type_id model_type\nx y\n", `types.csv:2: node_type_id "x" is not an integer`},
		{"nodes_nan_position.h5", "node_type_id pop_name\n-1 \"unclosed\n", "types.csv:2: field 2: quote not closed"},
		{"nodes_nan_position.h5", "node_type_id pop_name\n-1 \"a\"b\n", "types.csv:2: field 2: text after the closing quote"},
		{"nodes_nan_position.h5", "node_type_id model_type\n7 biophysical\n", "node 0: node_type_id -1 is not in"},
		{"nodes_nan_position.h5", "", "node 1: x is NaN"},
	} {
		t.Run(c.file, func(t *testing.T) {
			path := filepath.Join("testdata", "bad", c.file)
			s, err := Open(writeCircuit(t, path, c.types))
			if err == nil {
				defer s.Close()
				_, err = s.Nodes("cells")
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one saying %q", err, c.want)
			}
		})
	}
}

func TestHostileConfigs(t *testing.T) {
	nodes, err := filepath.Abs("testdata/bbp/nodes.h5")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, config, want string
	}{
		{"not JSON", `{"run": `, "not valid JSON"},
		{"empty", ``, "empty file, not JSON"},
		{"an array", `[1, 2]`, "a config is a JSON object, not an array"},
		{"two values", `{} {}`, "more data after the top-level value"},
		{"manifest not an object", `{"manifest": "x"}`, "manifest: want an object of variables, not a string"},
		{"variable without $", `{"manifest": {"BASE": "."}}`, `variable "BASE": want $ and letters`},
		{"variable not text", `{"manifest": {"$BASE": 1}}`, "manifest.$BASE: want a string, not a number"},
		{"unknown variable", `{"network": "$NOWHERE/c.json"}`, "network: unknown manifest variable $NOWHERE"},
		{"cycle", `{"manifest": {"$A": "$B/x", "$B": "${A}/y"}, "network": "$A"}`, "manifest variable $A refers to itself (through $A, $B)"},
		{"explosion", `{"manifest": {"$A": "$B$B$B$B$B$B$B$B", "$B": "$C$C$C$C$C$C$C$C", "$C": "$D$D$D$D$D$D$D$D",
			"$D": "$E$E$E$E$E$E$E$E", "$E": "$F$F$F$F$F$F$F$F", "$F": "$G$G$G$G$G$G$G$G", "$G": "0123456789abcdef"}, "network": "$A"}`,
			"manifest variables expand to more than 1048576 bytes"},
		{"network not text", `{"network": 3}`, "network: want a string, not a number"},
		{"no circuit", `{"network": "nowhere.json"}`, "nowhere.json: no such file"},
		{"networks missing", `{"networks": null}`, "networks: missing: the circuit config lists no node files"},
		{"nodes not a list", `{"networks": {"nodes": {}}}`, "networks.nodes: want an array of node files, not an object"},
		{"no nodes_file", `{"networks": {"nodes": [{}]}}`, "networks.nodes[0]: no nodes_file"},
		{"nodes file missing", `{"networks": {"nodes": [{"nodes_file": "nope.h5"}]}}`, "nope.h5: no such file"},
		{"nodes file twice", `{"networks": {"nodes": [{"nodes_file": "` + nodes + `"}, {"nodes_file": "` + nodes + `"}]}}`, `population "cortex" is also in`},
		{"run not an object", `{"run": 4, "networks": {"nodes": []}}`, "run: want an object, not a number"},
		{"tstop not a number", `{"run": {"tstop": "40"}, "networks": {"nodes": []}}`, "run.tstop: want a number, not a string"},
		{"report not an object", `{"reports": {"v": []}, "networks": {"nodes": []}}`, "reports.v: want an object, not an array"},
		{"enabled not a boolean", `{"reports": {"v": {"enabled": 1}}, "networks": {"nodes": []}}`, "reports.v.enabled: want true or false, not a number"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := writeFile(t, dir, "simulation_config.json", c.config)
			s, err := Open(path)
			if err == nil {
				s.Close()
				t.Fatal("opened")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q, want one saying %q", err, c.want)
			}
		})
	}
}

func TestHostileNodeSets(t *testing.T) {
	for _, c := range []struct {
		name, sets, ask, want string
	}{
		{"not an object", `[]`, "a", "node sets are a JSON object, not an array"},
		{"missing", `{}`, "a", `no node set "a"`},
		{"names a missing set", `{"a": ["b"]}`, "a", `node set "a" names "b", which is not a node set`},
		{"cycle", `{"a": ["b"], "b": ["c", "a"], "c": {}}`, "a", `node set "a" contains itself (a → b → a)`},
		{"self", `{"a": ["a"]}`, "a", `node set "a" contains itself`},
		{"number in a compound", `{"a": [1]}`, "a", `node set "a": element 0 is a number, want a node set name`},
		{"a string", `{"a": "b"}`, "a", `node set "a" is a string, want an object of rules or a list of names`},
		{"null value", `{"a": {"mtype": null}}`, "a", `node set "a": mtype: want a value or a list of values, not null`},
		{"nested list", `{"a": {"mtype": [["x"]]}}`, "a", "want a value or a list of values, not an array"},
		{"negative id", `{"a": {"node_id": [-1]}}`, "a", "node id -1 is not a whole number ≥ 0"},
		{"fractional id", `{"a": {"node_id": 1.5}}`, "a", "node id 1.5 is not a whole number ≥ 0"},
		{"text id", `{"a": {"node_id": "1"}}`, "a", `node ids are numbers, not "1"`},
		{"numeric population", `{"a": {"population": 3}}`, "a", "populations are names, not 3"},
		{"unknown operator", `{"a": {"layer": {"$ne": 3}}}`, "a", `unknown operator "$ne"`},
		{"bad regex", `{"a": {"mtype": {"$regex": "("}}}`, "a", "missing closing )"},
		{"regex not text", `{"a": {"mtype": {"$regex": 3}}}`, "a", "$regex wants a string, not a number"},
		{"bound not a number", `{"a": {"layer": {"$gt": "3"}}}`, "a", "$gt wants a number, not a string"},
		{"bad JSON", `{"a": `, "a", "not valid JSON"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, "node_sets.json", c.sets)
			nodes, err := filepath.Abs("testdata/bbp/nodes.h5")
			if err != nil {
				t.Fatal(err)
			}
			path := writeFile(t, dir, "simulation_config.json",
				`{"node_sets_file": "node_sets.json", "networks": {"nodes": [{"nodes_file": "`+nodes+`"}]}}`)
			s := openSim(t, path)
			_, err = s.NodeSet(c.ask)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one saying %q", err, c.want)
			}
		})
	}
}

// Compound node sets that share members are resolved once each, not once
// per path to them.
func TestNodeSetDiamonds(t *testing.T) {
	sets := `{"l0": {"population": "cortex", "layer": 5}`
	for i := 1; i <= 60; i++ {
		sets += `, "l` + strconv.Itoa(i) + `": ["l` + strconv.Itoa(i-1) + `", "l` + strconv.Itoa(i-1) + `"]`
	}
	sets += `}`
	dir := t.TempDir()
	writeFile(t, dir, "node_sets.json", sets)
	nodes, err := filepath.Abs("testdata/bbp/nodes.h5")
	if err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, dir, "simulation_config.json",
		`{"node_sets_file": "node_sets.json", "networks": {"nodes": [{"nodes_file": "`+nodes+`"}]}}`)
	s := openSim(t, path)
	sel, err := s.NodeSet("l60")
	if err != nil {
		t.Fatal(err)
	}
	if len(sel) != 1 || len(sel["cortex"]) != 2 {
		t.Errorf("selection %v, want cortex [0 2]", sel)
	}
}

// TestReadFramesIsFramesInTurn: a block of frames read at once is the
// frames read one by one, and blocks outside the report are refused.
func TestReadFramesIsFramesInTurn(t *testing.T) {
	r, err := OpenReport("testdata/bbp/output/compartments.h5", "cortex")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if cf := r.ChunkFrames(); cf < 1 || cf > r.Frames {
		t.Errorf("chunk frames %d, outside 1 to %d", cf, r.Frames)
	}
	first, end, k, n := 5, 40, r.Frames-7, 7
	block, err := r.ReadFrames(k, n, first, end)
	if err != nil {
		t.Fatal(err)
	}
	for row := range n {
		f, err := r.ReadFrame(k+row, first, end)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(block[row*(end-first):(row+1)*(end-first)], f.Values) {
			t.Errorf("frame %d read in a block differs from it read alone", k+row)
		}
	}
	for _, c := range [][4]int{{r.Frames - 2, 3, 0, 1}, {0, 0, 0, 1}, {-1, 2, 0, 1}, {0, 2, 3, 2}} {
		if _, err := r.ReadFrames(c[0], c[1], c[2], c[3]); err == nil {
			t.Errorf("ReadFrames(%d, %d, %d, %d) read", c[0], c[1], c[2], c[3])
		}
	}
}
