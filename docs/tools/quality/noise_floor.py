#!/usr/bin/env python3
"""How much of a restoration's error can the truth's own noise explain?

Estimates the white noise of each truth image with Immerkaer's (1996) Laplacian-difference estimator,
on the same normalisation `decrappify evaluate` uses (1st/99.8th percentiles to 0/1), and prints the
mean noise variance beside the mean squared error of the best blur read from an evaluate CSV. A
perfect restoration still scores MSE = noise variance against a noisy truth, so the ratio bounds what
any model can gain over the blur from the noise side.

  noise_floor.py TRUTH_DIR SCORES.csv
"""
import csv, glob, math, os, sys
import numpy as np
import tifffile

truth_dir, scores = sys.argv[1:3]
var = []
for f in sorted(glob.glob(os.path.join(truth_dir, "*.tif"))):
    t = tifffile.imread(f).astype(np.float64)
    lo, hi = np.percentile(t, [1, 99.8])
    t = (t - lo) / (hi - lo)
    # 3x3 mask [1 -2 1; -2 4 -2; 1 -2 1]: removes local planes, keeps white noise (variance x 36)
    c = (t[:-2, :-2] - 2 * t[:-2, 1:-1] + t[:-2, 2:] - 2 * t[1:-1, :-2] + 4 * t[1:-1, 1:-1]
         - 2 * t[1:-1, 2:] + t[2:, :-2] - 2 * t[2:, 1:-1] + t[2:, 2:])
    sigma = math.sqrt(math.pi / 2) * np.abs(c).mean() / 6
    var.append(sigma ** 2)
rows = list(csv.DictReader(open(scores)))
blur = np.mean([10 ** (-float(r["smoothed_psnr"]) / 10) for r in rows])
model = np.mean([10 ** (-float(r["psnr"]) / 10) for r in rows])
nv = float(np.mean(var))
print(f"truth noise variance {nv:.5f} (sigma {math.sqrt(nv):.3f}); best blur MSE {blur:.5f}; model MSE {model:.5f}")
print(f"noise share of the blur's error {nv / blur:.2f}; a perfect restoration (left with the truth's noise only) would gain "
      f"{10 * math.log10(blur / nv):.1f} dB over the blur, this model gains {10 * math.log10(blur / model):.2f}")
