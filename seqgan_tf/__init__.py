"""seqgan_tf: SeqGAN (Yu et al., AAAI 2017) in TensorFlow 2 / Keras 3, faithful to the authors' code.

The public API (README, "Use from Python"):

    Config, PRESETS, make_config          the run's hyper-parameters (config.py)
    train(config, workdir, task=...)      train or resume a run; Trainer is the object behind it
    OracleTask(config)                    the synthetic oracle experiment (paper Sec. 4), the default task
    text_task(sentences | train_file=)    (config, task) for your own corpus; CorpusTask is the task class
    load_generator(workdir)               the trained generator (a Keras model) of a run
    sample(workdir, num, temperature)     decoded samples (text) or token ids (oracle)
    export(workdir, out)                  a SavedModel that loads without this package
    SeqGANError and subclasses            every input error (one line, no traceback)

Importing the package is cheap (no TensorFlow): the names that need it load on first use.
"""
from seqgan_tf.config import PRESETS, Config, make_config
from seqgan_tf.errors import CheckpointError, ConfigError, OracleFileError, SeqGANError, StorageError, WorkdirError

__version__ = "0.1.0"

_LAZY = {  # name -> module that defines it; imported on first attribute access (PEP 562)
    "train": "seqgan_tf.training.trainer", "Trainer": "seqgan_tf.training.trainer",
    "OracleTask": "seqgan_tf.data.tasks", "CorpusTask": "seqgan_tf.data.tasks",
    "text_task": "seqgan_tf.api", "sample": "seqgan_tf.api",
    "load_generator": "seqgan_tf.inference.sample", "export": "seqgan_tf.inference.export",
    "DataError": "seqgan_tf.data.datasets",
}

__all__ = ["Config", "PRESETS", "make_config", "SeqGANError", "ConfigError", "OracleFileError", "WorkdirError",
           "StorageError", "CheckpointError", "__version__", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'seqgan_tf' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
