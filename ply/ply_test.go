package ply

import (
	"bytes"
	"encoding/binary"
	"github.com/spikeframes/spikeframes/morph"
	"math"
	"strings"
	"testing"

	"github.com/spikeframes/spikeframes/mesh"
)

func triangle() *mesh.Mesh {
	return &mesh.Mesh{
		Positions:   []mesh.Vec3{{0, 0, 0}, {1, 0, 0}, {0, 1, 0}},
		Normals:     []mesh.Vec3{{0, 0, 1}, {0, 0, 1}, {0, 0, 1}},
		Triangles:   [][3]uint32{{0, 1, 2}},
		Probes:      []morph.Probe{{Section: 0, Pos: 0}, {Section: 0, Pos: 1}},
		VertexProbe: []uint32{0, 1, 1},
	}
}

func TestWriteLayout(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, triangle(), []float32{-70, 20}); err != nil {
		t.Fatal(err)
	}
	header, body, ok := strings.Cut(buf.String(), "end_header\n")
	if !ok {
		t.Fatal("no end_header")
	}
	for _, line := range []string{"ply\n", "format binary_little_endian 1.0\n", "element vertex 3\n", "property float voltage\n", "element face 1\n", "property list uchar uint vertex_indices\n"} {
		if !strings.Contains(header, line) {
			t.Errorf("header lacks %q", line)
		}
	}
	if len(body) != 3*7*4+1+3*4 {
		t.Fatalf("body of %d bytes", len(body))
	}
	b := []byte(body)
	volt := func(v int) float32 { return math.Float32frombits(binary.LittleEndian.Uint32(b[v*28+24:])) }
	if volt(0) != -70 || volt(1) != 20 || volt(2) != 20 {
		t.Errorf("voltages %v %v %v, want each vertex's probe's", volt(0), volt(1), volt(2))
	}
	if x := math.Float32frombits(binary.LittleEndian.Uint32(b[28:])); x != 1 {
		t.Errorf("vertex 1 x = %v", x)
	}
	face := b[3*28:]
	if face[0] != 3 || binary.LittleEndian.Uint32(face[1:]) != 0 || binary.LittleEndian.Uint32(face[5:]) != 1 || binary.LittleEndian.Uint32(face[9:]) != 2 {
		t.Errorf("face bytes %v", face)
	}
}

func TestWriteRejectsVoltageCount(t *testing.T) {
	if err := Write(&bytes.Buffer{}, triangle(), []float32{1}); err == nil {
		t.Error("one voltage for two probes accepted")
	}
}
