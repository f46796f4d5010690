#!/usr/bin/env bash
# Scores a multi-frame EM model on the ISBI stacks stacks.py wrote: restores eval3/CASE/isbi30.tif,
# splits the result into the per-section files `evaluate` compares with eval/truth (same scores as score.sh).
#
#   docs/tools/quality/score_frames.sh TAG MODEL [CASES]
set -euo pipefail
tag=$1; model=$2; cases=${3:-clean,p150,p30,g05,blur_p60,lowsnr}
E=out/quality/em; dec=${DEC:-bin/decrappify}
for c in ${cases//,/ }; do
  o=$E/pred/$tag/$c; mkdir -p "$o"
  "$dec" restore -q -m "$model" -i $E/eval3/$c/isbi30.tif -o "$o/stack.tif" --overwrite > /dev/null
  /usr/bin/python3 - "$o" $E/eval/truth <<'PY'
import sys, os, glob, tifffile
o, truth = sys.argv[1], sys.argv[2]
st = tifffile.imread(o + "/stack.tif"); names = sorted(os.path.basename(f) for f in glob.glob(truth + "/*.tif"))
assert st.shape[0] == len(names), (st.shape, len(names))
for n, p in zip(names, st): tifffile.imwrite(o + "/" + n, p)
os.remove(o + "/stack.tif")
PY
  rm -f $E/scores/$tag.$c.csv
  "$dec" evaluate --prediction "$o" --truth $E/eval/truth --lr $E/eval/$c --scale 4 --fit-intensity --csv $E/scores/$tag.$c.csv > /dev/null
done
