#!/usr/bin/env bash
# Long runs one after another, resumable: bash docs/reproduction/queue.sh LIST OUT_DIR
# The runs take normal priority (QUEUE_NICE=19 in the environment lowers it): put your own heavy commands
# beside a queue at nice -n 19, or pause it (kill -STOP / -CONT the run's python) for an idle-machine measurement.
# LIST: one run a line, '<name> <script> <flags...>' (see paper-runs.txt, longer-runs.txt); each run writes
# to OUT_DIR/<name> (--workdir is added). Run it from a checkout pinned at a fixed commit with its own venv:
#   git worktree add ~/seqgan-runs/src <commit> && (cd ~/seqgan-runs/src && python3 -m venv .venv &&
#     .venv/bin/pip install -q -e .)
#   nohup bash ~/seqgan-runs/src/docs/reproduction/queue.sh ~/seqgan-runs/src/docs/reproduction/paper-runs.txt \
#     ~/seqgan-runs/paper > /dev/null 2>&1 &
# Re-running the same command resumes every unfinished run from its last checkpoint and skips finished
# ones (each leaves <run>/FINISHED). Per run: stdout.txt (the log at the end) and progress.txt
# (progress lines with ETA, appended across resumes).
# If the main clone is re-created (a new machine image keeps ~/seqgan-runs but not the clone's .git/worktrees),
# git no longer reads the pinned checkout; the runs still resume (this script needs git only for the log line).
# Relink it from the new clone (C = the commit it is pinned at, in full):
#   d=.git/worktrees/src; mkdir -p $d && echo C > $d/HEAD && echo ../.. > $d/commondir &&
#     echo ~/seqgan-runs/src/.git > $d/gitdir && git -C ~/seqgan-runs/src read-tree HEAD
set -u
list=$(realpath "$1") out=${2:?usage: queue.sh LIST OUT_DIR}
src=$(cd "$(dirname "$0")/../.." && pwd)
cd "$src" && . .venv/bin/activate || exit 1
grep -v '^\s*\(#\|$\)' "$list" | while read -r name script args; do
  dir=$out/$name
  [ -e "$dir/FINISHED" ] && continue
  mkdir -p "$dir"
  rev=$(git -C "$src" rev-parse --short HEAD 2> /dev/null) || rev="an unknown commit (git cannot read $src; see queue.sh)"
  echo "$(date -u +%FT%TZ) start/resume at $rev" >> "$dir/progress.txt"
  # shellcheck disable=SC2086  (args is a list of flags)
  nice -n "${QUEUE_NICE:-0}" python "$script" $args --workdir="$dir" > "$dir/stdout.txt" 2>> "$dir/progress.txt" < /dev/null
  status=$?
  if [ "$status" = 0 ]; then
    date -u +%FT%TZ > "$dir/FINISHED"
  else
    echo "$(date -u +%FT%TZ) exit $status ($name); re-run this script to resume" >> "$dir/progress.txt"
    exit 1
  fi
done
