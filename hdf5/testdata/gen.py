#!/usr/bin/python3
"""Writes the HDF5 files the hdf5 package's tests read, and facts.json.

Run from the repository root with Debian's Python, h5py and hdf5-tools
(apt-get install python3-h5py hdf5-tools):

    /usr/bin/python3 hdf5/testdata/gen.py

The same content is written with three format versions (libver earliest,
v108 and latest), then re-laid by h5repack. facts.json holds what h5py
reads back from every file (groups, links, attributes, dataset shapes,
types and values, and a few hyperslabs), and the same for the BBP
morphologies in testdata/morphologies/neurom/.
"""

import hashlib
import json
import os
import subprocess
import sys

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MORPHS = os.path.join(ROOT, "testdata", "morphologies", "neurom")


def ramp(n, dtype, scale=1.0, offset=0.0):
    """n deterministic values that exercise sign, fractions and byte order."""
    i = np.arange(n, dtype=np.float64)
    dt = np.dtype(dtype)
    if dt.kind == "f":
        v = (i * 0.37 - n * 0.11) * scale + offset
        if dt.itemsize == 2:
            v = np.round(v, 2)
        return v.astype(dt)
    info = np.iinfo(dt)
    span = float(info.max) - float(info.min) + 1
    v = (i * 2654435761.0 * scale + offset) % span + float(info.min)
    out = np.array([int(x) for x in v], dtype=object)
    out[0] = info.min
    if n > 1:
        out[1] = info.max
    return out.astype(dt)


def chunked(grp, name, data, chunks, maxshape=None, **kw):
    return grp.create_dataset(name, data=data, chunks=chunks, maxshape=maxshape, **kw)


def lowlevel(grp, name, data, layout, chunks=None, early=False, fill=None):
    """A dataset made through the low-level API, for layouts h5py's
    create_dataset does not offer (compact, early allocation)."""
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_layout(layout)
    if chunks is not None:
        dcpl.set_chunk(chunks)
    if early:
        dcpl.set_alloc_time(h5py.h5d.ALLOC_TIME_EARLY)
    if fill is not None:
        dcpl.set_fill_value(np.array(fill, dtype=data.dtype))
    space = h5py.h5s.create_simple(data.shape)
    tid = h5py.h5t.py_create(data.dtype)
    dsid = h5py.h5d.create(grp.id, name.encode(), tid, space, dcpl=dcpl)
    dsid.write(h5py.h5s.ALL, h5py.h5s.ALL, np.ascontiguousarray(data))
    return grp[name]


