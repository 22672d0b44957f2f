"""Process-wide TensorFlow settings that must be made before the first op runs."""
from __future__ import annotations

import os

import seqgan_tf._quiet  # noqa: F401  (quiet TensorFlow import)
import tensorflow as tf


def configure_threads(inter_op: int | None = None) -> int:
    """Set TF's inter-op thread pool from `inter_op` or SEQGAN_TF_INTER_OP_THREADS; 0 = TF's default.

    By default TensorFlow's own choice is kept: on 2 cores, one inter-op thread measured no faster for
    any phase (README, "Speed"). Intra-op threads (each op's own parallelism) always use all cores.
    A no-op once TensorFlow has run an op; returns the value in force.
    """
    if inter_op is None:
        inter_op = int(os.environ.get("SEQGAN_TF_INTER_OP_THREADS", "0"))
    try:
        tf.config.threading.set_inter_op_parallelism_threads(inter_op)
    except RuntimeError:  # the runtime is already initialised: keep what is in force
        return tf.config.threading.get_inter_op_parallelism_threads()
    return inter_op
