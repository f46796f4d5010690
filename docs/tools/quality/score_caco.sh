#!/usr/bin/env bash
# Scores a x4 fluorescence model on the held-out left quarter of the real SR-CACO-2 pair (LR div4
# columns 0-31 against div1 columns 0-127), registered and intensity-fitted, next to bicubic and the
# best blur. The crop is restored on its own, as a user would restore a new acquisition.
#
#   docs/tools/quality/score_caco.sh TAG MODEL
set -euo pipefail
Q=out/quality/caco; tag=$1; model=$2
dec=${DEC:-bin/decrappify}
mkdir -p $Q/pred $Q/scores
"$dec" restore -q -m "$model" -i $Q/test4/lr.tif -o $Q/pred/$tag.tif --overwrite > /dev/null
rm -f $Q/scores/$tag.csv
"$dec" evaluate --prediction $Q/pred/$tag.tif --truth $Q/test4/truth.tif --lr $Q/test4/lr.tif --scale 4 \
  --register --fit-intensity --margin 8 --csv $Q/scores/$tag.csv | tail -n 6
