"""Record a range variable (the membrane voltage by default) in every segment
of a NEURON model and save it as a recording that spikeframes (and
BlenderSpike's Blender add-on) can read.

Usage, the same calls as BlenderSpike's recorder:

    recorder = CellRecorder(sections, dt=0.025)   # before h.finitialize
    h.finitialize(-65)
    h.continuerun(10)
    recorder.save_pickle("cell.pickle", FRAME_NUM=100)

CellRecorder(sections, variable="cai") records another range variable
instead, record_dt= is another name for dt, and sections without 3-D points
get them from h.define_shape() (define_shape=False refuses them instead).

The file is a pickled list with one dict per section, in the order the
sections were given:

    ID        int, the section's index in the list
    type      "apic", "dend", "axon", "soma" or the raw section name
    X Y Z     float64 arrays of the section's 3-D points in um, rounded to 3
    DIAM      decimals, from the end attached to its parent
    Voltage   {frame: float64 array of nseg values}, frames 0 .. FRAME_NUM-1
              spread evenly over the recorded run; the recorded variable's
              values (mV for v), segment by segment from the attached end

and these keys, which BlenderSpike ignores and spikeframes uses:

    name      the full NEURON section name
    parent    index of the parent section in the list, -1 for a root (or a
              section whose parent was not recorded)
    parent_x  where on the parent the section attaches (0..1, measured from
              the parent's own attached end), 0.0 for a root
    nseg      number of segments
    variable  the recorded range variable, e.g. "v" or "cai"
    unit      its unit as NEURON declares it, e.g. "mV" or "mM"; "" when
              NEURON does not tell
    t_start   time of frame 0 in ms
    t_stop    time of the last frame in ms (both left out when the run
              recorded a single sample, or its times are unknown)

NEURON keeps a section's 3-D points in order from the end attached to its
parent, whichever end that is. A section attached by its 1-end
(child.connect(parent(x), 1)) has its segments in the opposite order, so the
file lists that section's values from x = 1 down to x = 0, and its children's
parent_x is 1 - x: every reader then sees each section start where it is
attached.

Needs only NEURON and numpy.
"""

import math
import numbers
import os
import pickle
import re
import secrets
import sys

import numpy as np
from neuron import h

# Protocol 4 is readable by every Python 3 since 3.4 (including Blender's)
# and makes the output the same whatever Python writes it.
PICKLE_PROTOCOL = 4

# How many section names an error message or note lists before "and N more".
_NAMES_SHOWN = 5

_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


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
    """The section's 3-D points as four float64 arrays rounded to 3
    decimals, in NEURON's order: from the end attached to the parent."""
    n = section.n3d()
    coords = [
        np.array([get(k) for k in range(n)], dtype=np.float64)
        for get in (section.x3d, section.y3d, section.z3d, section.diam3d)
    ]
    return [np.round(c, 3) for c in coords]


def attached_by_1_end(section):
    """Whether the section is attached to its parent by its 1-end, so that
    its 3-D points run from x = 1 to x = 0."""
    return section.orientation() == 1


def unit_of(variable):
    """The unit NEURON declares for a range variable ("mV" for v, "mM" for
    cai, "S/cm2" for gnabar_hh), or "" when it declares none."""
    if not h.name_declared(variable):
        return ""
    try:
        return str(h.units(variable))
    except RuntimeError:
        return ""


