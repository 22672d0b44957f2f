"""A real-data corpus ready to train on: splits, vocabulary, id arrays, BLEU references. TensorFlow-free.

`load_corpus(config, data_dir)` reads the dataset the config names (the registry of datasets.py or
a custom file), splits it, builds the vocabulary from the training split only, and encodes both
splits as (N, T) arrays; `fit_config` then sets the config fields that follow from the data (V, T,
<eos>, the discriminator's filter table, the number of real sequences).
"""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Sequence

import numpy as np

from seqgan_tf.config import Config, validate
from seqgan_tf.data.datasets import (
    EOS,
    REGISTRY,
    SPECIALS,
    DataError,
    DatasetSpec,
    Vocabulary,
    cut_sentences,
    encode_corpus,
    filter_table,
    held_out_split,
    read_lines,
    tokenize,
)

VOCAB_FILE = "vocab.json"
CUSTOM_BLEU_ORDERS = (2, 3, 4)


@dataclasses.dataclass(frozen=True)
class Corpus:
    """A dataset's two splits as token ids, and what reading them did."""
    spec: DatasetSpec
    seq_len: int
    vocab: Vocabulary
    train: np.ndarray  # (N, T) int32: ids, <eos> (variable-length corpora), <pad>
    test: np.ndarray  # (M, T) int32
    references: list  # the test sentences as cut to T (token lists): BLEU's references
    notes: tuple[str, ...] = ()  # lines for the log: long lines, skipped files

    @property
    def end_token(self) -> bool:
        return self.spec.end_token

    @property
    def music(self) -> bool:
        return self.spec.tokenizer == "midi"


def dataset_spec(config: Config) -> DatasetSpec:
    """The registry entry of config.dataset, or the custom dataset its flags describe."""
    if config.dataset == "custom":
        return DatasetSpec("custom", config.train_file, config.test_file, tokenizer=config.tokenizer,
                           bleu_orders=CUSTOM_BLEU_ORDERS)
    if config.dataset not in REGISTRY:
        raise DataError(f"--dataset={config.dataset or '(empty)'}: expected one of "
                        f"{', '.join(sorted(REGISTRY))} or custom")
    return REGISTRY[config.dataset]


def _text_splits(spec: DatasetSpec, root: Path) -> tuple[list, list, str, str]:
    train_path = root / spec.train_file
    lines = read_lines(train_path)
    if spec.test_file:
        test_path = root / spec.test_file
        train, test = lines, read_lines(test_path)
    else:
        train, test = held_out_split(lines, source=str(train_path))
        test_path = f"{train_path} (10% held out)"
    tokens = lambda split: [tokenize(x, spec.tokenizer) for x in split]  # noqa: E731
    return tokens(train), tokens(test), str(train_path), str(test_path)


def _melody_splits(spec: DatasetSpec, root: Path) -> tuple[list, list, str, str, list[str]]:
    from seqgan_tf.data.music import read_melodies

    directory = root / spec.train_file
    tunes, skipped = read_melodies(directory, spec.seq_len)
    train, test = held_out_split(tunes, source=str(directory))  # whole tunes, so no tune is in both splits
    notes = [f"data: skipped {len(skipped)} unreadable MIDI file(s) of {len(tunes) + len(skipped)}"] if skipped else []
    flatten = lambda split: [s for _, seqs in split for s in seqs]  # noqa: E731
    return flatten(train), flatten(test), str(directory), f"{directory} (10% of the tunes held out)", notes


def windows(sentences: Sequence[Sequence[str]], seq_len: int) -> list[list[str]]:
    """The sentences as one token stream cut into consecutive windows of seq_len (a shorter tail is dropped)."""
    stream = [t for s in sentences for t in s]
    return [stream[i:i + seq_len] for i in range(0, len(stream) - seq_len + 1, seq_len)]


def _sequence_length(spec: DatasetSpec, train: Sequence[Sequence[str]], max_len: int) -> int:
    if spec.seq_len:
        return spec.seq_len
    longest = max(len(s) for s in train) + (1 if spec.end_token else 0)
    return min(longest, max_len) if max_len else longest


def load_corpus(config: Config, root: str | Path | None = None) -> Corpus:
    """Read, split, cut to T, build the vocabulary (training split only) and encode the config's dataset.

    Registry files are read under `root` (the data directory); custom files as given. DataError on
    an empty or non-UTF-8 file, no readable MIDI file, or a test split too short for the BLEU orders.
    """
    spec = dataset_spec(config)
    root = Path(root) if (root is not None and spec.name != "custom") else Path()
    notes = []
    if spec.tokenizer == "midi":
        train, test, train_name, test_name, notes = _melody_splits(spec, root)
    else:
        train, test, train_name, test_name = _text_splits(spec, root)
    return _encode(config, spec, (train, test), (train_name, test_name), notes)


