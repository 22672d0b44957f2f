"""The notebook API: a corpus task from your own sentences, and samples from a trained run.

    import seqgan_tf as sg
    config, task = sg.text_task(my_sentences, preset="smoke")   # a list of strings (or train_file=PATH)
    sg.train(config, "runs/mine", task=task)                    # resumable, like seqgan-text
    sg.sample("runs/mine", num=5, temperature=0.8)              # decoded sentences

Everything here is a thin layer over the modules the command-line tools use.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from seqgan_tf.config import PRESETS, Config, make_config


def text_task(train: Sequence[str] | None = None, test: Sequence[str] | None = None, *, train_file: str = "",
              test_file: str = "", preset: str = "smoke", tokenizer: str = "word", **overrides):
    """(config, task) to train on a corpus of your own: sentences in memory (`train`, `test`: lists of
    strings, one sentence each) or files (`train_file`, `test_file`: UTF-8, one sentence a line).

    Without a test set, 10% of the training sentences are held out (deterministically) for NLL-test and
    BLEU. V, T, <eos> and the discriminator's filters follow from the data, as in `seqgan-text
    --dataset=custom`; `overrides` are Config fields (e.g. pre_epochs=50, seed=2). Pass the task to
    `train(config, workdir, task=task)`. DataError / ConfigError name the problem in one line.
    """
    from seqgan_tf.data.corpus import corpus_from_lines, fit_config, load_corpus
    from seqgan_tf.data.datasets import DataError
    from seqgan_tf.data.tasks import CorpusTask

    if (train is None) == (not train_file):
        raise DataError("text_task: pass either train (a list of strings) or train_file (a path)")
    source = train_file or f"(in memory: {len(train)} sentences)"
    config = make_config(preset, dataset="custom", train_file=source, test_file=test_file, tokenizer=tokenizer,
                         **overrides)
    corpus = corpus_from_lines(config, train, test) if train is not None else load_corpus(config)
    config = fit_config(config, corpus, keep=set(overrides) | set(PRESETS[preset]))
    return config, CorpusTask(config, corpus)


def sample(workdir: str | Path, num: int = 10, temperature: float = 1.0, seed: int = 0,
           checkpoint: str = "latest", decode: bool = True):
    """`num` samples of the run's generator (its latest checkpoint, or `mle`: the end of pre-training).

    Text and music runs: a list of strings (tokens up to <eos>, separated by spaces), unless
    decode=False; oracle runs: a (num, T) int32 array. The same draws as `seqgan-generate --seed`.
    """
    from seqgan_tf.data.corpus import VOCAB_FILE
    from seqgan_tf.inference.sample import format_samples, generate

    rows = generate(workdir, num, temperature, seed, checkpoint)
    if not decode or not (Path(workdir) / VOCAB_FILE).exists():
        return rows
    return format_samples(workdir, rows).splitlines()


__all__ = ["Config", "make_config", "text_task", "sample"]