def write_content(f, version):
    f.attrs["title"] = "spikeframes hdf5 test file"
    f.attrs["version"] = np.int32(3)

    # Numbers of every size in both byte orders, contiguous.
    num = f.create_group("numbers")
    for kind in ("i", "u"):
        for size in (1, 2, 4, 8):
            for order in ("<", ">"):
                dt = order + kind + str(size)
                name = dt.replace("<", "le_").replace(">", "be_")
                num.create_dataset(name, data=ramp(12, dt).reshape(3, 4))
    for size in (2, 4, 8):
        for order in ("<", ">"):
            dt = order + "f" + str(size)
            name = dt.replace("<", "le_").replace(">", "be_")
            num.create_dataset(name, data=ramp(12, dt).reshape(3, 4))
    num.create_dataset("scalar", data=np.float64(2.5))
    num.create_dataset("empty", data=np.zeros((0,), dtype="<i4"))
    num.create_dataset("bools", data=np.array([True, False, True, True]))
    num.create_dataset("u64_big", data=np.array([1, 2**64 - 1], dtype="<u8"))

    # Storage layouts and filters. The version 1.8 file (v1 B-tree chunk
    # indexes like the earliest) has fewer of them: every v1 B-tree node
    # takes a few kilobytes.
    lay = f.create_group("layouts")
    grid = ramp(20 * 12, "<f4").reshape(20, 12)
    lay.create_dataset("contiguous", data=grid)
    lowlevel(lay, "compact", ramp(20, ">i2"), h5py.h5d.COMPACT)
    chunked(lay, "chunked", grid, (8, 5))
    chunked(lay, "deflate", grid, (8, 5), compression="gzip", compression_opts=6)
    chunked(lay, "all_filters", ramp(20 * 12, ">f8").reshape(20, 12), (7, 5),
            shuffle=True, compression="gzip", compression_opts=9, fletcher32=True)
    cube = ramp(9 * 10 * 11, ">i2").reshape(9, 10, 11)
    chunked(lay, "cube", cube, (4, 3, 5), compression="gzip")
    # A sparse dataset: only two of its chunks are ever written.
    sp = lay.create_dataset("sparse", shape=(20, 20), dtype="<f8", chunks=(5, 5),
                            fillvalue=-1.5, compression="gzip")
    sp[0:5, 0:5] = ramp(25, "<f8").reshape(5, 5)
    sp[17:20, 12:15] = 7.25
    if version != "v108":
        chunked(lay, "shuffle_deflate", grid, (8, 5), shuffle=True, compression="gzip")
        chunked(lay, "fletcher32", grid, (8, 5), fletcher32=True)
    if version == "latest":
        # Chunk indexes of the version 1.10 format: a single chunk, an
        # implicit index (early allocation, no filters), a fixed array of
        # more than one page (1100 chunks).
        chunked(lay, "single_chunk", grid, (20, 12))
        chunked(lay, "single_chunk_deflate", grid, (20, 12), compression="gzip")
        lowlevel(lay, "early", ramp(20 * 30, "<i4").reshape(20, 30), h5py.h5d.CHUNKED,
                 chunks=(8, 8), early=True)
        chunked(lay, "many_chunks", ramp(1100, "<i1"), (1,))

    # Never written: every element is the fill value.
    lay.create_dataset("unwritten_chunked", shape=(6, 7), dtype="<i2", chunks=(4, 4),
                       fillvalue=-7)
    lay.create_dataset("unwritten_contiguous", shape=(5,), dtype=">f8", fillvalue=0.5)

    # Datasets that grew: one unlimited dimension (an extensible array
    # index in the latest format), then two (a version 2 B-tree index).
    grow = f.create_group("resized")
    rep = grow.create_dataset("report", shape=(0, 64), maxshape=(None, 64),
                              dtype="<f4", chunks=(8, 16), compression="gzip", shuffle=True)
    frames = ramp(40 * 64, "<f4", scale=0.01, offset=-65).reshape(40, 64)
    for t in range(0, 40, 5):
        rep.resize((t + 5, 64))
        rep[t:t + 5] = frames[t:t + 5]
    if version != "v108":
        # 260 chunks: past an extensible array's index block, and a v1
        # B-tree of two levels.
        log = grow.create_dataset("log", shape=(0,), maxshape=(None,), dtype="<i8", chunks=(1,))
        for n in (10, 100, 260):
            log.resize((n,))
            log[:] = ramp(n, "<i8")
    if version == "latest":
        plain = grow.create_dataset("plain", shape=(0, 12), maxshape=(None, 12), dtype="<u2",
                                    chunks=(4, 4))
        plain.resize((30, 12))
        plain[:] = ramp(30 * 12, "<u2").reshape(30, 12)
        both = grow.create_dataset("both", shape=(5, 5), maxshape=(None, None), dtype=">f4",
                                   chunks=(3, 3))
        both[:] = ramp(25, ">f4").reshape(5, 5)
        both.resize((30, 28))
        both[5:, :] = ramp(25 * 28, ">f4").reshape(25, 28)
        both[:5, 5:] = 1.0
        both_z = grow.create_dataset("both_deflate", shape=(30, 31), maxshape=(None, None),
                                     dtype="<i4", chunks=(3, 3), compression="gzip")
        both_z[:] = ramp(30 * 31, "<i4").reshape(30, 31)

    # Strings.
    st = f.create_group("strings")
    st.create_dataset("fixed", data=np.array([b"soma", b"axon", b"dend", b"apical"], dtype="S6"))
    vstr = h5py.string_dtype("utf-8")
    words = ["alpha", "", "µm and mV", "a somewhat longer string " * 3, "end"]
    st.create_dataset("vlen", data=np.array(words, dtype=object), dtype=vstr)
    chunked(st, "vlen_chunked", np.array([w.upper() for w in words] * 7, dtype=object),
            (4,), dtype=vstr, compression="gzip")
    st.create_dataset("vlen_ascii", data=np.array([b"one", b"two"], dtype=object),
                      dtype=h5py.string_dtype("ascii"))
    st.create_dataset("vlen_scalar", data="just one", dtype=vstr)

    # Attributes of every kind.
    at = f.create_group("attributes")
    at.attrs["int"] = np.int64(-42)
    at.attrs["uint_be"] = np.array([1, 2, 300], dtype=">u2")
    at.attrs["float"] = 0.1
    at.attrs["floats"] = np.array([1.5, -2.25, 3e-300], dtype="<f8")
    at.attrs["float32_be"] = np.array([1.5, -2.25], dtype=">f4")
    at.attrs["fixed"] = np.bytes_(b"fixed length")
    at.attrs["fixed_array"] = np.array([b"ab", b"cde"], dtype="S3")
    at.attrs["vlen"] = "variable length, utf-8: µ"
    at.attrs.create("vlen_array", np.array(["mV", "ms", "um"], dtype=object), dtype=vstr)
    at.attrs["empty"] = h5py.Empty("f8")
    at.attrs["magic"] = np.uint32(0x0A7A)
    many = f.create_group("many_attrs")
    for i in range(12):
        many.attrs["attr%02d" % i] = np.arange(i + 1, dtype="<i2")
    many.attrs["units"] = "mV"

    # A committed (named) datatype that a dataset and an attribute share,
    # and a compound type this package does not read.
    types = f.create_group("types")
    types["celsius"] = np.dtype(">f4")
    temp = types.create_dataset("temperature", data=np.array([20.5, -3.25], ">f4"),
                                dtype=types["celsius"])
    temp.attrs.create("offset", np.array([273.15], ">f4"), dtype=types["celsius"])
    types.create_dataset("compound", data=np.array([(1, 2.5)], dtype=[("a", "<i4"), ("b", "<f8")]))

    # Groups: nesting, many links, soft, external and dangling links, a
    # hard-link cycle.
    deep = f.create_group("a/b/c/d")
    deep.create_dataset("leaf", data=np.arange(5, dtype="<i4"))
    links = f.create_group("links")
    target = links.create_dataset("target", data=np.arange(3, dtype="<f8"))
    big = links.create_group("many")
    for i in range(200):
        big["l%03d" % i] = target
    small = links.create_group("few")
    for i in range(12):
        small["n%02d" % i] = target
    links["soft"] = h5py.SoftLink("/a/b/c/d/leaf")
    links["soft_relative"] = h5py.SoftLink("many")
    links["dangling"] = h5py.SoftLink("/nowhere")
    links["loop"] = h5py.SoftLink("/links/loop")
    links["external"] = h5py.ExternalLink("other.h5", "/x")
    links["up"] = f["a"]
    f["a/b/c/d/root"] = f["/"]
    if version != "earliest":
        ordered = f.create_group("ordered", track_order=True)
        for name in ("zulu", "alpha", "mike"):
            ordered.create_group(name)
        for i in range(10):
            ordered.attrs["o%d" % (9 - i)] = i


