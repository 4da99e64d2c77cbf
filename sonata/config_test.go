package sonata

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestManifestExpansion(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "c.json", `{"manifest": {
		"$BASE_DIR": "${configdir}",
		"$NETWORK": "$BASE_DIR/network",
		"$N": "n",
		"$EMPTY": ""
	}}`)
	cf, err := readConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ in, want string }{
		{"plain", "plain"},
		{"$NETWORK/nodes.h5", dir + "/network/nodes.h5"},
		{"${NETWORK}x/nodes.h5", dir + "/networkx/nodes.h5"},
		{"$N$N-${N}", "nn-n"},
		{"a$EMPTY.b", "a.b"},
		{"$", "$"},
		{"${unclosed", "${unclosed"},
		{"${}", "${}"},
		{"${configfname}", path},
	} {
		got, err := cf.expand(c.in, "test")
		if err != nil || got != c.want {
			t.Errorf("%q: %q (%v), want %q", c.in, got, err, c.want)
		}
	}
	// Digits are name characters, so "$5" names a variable.
	for _, in := range []string{"cost $5", "$NETWORKS", "${MISSING}/x"} {
		if got, err := cf.expand(in, "test"); err == nil {
			t.Errorf("%q: expanded to %q, want an unknown variable", in, got)
		}
	}
}

// Populations take morphology folders from the circuit's components, with
// the population's own entries over them.
func TestMorphologyFolders(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"swc", "asc", "h5", "own"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"swc/a.swc", "asc/a.asc", "asc/b.asc", "h5/c.h5", "own/a.swc"} {
		writeFile(t, dir, f, "")
	}
	nodes, err := filepath.Abs("testdata/bbp/nodes.h5")
	if err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, dir, "circuit_config.json", `{
		"components": {"morphologies_dir": "swc",
			"alternate_morphologies": {"neurolucida-asc": "asc", "h5v1": "h5"}},
		"networks": {"nodes": [{"nodes_file": "`+nodes+`",
			"populations": {"thalamus": {"morphologies_dir": "own"}}}]}}`)
	s := openSim(t, path)
	cortex, err := s.Population("cortex")
	if err != nil {
		t.Fatal(err)
	}
	thalamus, err := s.Population("thalamus")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		p          *Population
		name, want string
	}{
		{cortex, "a", "swc/a.swc"},
		{cortex, "b", "asc/b.asc"},
		{cortex, "c", "h5/c.h5"},
		{cortex, "d", "swc/d.swc"},
		{cortex, "b.asc", "asc/b.asc"},
		{cortex, "x.h5", "h5/x.h5"},
		{cortex, "x.SWC", "swc/x.SWC"},
		{cortex, "name.with.dots", "swc/name.with.dots.swc"},
		{thalamus, "a", "own/a.swc"},
		{thalamus, "b", "asc/b.asc"},
	} {
		if got := c.p.morphologyFile(c.name); got != filepath.Join(dir, c.want) {
			t.Errorf("%s %q: %q, want %q", c.p.Name, c.name, got, filepath.Join(dir, c.want))
		}
	}
	if got := (&Population{}).morphologyFile("a"); got != "" {
		t.Errorf("no folders: %q", got)
	}
	if _, err := s.Population("nowhere"); err == nil {
		t.Error("found a population that is not there")
	}
	if _, err := LoadMorphology(Node{Population: "p", ID: 3, Morphology: "x"}); err == nil {
		t.Error("loaded a morphology without a folder")
	}
}

func TestSplitFields(t *testing.T) {
	for _, c := range []struct {
		line string
		want []string
	}{
		{"", nil},
		{"   \t ", nil},
		{"a b", []string{"a", "b"}},
		{"  a \t  b  ", []string{"a", "b"}},
		{`"a b" c`, []string{"a b", "c"}},
		{`"say ""hi""" x`, []string{`say "hi"`, "x"}},
		{`""`, []string{""}},
		{`a "" b`, []string{"a", "", "b"}},
	} {
		got, err := splitFields(c.line)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("%q: %q (%v), want %q", c.line, got, err, c.want)
		}
	}
}

func TestNodeTypesByPopulation(t *testing.T) {
	nt, err := parseNodeTypes("t.csv", []byte("node_type_id population mtype\n1 a A1\n1 b B1\n2 a NULL\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		pop      string
		id       int64
		want     string
		has, row bool
	}{
		{"a", 1, "A1", true, true},
		{"b", 1, "B1", true, true},
		{"a", 2, "", false, true},
		{"c", 1, "", false, false},
	} {
		row, ok := nt.row(c.pop, c.id)
		if ok != c.row {
			t.Errorf("%s %d: row %v, want %v", c.pop, c.id, ok, c.row)
			continue
		}
		if !ok {
			continue
		}
		v, has := nt.value(row, "mtype")
		if has != c.has || v.Text != c.want {
			t.Errorf("%s %d: %q %v, want %q %v", c.pop, c.id, v.Text, has, c.want, c.has)
		}
	}
}
