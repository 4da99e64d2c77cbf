"""Tests of spikeframes_recorder on small NEURON models, with the module
imported the one-file way (its folder on sys.path).

    /usr/bin/python3 -m unittest discover -s python/tests
"""

import contextlib
import io
import os
import pickle
import stat
import subprocess
import sys
import tempfile
import textwrap
import unittest
from unittest import mock

TESTS = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.dirname(TESTS)
sys.path.insert(0, PACKAGE)
os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")

import numpy as np  # noqa: E402
from neuron import h  # noqa: E402

import spikeframes_recorder  # noqa: E402
from spikeframes_recorder import CellRecorder, section_type  # noqa: E402

BLENDERSPIKE_FILE = os.path.join(PACKAGE, "..", "testdata", "simple_ap.pickle")
BLENDERSPIKE_KEYS = ["ID", "type", "X", "Y", "Z", "DIAM", "Voltage"]
EXTRA_KEYS = ["name", "parent", "parent_x", "nseg", "variable", "unit", "t_start", "t_stop"]

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


def tutorial_model():
    """A soma and two dendrites as NEURON's tutorial writes them: L, diam
    and nseg, no 3-D points."""
    soma = h.Section(name="soma")
    soma.L = soma.diam = 12.6157
    soma.insert("hh")
    dends = []
    for k in range(2):
        dend = h.Section(name="dend%d" % k)
        dend.L, dend.diam, dend.nseg = 200, 1, 7
        dend.insert("pas")
        dend.connect(soma(1))
        dends.append(dend)
    return [soma] + dends


def run(tstop):
    h.dt = 0.025
    h.finitialize(-65)
    h.continuerun(tstop)


def arcs(sec):
    """A written section's points (n x 3) and their arc lengths from the
    first."""
    xyz = np.column_stack([sec["X"], sec["Y"], sec["Z"]])
    return xyz, np.concatenate([[0], np.cumsum(np.linalg.norm(np.diff(xyz, axis=0), axis=1))])


def arc_length(sec):
    """The length of a written section along its points."""
    return arcs(sec)[1][-1]


def arc_point(sec, x):
    """The point at fraction x of the arc length along a written section's
    points."""
    xyz, arc = arcs(sec)
    return np.array([np.interp(x * arc[-1], arc, xyz[:, k]) for k in range(3)])


