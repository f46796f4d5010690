#!/usr/bin/env bash
# Restores every degradation case of an evaluation set with one model and scores it against the truth
# with `decrappify evaluate` (bicubic and best-blur baselines, affine intensity fit).
#
#   docs/tools/quality/score.sh EVALDIR TAG MODEL [CASES]       (MODEL: bundle, zip or installed name)
#   PEER=1 docs/tools/quality/score.sh EVALDIR TAG MODEL.pt ...  (a ../shared/tools/peer_train.py model)
#
# EVALDIR is what make_eval.py wrote (truth/ and one folder per case). Restorations go to
# EVALDIR/../pred/TAG/CASE/, scores to EVALDIR/../scores/TAG.CASE.csv (read them with table.py).
set -euo pipefail
ev=$1; tag=$2; model=$3; cases=${4:-clean,p150,p30,g05,blur_p60}; scale=${SCALE:-4}
root=$(dirname "$ev")
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
dec=${DEC:-$here/bin/decrappify}
peer=${PEER_TRAIN:-$here/../shared/tools/peer_train.py}
mkdir -p "$root/scores"
for c in ${cases//,/ }; do
  out="$root/pred/$tag/$c"; mkdir -p "$out"
  if [ "${PEER:-0}" = 1 ]; then
    for f in "$ev/$c"/*.tif; do /usr/bin/python3 "$peer" apply --scale "$scale" --model "$model" -i "$f" -o "$out/$(basename "$f")"; done
  else
    "$dec" restore -q -m "$model" -i "$ev/$c" -o "$out" --overwrite > /dev/null
  fi
  rm -f "$root/scores/$tag.$c.csv"
  "$dec" evaluate --prediction "$out" --truth "$ev/truth" --lr "$ev/$c" --scale "$scale" --fit-intensity \
    --csv "$root/scores/$tag.$c.csv" > /dev/null
done
