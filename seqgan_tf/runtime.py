"""Process-wide TensorFlow settings: threads (before the first op runs) and the XLA switch (at every call)."""
from __future__ import annotations

import functools
import os

import seqgan_tf._quiet  # noqa: F401  (quiet TensorFlow import)

import tensorflow as tf


def configure_threads(inter_op: int | None = None) -> int:
    """Set TF's inter-op thread pool from `inter_op` or SEQGAN_TF_INTER_OP_THREADS; 0 = TF's default.

    By default TensorFlow's own choice is kept: on 2 cores, one inter-op thread measured no faster for
    any phase (docs/speed.md). Intra-op threads (each op's own parallelism) always use all cores.
    A no-op once TensorFlow has run an op; returns the value in force.
    """
    if inter_op is None:
        inter_op = int(os.environ.get("SEQGAN_TF_INTER_OP_THREADS", "0"))
    try:
        tf.config.threading.set_inter_op_parallelism_threads(inter_op)
    except RuntimeError:  # the runtime is already initialised: keep what is in force
        return tf.config.threading.get_inter_op_parallelism_threads()
    return inter_op


def xla_enabled() -> bool:
    """True unless SEQGAN_TF_XLA=0 (read at every call, so a process can switch; default: on)."""
    return os.environ.get("SEQGAN_TF_XLA", "1").strip() != "0"


def xla_function(fn):
    """`tf.function(jit_compile=True)` for a method, or a plain `tf.function` when SEQGAN_TF_XLA=0 or the
    instance says `xla_ok = False` (a step run over several replicas).

    XLA is used only where it measured faster (docs/speed.md); compiling costs seconds per model,
    which dominates tiny runs (the test suite turns it off except in the tests that check the compiled
    paths). Both variants trace the same Python function, so the arithmetic is the same graph; each
    instance keeps its own traces (tf.function's per-instance cache), so switching retraces nothing.
    """
    compiled, plain = tf.function(fn, jit_compile=True), tf.function(fn)

    @functools.wraps(fn)
    def call(self, *args, **kwargs):
        function = compiled if xla_enabled() and getattr(self, "xla_ok", True) else plain
        return function.__get__(self, type(self))(*args, **kwargs)

    call.compiled, call.plain = compiled, plain
    return call
