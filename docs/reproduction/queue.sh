#!/usr/bin/env bash
# Long runs one after another at low priority, resumable: bash docs/reproduction/queue.sh LIST OUT_DIR
# LIST: one run a line, '<name> <script> <flags...>' (see paper-runs.txt, longer-runs.txt); each run writes
# to OUT_DIR/<name> (--workdir is added). Run it from a checkout pinned at a fixed commit with its own venv:
#   git worktree add ~/seqgan-runs/src <commit> && (cd ~/seqgan-runs/src && python3 -m venv .venv &&
#     .venv/bin/pip install -q -e .)
#   nohup bash ~/seqgan-runs/src/docs/reproduction/queue.sh ~/seqgan-runs/src/docs/reproduction/paper-runs.txt \
#     ~/seqgan-runs/paper > /dev/null 2>&1 &
# Re-running the same command resumes every unfinished run from its last checkpoint and skips finished
# ones (each leaves <run>/FINISHED). Per run: stdout.txt (the log at the end) and progress.txt
# (progress lines with ETA, appended across resumes).
set -u
list=$(realpath "$1") out=${2:?usage: queue.sh LIST OUT_DIR}
src=$(cd "$(dirname "$0")/../.." && pwd)
cd "$src" && . .venv/bin/activate || exit 1
grep -v '^\s*\(#\|$\)' "$list" | while read -r name script args; do
  dir=$out/$name
  [ -e "$dir/FINISHED" ] && continue
  mkdir -p "$dir"
  echo "$(date -u +%FT%TZ) start/resume at $(git -C "$src" rev-parse --short HEAD)" >> "$dir/progress.txt"
  # shellcheck disable=SC2086  (args is a list of flags)
  if nice -n 19 python "$script" $args --workdir="$dir" > "$dir/stdout.txt" 2>> "$dir/progress.txt" < /dev/null; then
    date -u +%FT%TZ > "$dir/FINISHED"
  else
    echo "$(date -u +%FT%TZ) exit $? ($name); re-run this script to resume" >> "$dir/progress.txt"
    exit 1
  fi
done
