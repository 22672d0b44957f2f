"""docs/reproduction/rollout_lag.py: the policy gradient with the run's rollout network against the live generator."""
import importlib.util
from pathlib import Path

import numpy as np
from conftest import TINY

from seqgan_tf.config import make_config
from seqgan_tf.training.trainer import Trainer, train

SCRIPT = Path(__file__).resolve().parents[1] / "docs" / "reproduction" / "rollout_lag.py"
spec = importlib.util.spec_from_file_location("rollout_lag", SCRIPT)
rollout_lag = importlib.util.module_from_spec(spec)
spec.loader.exec_module(rollout_lag)


def test_the_lagged_rollout_network_is_compared_with_a_copy_of_the_generator(tmp_path, capsys):
    report = {}
    for rate in (0.0, 0.8):
        config = make_config("paper", **dict(TINY, adv_iters=2, rollout_update_rate=rate))
        train(config, tmp_path / str(rate), quiet=True)
        assert rollout_lag.main([str(tmp_path / str(rate)), "--batches=1", "--seeds=2"]) == 0
        report[rate] = capsys.readouterr().out.splitlines()
    distance = {rate: float(lines[0].rsplit("= ", 1)[1]) for rate, lines in report.items()}
    assert distance[0.0] == 0 and distance[0.8] > 0  # rate 0: the rollout network is the generator
    reward_diff, same_seed_cos = ({rate: float(lines[2].split(" | ")[col]) for rate, lines in report.items()}
                                  for col in (2, 3))
    # the same network with the same random numbers: the same rewards and gradient
    assert reward_diff[0.0] == 0 and same_seed_cos[0.0] == 1.0
    assert reward_diff[0.8] > 0  # the lagged network completes some prefixes differently
    assert len(report[0.8]) == 3 and report[0.8][2].startswith("0 | ")


def test_every_weight_is_restored_as_the_trainer_restores_it(tmp_path):
    config = make_config("paper", **dict(TINY, adv_iters=1))
    train(config, tmp_path, quiet=True)
    trainer = Trainer(config, tmp_path, quiet=True)
    assert trainer.restore()
    _, _, generator, rollout, discriminator = rollout_lag.restore_models(tmp_path)
    for ours, theirs in ((generator, trainer.generator), (rollout, trainer.rollout),
                         (discriminator, trainer.discriminator)):
        for a, b in zip(ours.weights, theirs.weights, strict=True):
            np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=a.path)


def test_a_directory_without_a_checkpoint_is_one_line(tmp_path, capsys):
    assert rollout_lag.main([str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith(f"error: {tmp_path}/config.json: not found")
