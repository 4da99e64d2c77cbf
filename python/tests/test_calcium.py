"""Recording calcium (cai) on a model with calcium.

Debian's NEURON 8.2 has no built-in calcium mechanism (its density
mechanisms are hh, pas, extracellular and fastpas; there is no cad), and
its rxd cannot compile reactions (it lacks librxdmath). So the calcium here
moves by rxd diffusion alone, which needs no compiler: the soma starts at
1 uM, the dendrite at 50 nM, and calcium spreads from the soma into the
dendrite. rxd keeps global state, so the model runs in a process of its own.

    /usr/bin/python3 -m unittest discover -s python/tests
"""

import json
import os
import pickle
import subprocess
import sys
import tempfile
import textwrap
import unittest

import numpy as np

PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

MODEL = textwrap.dedent("""
    import json, os, sys
    sys.path.insert(0, sys.argv[1])
    os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")
    from neuron import h, rxd
    from spikeframes_recorder import CellRecorder

    h.load_file("stdrun.hoc")
    soma = h.Section(name="soma")
    soma.L = soma.diam = 10
    dend = h.Section(name="dend")
    dend.L, dend.diam, dend.nseg = 50, 1, 5
    dend.connect(soma(1))
    axon = h.Section(name="axon")  # outside the calcium region
    axon.connect(soma(0))
    h.define_shape()
    cytosol = rxd.Region([soma, dend], nrn_region="i")
    ca = rxd.Species(cytosol, name="ca", charge=2, d=0.6,
                     initial=lambda node: 1e-3 if node.sec == soma else 5e-5)

    try:
        CellRecorder([soma, dend, axon], variable="cai")
        refused = ""
    except ValueError as e:
        refused = str(e)
    recorder = CellRecorder([soma, dend], variable="cai", record_dt=0.5)
    probes = [h.Vector().record(seg._ref_cai, 0.5) for seg in dend]
    h.finitialize(-65)
    h.continuerun(5)
    recorder.save_pickle(sys.argv[2], FRAME_NUM=len(recorder.time()))
    json.dump({"refused": refused, "dend": [list(v) for v in probes]}, sys.stdout)
""")


class CalciumTest(unittest.TestCase):
    def test_cai(self):
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "calcium.pickle")
            done = subprocess.run([sys.executable, "-c", MODEL, PACKAGE, path],
                                  capture_output=True, text=True)
            self.assertEqual(done.returncode, 0, done.stderr)
            report = json.loads(done.stdout)
            with open(path, "rb") as f:
                soma, dend = pickle.load(f)
        self.assertRegex(report["refused"], r"no range variable 'cai' in 1 section \(axon\)")
        probes = np.array(report["dend"]).T  # samples x segments
        frames = len(probes)  # one a sample
        self.assertGreaterEqual(frames, 10)
        for sec in (soma, dend):
            self.assertEqual((sec["variable"], sec["unit"]), ("cai", "mM"))
            self.assertEqual(list(sec["Voltage"]), list(range(frames)))
        np.testing.assert_allclose([dend["Voltage"][f] for f in range(frames)], probes,
                                   rtol=1e-9)
        np.testing.assert_allclose(soma["Voltage"][0], [1e-3])
        np.testing.assert_allclose(dend["Voltage"][0], [5e-5] * 5)
        last = dend["Voltage"][frames - 1]
        # Calcium has spread in from the soma: highest next to it, and above
        # the dendrite's starting level everywhere.
        self.assertTrue(np.all(np.diff(last) < 0), last)
        self.assertTrue(np.all(last > 5e-5), last)
        self.assertLess(soma["Voltage"][frames - 1][0], 1e-3)


if __name__ == "__main__":
    unittest.main()
