"""Back-propagating action potential in a reconstructed layer-5b pyramidal
cell (Hay et al. 2011, cell3.asc, with its axon). A current pulse into the
soma fires a spike that runs down the axon and back into the dendrites,
shrinking as it climbs the apical tree, where sodium channels are sparse.
Only NEURON's built-in hh and pas mechanisms are used, so nothing needs
compiling. Writes a spikeframes recording.

    /usr/bin/python3 l5_bap.py -o l5_bap.pickle --frames 150
"""

import argparse
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# The recorder of this checkout (python/spikeframes_recorder.py); elsewhere,
# pip install ./python makes it importable from anywhere.
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))
# The demos draw nothing: skip NEURON's "no DISPLAY" warning.
os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")

from neuron import h  # noqa: E402

from spikeframes_recorder import CellRecorder  # noqa: E402

MORPHOLOGY = os.path.join(HERE, "..", "..", "testdata", "morphologies",
                          "hay2011_l5b_cell3.asc")


def load_morphology(path):
    """Instantiate the morphology file's sections (Neurolucida .asc, or
    .swc); returns them in h.allsec() order: soma[0], axon[...], dend[...],
    apic[...]."""
    h.load_file("import3d.hoc")
    swc = path.lower().endswith(".swc")
    reader = h.Import3d_SWC_read() if swc else h.Import3d_Neurolucida3()
    reader.quiet = 1
    reader.input(path)
    h.Import3d_GUI(reader, 0).instantiate(None)
    return list(h.allsec())


def segments_for(sec, frequency=100, d_lambda=0.1):
    """nseg by the d_lambda rule: segments no longer than d_lambda of the
    AC length constant at frequency (Hz); always odd."""
    lam = 1e5 * math.sqrt(sec.diam / (4 * math.pi * frequency * sec.Ra * sec.cm))
    return int((sec.L / (d_lambda * lam) + 0.9) / 2) * 2 + 1


def set_biophysics(sections):
    """Full-density Hodgkin-Huxley channels in soma and axon; a leak and
    sparse (3 %) sodium and potassium channels in the dendrites."""
    for sec in sections:
        sec.Ra = 100
        sec.cm = 1
        sec.nseg = segments_for(sec)
        sec.insert("hh")
        if sec.name().startswith(("dend", "apic")):
            sec.insert("pas")
            for seg in sec:
                seg.hh.gnabar *= 0.03
                seg.hh.gkbar *= 0.03
                seg.hh.gl = 0
                seg.pas.g = 5e-5
                seg.pas.e = -65


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--out", default="l5_bap.pickle",
                        help="recording to write (default %(default)s)")
    parser.add_argument("--frames", type=int, default=150,
                        help="frames in the recording (default %(default)s)")
    parser.add_argument("--morphology", default=MORPHOLOGY,
                        help="Neurolucida .asc or .swc file (default: the bundled cell3.asc)")
    parser.add_argument("--amp", type=float, default=4,
                        help="amplitude of the 2 ms current pulse into the soma, nA (default %(default)s)")
    args = parser.parse_args()
    if args.frames < 1:
        parser.error("--frames must be at least 1")

    h.load_file("stdrun.hoc")
    sections = load_morphology(args.morphology)
    set_biophysics(sections)
    soma = next(sec for sec in sections if sec.name().startswith("soma"))
    recorder = CellRecorder(sections, dt=0.025)
    stim = h.IClamp(soma(0.5))
    stim.delay, stim.dur, stim.amp = 2, 2, args.amp  # ms, ms, nA

    h.dt = 0.025
    h.finitialize(-65)
    h.continuerun(20)
    recorder.save_pickle(args.out, FRAME_NUM=args.frames)
    print("wrote %s: %d sections, %d segments, %d frames over %g ms"
          % (args.out, len(sections), sum(s.nseg for s in sections), args.frames, h.t))


if __name__ == "__main__":
    main()