def quietly(make):
    """Calls make() and returns its result and what it printed on stderr."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        result = make()
    return result, err.getvalue()


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
            for key in ("X", "Y", "Z", "DIAM"):
                self.assertEqual(sec[key].dtype, np.float64)
                self.assertEqual(sec[key].shape, (sections[k].n3d(),))
                np.testing.assert_array_equal(sec[key], np.round(sec[key], 3))
            self.assertEqual(list(sec["Voltage"]), list(range(20)))
            for values in sec["Voltage"].values():
                self.assertIs(type(values), np.ndarray)
                self.assertEqual(values.dtype, np.float64)
                self.assertEqual(values.shape, (sections[k].nseg,))
            self.assertEqual((sec["variable"], sec["unit"]), ("v", "mV"))

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
        for frames in (0, 2.5, True):
            with self.assertRaisesRegex(ValueError, "FRAME_NUM"):
                recorder.save_pickle(self.path, FRAME_NUM=frames)
        data = [np.zeros((sec.nseg, 3)) for sec in sections]
        for time, message in [
            ([0, np.nan, 2], "finite"),
            ([0, 1, np.inf], "finite"),
            ([0, 2, 1], "increase"),
            ([0, 1], "section 0 .*2 time points for 3 samples"),
        ]:
            with self.assertRaisesRegex(ValueError, message):
                recorder.save_pickle(self.path, voltage_data=data, time=time)
        bad = [np.zeros((sec.nseg, 4)) for sec in sections]
        bad[2][0, 1] = np.nan
        with self.assertRaisesRegex(ValueError, r"section 2 \(tip\): v is NaN"):
            recorder.save_pickle(self.path, voltage_data=bad)
        sections[1].nseg = 7
        with self.assertRaisesRegex(ValueError, "section 1 .*nseg is 7"):
            recorder.save_pickle(self.path)
        self.assertEqual(os.listdir(self.dir.name), [])

    def test_section_type_rules(self):
        for name, want in [
            ("soma", "soma"), ("Cell[0].soma[0]", "soma"), ("axon[3]", "axon"),
            ("hillock", "axon"), ("initialseg", "axon"), ("dend[2]", "dend"),
            ("apic[10]", "apic"), ("apical_dendrite[4]", "apic"), ("dendrite[1]", "dend"),
            ("user5[0]", "user5[0]"),
        ]:
            self.assertEqual(section_type(name), want, name)

    def test_bad_arguments(self):
        sections = model()
        for kwargs, message in [
            ({"dt": 0}, "dt must be a positive number"),
            ({"dt": float("nan")}, "dt must be"),
            ({"record_dt": -1}, "record_dt must be"),
            ({"record_dt": float("inf")}, "record_dt must be"),
            ({"dt": 0.1, "record_dt": 0.1}, "not both"),
            ({"variable": ""}, "variable must be"),
            ({"variable": "v; quit()"}, "variable must be"),
            ({"variable": 3}, "variable must be"),
        ]:
            with self.assertRaisesRegex(ValueError, message, msg=kwargs):
                CellRecorder(sections, **kwargs)
        with self.assertRaisesRegex(ValueError, "at least one section"):
            CellRecorder([])
        with self.assertRaisesRegex(ValueError, r"dend is given twice \(items 1 and 3\)"):
            CellRecorder([sections[0], sections[1], sections[2], sections[1]])


class ShapeTest(unittest.TestCase):
    """Models without 3-D points, and sections attached by their 1-end."""

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.dir.name, "cell.pickle")

    def tearDown(self):
        self.dir.cleanup()

    def load(self):
        with open(self.path, "rb") as f:
            return pickle.load(f)

    def test_tutorial_model_gets_points_from_define_shape(self):
        sections = tutorial_model()
        areas = [seg.area() for sec in sections for seg in sec]
        recorder, note = quietly(lambda: CellRecorder(sections))
        self.assertRegex(note, r"no 3-D points in 3 sections \(soma, dend0, dend1\): "
                               r"calling h\.define_shape\(\)")
        self.assertEqual(note.count("\n"), 1)
        self.assertTrue(all(sec.n3d() > 1 for sec in sections))
        # Uniform diameters: the segments, and so the simulation, are unchanged.
        # (3-D points are single precision: the soma's area moves by 2e-8.)
        np.testing.assert_allclose([seg.area() for sec in sections for seg in sec],
                                   areas, rtol=1e-6)
        # A second recorder of the same model finds the points: no note.
        _, again = quietly(lambda: CellRecorder(sections))
        self.assertEqual(again, "")
        run(2)
        recorder.save_pickle(self.path, FRAME_NUM=5)
        soma, *dends = self.load()
        self.assertEqual(len(soma["X"]), 3)
        for dend in dends:
            self.assertEqual(dend["parent"], 0)
            self.assertEqual(len(dend["X"]), 7 + 2)
            np.testing.assert_allclose(arc_point(dend, 0), arc_point(soma, 1), atol=1e-3)
            self.assertAlmostEqual(arc_length(dend), 200, delta=1e-2)

    def test_define_shape_false_refuses_sections_without_points(self):
        sections = tutorial_model()
        extra = h.Section(name="axon")
        extra.connect(sections[0](0))
        with self.assertRaisesRegex(
                ValueError, r"no 3-D points in 4 sections \(soma, dend0, dend1, axon\): "
                            r".*call h\.define_shape\(\)"):
            CellRecorder(sections + [extra], define_shape=False)
        self.assertEqual([sec.n3d() for sec in sections], [0, 0, 0])
        h.define_shape()
        _, note = quietly(lambda: CellRecorder(sections, define_shape=False))
        self.assertEqual(note, "")

    def test_section_attached_by_its_1_end(self):
        # trunk(0.7) <- flip's 1-end; twig's 0-end -> flip(0.25), which is
        # 0.75 of the way along flip from where flip is attached.
        trunk = h.Section(name="trunk")
        trunk.L, trunk.diam, trunk.nseg = 100, 2, 5
        flip = h.Section(name="flip")
        flip.L, flip.diam, flip.nseg = 60, 1, 6
        flip.connect(trunk(0.7), 1)
        twig = h.Section(name="twig")
        twig.L, twig.diam, twig.nseg = 20, 0.5, 3
        twig.connect(flip(0.25))
        for sec in (trunk, flip, twig):
            sec.insert("hh")
        for seg in flip:
            seg.hh.gnabar = seg.x  # a constant that grows from x = 0 to x = 1
        recorder, _ = quietly(lambda: CellRecorder([trunk, flip, twig], variable="gnabar_hh"))
        run(0.5)
        recorder.save_pickle(self.path, FRAME_NUM=3)
        got_trunk, got_flip, got_twig = self.load()
        self.assertEqual((got_flip["parent"], got_flip["parent_x"]), (0, 0.7))
        np.testing.assert_allclose(arc_point(got_flip, 0), arc_point(got_trunk, 0.7), atol=1e-3)
        self.assertEqual(got_twig["parent"], 1)
        self.assertAlmostEqual(got_twig["parent_x"], 0.75, places=12)
        np.testing.assert_allclose(arc_point(got_twig, 0), arc_point(got_flip, 0.75), atol=1e-3)
        # Values run from the attached end too: x = 11/12, 9/12, ... 1/12.
        for values in got_flip["Voltage"].values():
            np.testing.assert_allclose(values, (np.arange(6)[::-1] + 0.5) / 6, rtol=1e-12)
        self.assertEqual(got_flip["unit"], "S/cm2")

    def test_voltage_of_a_section_attached_by_its_1_end(self):
        trunk = h.Section(name="trunk")
        trunk.L, trunk.diam = 20, 20
        flip = h.Section(name="flip")
        flip.L, flip.diam, flip.nseg = 300, 1, 9
        flip.connect(trunk(1), 1)
        for sec in (trunk, flip):
            sec.insert("pas")
        stim = h.IClamp(flip(0))  # the far end
        stim.delay, stim.dur, stim.amp = 0, 5, 0.05
        recorder, _ = quietly(lambda: CellRecorder([trunk, flip]))
        run(2)
        recorder.save_pickle(self.path, FRAME_NUM=4)
        last = self.load()[1]["Voltage"][3]
        # Depolarised most at the far end, which is written last.
        self.assertTrue(np.all(np.diff(last) > 0), last)
        # voltage_data() keeps NEURON's order: the far end is its first row.
        self.assertEqual(last[-1], recorder.voltage_data()[1][0, -1])


class VariableTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.dir.name, "cell.pickle")

    def tearDown(self):
        self.dir.cleanup()

    def load(self):
        with open(self.path, "rb") as f:
            return pickle.load(f)

    def test_gating_variable(self):
        soma = h.Section(name="soma")
        soma.L = soma.diam = 20
        soma.insert("hh")
        axon = h.Section(name="axon")
        axon.L, axon.diam, axon.nseg = 200, 1, 11
        axon.insert("hh")
        axon.connect(soma(1))
        stim = h.IClamp(soma(0.5))
        stim.delay, stim.dur, stim.amp = 0.5, 1, 0.5
        recorder, _ = quietly(lambda: CellRecorder([soma, axon], variable="m_hh"))
        probes = [[h.Vector().record(seg._ref_m_hh, 0.025) for seg in sec] for sec in (soma, axon)]
        run(4)
        samples = recorder.time().size
        recorder.save_pickle(self.path, FRAME_NUM=samples)  # a frame per sample
        for got, vectors in zip(self.load(), probes):
            self.assertEqual((got["variable"], got["unit"]), ("m_hh", ""))
            frames = np.array([got["Voltage"][f] for f in range(samples)])
            np.testing.assert_allclose(frames, np.array(vectors).T, rtol=1e-9, atol=1e-12)
            self.assertTrue(np.all((frames >= 0) & (frames <= 1)))
            self.assertGreater(frames.max(), 0.9)  # the spike opens the channels
            # At rest (-65 mV) m is about 0.053 everywhere.
            np.testing.assert_allclose(frames[0], 0.0529, atol=1e-4)

    def test_missing_variable_names_the_sections(self):
        soma, dend, tip = model()
        with self.assertRaisesRegex(ValueError,
                                    r"no range variable 'm_hh' in 2 sections \(dend, tip\)"):
            CellRecorder([soma, dend, tip], variable="m_hh")
        with self.assertRaisesRegex(ValueError, r"no range variable 'cai' in 3 sections"):
            CellRecorder([soma, dend, tip], variable="cai")

    def test_record_dt_samples_every_record_dt(self):
        sections = model()
        coarse = CellRecorder(sections, record_dt=0.5)
        fine = CellRecorder(sections, dt=0.025)
        run(10)
        self.assertEqual(coarse.dt, 0.5)
        # NEURON's t may end a hair short of 10 ms (8.2.2 does here), and
        # then the sample at 10 ms is not taken.
        n = coarse.time().size
        self.assertIn(n, (20, 21))
        np.testing.assert_allclose(coarse.time(), np.arange(n) * 0.5, atol=1e-9)
        # The coarse samples are the fine ones at every 20th step.
        for c, f in zip(coarse.voltage_data(), fine.voltage_data()):
            np.testing.assert_array_equal(c, f[:, ::20][:, :n])
        coarse.save_pickle(self.path, FRAME_NUM=39)
        saved = self.load()
        self.assertEqual(saved[0]["t_stop"], coarse.time()[-1])
        # Frames are BlenderSpike's: a linear interpolation over the samples
        # spread evenly over the run.
        samples = coarse.voltage_data()[1]
        for seg in range(sections[1].nseg):
            want = np.interp(np.linspace(0, 1, 39), np.linspace(0, 1, n), samples[seg])
            got = [saved[1]["Voltage"][f][seg] for f in range(39)]
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


class WritingTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.dir.name, "cell.pickle")

    def tearDown(self):
        self.dir.cleanup()

    def recorded(self):
        recorder = CellRecorder(model())
        run(1)
        return recorder

    def test_temporary_files_of_a_killed_save_are_removed_by_the_next(self):
        script = textwrap.dedent("""
            import os, sys
            sys.path.insert(0, sys.argv[1])
            from neuron import h
            import spikeframes_recorder

            def die_halfway(obj, f, protocol):
                f.write(b"half a pickle")
                f.flush()
                os._exit(9)  # as if killed: no clean-up runs

            soma = h.Section(name="soma")
            soma.L = soma.diam = 10
            h.define_shape()
            recorder = spikeframes_recorder.CellRecorder([soma])
            h.finitialize(-65)
            spikeframes_recorder.pickle.dump = die_halfway
            recorder.save_pickle(sys.argv[2])
        """)
        done = subprocess.run([sys.executable, "-c", script, PACKAGE, self.path],
                              capture_output=True)
        self.assertEqual(done.returncode, 9, done.stderr.decode())
        left = os.listdir(self.dir.name)
        self.assertEqual(len(left), 1, left)
        self.assertRegex(left[0], r"^\.cell\.pickle\..*\.tmp$")
        others = [".other.pickle.0123456789abcdef.tmp", ".cell.pickle.notes.tmp", "cell.pickle.bak"]
        for name in others:
            open(os.path.join(self.dir.name, name), "w").close()

        self.recorded().save_pickle(self.path, FRAME_NUM=2)
        self.assertEqual(sorted(os.listdir(self.dir.name)), sorted(others + ["cell.pickle"]))
        with open(self.path, "rb") as f:
            self.assertEqual(len(pickle.load(f)), 3)

    def test_file_is_synced_before_the_rename(self):
        recorder = self.recorded()
        events = []
        fsync, replace = os.fsync, os.replace

        def logged_fsync(fd):
            events.append(("fsync", "folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file"))
            fsync(fd)

        def logged_replace(src, dst):
            events.append(("replace", os.path.basename(dst)))
            replace(src, dst)

        with mock.patch.object(spikeframes_recorder.os, "fsync", logged_fsync), \
                mock.patch.object(spikeframes_recorder.os, "replace", logged_replace):
            recorder.save_pickle(self.path, FRAME_NUM=2)
        self.assertEqual(events, [("fsync", "file"), ("replace", "cell.pickle"),
                                  ("fsync", "folder")])

    def test_permissions_follow_the_umask(self):
        recorder = self.recorded()
        for umask, mode in [(0o022, 0o644), (0o077, 0o600)]:
            old = os.umask(umask)
            try:
                recorder.save_pickle(self.path, FRAME_NUM=2)
            finally:
                os.umask(old)
            self.assertEqual(os.stat(self.path).st_mode & 0o777, mode)

    def test_output_is_the_same_every_time(self):
        recorder = self.recorded()
        recorder.save_pickle(self.path, FRAME_NUM=5)
        with open(self.path, "rb") as f:
            first = f.read()
        recorder.save_pickle(self.path, FRAME_NUM=5)
        with open(self.path, "rb") as f:
            self.assertEqual(f.read(), first)


if __name__ == "__main__":
    unittest.main()
