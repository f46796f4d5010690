#!/usr/bin/python3
"""Degradations for held-out evaluation, written independently of the project's crappifier (numpy,
scipy, PIL; Debian's python3-scipy python3-tifffile python3-pil), so that a model is not scored on
the exact noise model it was trained with.

  make_eval.py HR_DIR OUT_DIR x [N [CASE,CASE...]]
      -> OUT_DIR/truth/NAME.tif (HR normalised to its 0.5/99.5 percentiles) and OUT_DIR/CASE/NAME.tif
         (x4 LR, float32, unclipped); the first N images of HR_DIR (sorted), all cases by default.

Cases (HR blur sigma in HR px, how 4x4 pixels become one, shot-noise peak at intensity 1, read noise):
  clean     none, area mean, -, -            the noise-free limit
  p150      none, area mean, 150, 0.01       moderate Poisson + Gaussian
  p30       none, area mean, 30, 0.02        heavier Poisson + Gaussian
  g05       none, area mean, -, 0.05         Gaussian only (signal-independent)
  blur_p60  1.2, bilinear, 60, 0.01          extra optical blur and point-like sampling
  lowsnr    none, area mean, 4, 0.03         very heavy Poisson, below the EM training range (5-300)
Noise is seeded per image and case: the files are identical on every run."""
import sys, os, glob, numpy as np, tifffile
from PIL import Image

def load(p):
    a = tifffile.imread(p) if p.lower().endswith((".tif", ".tiff")) else np.asarray(Image.open(p))
    return a.astype(np.float32)

def area(a, s):
    h, w = a.shape[0] // s * s, a.shape[1] // s * s
    return a[:h, :w].reshape(h // s, s, w // s, s).mean(axis=(1, 3))

def gblur(a, sig):
    from scipy.ndimage import gaussian_filter
    return gaussian_filter(a, sig, mode="reflect")

CASES = {
    # name: (hr blur sigma px, downsample, poisson peak or None, gaussian sigma)
    "clean": (0, "area", None, 0.0),
    "p150": (0, "area", 150, 0.01),        # like the audit's: area, Poisson + Gaussian
    "p30": (0, "area", 30, 0.02),          # heavier Poisson
    "g05": (0, "area", None, 0.05),        # Gaussian only
    "blur_p60": (1.2, "bilinear", 60, 0.01),  # extra optical blur, bilinear sampling
    "lowsnr": (0, "area", 4, 0.03),        # very heavy Poisson
}

def degrade(hr01, case, rng, s=4):
    sig, ds, peak, g = CASES[case]
    x = gblur(hr01, sig) if sig > 0 else hr01
    if ds == "area":
        lr = area(x, s)
    else:
        im = Image.fromarray(x.astype(np.float32), mode="F")
        lr = np.asarray(im.resize((x.shape[1] // s, x.shape[0] // s), Image.BILINEAR)).astype(np.float32)
    if peak:
        lr = rng.poisson(np.clip(lr, 0, None) * peak) / peak
    if g:
        lr = lr + rng.normal(0, g, lr.shape)
    return lr.astype(np.float32)

if __name__ == "__main__":
    src, out = sys.argv[1], sys.argv[2]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 10**9
    cases = sys.argv[5].split(",") if len(sys.argv) > 5 else list(CASES)
    files = sorted(f for f in glob.glob(os.path.join(src, "*")) if f.lower().endswith((".tif", ".tiff", ".png")))[:n]
    os.makedirs(os.path.join(out, "truth"), exist_ok=True)
    for c in cases:
        os.makedirs(os.path.join(out, c), exist_ok=True)
    for i, f in enumerate(files):
        hr = load(f)
        if hr.ndim == 3:
            hr = hr[..., 0] if hr.shape[-1] <= 4 else hr[0]
        hr = hr[: hr.shape[0] // 4 * 4, : hr.shape[1] // 4 * 4]
        lo, hi = np.percentile(hr, 0.5), np.percentile(hr, 99.5)
        hr01 = (hr - lo) / max(hi - lo, 1e-6)
        name = os.path.splitext(os.path.basename(f))[0] + ".tif"
        tifffile.imwrite(os.path.join(out, "truth", name), hr01.astype(np.float32))
        for c in cases:
            rng = np.random.default_rng(1000 + i * 17 + list(CASES).index(c) * 101)
            tifffile.imwrite(os.path.join(out, c, name), degrade(hr01, c, rng))
    print(len(files), "images ->", out)
