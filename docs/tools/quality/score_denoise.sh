#!/usr/bin/env bash
# Scores a x1 denoiser on the held-out FMD fields 19-20 (100 real raw frames against their 50-frame
# means), next to the raw frame and the best Gaussian filter (evaluate's baselines at scale 1).
#
#   docs/tools/quality/score_denoise.sh TAG MODEL [N]   (N: first N frames per field; default all 50)
set -euo pipefail
Q=out/quality/fmd; tag=$1; model=$2; n=${3:-50}
dec=${DEC:-bin/decrappify}
in=$Q/sel_$n; rm -rf "$in"; mkdir -p "$in/lr" "$in/gt"
for f in 19 20; do for k in $(seq 0 $((n - 1))); do
  ln -sf "$(readlink -f $Q/test_lr/fov${f}_raw$k.png)" "$in/lr/"; ln -sf "$(readlink -f $Q/test_gt/fov${f}_raw$k.png)" "$in/gt/fov${f}_raw$k.png"; done; done
out=$Q/pred/$tag; mkdir -p "$out" $Q/scores
"$dec" restore -q -m "$model" -i "$in/lr" -o "$out" --overwrite > /dev/null
rm -f $Q/scores/$tag.csv
"$dec" evaluate --prediction "$out" --truth "$in/gt" --lr "$in/lr" --scale 1 --fit-intensity --csv $Q/scores/$tag.csv | tail -n 6
