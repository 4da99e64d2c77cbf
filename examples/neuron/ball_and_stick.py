"""Ball-and-stick action potential: a spherical soma with a 200 um axon, both
with Hodgkin-Huxley channels. A 2 ms current pulse into the soma fires a
spike that travels down the axon. Runs 10 ms of model time in about a second
and writes a spikeframes recording.

    /usr/bin/python3 ball_and_stick.py -o ball_and_stick.pickle --frames 100
    /usr/bin/python3 ball_and_stick.py -o m_hh.pickle --variable m_hh
"""

import argparse
import os
import sys

# The recorder of this checkout (python/spikeframes_recorder.py); elsewhere,
# pip install ./python makes it importable from anywhere.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
# The demos draw nothing: skip NEURON's "no DISPLAY" warning.
os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")

from neuron import h  # noqa: E402

from spikeframes_recorder import CellRecorder  # noqa: E402


def build():
    """Create the soma and axon; returns them in recording order."""
    soma = h.Section(name="soma")
    soma.L = soma.diam = 12.6157  # um: area of a 12.6157 um sphere
    axon = h.Section(name="axon")
    axon.L = 200
    axon.diam = 1
    axon.nseg = 25
    axon.connect(soma(0.5))
    h.define_shape()
    for sec in (soma, axon):
        sec.Ra = 100
        sec.cm = 1
        sec.insert("hh")
    return [soma, axon]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--out", default="ball_and_stick.pickle",
                        help="recording to write (default %(default)s)")
    parser.add_argument("--frames", type=int, default=100,
                        help="frames in the recording (default %(default)s)")
    parser.add_argument("--variable", default="v",
                        help="range variable to record, e.g. m_hh (default %(default)s)")
    args = parser.parse_args()
    if args.frames < 1:
        parser.error("--frames must be at least 1")

    h.load_file("stdrun.hoc")
    sections = build()
    recorder = CellRecorder(sections, dt=0.025, variable=args.variable)
    stim = h.IClamp(sections[0](0.5))
    stim.delay, stim.dur, stim.amp = 1, 2, 0.2  # ms, ms, nA

    h.dt = 0.005
    h.finitialize(-65)
    h.continuerun(10)
    recorder.save_pickle(args.out, FRAME_NUM=args.frames)
    print("wrote %s: %d sections, %d frames over %g ms"
          % (args.out, len(sections), args.frames, h.t))


if __name__ == "__main__":
    main()
