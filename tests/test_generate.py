"""Sampling from a finished run's latest checkpoint."""
import subprocess
import sys

import numpy as np
from conftest import replace

from seqgan_tf.commands.generate import main
from seqgan_tf.inference.sample import generate
from seqgan_tf.training.trainer import Trainer, train


def test_generate_restores_the_trained_generator(tiny_config, tmp_path, capsys):
    config = replace(tiny_config, adv_iters=0, dis_pre_rounds=0)
    train(config, tmp_path, quiet=True)
    trained = Trainer(config, tmp_path, quiet=True)
    trained.restore()
    rows = generate(tmp_path, 5, seed=3)
    assert rows.shape == (5, config.seq_len) and rows.min() >= 0 and rows.max() < config.vocab_size
    import tensorflow as tf
    np.testing.assert_array_equal(rows, trained.generator.sample(5, tf.constant([3, 0])).numpy())
    top = int(np.argmax(trained.generator(rows)[0, 0]))  # most likely first token
    warm = (generate(tmp_path, 2000, temperature=1.0, seed=1)[:, 0] == top).mean()
    cold = (generate(tmp_path, 2000, temperature=0.05, seed=1)[:, 0] == top).mean()
    assert cold > warm + 0.2  # lower temperature concentrates mass on the mode
    assert main([f"--workdir={tmp_path}", "--num=3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and all(len(line.split()) == config.seq_len for line in lines)
    cli = subprocess.run([sys.executable, "-m", "seqgan_tf.commands.generate", f"--workdir={tmp_path}", "--num=2"],
                         capture_output=True, text=True, timeout=300)
    assert cli.returncode == 0 and len(cli.stdout.splitlines()) == 2
    assert "I0000" not in cli.stderr and "oneDNN" not in cli.stderr, cli.stderr


def test_generate_errors(tmp_path, capsys):
    assert main([f"--workdir={tmp_path}", "--num=3"]) == 2
    assert "config.json: not found" in capsys.readouterr().err
    assert main([f"--workdir={tmp_path}", "--num=0"]) == 2
    assert capsys.readouterr().err.strip() == "error: --num=0: expected a positive integer"
