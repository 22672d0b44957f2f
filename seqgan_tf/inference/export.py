"""A trained generator as a TensorFlow SavedModel that loads without this package.

  seqgan-export --workdir=runs/poems --out=exported/poems [--checkpoint=latest|mle] [--overwrite]
  python -m seqgan_tf.commands.export ...   (the same)

Then, in any process with TensorFlow (seqgan_tf not needed):

  m = tf.saved_model.load("exported/poems")
  ids = m.sample(num=5, temperature=1.0, seed=0)        # (5, T) int32: the same ids as
                                                         # `seqgan-generate --num=5 --seed=0`
  lp = m.log_prob(ids)["log_prob"]                       # (5,): log G(sequence), up to <eos> for text
  m.sample_text(num=5, temperature=0.8, seed=1)          # text runs: (5,) decoded strings

Signatures (also in `m.signatures` for TF Serving): `sample(num, temperature, seed)` -> {"tokens"};
`log_prob(tokens)` -> {"log_prob" (N,), "token_log_probs" (N, T)} (per-token values clipped at
log 1e-20 as the original's loss); text and music runs also `sample_text(...)` -> {"text"}, with the
vocabulary bundled as the asset vocab.txt. `m.config_json` holds the run's config. Bad input (num < 1,
temperature <= 0, a token id outside [0, V)) raises an InvalidArgumentError naming it.
"""
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from seqgan_tf.errors import StorageError, WorkdirError
from seqgan_tf.fileio import os_cause


def build_module(generator, config, vocab_tokens: list[str] | None, asset_dir: Path):
    """The tf.Module to save: the generator's weights and its compiled sampler and scorer."""
    import seqgan_tf._quiet  # noqa: F401

    import tensorflow as tf

    from seqgan_tf.data.datasets import EOS, PAD, SPECIALS
    from seqgan_tf.models.sequences import eos_mask

    eos = config.eos_token
    vocab_size, seq_len = config.vocab_size, config.seq_len

    class ExportedGenerator(tf.Module):
        def __init__(self):
            super().__init__(name="seqgan_generator")
            self.generator = generator
            self.config_json = tf.Variable(json.dumps(config.to_dict(), sort_keys=True), trainable=False)
            self.table = None
            if vocab_tokens is not None:
                path = asset_dir / "vocab.txt"
                path.write_text("".join(t + "\n" for t in vocab_tokens), encoding="utf-8")
                self.vocab_asset = tf.saved_model.Asset(str(path))
                self.table = tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
                    self.vocab_asset, tf.int64, tf.lookup.TextFileIndex.LINE_NUMBER,
                    tf.string, tf.lookup.TextFileIndex.WHOLE_LINE), default_value="<unk>")

        @tf.function(input_signature=[tf.TensorSpec([], tf.int32, "num"), tf.TensorSpec([], tf.float32, "temperature"),
                                      tf.TensorSpec([], tf.int32, "seed")])
        def sample(self, num, temperature, seed):
            """num sequences (num, T) int32 at `temperature`, stateless seed (seed, 0) as seqgan-generate."""
            checks = [tf.debugging.assert_positive(num, message="sample: num must be >= 1"),
                      tf.debugging.assert_positive(temperature, message="sample: temperature must be > 0")]
            with tf.control_dependencies(checks):
                tokens = self.generator.sample(num, tf.stack([seed, 0]), temperature)
            return {"tokens": tokens}

        @tf.function(input_signature=[tf.TensorSpec([None, seq_len], tf.int32, "tokens")])
        def log_prob(self, tokens):
            """log G(y_1..y_T) of each row (N, T) -> (N,), and the per-token values (N, T); with an <eos>,
            the sum runs up to and including each row's first <eos> (as NLL-test)."""
            checks = [tf.debugging.assert_non_negative(tokens, message="log_prob: token ids must be >= 0"),
                      tf.debugging.assert_less(tokens, vocab_size,
                                               message=f"log_prob: token ids must be < V = {vocab_size}")]
            with tf.control_dependencies(checks):
                per_token = self.generator.token_log_probs(tokens)  # (N, T)
            weights = eos_mask(tokens, eos) if eos >= 0 else tf.ones_like(per_token)
            return {"log_prob": tf.reduce_sum(per_token * weights, axis=1), "token_log_probs": per_token}

        def decode(self, tokens):
            """(N, T) ids -> (N,) strings: the tokens before each row's first <eos>, <pad> dropped, joined
            by spaces (the format of seqgan-generate and samples/*.txt)."""
            end, pad = SPECIALS.index(EOS), SPECIALS.index(PAD)
            before_end = tf.equal(tf.cumsum(tf.cast(tf.equal(tokens, end), tf.int32), axis=1), 0)
            keep = tf.logical_and(before_end, tf.not_equal(tokens, pad))
            words = self.table.lookup(tf.cast(tokens, tf.int64))
            return tf.strings.reduce_join(tf.ragged.boolean_mask(words, keep), axis=1, separator=" ")

    module = ExportedGenerator()
    if vocab_tokens is not None:
        @tf.function(input_signature=[tf.TensorSpec([], tf.int32, "num"), tf.TensorSpec([], tf.float32, "temperature"),
                                      tf.TensorSpec([], tf.int32, "seed")])
        def sample_text(num, temperature, seed):
            return {"text": module.decode(module.sample(num, temperature, seed)["tokens"])}

        module.sample_text = sample_text
    return module


def export(workdir: str | Path, out: str | Path, checkpoint: str = "latest", overwrite: bool = False) -> Path:
    """Write the SavedModel of the run's generator to `out` (via a temp directory renamed at the end)."""
    from seqgan_tf.data.corpus import VOCAB_FILE
    from seqgan_tf.fileio import read_config
    from seqgan_tf.inference.sample import load_generator

    workdir, out = Path(workdir), Path(out)
    config = read_config(workdir)
    if out.exists() and not overwrite:
        raise WorkdirError(f"--out={out} exists; pass --overwrite to replace it or choose another --out")
    generator = load_generator(workdir, checkpoint)
    vocab = None
    if (workdir / VOCAB_FILE).exists():
        from seqgan_tf.data.datasets import Vocabulary

        vocab = list(Vocabulary.load(workdir / VOCAB_FILE).tokens)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        with tempfile.TemporaryDirectory() as source:  # the vocabulary file the SavedModel copies into assets/
            _save(build_module(generator, config, vocab, Path(source)), tmp)
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise StorageError(f"--out={out}: cannot write the SavedModel ({os_cause(e)})") from None
    return out


def _save(module, directory: Path) -> None:
    import tensorflow as tf

    signatures = {"sample": module.sample, "log_prob": module.log_prob}
    if hasattr(module, "sample_text"):
        signatures["sample_text"] = module.sample_text
    tf.saved_model.save(module, str(directory), signatures=signatures)
