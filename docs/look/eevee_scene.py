"""Render a BlenderSpike-style EEVEE frame of a recording, as a reference
for spikeframes' --look blender (docs/look/eevee_simple_ap_frame0.png).

Run with Debian 12's blender (3.4.1; EEVEE renders headless through EGL) and
python3-matplotlib:

    blender -b --factory-startup --python docs/look/eevee_scene.py -- \\
        testdata/simple_ap.pickle 0 /tmp/frame0_720.png
    ffmpeg -i /tmp/frame0_720.png -vf scale=640:360:flags=bicubic \\
        docs/look/eevee_simple_ap_frame0.png

It builds the scene the way BlenderSpike's Neuron Builder and Shading
Manager do with their defaults: every section resampled over point index to
5 points (coordinates and diameters divided by 25, the first section's
first point at the origin), swept as a Bezier curve with vector handles
(resolution 20, bevel depth 2, bevel resolution 5, radius = diameter / 2);
a simplified soma sphere of 1.5 × its middle radius coloured by the mean of
its segments; a "Voltage" attribute per mesh vertex, each of the 5
resampled voltages repeated over an equal block of vertices; an emission
material (strength 2) whose colour is a 10-stop ramp of matplotlib's plasma
over −70…20 mV, the stops converted to linear light; a black world with
EEVEE's bloom at its defaults; Blender's default Filmic view transform; and
an orthographic camera looking down −Z that frames the whole cell (90% of
the picture along its tighter side), at 1280 × 720.

The shared reference frames (BlenderSpike itself, 1280 × 720 downscaled to
640 × 360) are reproduced by this scene within a level or two once it is
downscaled the same way with a bicubic filter.
"""

import pickle
import sys

import bpy
import matplotlib
import numpy as np

SEGMENTATION, DOWNSCALE, THICKNESS = 5, 25.0, 2.0
VMIN, VMAX, STEPS, STRENGTH = -70.0, 20.0, 10, 2.0


def resample(a, n):
    """Linear resampling over point index, as BlenderSpike does."""
    a = np.asarray(a, float)
    if len(a) == 1:
        return np.full(n, a[0])
    return np.interp(np.linspace(0, 1, n), np.linspace(0, 1, len(a)), a)


def to_linear(c):
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def material():
    mat = bpy.data.materials.new("Voltage")
    mat.use_nodes = True
    tree = mat.node_tree
    nodes = tree.nodes
    nodes.clear()
    attr = nodes.new("ShaderNodeAttribute")
    attr.attribute_name = "Voltage"
    sub = nodes.new("ShaderNodeMath")
    sub.operation = "SUBTRACT"
    sub.inputs[1].default_value = VMIN
    div = nodes.new("ShaderNodeMath")
    div.operation = "DIVIDE"
    div.inputs[1].default_value = VMAX - VMIN
    ramp = nodes.new("ShaderNodeValToRGB")
    plasma = matplotlib.colormaps["plasma"]
    stops = ramp.color_ramp.elements
    stops.remove(stops[-1])
    for k, p in enumerate(np.linspace(0, 1, STEPS)):
        e = stops[0] if k == 0 else stops.new(p)
        r, g, b, _ = plasma(p)
        e.color = (to_linear(r), to_linear(g), to_linear(b), 1)
    emit = nodes.new("ShaderNodeEmission")
    emit.inputs[1].default_value = STRENGTH
    out = nodes.new("ShaderNodeOutputMaterial")
    link = tree.links.new
    link(attr.outputs[2], sub.inputs[0])
    link(sub.outputs[0], div.inputs[0])
    link(div.outputs[0], ramp.inputs[0])
    link(ramp.outputs[0], emit.inputs[0])
    link(emit.outputs[0], out.inputs[0])
    return mat


def main():
    argv = sys.argv[sys.argv.index("--") + 1:]
    if len(argv) != 3:
        sys.exit("usage: blender -b --factory-startup --python eevee_scene.py -- RECORDING FRAME OUT.png")
    path, frame, out = argv[0], int(argv[1]), argv[2]
    with open(path, "rb") as f:
        sections = pickle.load(f)
    scene = bpy.context.scene
    for o in list(bpy.data.objects):
        bpy.data.objects.remove(o)
    scene.render.engine = "BLENDER_EEVEE"
    scene.eevee.use_bloom = True
    scene.render.resolution_x, scene.render.resolution_y = 1280, 720
    scene.world.node_tree.nodes["Background"].inputs[0].default_value = (0, 0, 0, 1)
    mat = material()

    origin = np.array([sections[0][k][0] for k in "XYZ"])
    lo, hi = np.full(3, np.inf), np.full(3, -np.inf)
    for sec in sections:
        x, y, z = (resample((np.asarray(sec[k]) - origin[i]) / DOWNSCALE, SEGMENTATION) for i, k in enumerate("XYZ"))
        diam = resample(np.asarray(sec["DIAM"]) / DOWNSCALE, SEGMENTATION)
        volts = resample(sec["Voltage"][frame], SEGMENTATION)
        if sec["type"] == "soma":
            c = SEGMENTATION // 2
            r = diam[c] / 2 * 1.5
            bpy.ops.mesh.primitive_uv_sphere_add(radius=r, location=(x[c], y[c], z[c]))
            ob = bpy.context.active_object
            values = np.full(len(ob.data.vertices), volts.mean())
            lo = np.minimum(lo, [x[c] - r, y[c] - r, z[c] - r])
            hi = np.maximum(hi, [x[c] + r, y[c] + r, z[c] + r])
        else:
            curve = bpy.data.curves.new("section", "CURVE")
            curve.dimensions = "3D"
            curve.resolution_u, curve.bevel_resolution = 20, 5
            curve.fill_mode, curve.bevel_depth = "FULL", THICKNESS
            spline = curve.splines.new("BEZIER")
            spline.bezier_points.add(SEGMENTATION - 1)
            for i, p in enumerate(spline.bezier_points):
                p.co, p.radius = (x[i], y[i], z[i]), diam[i] / 2
                p.handle_left_type = p.handle_right_type = "VECTOR"
                lo = np.minimum(lo, [x[i], y[i], z[i]])
                hi = np.maximum(hi, [x[i], y[i], z[i]])
            ob = bpy.data.objects.new("section", curve)
            scene.collection.objects.link(ob)
            for o in scene.objects:
                o.select_set(False)
            ob.select_set(True)
            bpy.context.view_layer.objects.active = ob
            bpy.ops.object.convert(target="MESH")
            ob = bpy.context.active_object
            n = len(ob.data.vertices)
            values = np.repeat(volts, n // SEGMENTATION)
        attr = ob.data.attributes.new(name="Voltage", type="FLOAT", domain="POINT")
        attr.data.foreach_set("value", values.astype(np.float32))
        ob.data.materials.append(mat)

    cam = bpy.data.cameras.new("camera")
    cam.type = "ORTHO"
    size, centre = hi - lo, (hi + lo) / 2
    w, h = scene.render.resolution_x, scene.render.resolution_y
    cam.ortho_scale = max(size[0], size[1] * w / h) / 0.9
    cam.clip_end = 1000
    co = bpy.data.objects.new("camera", cam)
    co.location = (centre[0], centre[1], hi[2] + 100)
    scene.collection.objects.link(co)
    scene.camera = co
    scene.render.filepath = out
    bpy.ops.render.render(write_still=True)


main()
