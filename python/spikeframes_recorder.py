"""Record the membrane voltage of every segment of a NEURON model and save it
as a recording that spikeframes (and BlenderSpike's Blender add-on) can read.

Usage, the same calls as BlenderSpike's recorder:

    recorder = CellRecorder(sections, dt=0.025)   # before h.finitialize
    h.finitialize(-65)
    h.continuerun(10)
    recorder.save_pickle("cell.pickle", FRAME_NUM=100)

The file is a pickled list with one dict per section, in the order the
sections were given:

    ID        int, the section's index in the list
    type      "apic", "dend", "axon", "soma" or the raw section name
    X Y Z     float64 arrays of the section's 3-D points in um, rounded to 3
    DIAM      decimals
    Voltage   {frame: float64 array of nseg voltages in mV}, frames
              0 .. FRAME_NUM-1 spread evenly over the recorded run

and these keys, which BlenderSpike ignores and spikeframes uses:

    name      the full NEURON section name
    parent    index of the parent section in the list, -1 for a root (or a
              section whose parent was not recorded)
    parent_x  where on the parent the section attaches (0..1), 0.0 for a root
    nseg      number of segments
    t_start   time of frame 0 in ms
    t_stop    time of the last frame in ms (both left out when the run
              recorded a single sample, or its times are unknown)

Needs only NEURON and numpy.
"""

import os
import pickle
import tempfile

import numpy as np
from neuron import h

# Protocol 4 is readable by every Python 3 since 3.4 (including Blender's)
# and makes the output the same whatever Python writes it.
PICKLE_PROTOCOL = 4


def section_type(name):
    """Classify a section by its NEURON name, with BlenderSpike's rules."""
    if "apic" in name:
        return "apic"
    if "dend" in name:
        return "dend"
    if "axon" in name or "hillock" in name or "initial" in name:
        return "axon"
    if "soma" in name:
        return "soma"
    return name


def resample(times, values, frame_times):
    """Linearly interpolate each row of values (segments x samples), sampled
    at times, at frame_times; returns an array segments x frames."""
    return np.vstack([np.interp(frame_times, times, row) for row in values])


def points(section):
    """The section's 3-D points as four float64 arrays rounded to 3 decimals."""
    n = section.n3d()
    coords = [
        np.array([get(k) for k in range(n)], dtype=np.float64)
        for get in (section.x3d, section.y3d, section.z3d, section.diam3d)
    ]
    return [np.round(c, 3) for c in coords]


class CellRecorder:
    """Records v in every segment of the given sections, and the time, at a
    fixed sampling interval dt (ms) during the next runs of the model."""

    def __init__(self, sections, dt=0.025):
        self.sections = list(sections)
        if not self.sections:
            raise ValueError("CellRecorder needs at least one section")
        if not dt > 0:
            raise ValueError("dt must be positive, got %r" % (dt,))
        self.dt = dt
        self._index = {sec: i for i, sec in enumerate(self.sections)}
        self._time = h.Vector().record(h._ref_t, dt)
        self._voltages = [
            [h.Vector().record(seg._ref_v, dt) for seg in sec]
            for sec in self.sections
        ]

    def voltage_data(self):
        """The recorded voltages: one array (nseg x samples) per section."""
        return [np.array([_array(v) for v in vecs]) for vecs in self._voltages]

    def time(self):
        """The recorded sample times in ms."""
        return _array(self._time)

    def save_pickle(self, filename, FRAME_NUM=100, voltage_data=None, time=None):
        """Write the recording to filename, resampled to FRAME_NUM frames.

        voltage_data replaces what the recorder saw (one nseg x samples array
        per section, as BlenderSpike accepts); time then gives those samples'
        times in ms, and without it the file carries no time span. The file
        is written to a temporary name and renamed, so it is either complete
        or absent.
        """
        if not isinstance(FRAME_NUM, (int, np.integer)) or FRAME_NUM < 1:
            raise ValueError("FRAME_NUM must be a positive integer, got %r" % (FRAME_NUM,))
        if voltage_data is None:
            time = self.time()
            if time.size == 0:
                raise ValueError("nothing recorded yet: run the model (h.finitialize, "
                                 "h.continuerun) after creating the CellRecorder")
            voltage_data = self.voltage_data()
        if len(voltage_data) != len(self.sections):
            raise ValueError(
                "voltage_data has %d sections, the recorder %d"
                % (len(voltage_data), len(self.sections))
            )
        sections = [
            self._section_dict(k, np.asarray(v, dtype=np.float64), time, FRAME_NUM)
            for k, v in enumerate(voltage_data)
        ]
        _write_atomically(filename, sections)

    def _section_dict(self, index, voltages, time, frame_num):
        sec = self.sections[index]
        if voltages.ndim != 2 or voltages.shape[1] < 1:
            raise ValueError(
                "section %d (%s): voltages have shape %s, want (nseg, samples >= 1)"
                % (index, sec.name(), voltages.shape)
            )
        if voltages.shape[0] != sec.nseg:
            raise ValueError(
                "section %d (%s): %d rows of voltages but nseg is %d (set nseg "
                "before creating the CellRecorder)"
                % (index, sec.name(), voltages.shape[0], sec.nseg)
            )
        if not np.all(np.isfinite(voltages)):
            raise ValueError("section %d (%s): voltage is NaN or infinite" % (index, sec.name()))
        samples = voltages.shape[1]
        if time is None:
            sample_at = np.arange(samples, dtype=np.float64)
        else:
            sample_at = np.asarray(time, dtype=np.float64)
            if sample_at.shape != (samples,):
                raise ValueError(
                    "section %d (%s): %d time points for %d voltage samples"
                    % (index, sec.name(), sample_at.size, samples)
                )
            if np.any(np.diff(sample_at) <= 0):
                raise ValueError("time points must increase")
        frames = resample(sample_at, voltages,
                          np.linspace(sample_at[0], sample_at[-1], frame_num))

        x, y, z, diam = points(sec)
        out = {
            "ID": index,
            "type": section_type(sec.name()),
            "X": x,
            "Y": y,
            "Z": z,
            "DIAM": diam,
            "Voltage": {f: np.ascontiguousarray(frames[:, f]) for f in range(frame_num)},
            "name": sec.name(),
        }
        out["parent"], out["parent_x"] = self._parent(sec)
        out["nseg"] = int(sec.nseg)
        if time is not None and samples > 1:
            out["t_start"] = float(sample_at[0])
            out["t_stop"] = float(sample_at[-1])
        return out

    def _parent(self, sec):
        """Index of sec's parent in the recorded list and where on it sec
        attaches, or (-1, 0.0) for a root or an unrecorded parent."""
        seg = sec.parentseg()
        if seg is None or seg.sec not in self._index:
            return -1, 0.0
        return self._index[seg.sec], float(seg.x)


def _array(vector):
    """A float64 copy of a NEURON Vector (np.array fails on empty ones)."""
    return np.array(vector.as_numpy(), dtype=np.float64)


def _write_atomically(filename, obj):
    folder = os.path.dirname(os.path.abspath(filename))
    fd, tmp = tempfile.mkstemp(prefix=".recording-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(obj, f, protocol=PICKLE_PROTOCOL)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, filename)
    except BaseException:
        os.unlink(tmp)
        raise
