"""Import TensorFlow without its start-up wall of C++ log lines (oneDNN, CUDA probing, CPU features).

TF 2.21 logs these through absl before its log level is read, so TF_CPP_MIN_LOG_LEVEL cannot hide
them. We capture file descriptor 2 while importing and replay every line that is not known noise.
After the import, TF_CPP_MIN_LOG_LEVEL (default here 3: C++ errors too, which TensorFlow also raises as
Python exceptions) hides the notices TF logs at the first op of a kind, such as oneDNN's ERROR-level
"oneDNN supports DT_INT32 only on platforms with AVX-512" on some AVX-512 CPUs. Set
SEQGAN_TF_VERBOSE_IMPORT=1 to see everything, or TF_CPP_MIN_LOG_LEVEL yourself to choose the level.

Also dropped: TensorFlow's "N out of the last M calls to <function ...> triggered tf.function retracing"
warning when our own code made the calls. Every run (each seed of --seeds, each train() in a notebook)
builds new models, and a tf.function bound to a new model traces again by design; TensorFlow counts the
traces of one method over all its instances and warns after 5 in 10 calls, which short runs back to back
reach. The warning still shows for the user's own tf.functions (no seqgan_tf frame on the stack).
"""
from __future__ import annotations

import logging
import os
import re
import sys
import tempfile

_NOISE = re.compile(r"^(I0000|E0000|W0000|WARNING: All log messages before absl::InitializeLog)|"
                    r"cuda|oneDNN|rebuild TensorFlow with the appropriate compiler flags|"
                    r"To enable the following instructions|cpu_feature_guard")


def import_tensorflow_quietly() -> None:
    """Import tensorflow and keras with the known start-up noise on fd 2 dropped."""
    verbose = bool(os.environ.get("SEQGAN_TF_VERBOSE_IMPORT"))
    if not verbose:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    backend = os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    if backend != "tensorflow":
        raise ImportError(f"seqgan_tf needs Keras's TensorFlow backend, but KERAS_BACKEND={backend}; "
                          "unset it or set KERAS_BACKEND=tensorflow")
    if not verbose:
        logging.getLogger("tensorflow").addFilter(_drop_our_retracing_warning)
    if "tensorflow" in sys.modules or verbose:
        import tensorflow  # noqa: F401
        return
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as captured:
        os.dup2(captured.fileno(), 2)
        try:
            import keras  # noqa: F401
            import tensorflow as tf

            tf.config.list_physical_devices()  # device discovery logs its CUDA probing here
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            kept = [ln for ln in captured.read().decode("utf-8", "replace").splitlines()
                    if ln.strip() and not _NOISE.search(ln)]
            if kept:
                print("\n".join(kept), file=sys.stderr)


def _drop_our_retracing_warning(record: logging.LogRecord) -> bool:
    """A logging filter: False (drop) for TF's frequent-retracing warning raised under seqgan_tf's code."""
    if "triggered tf.function retracing" not in record.getMessage():
        return True
    frame = sys._getframe(1)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module.startswith("seqgan_tf.") and module != __name__:
            return False
        frame = frame.f_back
    return True


import_tensorflow_quietly()
