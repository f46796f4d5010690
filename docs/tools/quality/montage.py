#!/usr/bin/python3
"""montage.py OUT.png SCALE Y X SIZE truth.tif lr.tif pred1.tif [pred2.tif...]: crops side by side (truth-normalised, LR upsampled nearest)."""
import sys, numpy as np, tifffile
from PIL import Image
out, s, y, x, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
ims = [tifffile.imread(f).astype(np.float32) for f in sys.argv[6:]]
t = ims[0]; lo, hi = np.percentile(t, [1, 99.8])
def fit(p):
    A = np.stack([p.ravel(), np.ones(p.size)], 1); g = np.linalg.lstsq(A, t.ravel(), rcond=None)[0]; return p * g[0] + g[1]
tiles = []
for i, a in enumerate(ims):
    if i == 1:
        a = np.kron(a, np.ones((s, s), np.float32))
    if i >= 1: a = fit(a[:t.shape[0], :t.shape[1]])
    c = a[y:y + n, x:x + n]
    tiles.append(np.clip((c - lo) / (hi - lo) * 255, 0, 255).astype(np.uint8))
    tiles.append(np.full((n, 4), 255, np.uint8))
Image.fromarray(np.concatenate(tiles[:-1], 1)).save(out); print(out)
