#!/usr/bin/env bash
#SBATCH --job-name=decrappify-restore
#SBATCH --array=0-9
#SBATCH --cpus-per-task=8
#SBATCH --mem=16G
#SBATCH --time=04:00:00
#SBATCH --output=decrappify-%A_%a.log
#
# Restore a large folder of images with a SLURM job array: array task i of N restores every N-th file
# (files sorted by name, starting at the i-th), with bin/decrappify restore, into one output folder.
#
#   sbatch --array=0-9 bin/slurm-restore.sh /data/lr /data/x4 em-x4-unet-s [restore options, e.g. --tile 512]
#
# Restartable: outputs that are already complete are skipped (--skip-existing), so resubmitting the
# same array (or only its failed indices, e.g. --array=3,7) finishes the job. Outputs are written as
# <name>.part and renamed when complete, so a killed task leaves no half-written result.
# Logs are plain lines on stderr (one per image, then a summary; --output above collects both streams);
# stdout stays empty. On failure the task exits non-zero and its last
# line on stderr says why ("slurm-restore: error: ..." or "decrappify restore: failed: FILE: reason").
# Never prompts. GPU: add '#SBATCH --gres=gpu:1' and build with 'mvn -Pgpu package'; --device auto uses it.
#
# Run locally, one array index at a time (no SLURM needed):
#   SLURM_ARRAY_TASK_ID=0 SLURM_ARRAY_TASK_COUNT=3 bin/slurm-restore.sh /data/lr /data/x4 em-x4-unet-s
#   SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=3 bin/slurm-restore.sh /data/lr /data/x4 em-x4-unet-s
# Environment: DECRAPPIFY (the command to run, default bin/decrappify beside this script), JAVA_OPTS
# (e.g. -Xmx12g), DECRAPPIFY_MODELS, DECRAPPIFY_CACHE (see bin/decrappify). Build once on the login node
# (bin/decrappify --help) so that the tasks do not all build at the same time.
set -euo pipefail

fail() {
  echo "slurm-restore: error: $*" >&2
  exit 1
}

[ $# -ge 3 ] || fail "usage: slurm-restore.sh INPUT_DIR OUTPUT_DIR MODEL [restore options]"
input=$1
output=$2
model=$3
shift 3
[ -d "$input" ] || fail "input folder $input does not exist"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
decrappify=${DECRAPPIFY:-$here/decrappify}

# This task's index and the number of tasks, from SLURM (0-based whatever --array's first index is).
min=${SLURM_ARRAY_TASK_MIN:-0}
task=${SLURM_ARRAY_TASK_ID:-0}
if [ -n "${SLURM_ARRAY_TASK_COUNT:-}" ]; then
  count=$SLURM_ARRAY_TASK_COUNT
elif [ -n "${SLURM_ARRAY_TASK_MAX:-}" ]; then
  count=$(( SLURM_ARRAY_TASK_MAX - min + 1 ))
else
  count=1
fi
[[ "$task" =~ ^[0-9]+$ && "$count" =~ ^[0-9]+$ && "$count" -ge 1 ]] || fail "bad array settings: task '$task', count '$count'"
index=$(( task - min ))
{ [ "$index" -ge 0 ] && [ "$index" -lt "$count" ]; } || fail "array task $task is outside 0..$(( count - 1 )) (+ min $min)"

# This task's share, as links in a private folder: the restore command then treats it as any folder.
share=$(mktemp -d "${TMPDIR:-/tmp}/decrappify-share-${SLURM_ARRAY_JOB_ID:-local}-$task.XXXXXX")
trap 'rm -rf "$share"' EXIT
i=0
n=0
while IFS= read -r -d '' file; do
  name=$(basename "$file")
  case "$name" in .*) continue ;; esac
  if [ $(( i % count )) -eq "$index" ]; then
    ln -s "$(cd "$(dirname "$file")" && pwd)/$name" "$share/$name"
    n=$(( n + 1 ))
  fi
  i=$(( i + 1 ))
done < <(find "$input" -maxdepth 1 -type f -print0 | LC_ALL=C sort -z)

echo "slurm-restore: task $task ($(( index + 1 )) of $count): $n of $i files from $input into $output with $model on $(hostname)" >&2
if [ "$n" -eq 0 ]; then
  echo "slurm-restore: task $task: nothing to do" >&2
  exit 0
fi
mkdir -p "$output" || fail "cannot create output folder $output"
status=0
"$decrappify" restore -m "$model" -i "$share" -o "$output" --skip-existing "$@" || status=$?
if [ "$status" -ne 0 ]; then
  echo "slurm-restore: error: task $task: restore exited with $status; see the lines above (rerun the same index to retry)" >&2
  exit "$status"
fi
echo "slurm-restore: task $task done" >&2
