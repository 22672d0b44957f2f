"""Shared fixtures: a tiny config that exercises every code path in seconds."""
import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from seqgan_tf.config import Config, make_config

TINY = dict(oracle="random", oracle_seed=3, vocab_size=30, seq_len=8, emb_dim=8, hidden_dim=8,
            dis_emb_dim=8, dis_filter_sizes=(1, 2, 3), dis_num_filters=(4, 5, 6), batch_size=8,
            num_samples=64, eval_samples=32, pre_epochs=3, eval_every=2, dis_pre_rounds=1, dis_epochs=1,
            adv_iters=3, dis_rounds=1, rollout_num=2, seed=5)


@pytest.fixture
def tiny_config() -> Config:
    return make_config("paper", **TINY)


def replace(config: Config, **changes) -> Config:
    return dataclasses.replace(config, **changes)


def next_seed(trainer):
    """The stateless seed (2,) the trainer's random stream gives next, drawn from a copy of it (from_state
    given the stream's variable itself would share it and advance the run)."""
    import tensorflow as tf

    return tf.random.Generator.from_state(trainer.rng.state.numpy(), trainer.rng.algorithm).make_seeds(1)[:, 0]


# XLA compilation costs ~6 s a tiny run on this machine kind, most of a tiny test's time: the suite runs the
# plain tf.function of the same Python code (SEQGAN_TF_XLA=0 for this process, its fixtures of every scope
# and its subprocesses), except in tests marked `xla`, which check the compiled paths users run (README).
os.environ["SEQGAN_TF_XLA"] = "0"


@pytest.fixture(autouse=True)
def _xla_on_where_marked(request, monkeypatch):
    if request.node.get_closest_marker("xla") is not None:
        monkeypatch.delenv("SEQGAN_TF_XLA")


@pytest.fixture
def short_sentences(tmp_path):
    """A corpus file of 2-4 word sentences: T = 9 leaves room for tokens after <eos>."""
    rng = np.random.RandomState(0)
    words = "red green blue dog cat".split()
    lines = [" ".join(rng.choice(words, rng.randint(2, 5))) for _ in range(80)] + ["a b c d e f g h"]
    path = tmp_path / "corpus.txt"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


HELPERS = Path(__file__).resolve().parent / "helpers"  # scripts that must run in a fresh process
# For a subprocess's environment: `import tensorflow` fails, so bad input must be reported before TF starts.
NO_TENSORFLOW = {"PYTHONPATH": str(HELPERS / "no_tensorflow")}


def run_helper(*args, timeout=600, prefix=()) -> dict:
    """Run a tests/helpers script in a fresh Python (optionally under `prefix`, e.g. unshare); its JSON."""
    result = subprocess.run([*prefix, sys.executable, *map(str, args)], capture_output=True, text=True,
                            timeout=timeout, cwd=HELPERS.parents[1])
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_script(*flags, script="run_oracle.py", env=None, timeout=300) -> subprocess.CompletedProcess:
    """python <script> flags..., from the repository root, with `env` added to the environment."""
    root = HELPERS.parents[1]
    return subprocess.run([sys.executable, str(root / script), *flags], capture_output=True, text=True,
                          timeout=timeout, cwd=root, env={**os.environ, **(env or {})})


# The longest files first (their summed test times on 2026-12-02, slowest first): pytest-xdist's loadfile
# hands files to the workers in collection order, so the suite no longer ends with one worker alone on
# a long file while the others idle (the wall time is then about the work divided by the workers).
LONGEST_FILES = ("test_faults.py", "test_trainer.py", "test_distribute_runs.py", "test_run_oracle.py",
                 "test_serving.py", "test_frontier.py", "test_distribute.py", "test_tasks.py", "test_packaging.py",
                 "test_methods.py", "test_api.py", "test_run_text.py", "test_quiet.py", "test_fresh_adam.py")


def pytest_collection_modifyitems(items):
    rank = {name: i for i, name in enumerate(LONGEST_FILES)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: each file keeps its order
