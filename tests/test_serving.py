"""The exported SavedModel, loaded in a process where seqgan_tf cannot be imported."""
import json
import subprocess
import sys

import numpy as np
import pytest
from conftest import replace
from test_tasks import custom, text_run

from seqgan_tf.commands.export import main
from seqgan_tf.inference.export import export
from seqgan_tf.inference.sample import generate, load_generator
from seqgan_tf.training.trainer import train

# Runs in a fresh interpreter with seqgan_tf made unimportable: plain TensorFlow only.
LOADER = """
import json, sys
sys.modules["seqgan_tf"] = None  # any import of seqgan_tf now fails
import tensorflow as tf
m = tf.saved_model.load(sys.argv[1])
out = {"signatures": sorted(m.signatures)}
for num, t, seed in json.loads(sys.argv[2]):
    tokens = m.sample(num=num, temperature=t, seed=seed)["tokens"]
    out[f"{num},{t},{seed}"] = tokens.numpy().tolist()
    out[f"log_prob {num},{t},{seed}"] = m.log_prob(tokens)["log_prob"].numpy().tolist()
if "sample_text" in m.signatures:
    out["text"] = [s.decode() for s in m.sample_text(num=4, temperature=1.0, seed=2)["text"].numpy()]
    out["vocab"] = open(m.vocab_asset.asset_path.numpy().decode(), encoding="utf-8").read().split("\\n")[:-1]
    out["sig_text"] = [s.decode() for s in m.signatures["sample_text"](
        num=tf.constant(4), temperature=tf.constant(1.0), seed=tf.constant(2))["text"].numpy()]
for name, call in (("bad_token", lambda: m.log_prob(tf.fill([1, tokens.shape[1]], 10 ** 6))),
                   ("bad_temperature", lambda: m.sample(num=2, temperature=0.0, seed=0)),
                   ("bad_num", lambda: m.sample(num=0, temperature=1.0, seed=0))):
    try:
        call()
        out[name] = "no error"
    except tf.errors.InvalidArgumentError as e:
        out[name] = e.message
print(json.dumps(out))
"""

CASES = [[5, 1.0, 3], [700, 1.0, 1], [5, 0.7, 3]]  # 700 rows: the sampler's multi-block path


def load_elsewhere(path, tmp_path, cases=CASES):
    result = subprocess.run([sys.executable, "-c", LOADER, str(path), json.dumps(cases)], capture_output=True,
                            text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def oracle_run(tmp_path_factory):
    from conftest import TINY

    from seqgan_tf.config import make_config

    workdir = tmp_path_factory.mktemp("run")
    train(make_config("paper", **{**TINY, "adv_iters": 1}), workdir, quiet=True)
    return workdir


def test_oracle_export_samples_and_scores_like_the_checkpoint(oracle_run, tmp_path):
    out = tmp_path / "exported"
    assert main([f"--workdir={oracle_run}", f"--out={out}"]) == 0
    got = load_elsewhere(out, tmp_path)
    assert got["signatures"] == ["log_prob", "sample"]
    generator = load_generator(oracle_run)
    for num, t, seed in CASES:
        want = generate(oracle_run, num, t, seed)
        np.testing.assert_array_equal(np.array(got[f"{num},{t},{seed}"]), want)
        log_p = generator.token_log_probs(want).numpy().sum(axis=1)
        np.testing.assert_allclose(got[f"log_prob {num},{t},{seed}"], log_p, rtol=1e-5)
    assert "log_prob: token ids must be < V = 30" in got["bad_token"]
    assert "sample: temperature must be > 0" in got["bad_temperature"]
    assert "sample: num must be >= 1" in got["bad_num"]


def test_mle_checkpoint_export_differs_from_latest(oracle_run, tmp_path):
    export(oracle_run, tmp_path / "mle", checkpoint="mle")
    got = load_elsewhere(tmp_path / "mle", tmp_path, cases=[[64, 1.0, 0]])
    np.testing.assert_array_equal(np.array(got["64,1.0,0"]), generate(oracle_run, 64, 1.0, 0, checkpoint="mle"))
    assert not np.array_equal(np.array(got["64,1.0,0"]), generate(oracle_run, 64, 1.0, 0))


def test_text_export_decodes_to_vocabulary_tokens(short_sentences, tmp_path):
    import seqgan_tf as sg

    config, task = text_run(custom(short_sentences), pre_epochs=2, eval_every=2, adv_iters=0, dis_pre_rounds=0)
    train(config, tmp_path / "run", task=task, quiet=True)
    sg.export(tmp_path / "run", tmp_path / "exported")
    got = load_elsewhere(tmp_path / "exported", tmp_path, cases=[[4, 1.0, 2]])
    assert got["vocab"] == list(task.corpus.vocab.tokens)
    assert got["text"] == got["sig_text"] == sg.sample(tmp_path / "run", num=4, seed=2)
    words = set(task.corpus.vocab.tokens) - {"<pad>", "<eos>"}
    assert all(w in words for line in got["text"] for w in line.split())
    # log_prob sums up to and including each row's first <eos>, as NLL-test does.
    tokens = np.array(got["4,1.0,2"])
    generator = load_generator(tmp_path / "run")
    per_token = generator.token_log_probs(tokens).numpy()
    mask = np.cumsum(np.cumsum(tokens == config.eos_token, axis=1) > 0, axis=1) <= 1
    np.testing.assert_allclose(got["log_prob 4,1.0,2"], (per_token * mask).sum(axis=1), rtol=1e-5)


def test_export_errors(oracle_run, tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main([f"--workdir={empty}", f"--out={tmp_path / 'x'}"]) == 2
    assert "config.json: not found" in capsys.readouterr().err
    (tmp_path / "taken").mkdir()
    assert main([f"--workdir={oracle_run}", f"--out={tmp_path / 'taken'}"]) == 2
    assert capsys.readouterr().err == (f"error: --out={tmp_path / 'taken'} exists; pass --overwrite to replace it "
                                       "or choose another --out\n")
    assert main([f"--workdir={oracle_run}", f"--out={tmp_path / 'x'}", "--checkpoint=best"]) == 2
    assert capsys.readouterr().err == "error: --checkpoint=best: expected one of latest, mle\n"
    assert not (tmp_path / "x").exists() and not list(tmp_path.glob(".x.tmp"))
    nockpt = tmp_path / "nockpt"
    train(replace(_tiny(), pre_epochs=0, adv_iters=0, dis_pre_rounds=0), nockpt, quiet=True)
    import shutil
    shutil.rmtree(nockpt / "checkpoints")
    assert main([f"--workdir={nockpt}", f"--out={tmp_path / 'x'}"]) == 2
    assert capsys.readouterr().err == f"error: {nockpt}: no checkpoint yet (checkpoints/ has none)\n"


def _tiny():
    from conftest import TINY

    from seqgan_tf.config import make_config

    return make_config("paper", **TINY)