def dtype_fact(dt):
    if dt.kind == "V":
        return {"class": "other", "size": dt.itemsize}
    if h5py.check_string_dtype(dt) is not None and dt.kind == "O":
        return {"class": "vlen-string"}
    if dt.kind == "S":
        return {"class": "string", "size": dt.itemsize}
    if dt.kind == "b":
        return {"class": "int", "size": 1, "signed": True, "order": "<"}
    cls = {"i": "int", "u": "int", "f": "float"}[dt.kind]
    fact = {"class": cls, "size": dt.itemsize,
            "order": ">" if dt.byteorder == ">" else "<"}
    if cls == "int":
        fact["signed"] = dt.kind == "i"
    return fact


def flat_values(arr):
    """The values of arr in row-major order as JSON numbers or strings."""
    flat = np.asarray(arr).reshape(-1)
    out = []
    for v in flat:
        if isinstance(v, bytes):
            out.append(v.decode("utf-8"))
        elif isinstance(v, str):
            out.append(v)
        elif isinstance(v, (np.bool_, bool)):
            out.append(int(v))
        elif isinstance(v, (np.integer, int)):
            out.append(int(v))
        else:
            out.append(float(v))
    return out


def digest(values):
    """sha256 of values as the tests see them: strings as UTF-8 each
    followed by a NUL; numbers as little-endian float64 (floats) or int64
    (integers)."""
    h = hashlib.sha256()
    for v in values:
        if isinstance(v, str):
            h.update(v.encode("utf-8") + b"\0")
        elif isinstance(v, float):
            h.update(np.float64(v).tobytes())
        else:
            h.update(np.int64(v if v < 2**63 else v - 2**64).tobytes())
    return h.hexdigest()


