#!/usr/bin/env bash
# NLL-oracle of the untrained generator (seed 1) against TF1 seed-66 oracles at op seeds 0..1900 and 2126.
cd ~/seqgan-runs/src && . .venv/bin/activate
for op in $(seq 0 100 1900) 2126; do
  grep -q "^op_$op " ~/seqgan-runs/random-oracles/summary.txt 2>/dev/null && continue
  nice -n 19 python run_oracle.py --preset=paper --method=random --seed=1 --oracle=tf1 --oracle_seed=66 \
    --oracle_op_seed=$op --workdir=$HOME/seqgan-runs/random-oracles/op_$op --overwrite 2>/dev/null \
    | grep nll | sed "s/^/op_$op /" >> ~/seqgan-runs/random-oracles/summary.txt
done
