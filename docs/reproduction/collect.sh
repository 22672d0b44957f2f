#!/usr/bin/env bash
# Copy the evidence of paper-schedule runs into the repository (issue #10):
#   bash docs/reproduction/collect.sh ~/seqgan-runs/paper
# For every run with FINISHED: config.json, experiment-log.txt and progress.txt (its progress lines, with the
# phases' wall times) to docs/reproduction/paper/<method>/seed_<n>/,
# and for mle and seqgan runs (seqgan_* too) the last evaluation's samples as samples/<phase>_<step>.txt.gz.
# paper/ holds Table 1's rows (random, mle, ss, pg_bleu, seqgan at the paper's schedule, authors_*); a run under
# any other name (another schedule, e.g. seqgan_cheap_d) goes to docs/reproduction/variants/<name>/seed_<n>/.
# `seqgan-compare docs/reproduction/paper/*/seed_*` reads these directories like run directories.
# For every unfinished run: its log so far (config.json, experiment-log.txt, progress lines) to
# docs/reproduction/in-progress/<method>/seed_<n>/, so the numbers reached survive a run directory that goes
# with its machine; a copy from an earlier start of the same run that got further is kept (the run restarted
# from scratch on a new machine) and the current start's log goes to current-start/ beside it, until the current
# start gets further and replaces both; the run's finished evidence replaces them all.
set -eu
shopt -s nullglob  # no runs yet: the loop is skipped
runs=${1:?usage: collect.sh RUNS_DIR}
here=$(cd "$(dirname "$0")" && pwd)
for log in "$runs"/*/seed_*/experiment-log.txt; do
  run=$(dirname "$log") method=$(basename "$(dirname "$(dirname "$log")")") seed=$(basename "$(dirname "$log")")
  if [ ! -e "$run/FINISHED" ]; then
    out=$here/in-progress/$method/$seed
    if [ -e "$out/experiment-log.txt" ] && [ "$(wc -l < "$out/experiment-log.txt")" -gt "$(wc -l < "$log")" ]; then
      echo "$method/$seed (in progress; kept the copy already here, an earlier start that got further;" \
        "this start's log in current-start/)"
      out=$out/current-start
    else
      rm -rf "$out/current-start"
      echo "$method/$seed (in progress)"
    fi
    mkdir -p "$out"
    cp "$run/config.json" "$log" "$out/"
    tr '\r' '\n' < "$run/progress.txt" | grep -v '^\s*$' > "$out/progress.txt"
    continue
  fi
  case $method in random|mle|ss|pg_bleu|seqgan|authors_*) dest=paper ;; *) dest=variants ;; esac
  out=$here/$dest/$method/$seed
  mkdir -p "$out"
  cp "$run/config.json" "$log" "$out/"
  tr '\r' '\n' < "$run/progress.txt" | grep -v '^\s*$' > "$out/progress.txt"  # the phases' wall times
  if [ "$method" = mle ] || [ "${method%%_*}" = seqgan ]; then
    last=$(ls "$run/samples" | grep -v '^pretrain_' | sort -t_ -k2 -n | tail -1)
    mkdir -p "$out/samples"
    gzip -9 -n -c "$run/samples/$last" > "$out/samples/$last.gz"
  fi
  rm -rf "$here/in-progress/$method/$seed"
  echo "$method/$seed"
done
