#!/usr/bin/python3
"""Z-stacks for the 3-frame EM experiment (train --frames 3), from what prepare.sh wrote; run from the
repository root after it. Stored with ImageJ axes ZYX: without them tifffile's ImageJ writer stores a
3-D array as channels, and a multi-frame model then sees each section three times (train refuses it).

  stacks.py  ->  out/quality/em/train3/ (Gerhard stack 1; stack 2 sections 00-17), val3/ (stack 2 18-19),
                 eval3/CASE/isbi30.tif (the 30 ISBI LR sections of each make_eval.py case, in order)"""
import glob, os, numpy as np, tifffile
E = "out/quality/em"
G = os.environ.get("DECRAPPIFY_SHARED", "../shared") + "/data/cardona_ssTEM_L3_vnc_gerhard2013"
def save(path, planes):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tifffile.imwrite(path, np.stack(planes), imagej=True, metadata={"axes": "ZYX"})
sec = lambda s, i: tifffile.imread(f"{G}/{s}_raw/{i:02d}.tif")
save(f"{E}/train3/stack1.tif", [sec("stack1", i) for i in range(20)])
save(f"{E}/train3/stack2.tif", [sec("stack2", i) for i in range(18)])
save(f"{E}/val3/stack2_18_19.tif", [sec("stack2", i) for i in (18, 19)])
for case in sorted(os.listdir(f"{E}/eval")):
    if case != "truth":
        save(f"{E}/eval3/{case}/isbi30.tif", [tifffile.imread(f).astype(np.float32) for f in sorted(glob.glob(f"{E}/eval/{case}/*.tif"))])
print("stacks in", E)
