"""Measure Blender's Filmic view transform by pushing known linear colours
through it, for render/testdata/filmic.json.

Run with Blender (Debian's blender 3.4.1 works headless):

    blender -b --factory-startup --python render/gen/measure_filmic.py -- render/testdata/filmic.json

It builds a float image whose pixels are scene-linear Rec.709 colours — greys
from 2^-16 to 2^12, twelve hues at full and half saturation over 16 stops,
and seeded random colours — and saves it through the default scene's view
transform (Filmic, look None, display sRGB, exposure 0, gamma 1) as a 16-bit
PNG, then reads the display values back. As a cross-check it renders a few
of the colours as an emission plane with Cycles (strength 2) and reports how
far the rendered pixels are from the saved ones; the two paths apply the same
transform.

The output lists every sample as [r, g, b] in and [r, g, b] out (display
values in [0, 1], sRGB-encoded as Filmic writes them).
"""

import json
import math
import os
import random
import sys
import tempfile

import bpy


def inputs():
    """The linear colours to measure."""
    cols = [[0.0, 0.0, 0.0]]
    steps = 4  # per stop
    for i in range(-16 * steps, 12 * steps + 1):
        v = 2.0 ** (i / steps)
        cols.append([v, v, v])
    hues = []
    for h in range(12):
        # Full saturation around the wheel: one channel 1, one 0, one ramping.
        t = h / 12.0 * 6.0
        k = int(t)
        f = t - k
        rgb = [
            [1, f, 0], [1 - f, 1, 0], [0, 1, f],
            [0, 1 - f, 1], [f, 0, 1], [1, 0, 1 - f],
        ][k]
        hues.append(rgb)
        hues.append([0.5 + 0.5 * c for c in rgb])  # half saturation
    for rgb in hues:
        for i in range(-16, 17):  # 2^-8 … 2^8 in half stops
            e = 2.0 ** (i / 2.0)
            cols.append([c * e for c in rgb])
    rnd = random.Random(13)
    for _ in range(300):
        e = 2.0 ** rnd.uniform(-8, 6)
        cols.append([e * rnd.random() for _ in range(3)])
    return cols


def read_png(path):
    """Display values of a PNG, as Blender reads them without conversion."""
    img = bpy.data.images.load(path)
    img.colorspace_settings.name = "Non-Color"
    px = list(img.pixels[:])
    w, h = img.size
    bpy.data.images.remove(img)
    return w, h, px


def through_view(cols, scene, tmp):
    """Save cols as one row of pixels through the scene's view transform."""
    img = bpy.data.images.new("measure", len(cols), 1, float_buffer=True, alpha=False)
    px = []
    for c in cols:
        px += [c[0], c[1], c[2], 1.0]
    img.pixels[:] = px
    path = os.path.join(tmp, "measure.png")
    img.save_render(path, scene=scene)
    _, _, out = read_png(path)
    return [[out[4 * i + k] for k in range(3)] for i in range(len(cols))]


def cycles_emission(colour, strength, scene, tmp):
    """Render an emission plane filling the picture with Cycles."""
    for o in list(bpy.data.objects):
        bpy.data.objects.remove(o)
    bpy.ops.mesh.primitive_plane_add(size=4)
    mat = bpy.data.materials.new("emit")
    mat.use_nodes = True
    nodes = mat.node_tree.nodes
    nodes.clear()
    em = nodes.new("ShaderNodeEmission")
    em.inputs[0].default_value = (colour[0], colour[1], colour[2], 1)
    em.inputs[1].default_value = strength
    out = nodes.new("ShaderNodeOutputMaterial")
    mat.node_tree.links.new(em.outputs[0], out.inputs[0])
    bpy.context.object.data.materials.append(mat)
    cam = bpy.data.cameras.new("cam")
    cam.type = "ORTHO"
    cam.ortho_scale = 1
    co = bpy.data.objects.new("cam", cam)
    co.location = (0, 0, 5)
    scene.collection.objects.link(co)
    scene.camera = co
    scene.render.engine = "CYCLES"
    scene.cycles.device = "CPU"
    scene.cycles.samples = 1
    scene.cycles.use_denoising = False
    scene.render.resolution_x = scene.render.resolution_y = 8
    scene.render.resolution_percentage = 100
    path = os.path.join(tmp, "cycles.png")
    scene.render.filepath = path
    bpy.ops.render.render(write_still=True)
    _, _, px = read_png(path)
    return px[:3]


def main():
    argv = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
    if len(argv) != 1:
        sys.exit("usage: blender -b --factory-startup --python measure_filmic.py -- OUT.json")
    scene = bpy.context.scene
    vs = scene.view_settings
    ds = scene.display_settings
    assert vs.view_transform == "Filmic" and vs.look == "None", (vs.view_transform, vs.look)
    assert vs.exposure == 0 and vs.gamma == 1 and ds.display_device == "sRGB"
    st = scene.render.image_settings
    st.file_format, st.color_depth, st.color_mode = "PNG", "16", "RGB"

    cols = inputs()
    with tempfile.TemporaryDirectory() as tmp:
        outs = through_view(cols, scene, tmp)
        worst = 0.0
        for c in ([0.9, 0.3, 0.05], [0.01, 0.005, 0.25], [0.8, 0.8, 0.02]):
            got = cycles_emission(c, 2, scene, tmp)
            want = through_view([[2 * x for x in c]], scene, tmp)[0]
            worst = max(worst, max(abs(a - b) for a, b in zip(got, want)))
    print("cycles emission vs saved image: worst difference %.5f" % worst)
    if worst > 2 / 255:
        sys.exit("the render path and the saved image disagree")

    data = {
        "source": "Blender %s (view %s, look %s, display %s)"
        % (bpy.app.version_string, vs.view_transform, vs.look, ds.display_device),
        "samples": [
            {"in": [round(x, 9) for x in c], "out": [round(x, 5) for x in o]}
            for c, o in zip(cols, outs)
        ],
    }
    with open(argv[0], "w") as f:
        json.dump(data, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print("wrote %d samples to %s" % (len(cols), argv[0]))


main()
