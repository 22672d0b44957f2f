"""seqgan_tf: SeqGAN (Yu et al., AAAI 2017) in TensorFlow 2 / Keras 3, faithful to the authors' code.

Importing the package is cheap (no TensorFlow); the modules that need TensorFlow import it quietly.
"""
from seqgan_tf.config import PRESETS, Config, make_config
from seqgan_tf.errors import ConfigError, OracleFileError, SeqGANError, WorkdirError

__version__ = "0.1.0"
__all__ = ["Config", "PRESETS", "make_config", "SeqGANError", "ConfigError", "OracleFileError",
           "WorkdirError", "__version__"]
