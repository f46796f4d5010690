#!/usr/bin/python3
"""table.py SCORESDIR [TAG...]: mean PSNR/SSIM per case: bicubic, best blur, each tag (delta vs best blur)."""
import csv, glob, os, sys
d = sys.argv[1]; tags = sys.argv[2:]
def mean_row(path):
    rows = list(csv.DictReader(open(path)))
    m = [r for r in rows if r["image"] in ("mean", "MEAN", "(mean)")]
    r = m[0] if m else None
    if r is None:
        import statistics
        keys = ["psnr", "ssim", "bicubic_psnr", "bicubic_ssim", "smoothed_psnr", "smoothed_ssim"]
        r = {k: str(statistics.mean(float(x[k]) for x in rows)) for k in keys}
    return r
cases = ["clean", "p150", "p30", "g05", "blur_p60", "lowsnr"]
if not tags:
    tags = sorted({os.path.basename(p).split(".")[0] for p in glob.glob(d + "/*.csv")})
print(f"{'case':10s} {'bicubic':>14s} {'best blur':>14s} " + " ".join(f"{t:>22s}" for t in tags))
for c in cases:
    base = None; cells = []
    for t in tags:
        p = f"{d}/{t}.{c}.csv"
        if not os.path.exists(p):
            cells.append(f"{'-':>22s}"); continue
        r = mean_row(p)
        if base is None: base = r
        dp = float(r["psnr"]) - float(r["smoothed_psnr"])
        cells.append(f"{float(r['psnr']):6.2f}/{float(r['ssim']):.3f} ({dp:+.2f})".rjust(22))
    if base is None: continue
    print(f"{c:10s} {float(base['bicubic_psnr']):6.2f}/{float(base['bicubic_ssim']):.3f} {float(base['smoothed_psnr']):6.2f}/{float(base['smoothed_ssim']):.3f} " + " ".join(cells))
