#!/usr/bin/env bash
# Regenerates the before/after figures of the README (docs/images/before-after-*.png) from real data:
# LR | restored by the bundled model | HR truth, the same region of each. Re-run it whenever models/
# changes (the lead retrains the bundled models): it takes under a minute on 2 cores.
#
#   docs/tools/make-figures.sh            # from the repository root or anywhere inside it
#
# Inputs: the two LR samples in test-data/ and their HR acquisitions in ../shared/data (both CC BY-NC-SA,
# redistributable with attribution; see test-data/README.md). Intermediate restorations go to
# out/figures/ (ignored by git). docs/images/before-after.txt records the models' weights checksums,
# so a stale figure is visible in `git diff` after a retraining.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
data="${DECRAPPIFY_SHARED:-$root/../shared}/data"
work=out/figures
mkdir -p "$work" docs/images

restore() { # MODEL LR OUT
  bin/decrappify restore -m "$1" -i "$2" -o "$3" --overwrite
}
figure() { # Figure.java's arguments (the program compiles from source on each call: ~5 s)
  java -Djava.awt.headless=true -cp "target/classes:target/lib/*" docs/tools/Figure.java "$@"
}

# EM: a section of the ISBI 2012 volume (first-instar larva: an animal the EM model never saw), made LR
# by the independent degradation of the quality tools (area x4, Poisson peak 30 + Gaussian sigma 0.02;
# needs Debian's python3-scipy python3-tifffile python3-pil); a 256² HR-pixel region (1 µm at 4 nm/px).
mkdir -p "$work/isbi"
ln -sf "$data/isbi2012_ssTEM_drosophila_vnc/train/slice_08.png" "$work/isbi/"
/usr/bin/python3 docs/tools/quality/make_eval.py "$work/isbi" "$work/isbi_eval" x 1 p30 > /dev/null
restore em-x4-unet-s "$work/isbi_eval/p30/slice_08.tif" "$work/em_x4.tif"
figure docs/images/before-after-em.png 4 128,128,256 "$work/isbi_eval/p30/slice_08.tif" "$work/em_x4.tif" \
  "$work/isbi_eval/truth/slice_08.tif" \
  "LR input (x4 pixels, Poisson noise)" "restored, em-x4-unet-s" "HR acquisition (truth)"

# Fluorescence: a REAL LR confocal acquisition (SR-CACO-2 div4) and the same field acquired at 4x finer
# sampling (div1), registered (the two scans are offset by a few pixels).
restore fluo-x4-unet-s test-data/fluo_lr_caco2_div4_top.tif "$work/fluo_x4.tif"
figure docs/images/before-after-fluo.png 4 128,0,256 test-data/fluo_lr_caco2_div4_top.tif "$work/fluo_x4.tif" \
  "$data/real_pairs_sr_caco2_top/div1_top.tif" \
  "real LR acquisition (x4 pixels)" "restored, fluo-x4-unet-s" "real HR acquisition" register

{
  echo "# Made by docs/tools/make-figures.sh with these models (sha256 of weights.zip):"
  for m in em-x4-unet-s fluo-x4-unet-s; do
    echo "$m $(sha256sum "models/$m/weights.zip" | cut -d' ' -f1)"
  done
} > docs/images/before-after.txt
ls -l docs/images/before-after-*.png
