"""Entropy rate of TF1 seed-66 oracles: NLL-oracle of 9,984 of each oracle's own samples under itself."""
import os

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf

from seqgan_tf.models.oracle import Oracle

for op in list(range(0, 2000, 100)) + [2126]:
    oracle = Oracle.tf1(5000, 32, 20, graph_seed=66, op_seed=op)
    samples = oracle.sample(9984, tf.constant([1, 2]))
    print(f"op_{op} {float(oracle.mean_nll(samples)):.4f}", flush=True)