def corpus_from_lines(config: Config, train: Sequence[str], test: Sequence[str] | None = None) -> Corpus:
    """A custom corpus from sentences in memory (one string each), tokenized by config.tokenizer; without
    `test`, the same deterministic 10% held-out split as a --train_file without --test_file."""
    spec = dataset_spec(config)
    if not train or not all(isinstance(x, str) for x in [*train, *(test or [])]):
        raise DataError("train/test: expected non-empty lists of strings, one sentence each")
    lines = [x for x in train if x.strip()]
    train_lines, test_lines = (lines, [x for x in test if x.strip()]) if test else held_out_split(
        lines, source="train")
    tokens = lambda split: [tokenize(x, spec.tokenizer) for x in split]  # noqa: E731
    return _encode(config, spec, (tokens(train_lines), tokens(test_lines)), ("train", "test"), [])


def _encode(config: Config, spec: DatasetSpec, splits: tuple[list, list], names: tuple[str, str],
            notes: list[str]) -> Corpus:
    """Cut both tokenized splits to T, build the vocabulary from the training split, encode."""
    (train, test), (train_name, test_name) = splits, names
    if spec.windows:
        train, test = windows(train, spec.seq_len), windows(test, spec.seq_len)
    seq_len = _sequence_length(spec, train, config.max_len)
    order = max(spec.bleu_orders)
    _check_references(test, order, test_name)
    train, cut_train = cut_sentences(train, seq_len, config.long_lines, spec.end_token, train_name)
    test, cut_test = cut_sentences(test, seq_len, config.long_lines, spec.end_token, test_name)
    if cut_train or cut_test:
        done = "truncated" if config.long_lines == "truncate" else "dropped"
        notes.append(f"data: {cut_train} training and {cut_test} test line(s) longer than T = {seq_len} {done} "
                     f"(--long_lines={config.long_lines})")
    _check_references(test, order, test_name, cut=_cut_reason(spec, seq_len, config.max_len, order))
    vocab = Vocabulary.build(train)
    encode = lambda split: encode_corpus(split, vocab, seq_len, config.long_lines, spec.end_token)[0]  # noqa: E731
    return Corpus(spec, seq_len, vocab, encode(train), encode(test), test, tuple(notes))


def _cut_reason(spec: DatasetSpec, seq_len: int, max_len: int, order: int) -> tuple[str, str]:
    """(what cut the sentences to T, what would keep `order` tokens of one), for _check_references."""
    eos = 1 if spec.end_token else 0
    if spec.seq_len:
        return f"the dataset's T = {seq_len}", "test sentences that fit it"
    if max_len and seq_len == max_len:
        return f"T = {seq_len} (--max_len={max_len})", f"--max_len >= {order + eos}"
    longest = "the longest training line" + (" + <eos>" if eos else "")
    return f"T = {seq_len} ({longest})", f"a training line of {order} tokens or more"


def _check_references(references: Sequence[Sequence[str]], order: int, name: str,
                      cut: tuple[str, str] | None = None) -> None:
    """DataError unless some reference has `order` tokens. Checked before the cut to T and after it
    (cut = _cut_reason(...)), so that the error blames the data or the cut, whichever it is."""
    if any(len(r) >= order for r in references):
        return
    where, expected = (f"has {order} tokens", "longer test sentences") if cut is None else (
        f"keeps {order} tokens when cut to {cut[0]}", cut[1])
    raise DataError(f"{name}: no test sentence {where}, so BLEU-{order} has no n-grams to match; expected {expected}")


def fit_config(config: Config, corpus: Corpus, keep: set[str] = frozenset()) -> Config:
    """The config with V, T, <eos>, the filter table (unless in `keep`) and num_samples set from the data.

    num_samples becomes the number of whole batches of training sequences, or stays (capped by it)
    when in `keep` (given on the command line or by the preset).
    """
    whole = len(corpus.train) // config.batch_size * config.batch_size
    if whole == 0:
        raise DataError(f"{corpus.spec.name}: {len(corpus.train)} training sequence(s), fewer than one batch "
                        f"(--batch_size={config.batch_size})")
    changes = dict(vocab_size=len(corpus.vocab), seq_len=corpus.seq_len, start_token=SPECIALS.index("<pad>"),
                   eos_token=SPECIALS.index(EOS) if corpus.end_token else -1,
                   num_samples=min(config.num_samples, whole) if "num_samples" in keep else whole)
    if not keep & {"dis_filter_sizes", "dis_num_filters"}:
        changes["dis_filter_sizes"], changes["dis_num_filters"] = filter_table(corpus.seq_len)
    config = dataclasses.replace(config, **changes)
    validate(config)
    return config


def check_vocabulary(workdir: str | Path, vocab: Vocabulary) -> None:
    """DataError unless `workdir` holds no vocabulary or exactly `vocab` (the data changed since the run)."""
    path = Path(workdir) / VOCAB_FILE
    if not path.exists():
        return
    saved = Vocabulary.load(path)
    if saved != vocab:
        first = next((i for i, (a, b) in enumerate(zip(saved.tokens, vocab.tokens, strict=False)) if a != b),
                     min(len(saved), len(vocab)))
        raise DataError(f"{path}: the run's vocabulary ({len(saved)} tokens) does not match the data "
                        f"({len(vocab)} tokens; first difference at id {first}); pass --overwrite to start "
                        "afresh or choose another --workdir")
