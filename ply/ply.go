package ply

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"

	"github.com/spikeframes/spikeframes/mesh"
)

// Write writes m to w. probeVoltage holds the voltage (mV) at each of the
// mesh's probes; each vertex gets its probe's value.
func Write(w io.Writer, m *mesh.Mesh, probeVoltage []float32) error {
	if len(probeVoltage) != len(m.Probes) {
		return fmt.Errorf("%d voltages for %d probes", len(probeVoltage), len(m.Probes))
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintf(bw, "ply\nformat binary_little_endian 1.0\ncomment written by spikeframes\n")
	fmt.Fprintf(bw, "element vertex %d\n", len(m.Positions))
	for _, p := range []string{"x", "y", "z", "nx", "ny", "nz", "voltage"} {
		fmt.Fprintf(bw, "property float %s\n", p)
	}
	fmt.Fprintf(bw, "element face %d\nproperty list uchar uint vertex_indices\nend_header\n", len(m.Triangles))

	var vb [7 * 4]byte
	for v, p := range m.Positions {
		n := m.Normals[v]
		vals := [7]float32{p[0], p[1], p[2], n[0], n[1], n[2], probeVoltage[m.VertexProbe[v]]}
		for i, x := range vals {
			binary.LittleEndian.PutUint32(vb[4*i:], math.Float32bits(x))
		}
		if _, err := bw.Write(vb[:]); err != nil {
			return err
		}
	}
	var fb [1 + 3*4]byte
	fb[0] = 3
	for _, t := range m.Triangles {
		for i, idx := range t {
			binary.LittleEndian.PutUint32(fb[1+4*i:], idx)
		}
		if _, err := bw.Write(fb[:]); err != nil {
			return err
		}
	}
	return bw.Flush()
}