class CellRecorder:
    """Records a range variable (variable, default "v") in every segment of
    the given sections, and the time, every dt ms during the next runs of
    the model.

    record_dt is another name for dt, the sampling interval of the
    recording (not the integration step h.dt); give one or the other.
    Sections without 3-D points get them from h.define_shape(), called once
    with a note on stderr; with define_shape=False they are an error
    instead. Create the recorder after building the model and before
    h.finitialize.
    """

    def __init__(self, sections, dt=None, *, variable="v", record_dt=None,
                 define_shape=True):
        self.sections = list(sections)
        if not self.sections:
            raise ValueError("CellRecorder needs at least one section")
        self._index = {}
        for i, sec in enumerate(self.sections):
            if sec in self._index:
                raise ValueError("section %s is given twice (items %d and %d)"
                                 % (sec.name(), self._index[sec], i))
            self._index[sec] = i
        self.dt = _sampling_interval(dt, record_dt)
        if not isinstance(variable, str) or not _VARIABLE_NAME.match(variable):
            raise ValueError("variable must be the name of a range variable such as "
                             "\"v\" or \"cai\", got %r" % (variable,))
        self.variable = variable
        self._lay_out(define_shape)

        refs, missing = [], []
        for sec in self.sections:
            try:
                refs.append([getattr(seg, "_ref_" + variable) for seg in sec])
            except AttributeError:
                missing.append(sec.name())
        if missing:
            raise ValueError(
                "no range variable %r in %s: insert the mechanism that has it, "
                "or leave these sections out" % (variable, _names(missing)))
        self.unit = unit_of(variable)
        self._time = h.Vector().record(h._ref_t, self.dt)
        self._traces = [[h.Vector().record(ref, self.dt) for ref in sec_refs]
                        for sec_refs in refs]

    def _lay_out(self, define_shape):
        """Give sections without 3-D points some through h.define_shape(),
        or refuse them when define_shape is false."""
        bare = [sec.name() for sec in self.sections if sec.n3d() == 0]
        if not bare:
            return
        if not define_shape:
            raise ValueError(
                "no 3-D points in %s: a recording needs them to draw the cell; "
                "call h.define_shape() after building the model, or leave "
                "define_shape=True" % _names(bare))
        print("spikeframes_recorder: no 3-D points in %s: calling h.define_shape(), "
              "which lays them out from L and diam (keeping L, and diam where it is "
              "uniform along a section); define_shape=False refuses such sections "
              "instead" % _names(bare), file=sys.stderr)
        h.define_shape()

    def voltage_data(self):
        """The recorded values: one array (nseg x samples) per section, in
        NEURON's segment order (x from 0 to 1). The name is BlenderSpike's;
        the values are those of the recorded variable."""
        return [self._recorded(k) for k in range(len(self.sections))]

    def time(self):
        """The recorded sample times in ms."""
        return _array(self._time)

    def _recorded(self, k):
        """Section k's recorded values, nseg x samples, in segment order."""
        return np.array([_array(v) for v in self._traces[k]])

    def save_pickle(self, filename, FRAME_NUM=100, voltage_data=None, time=None):
        """Write the recording to filename, resampled to FRAME_NUM frames.

        voltage_data replaces what the recorder saw (one nseg x samples array
        per section, rows in NEURON's segment order, as BlenderSpike
        accepts); time then gives those samples' times in ms, and without it
        the file carries no time span. The file is written to a temporary
        name, flushed to disk and renamed, so it is either complete or
        absent; temporary files that a killed save left for the same name
        are removed.
        """
        if (not isinstance(FRAME_NUM, (int, np.integer)) or isinstance(FRAME_NUM, bool)
                or FRAME_NUM < 1):
            raise ValueError("FRAME_NUM must be a positive integer, got %r" % (FRAME_NUM,))
        if voltage_data is None:
            time = self.time()
            if time.size == 0:
                raise ValueError("nothing recorded yet: run the model (h.finitialize, "
                                 "h.continuerun) after creating the CellRecorder")
            values = self._recorded
        else:
            if len(voltage_data) != len(self.sections):
                raise ValueError("voltage_data has %d sections, the recorder %d"
                                 % (len(voltage_data), len(self.sections)))

            def values(k):
                return np.asarray(voltage_data[k], dtype=np.float64)
        if time is not None:
            time = _sample_times(time)
        bare = [sec.name() for sec in self.sections if sec.n3d() == 0]
        if bare:
            raise ValueError("no 3-D points in %s (they were cleared after the "
                             "CellRecorder was created)" % _names(bare))
        sections = [self._section_dict(k, values(k), time, FRAME_NUM)
                    for k in range(len(self.sections))]
        _write_atomically(filename, sections)

    def _section_dict(self, index, values, time, frame_num):
        sec = self.sections[index]
        if values.ndim != 2 or values.shape[1] < 1:
            raise ValueError("section %d (%s): values have shape %s, want (nseg, samples >= 1)"
                             % (index, sec.name(), values.shape))
        if values.shape[0] != sec.nseg:
            raise ValueError(
                "section %d (%s): %d rows of values but nseg is %d (set nseg "
                "before creating the CellRecorder)"
                % (index, sec.name(), values.shape[0], sec.nseg))
        if not np.all(np.isfinite(values)):
            raise ValueError("section %d (%s): %s is NaN or infinite"
                             % (index, sec.name(), self.variable))
        samples = values.shape[1]
        if time is None:
            sample_at = np.arange(samples, dtype=np.float64)
        elif time.size != samples:
            raise ValueError("section %d (%s): %d time points for %d samples"
                             % (index, sec.name(), time.size, samples))
        else:
            sample_at = time
        if attached_by_1_end(sec):
            values = values[::-1]
        frames = resample(sample_at, values,
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
        out["variable"] = self.variable
        out["unit"] = self.unit
        if time is not None and samples > 1:
            out["t_start"] = float(sample_at[0])
            out["t_stop"] = float(sample_at[-1])
        return out

    def _parent(self, sec):
        """Index of sec's parent in the recorded list and where on it sec
        attaches, measured from the parent's attached end; (-1, 0.0) for a
        root or an unrecorded parent."""
        seg = sec.parentseg()
        if seg is None or seg.sec not in self._index:
            return -1, 0.0
        x = float(seg.x)
        if attached_by_1_end(seg.sec):
            x = 1.0 - x
        return self._index[seg.sec], x


def _sampling_interval(dt, record_dt):
    """The sampling interval in ms from dt or record_dt (0.025 without
    either), checked to be a finite positive number."""
    if dt is not None and record_dt is not None:
        raise ValueError("give the sampling interval as dt or as record_dt, not both")
    interval = record_dt if record_dt is not None else dt if dt is not None else 0.025
    name = "record_dt" if record_dt is not None else "dt"
    if (not isinstance(interval, numbers.Real) or isinstance(interval, bool)
            or not math.isfinite(interval) or interval <= 0):
        raise ValueError("%s must be a positive number of ms, got %r" % (name, interval))
    return float(interval)


def _sample_times(time):
    """time as a float64 array, checked to be finite and increasing."""
    t = np.asarray(time, dtype=np.float64)
    if t.ndim != 1 or t.size == 0:
        raise ValueError("time must be a list of sample times, got shape %s" % (t.shape,))
    if not np.all(np.isfinite(t)):
        raise ValueError("time points must be finite numbers, got NaN or infinity")
    if np.any(np.diff(t) <= 0):
        raise ValueError("time points must increase")
    return t


def _names(names):
    """'1 section (soma)' or '7 sections (a, b, c, d, e and 2 more)'."""
    shown = ", ".join(names[:_NAMES_SHOWN])
    if len(names) > _NAMES_SHOWN:
        shown += " and %d more" % (len(names) - _NAMES_SHOWN)
    return "%d section%s (%s)" % (len(names), "" if len(names) == 1 else "s", shown)


def _array(vector):
    """A float64 copy of a NEURON Vector (np.array fails on empty ones)."""
    return np.array(vector.as_numpy(), dtype=np.float64)


def _leftover_pattern(base):
    """A pattern matching the temporary files that saving to base makes."""
    return re.compile(r"\.%s\.[0-9a-f]{16}\.tmp\Z" % re.escape(base))


def _write_atomically(filename, obj):
    """Pickle obj into filename through a temporary file in the same folder
    that is synced to disk before it is renamed over filename. Temporary
    files for the same name that a killed save left behind are removed
    first; two saves to the same name at once may fail, never mix."""
    path = os.path.abspath(os.fspath(filename))
    folder, base = os.path.split(path)
    leftover = _leftover_pattern(base)
    for name in os.listdir(folder):
        if leftover.match(name):
            _remove(os.path.join(folder, name))
    tmp = os.path.join(folder, ".%s.%s.tmp" % (base, secrets.token_hex(8)))
    # Mode 0o666 lets the umask decide the permissions, as for any new file.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(obj, f, protocol=PICKLE_PROTOCOL)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        _remove(tmp)
        raise
    _sync_folder(folder)


def _remove(path):
    """Remove path if it is there."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _sync_folder(folder):
    """Make the rename durable where the system allows syncing a folder."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:  # some file systems cannot open or sync a folder; the file is whole
        pass
