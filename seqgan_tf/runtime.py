"""Process-wide TensorFlow settings that must be made before the first op runs."""
from __future__ import annotations

import os

import seqgan_tf._quiet  # noqa: F401  (quiet TensorFlow import)
import tensorflow as tf


def configure_threads(inter_op: int | None = None) -> int:
    """Set TF's inter-op thread pool; returns the value in force (0 = TensorFlow's default).

    Default: SEQGAN_TF_INTER_OP_THREADS if set, else 1 on machines with at most 4 cores, where
    independent ops running side by side oversubscribe the cores that each op's own (intra-op)
    threads already use: on 2 cores this makes the MLE step ~15 % faster (README, "Speed").
    Intra-op threads stay TensorFlow's default (all cores). Only the entry scripts and benchmarks call
    this; it is a no-op once TensorFlow has run an op.
    """
    if inter_op is None:
        env = os.environ.get("SEQGAN_TF_INTER_OP_THREADS")
        inter_op = int(env) if env else (1 if (os.cpu_count() or 1) <= 4 else 0)
    try:
        tf.config.threading.set_inter_op_parallelism_threads(inter_op)
    except RuntimeError:  # the runtime is already initialised: keep what is in force
        return tf.config.threading.get_inter_op_parallelism_threads()
    return inter_op
