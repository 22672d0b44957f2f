#!/usr/bin/env bash
# Copy the evidence of finished paper-schedule runs into the repository (issue #10):
#   bash docs/reproduction/collect.sh ~/seqgan-runs/paper
# For every run with FINISHED: config.json and experiment-log.txt to docs/reproduction/paper/<method>/seed_<n>/,
# and for mle and seqgan runs the last evaluation's samples as samples/<phase>_<step>.txt.gz.
# `python -m seqgan_tf.compare docs/reproduction/paper/*/seed_*` reads these directories like run directories.
set -eu
runs=${1:?usage: collect.sh RUNS_DIR}
here=$(cd "$(dirname "$0")" && pwd)
for done in "$runs"/*/seed_*/FINISHED; do
  run=$(dirname "$done") method=$(basename "$(dirname "$(dirname "$done")")") seed=$(basename "$(dirname "$done")")
  out=$here/paper/$method/$seed
  mkdir -p "$out"
  cp "$run/config.json" "$run/experiment-log.txt" "$out/"
  if [ "$method" = mle ] || [ "$method" = seqgan ]; then
    last=$(ls "$run/samples" | grep -v '^pretrain_' | sort -t_ -k2 -n | tail -1)
    mkdir -p "$out/samples"
    gzip -9 -n -c "$run/samples/$last" > "$out/samples/$last.gz"
  fi
  echo "$method/$seed"
done