def values_fact(arr):
    if getattr(arr, "dtype", None) is not None and arr.dtype.kind == "V":
        return {"n": arr.size}
    vals = flat_values(arr)
    fact = {"sha256": digest(vals), "n": len(vals)}
    if len(vals) <= 64:
        fact["values"] = vals
    else:
        fact["first"] = vals[:8]
    return fact


def read_all(ds):
    if ds.shape is None:
        return np.zeros((0,))
    if ds.dtype.kind == "O":
        return ds.asstr()[()] if h5py.check_string_dtype(ds.dtype).encoding == "utf-8" else ds[()]
    return ds[()]


def attr_facts(obj):
    out = {}
    for name in obj.attrs:
        aid = obj.attrs.get_id(name)
        dt = aid.dtype
        val = obj.attrs[name]
        if isinstance(val, h5py.Empty):
            out[name] = {"dtype": dtype_fact(dt), "shape": None, "n": 0, "values": [],
                         "sha256": digest([])}
            continue
        fact = {"dtype": dtype_fact(dt), "shape": list(aid.shape)}
        fact.update(values_fact(val))
        out[name] = fact
    return out


def file_facts(path):
    facts = {}
    with h5py.File(path, "r") as f:
        facts["superblock"] = f.id.get_create_plist().get_version()[0]
        objects = {}
        seen = {}

        def visit(grp, gpath):
            addr = h5py.h5o.get_info(grp.id).addr
            if addr in seen:
                return
            seen[addr] = gpath
            members = {}
            for name in sorted(grp.keys()):
                link = grp.get(name, getlink=True)
                child = gpath.rstrip("/") + "/" + name
                if isinstance(link, h5py.SoftLink):
                    members[name] = "soft:" + link.path
                    continue
                if isinstance(link, h5py.ExternalLink):
                    members[name] = "external"
                    continue
                obj = grp[name]
                if isinstance(obj, h5py.Datatype):
                    members[name] = "datatype"
                    continue
                members[name] = "hard"
                if isinstance(obj, h5py.Group):
                    visit(obj, child)
                else:
                    daddr = h5py.h5o.get_info(obj.id).addr
                    if daddr in seen:
                        continue
                    seen[daddr] = child
                    fact = {"kind": "dataset", "shape": list(obj.shape),
                            "dtype": dtype_fact(obj.dtype), "attrs": attr_facts(obj),
                            "layout": {0: "compact", 1: "contiguous", 2: "chunked"}[
                                obj.id.get_create_plist().get_layout()],
                            "chunks": list(obj.chunks) if obj.chunks else None,
                            "filters": sorted(obj._filters.keys())}
                    fact.update(values_fact(read_all(obj)))
                    objects[child] = fact
            objects[gpath] = {"kind": "group", "members": members, "attrs": attr_facts(grp)}

        visit(f, "/")
        facts["objects"] = objects
    return facts


