#!/usr/bin/env bash
# The paper-schedule runs of REPRODUCTION.md (issue #10), one after another at low priority.
# Run it from a checkout pinned at a fixed commit, with that checkout's own venv in .venv:
#   git worktree add ~/seqgan-runs/src <commit> && (cd ~/seqgan-runs/src && python3 -m venv .venv &&
#     .venv/bin/pip install -q -e .)
#   nohup bash ~/seqgan-runs/src/docs/reproduction/paper/run.sh ~/seqgan-runs/paper > /dev/null 2>&1 &
# Re-running the same command resumes every unfinished run from its last checkpoint and skips finished
# ones (each finished run leaves <run>/FINISHED). Per run: stdout.txt (the log at the end) and
# progress.txt (progress lines with ETA, appended across resumes).
set -u
out=${1:-$HOME/seqgan-runs/paper}
src=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$src" && . .venv/bin/activate || exit 1
RUNS=${RUNS:-"random:1 random:2 random:3 mle:1 mle:2 mle:3 seqgan:88 ss:1 ss:2 ss:3 pg_bleu:1 pg_bleu:2 pg_bleu:3"}
for run in $RUNS; do
  method=${run%%:*} seed=${run##*:}
  dir=$out/$method/seed_$seed
  [ -e "$dir/FINISHED" ] && continue
  mkdir -p "$dir"
  echo "$(date -u +%FT%TZ) start/resume at $(git -C "$src" rev-parse --short HEAD)" >> "$dir/progress.txt"
  if nice -n 19 python run_oracle.py --preset=paper --method="$method" --seed="$seed" --workdir="$dir" \
      > "$dir/stdout.txt" 2>> "$dir/progress.txt"; then
    date -u +%FT%TZ > "$dir/FINISHED"
  else
    echo "$(date -u +%FT%TZ) exit $? ($method seed $seed); re-run this script to resume" >> "$dir/progress.txt"
    exit 1
  fi
done
echo "all paper-schedule runs finished: $out"
