"""docs/reproduction/fresh_adam.py: a run resumed with the generator's policy-gradient Adam started afresh."""
import importlib.util
from pathlib import Path

import numpy as np
import pytest
import tensorflow as tf
from conftest import TINY

from seqgan_tf.config import make_config
from seqgan_tf.training.trainer import Trainer

SCRIPT = Path(__file__).resolve().parents[1] / "docs" / "reproduction" / "fresh_adam.py"
spec = importlib.util.spec_from_file_location("fresh_adam", SCRIPT)
fresh_adam = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fresh_adam)


class Stop(Exception):
    pass


def _stop_after_iteration(n):
    def check(trainer):
        if int(trainer.counters["adv_iters"]) == n:
            raise Stop
    return check


def _state(run):
    reader = tf.train.load_checkpoint(tf.train.latest_checkpoint(str(run / "checkpoints")))
    return {k: reader.get_tensor(k) for k in reader.get_variable_to_shape_map() if not k.startswith("_")}


def test_the_policy_gradient_adam_restarts_and_everything_else_resumes_as_it_was(tmp_path, capsys):
    config = make_config("paper", **dict(TINY, adv_iters=3))
    run = tmp_path / "run"
    with pytest.raises(Stop):
        Trainer(config, run, quiet=True, on_checkpoint=_stop_after_iteration(2)).run()
    before = _state(run)
    assert fresh_adam.main([str(run)]) == 0
    assert "starts afresh after adversarial iteration 2" in capsys.readouterr().out
    after = _state(run)
    assert before.keys() == after.keys()
    adam = [k for k in after if k.startswith("g_adv_opt/")]
    for key in after:
        if key in adam and "learning_rate" not in key:
            assert not np.any(after[key]) and np.any(before[key]), key  # moments and step counter zeroed
        elif not key.startswith("save_counter"):
            np.testing.assert_array_equal(after[key], before[key], err_msg=key)  # incl. the learning rate
    assert len(adam) == 2 + 2 * 6  # the counter, the learning rate, a momentum and a velocity per weight

    resumed = Trainer(config, run, quiet=True)
    log = resumed.run()["log"]
    assert int(resumed.g_adv_opt.iterations) == 1  # iteration 2 from a fresh start
    assert log.count("\n") == (run / "experiment-log.txt").read_text().count("\n")