SLABS = [
    ("/resized/report", [5, 0], [1, 64]),
    ("/resized/report", [39, 0], [1, 64]),
    ("/resized/report", [3, 10], [6, 40]),
    ("/resized/both", [4, 2], [20, 24]),
    ("/resized/both_deflate", [10, 25], [20, 6]),
    ("/resized/log", [210], [50]),
    ("/layouts/deflate", [7, 3], [12, 8]),
    ("/layouts/all_filters", [0, 0], [20, 1]),
    ("/layouts/cube", [2, 1, 3], [5, 7, 6]),
    ("/layouts/contiguous", [19, 2], [1, 10]),
    ("/layouts/compact", [5], [10]),
    ("/layouts/sparse", [3, 3], [15, 10]),
    ("/layouts/many_chunks", [1000], [99]),
    ("/layouts/early", [7, 7], [3, 20]),
    ("/layouts/single_chunk_deflate", [16, 0], [4, 12]),
    ("/strings/vlen_chunked", [6], [20]),
    ("/numbers/be_i2", [1, 1], [2, 2]),
    ("/report/data", [7, 0], [1, 32]),
    ("/report/data", [10, 5], [12, 20]),
    ("/cube", [1, 2, 3], [8, 8, 8]),
    ("/grid", [3, 4], [10, 10]),
]


def slab_facts(path):
    out = []
    with h5py.File(path, "r") as f:
        for name, start, count in SLABS:
            if name not in f:
                continue
            ds = f[name]
            assert all(s + c <= d for s, c, d in zip(start, count, ds.shape)), name
            sel = tuple(slice(s, s + c) for s, c in zip(start, count))
            arr = ds.asstr()[sel] if ds.dtype.kind == "O" else ds[sel]
            fact = {"dataset": name, "start": start, "count": count}
            fact.update(values_fact(arr))
            out.append(fact)
    return out


def morphology_facts(path):
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                fact = {"shape": list(obj.shape), "dtype": dtype_fact(obj.dtype)}
                fact.update(values_fact(obj[()]))
                out["/" + name] = fact
        f.visititems(visit)
        attrs = {}
        for gname in ["/"] + ["/" + n for n in f.keys() if isinstance(f[n], h5py.Group)]:
            a = attr_facts(f[gname])
            if a:
                attrs[gname] = a
    return {"datasets": out, "attrs": attrs}


def write_small(f):
    """A few datasets for h5repack to re-lay and for the 4-byte-offset file."""
    f.attrs["kind"] = "small"
    f.create_dataset("grid", data=ramp(24 * 20, "<f4").reshape(24, 20))
    f.create_dataset("cube", data=ramp(9 * 10 * 11, ">i2").reshape(9, 10, 11), chunks=(4, 3, 5))
    g = f.create_group("report")
    g.create_dataset("data", data=ramp(24 * 32, "<f4", offset=-65).reshape(24, 32),
                     chunks=(8, 16), maxshape=(None, 32), compression="gzip")
    g.create_dataset("names", data=np.array(["n%d" % i for i in range(20)], dtype=object),
                     dtype=h5py.string_dtype("utf-8"))
    g.attrs["units"] = "mV"


