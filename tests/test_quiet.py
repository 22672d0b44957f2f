"""seqgan_tf._quiet: no TensorFlow C++ log lines at import or at the first ops of a run."""
import os
import subprocess
import sys

# An int32 transpose is the first op that makes TF 2.21 log oneDNN's ERROR-level "oneDNN supports
# DT_INT32 only on platforms with AVX-512" on some AVX-512 CPUs (AMD family 26); elsewhere it logs nothing.
FIRST_OPS = ("import os; from seqgan_tf import Trainer; import tensorflow as tf; "
             "x = tf.constant([[1, 2]], tf.int32); tf.transpose(x); "
             "tf.matmul(tf.cast(x, tf.float32), tf.ones((2, 1))); "
             "print(os.environ['TF_CPP_MIN_LOG_LEVEL'])")


def python(code, **env):
    unset = ("TF_CPP_MIN_LOG_LEVEL", "SEQGAN_TF_VERBOSE_IMPORT")
    environ = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          env={**environ, **env})


def test_import_and_first_ops_print_no_tensorflow_log_lines():
    result = python(FIRST_OPS)
    assert result.returncode == 0 and result.stdout.strip() == "3", result.stderr
    assert result.stderr == "", result.stderr


def test_a_log_level_the_user_set_is_kept():
    assert python(FIRST_OPS, TF_CPP_MIN_LOG_LEVEL="1").stdout.strip() == "1"
