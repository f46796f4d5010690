# Writes the reference Zarr v2 / OME-Zarr fixtures used by ZarrArrayTest and OmeZarrTest with the
# reference implementation (zarr-python 2.13, numcodecs 0.11; Debian package python3-zarr).
# Values follow formulas the Java tests recompute. Run: /usr/bin/python3 make_fixtures.py
import json, shutil, os
import numpy as np
import zarr, numcodecs

def fresh(name):
    shutil.rmtree(name, ignore_errors=True)
    return name

z, y, x = np.meshgrid(np.arange(3), np.arange(37), np.arange(29), indexing="ij")

# 1. uint16, zlib, '.' separator, chunks not dividing the shape
a = zarr.open(fresh("u2_zlib_dot.zarr"), mode="w", shape=(3, 37, 29), chunks=(2, 16, 16), dtype="<u2",
              compressor=numcodecs.Zlib(level=5))
a[:] = (z * 1000 + y * 37 + x).astype("<u2")

# 2. big-endian float32, gzip, '/' separator
b = zarr.open(fresh("f4be_gzip_nested.zarr"), mode="w", shape=(3, 37, 29), chunks=(1, 10, 8), dtype=">f4",
              compressor=numcodecs.GZip(level=1), dimension_separator="/")
b[:] = (np.sin(x * 0.3) * np.cos(y * 0.2) + z * 0.5).astype(">f4")

# 3. uint8, no compressor, fill value 7, one chunk never written
c = zarr.open(fresh("u1_raw_fill.zarr"), mode="w", shape=(20, 24), chunks=(10, 12), dtype="|u1",
              compressor=None, fill_value=7)
c[0:10, :] = ((np.arange(10)[:, None] * 24 + np.arange(24)[None, :]) % 256).astype("u1")
c[10:20, 0:12] = 200  # chunk (1, 1) stays missing -> fill value

# 4. an OME-Zarr (NGFF 0.4) image: czyx, uint16, two levels, calibrated in micrometers
root = zarr.open_group(fresh("ome_czyx.ome.zarr"), mode="w")
c4, z4, y4, x4 = np.meshgrid(np.arange(2), np.arange(3), np.arange(37), np.arange(29), indexing="ij")
full = (c4 * 10000 + z4 * 1000 + y4 * 37 + x4).astype("<u2")
root.create_dataset("s0", data=full, chunks=(1, 1, 16, 16), compressor=numcodecs.Zlib(level=1))
root.create_dataset("s1", data=full[:, :, ::2, ::2], chunks=(1, 1, 16, 16), compressor=numcodecs.Zlib(level=1))
root.attrs["multiscales"] = [{
    "version": "0.4", "name": "fixture",
    "axes": [{"name": "c", "type": "channel"}, {"name": "z", "type": "space", "unit": "micrometer"},
             {"name": "y", "type": "space", "unit": "micrometer"}, {"name": "x", "type": "space", "unit": "micrometer"}],
    "datasets": [
        {"path": "s0", "coordinateTransformations": [{"type": "scale", "scale": [1, 0.5, 0.08, 0.04]}]},
        {"path": "s1", "coordinateTransformations": [{"type": "scale", "scale": [1, 0.5, 0.16, 0.08]}]}],
    "coordinateTransformations": [{"type": "scale", "scale": [1, 2, 1, 1]}]}]

# 5. Blosc-compressed (not supported by the Java reader; must be refused with a clear message)
d = zarr.open(fresh("blosc.zarr"), mode="w", shape=(8, 8), chunks=(8, 8), dtype="<u2",
              compressor=numcodecs.Blosc())
d[:] = 1
