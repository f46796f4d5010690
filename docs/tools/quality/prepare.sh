#!/usr/bin/env bash
# Lays out the training, validation and test splits the bundled models were trained and scored on,
# as folders of symbolic links into ../shared/data (nothing is copied but the CACO-2 crops), and
# writes the degraded evaluation sets. Run from the repository root; everything goes to out/quality/.
#
#   docs/tools/quality/prepare.sh
#
# EM (x4): train on Gerhard 2013 stack 1 + stack 2 sections 00-17 (third-instar larva), select on
#   stack 2 sections 18-19, test on the ISBI 2012 training volume (first-instar larva: another animal)
#   with degradations written independently of the project's crappifier (make_eval.py).
# Denoising (x1): FMD confocal BPAE fields 11-17 train (350 real pairs), 18 selects, 19-20 test.
# Fluorescence (x4): FMD 50-frame means (clean confocal) as HR; the real SR-CACO-2 div4 -> div1 pair
#   split into a training part (LR columns 34-127) and a held-out left quarter (LR columns 0-31).
set -euo pipefail
D="${DECRAPPIFY_SHARED:-$PWD/../shared}/data"
Q=out/quality
here="$(dirname "${BASH_SOURCE[0]}")"
G=$D/cardona_ssTEM_L3_vnc_gerhard2013; I=$D/isbi2012_ssTEM_drosophila_vnc/train; F=$D/real_noise_fmd_confocal_bpae
mkdir -p $Q/em/train $Q/em/val $Q/em/test30 $Q/em/test8
for i in $(seq -w 0 19); do ln -sf $G/stack1_raw/$i.tif $Q/em/train/s1_$i.tif; done
for i in $(seq -w 0 17); do ln -sf $G/stack2_raw/$i.tif $Q/em/train/s2_$i.tif; done
for i in 18 19; do ln -sf $G/stack2_raw/$i.tif $Q/em/val/s2_$i.tif; done
for f in $I/*.png; do ln -sf $f $Q/em/test30/; done
for i in 00 04 08 12 16 20 24 28; do ln -sf $I/slice_$i.png $Q/em/test8/; done
/usr/bin/python3 $here/make_eval.py $Q/em/test30 $Q/em/eval x 100
/usr/bin/python3 $here/make_eval.py $Q/em/test8 $Q/em/ab x 100

mkdir -p $Q/fmd/train_hr $Q/fmd/train_lr $Q/fmd/val_hr $Q/fmd/val_lr $Q/fmd/test_lr $Q/fmd/test_gt
for n in 11 12 13 14 15 16 17; do for k in $(seq 0 49); do
  ln -sf $F/fov${n}_gt_avg50.png $Q/fmd/train_hr/fov${n}_raw$k.png; ln -sf $F/fov${n}_raw$k.png $Q/fmd/train_lr/; done; done
for k in $(seq 0 49); do ln -sf $F/fov18_gt_avg50.png $Q/fmd/val_hr/fov18_raw$k.png; ln -sf $F/fov18_raw$k.png $Q/fmd/val_lr/; done
for n in 19 20; do for k in $(seq 0 49); do
  ln -sf $F/fov${n}_raw$k.png $Q/fmd/test_lr/; ln -sf $F/fov${n}_gt_avg50.png $Q/fmd/test_gt/fov${n}_raw$k.png; done; done

mkdir -p $Q/fluo/hr $Q/caco/train_hr $Q/caco/train_lr $Q/caco/test4
for n in $(seq 11 20); do ln -sf $F/fov${n}_gt_avg50.png $Q/fluo/hr/; done
/usr/bin/python3 - "$D/real_pairs_sr_caco2_top" $Q/caco <<'PY'
import sys, tifffile
src, out = sys.argv[1], sys.argv[2]
d1 = tifffile.imread(src + "/div1_top.tif"); d4 = tifffile.imread(src + "/div4_top.tif")
tifffile.imwrite(out + "/train_lr/caco2.tif", d4[:, 34:128]); tifffile.imwrite(out + "/train_hr/caco2.tif", d1[:, 136:512])
tifffile.imwrite(out + "/test4/lr.tif", d4[:, 0:32]); tifffile.imwrite(out + "/test4/truth.tif", d1[:, 0:128])
PY
echo "splits in $Q"
