"""seqgan_tf._quiet: no TensorFlow C++ log lines at import or at the first ops of a run, and no retracing
warnings from runs back to back (the user's own functions keep theirs)."""
import os
import subprocess
import sys

from conftest import TINY

# An int32 transpose is the first op that makes TF 2.21 log oneDNN's ERROR-level "oneDNN supports
# DT_INT32 only on platforms with AVX-512" on some AVX-512 CPUs (AMD family 26); elsewhere it logs nothing.
FIRST_OPS = ("import os; from seqgan_tf import Trainer; import tensorflow as tf; "
             "x = tf.constant([[1, 2]], tf.int32); tf.transpose(x); "
             "tf.matmul(tf.cast(x, tf.float32), tf.ones((2, 1))); "
             "print(os.environ['TF_CPP_MIN_LOG_LEVEL'])")


# Two short runs in one process (a notebook, or --seeds): their tf.functions trace again for the new models.
TWO_RUNS_THEN_MINE = f"""
import seqgan_tf as sg
for seed in (1, 2):
    config = sg.make_config("paper", **dict({dict(TINY, pre_epochs=1, dis_pre_rounds=0, adv_iters=1)!r}, seed=seed))
    sg.train(config, f"run_{{seed}}", quiet=True)
import tensorflow as tf
@tf.function
def mine(x):
    return x
for n in range(6):
    mine(n)  # a Python int: a new trace per call
"""


def python(code, cwd=None, **env):
    unset = ("TF_CPP_MIN_LOG_LEVEL", "SEQGAN_TF_VERBOSE_IMPORT")
    environ = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          env={**environ, **env}, cwd=cwd)


def test_import_and_first_ops_print_no_tensorflow_log_lines():
    result = python(FIRST_OPS)
    assert result.returncode == 0 and result.stdout.strip() == "3", result.stderr
    assert result.stderr == "", result.stderr


def test_a_log_level_the_user_set_is_kept():
    assert python(FIRST_OPS, TF_CPP_MIN_LOG_LEVEL="1").stdout.strip() == "1"


def test_runs_back_to_back_print_no_retracing_warning_but_the_users_functions_do(tmp_path):
    result = python(TWO_RUNS_THEN_MINE, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]  # nothing else: ours are dropped
    assert lines and all("<function mine at" in ln and "triggered tf.function retracing" in ln for ln in lines), \
        result.stderr[-3000:]
    assert (tmp_path / "run_2" / "experiment-log.txt").exists()
