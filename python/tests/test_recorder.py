"""Tests of spikeframes_recorder on small NEURON models.

    /usr/bin/python3 -m unittest discover -s python/tests
"""

import os
import pickle
import sys
import tempfile
import unittest

PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, PACKAGE)
os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")

import numpy as np  # noqa: E402
from neuron import h  # noqa: E402

from spikeframes_recorder import CellRecorder, section_type  # noqa: E402

BLENDERSPIKE_FILE = os.path.join(PACKAGE, "..", "testdata", "simple_ap.pickle")
BLENDERSPIKE_KEYS = ["ID", "type", "X", "Y", "Z", "DIAM", "Voltage"]
EXTRA_KEYS = ["name", "parent", "parent_x", "nseg", "t_start", "t_stop"]

h.load_file("stdrun.hoc")


def model():
    """soma -> dend (at soma(1)) -> tip (at dend(0.3)); 3-D points from
    define_shape."""
    soma = h.Section(name="soma")
    soma.L = soma.diam = 10
    soma.insert("hh")
    dend = h.Section(name="dend")
    dend.L, dend.diam, dend.nseg = 100, 1, 5
    dend.insert("pas")
    dend.connect(soma(1))
    tip = h.Section(name="tip")
    tip.L, tip.diam, tip.nseg = 20, 0.5, 3
    tip.insert("pas")
    tip.connect(dend(0.3))
    h.define_shape()
    return soma, dend, tip


def run(tstop):
    h.dt = 0.025
    h.finitialize(-65)
    h.continuerun(tstop)


class RecorderTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.dir.name, "cell.pickle")

    def tearDown(self):
        self.dir.cleanup()

    def load(self):
        with open(self.path, "rb") as f:
            return pickle.load(f)

    def test_same_keys_and_types_as_blenderspike(self):
        with open(BLENDERSPIKE_FILE, "rb") as f:
            reference = pickle.load(f)[0]
        sections = model()
        recorder = CellRecorder(sections)
        run(5)
        recorder.save_pickle(self.path, FRAME_NUM=20)
        for k, sec in enumerate(self.load()):
            self.assertEqual(list(sec), BLENDERSPIKE_KEYS + EXTRA_KEYS)
            for key in BLENDERSPIKE_KEYS:
                self.assertIs(type(sec[key]), type(reference[key]), key)
            self.assertEqual(sec["ID"], k)
            for key in "XYZ":
                self.assertEqual(sec[key].dtype, np.float64)
                self.assertEqual(sec[key].shape, (sections[k].n3d(),))
                np.testing.assert_array_equal(sec[key], np.round(sec[key], 3))
            self.assertEqual(list(sec["Voltage"]), list(range(20)))
            for values in sec["Voltage"].values():
                self.assertIs(type(values), np.ndarray)
                self.assertEqual(values.dtype, np.float64)
                self.assertEqual(values.shape, (sections[k].nseg,))

    def test_topology_and_time(self):
        soma, dend, tip = model()
        recorder = CellRecorder([soma, dend, tip], dt=0.1)
        run(3)
        recorder.save_pickle(self.path, FRAME_NUM=7)
        got = [(s["name"], s["type"], s["parent"], s["parent_x"], s["nseg"])
               for s in self.load()]
        self.assertEqual(got, [
            ("soma", "soma", -1, 0.0, 1),
            ("dend", "dend", 0, 1.0, 5),
            ("tip", "tip", 1, 0.3, 3),
        ])
        times = recorder.time()
        self.assertEqual(len(times), 31)
        for sec in self.load():
            self.assertEqual(sec["t_start"], 0.0)
            self.assertEqual(sec["t_stop"], times[-1])
            self.assertAlmostEqual(sec["t_stop"], 3.0, places=9)

    def test_unrecorded_parent_makes_a_root(self):
        _, dend, tip = model()
        recorder = CellRecorder([tip, dend])
        run(1)
        recorder.save_pickle(self.path, FRAME_NUM=2)
        self.assertEqual([(s["parent"], s["parent_x"]) for s in self.load()],
                         [(1, 0.3), (-1, 0.0)])

    def test_frames_interpolate_linearly_in_time(self):
        soma, dend, tip = model()
        recorder = CellRecorder([soma, dend, tip])
        # Samples at 0, 1, 3 ms; voltage = 10 * t in every segment.
        time = np.array([0.0, 1.0, 3.0])
        data = [np.tile(10 * time, (sec.nseg, 1)) for sec in (soma, dend, tip)]
        recorder.save_pickle(self.path, FRAME_NUM=4, voltage_data=data, time=time)
        for sec in self.load():
            for frame, t in enumerate([0.0, 1.0, 2.0, 3.0]):
                np.testing.assert_allclose(sec["Voltage"][frame], 10 * t)
            self.assertEqual((sec["t_start"], sec["t_stop"]), (0.0, 3.0))

    def test_voltage_data_without_time_has_no_time_span(self):
        sections = model()
        recorder = CellRecorder(sections)
        data = [np.zeros((sec.nseg, 5)) for sec in sections]
        recorder.save_pickle(self.path, FRAME_NUM=3, voltage_data=data)
        for sec in self.load():
            self.assertNotIn("t_start", sec)
            self.assertNotIn("t_stop", sec)
            self.assertIn("parent", sec)

    def test_single_sample_has_no_time_span(self):
        sections = model()
        recorder = CellRecorder(sections)
        h.finitialize(-65)  # records t = 0 only
        recorder.save_pickle(self.path, FRAME_NUM=3)
        for sec in self.load():
            self.assertNotIn("t_start", sec)
            self.assertNotIn("t_stop", sec)
            for values in sec["Voltage"].values():
                np.testing.assert_array_equal(values, -65.0)

    def test_refusals_leave_no_file(self):
        sections = model()
        recorder = CellRecorder(sections)
        with self.assertRaisesRegex(ValueError, "nothing recorded"):
            recorder.save_pickle(self.path)
        run(1)
        for frames in (0, 2.5):
            with self.assertRaisesRegex(ValueError, "FRAME_NUM"):
                recorder.save_pickle(self.path, FRAME_NUM=frames)
        sections[1].nseg = 7
        with self.assertRaisesRegex(ValueError, "section 1 .*nseg is 7"):
            recorder.save_pickle(self.path)
        bad = [np.zeros((sec.nseg, 4)) for sec in sections]
        bad[2][0, 1] = np.nan
        with self.assertRaisesRegex(ValueError, "section 2 .*NaN"):
            recorder.save_pickle(self.path, voltage_data=bad)
        self.assertEqual(os.listdir(self.dir.name), [])

    def test_section_type_rules(self):
        for name, want in [
            ("soma", "soma"), ("Cell[0].soma[0]", "soma"), ("axon[3]", "axon"),
            ("hillock", "axon"), ("initialseg", "axon"), ("dend[2]", "dend"),
            ("apic[10]", "apic"), ("apical_dendrite[4]", "apic"), ("dendrite[1]", "dend"),
            ("user5[0]", "user5[0]"),
        ]:
            self.assertEqual(section_type(name), want, name)


if __name__ == "__main__":
    unittest.main()