def create(name, libver, sizes=None, userblock=0):
    """An h5py File made through the low-level API, for the creation
    properties h5py.File does not take."""
    fapl = h5py.h5p.create(h5py.h5p.FILE_ACCESS)
    bounds = {"earliest": h5py.h5f.LIBVER_EARLIEST, "v108": h5py.h5f.LIBVER_V18,
              "latest": h5py.h5f.LIBVER_LATEST}
    fapl.set_libver_bounds(bounds[libver], bounds["latest" if libver == "earliest" else libver])
    fcpl = h5py.h5p.create(h5py.h5p.FILE_CREATE)
    if sizes:
        fcpl.set_sizes(*sizes)
    if userblock:
        fcpl.set_userblock(userblock)
    return h5py.File(h5py.h5f.create(name.encode(), h5py.h5f.ACC_TRUNC, fapl=fapl, fcpl=fcpl))


def main():
    os.chdir(HERE)
    made = []
    for name, libver in (("earliest.h5", "earliest"), ("v108.h5", "v108"),
                         ("latest.h5", "latest")):
        with create(name, libver) as f:
            write_content(f, libver)
        made.append(name)
    with create("small.h5", "earliest") as f:
        write_small(f)
    made.append("small.h5")
    # Small, for the fuzz target to start from: what small.h5 lacks, in
    # the latest format.
    with create("dense.h5", "latest") as f:
        g = f.create_group("dense")
        for i in range(10):
            g["link%d" % i] = h5py.SoftLink("/dense")
            g.attrs["attr%d" % i] = np.int8(i)
        d = g.create_dataset("both", shape=(5, 5), maxshape=(None, None), dtype="<i2",
                             chunks=(2, 2), compression="gzip", fletcher32=True)
        d[:] = ramp(25, "<i2").reshape(5, 5)
    made.append("dense.h5")
    # Addresses and lengths of 4 bytes instead of 8.
    with create("offsets4.h5", "v108", sizes=(4, 4)) as f:
        write_small(f)
    made.append("offsets4.h5")
    # A user block: the superblock, and the base of every address, at 512.
    with create("userblock.h5", "v108", userblock=512) as f:
        f["data"] = ramp(10, "<f8")
        f.create_group("g").attrs["note"] = "after a user block"
    with open("userblock.h5", "r+b") as f:
        f.write(b"a user block: bytes before the HDF5 superblock\n")
    made.append("userblock.h5")

    repacks = [
        ("repack_gzip_shuffle.h5", ["-m", "32", "-f", "GZIP=6", "-f", "SHUF"]),
        ("repack_latest.h5", ["-L", "-l", "/grid:CHUNK=5x7", "-f", "/grid:FLET"]),
        ("repack_contiguous.h5", ["-l", "CONTI"]),
        ("repack_compact.h5", ["-L", "-l", "/cube:COMPA", "-f", "/report/data:GZIP=1"]),
    ]
    for out, args in repacks:
        if os.path.exists(out):
            os.remove(out)
        subprocess.run(["h5repack"] + args + ["small.h5", out], check=True)
        made.append(out)

    facts = {"files": {}, "morphologies": {}}
    for name in made:
        facts["files"][name] = file_facts(name)
        facts["files"][name]["slabs"] = slab_facts(name)
        facts["files"][name]["size"] = os.path.getsize(name)
    for name in sorted(os.listdir(MORPHS)):
        if name.endswith(".h5"):
            facts["morphologies"][name] = morphology_facts(os.path.join(MORPHS, name))
    with open("facts.json", "w") as out:
        out.write(dump(facts, 0) + "\n")
    total = sum(os.path.getsize(n) for n in made) + os.path.getsize("facts.json")
    print("wrote %d files, %d bytes in all" % (len(made) + 1, total), file=sys.stderr)


def dump(v, depth):
    """JSON with the top three levels indented and everything deeper on one line."""
    if depth >= 3 or not isinstance(v, dict) or not v:
        return json.dumps(v, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    pad = " " * (depth + 1)
    items = [pad + json.dumps(k, ensure_ascii=False) + ": " + dump(v[k], depth + 1)
             for k in sorted(v)]
    return "{\n" + ",\n".join(items) + "\n" + " " * depth + "}"


if __name__ == "__main__":
    main()
