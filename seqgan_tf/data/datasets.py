"""Real-data corpora: the registry, reading and encoding text, the vocabulary, and `fetch`.

TensorFlow-free. Corpora live in a data directory (`--data_dir`, default $SEQGAN_DATA_DIR), never in
the repository. For users elsewhere:

  seqgan-fetch NAME --data_dir=DIR      (or: python -m seqgan_tf.commands.fetch NAME ...)

downloads a corpus from its public source, checks its sha256, writes it atomically and says what it
did. (The Nottingham MIDI corpus, a directory of 1,034 files, is not fetchable yet.)
"""
from __future__ import annotations

import dataclasses
import hashlib
import http.client
import json
import os
import re
import tempfile
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Sequence

import numpy as np

from seqgan_tf.errors import SeqGANError

DATA_DIR_ENV = "SEQGAN_DATA_DIR"
PAD, EOS, UNK = "<pad>", "<eos>", "<unk>"
SPECIALS = (PAD, EOS, UNK)  # ids 0, 1, 2


class DataError(SeqGANError):
    """A corpus file is missing, empty, not UTF-8, or does not match the workdir's vocabulary."""


@dataclasses.dataclass(frozen=True)
class Source:
    """Where a corpus file comes from: one or more URLs concatenated, optionally without blank lines."""
    urls: tuple[str, ...]
    sha256: str
    drop_blank_lines: bool = False


@dataclasses.dataclass(frozen=True)
class DatasetSpec:
    """One corpus of the registry (paper: Sec. 5; COCO: the Texygen benchmark)."""
    name: str
    train_file: str
    test_file: str = ""  # empty: a deterministic 10 % held-out split of train_file
    tokenizer: str = "word"  # 'word' (whitespace), 'punct' (words and punctuation), 'char', 'midi' (music.py)
    seq_len: int = 0  # 0: the longest kept line + <eos>
    end_token: bool = True  # False for fixed-length corpora (every line has T tokens), as the oracle task
    windows: bool = False  # True: each split's lines are one token stream cut into windows of T tokens
    bleu_orders: tuple[int, ...] = (4,)
    sources: tuple[tuple[str, Source], ...] = ()  # (file, source) pairs for `fetch`


_TEXYGEN = "https://raw.githubusercontent.com/geek-ai/Texygen/master/data/"
REGISTRY = {
    # Poems: the file already separates characters and punctuation by spaces (24 tokens a line);
    # we keep the punctuation, so T = 24 with no end token, as the paper's fixed-length quatrains.
    "poems": DatasetSpec("poems", "text/chinese_poems.txt", tokenizer="word", seq_len=24, end_token=False,
                         bleu_orders=(2,),
                         sources=(("text/chinese_poems.txt", Source(
                             (_TEXYGEN + "shi.txt",),
                             "ac03c5fbb07776f0e43cb1ccfc74732f5313ab3d832df81c8e0db327df35e666")),)),
    # Obama: paragraphs (lines) are split 90/10, then each split's token stream (words and punctuation
    # marks as separate tokens) is cut into consecutive windows of T = 32: fixed length, no end token.
    "obama": DatasetSpec("obama", "text/obama_speeches.txt", tokenizer="punct", seq_len=32, end_token=False,
                         windows=True, bleu_orders=(3, 4),
                         sources=(("text/obama_speeches.txt", Source(
                             ("https://raw.githubusercontent.com/jessipedia/RObama/master/data/obama.txt",
                              "https://raw.githubusercontent.com/jmcohen/autodebate/master/data/obama.txt"),
                             "91c3f9a74c6815770aec81d4d9c681db2837a108a33a7c8e702a8e4b17bcd7aa",
                             drop_blank_lines=True)),)),
    # Nottingham: melody pitch every 0.4 s on 88 keys + rest (seqgan_tf/data/music.py), cut into T = 32;
    # train_file is the directory of .mid files. Not fetchable yet.
    "nottingham": DatasetSpec("nottingham", "music/nottingham_melody", tokenizer="midi", seq_len=32,
                              end_token=False, bleu_orders=(4,)),
    "coco": DatasetSpec("coco", "text/coco_captions_train.txt", test_file="text/coco_captions_test.txt",
                        tokenizer="word", bleu_orders=(2, 3, 4, 5),
                        sources=(("text/coco_captions_train.txt", Source(
                                     (_TEXYGEN + "image_coco.txt",),
                                     "2c0fd1f0f43aac6a9dc3926a535516ccf395de535e15ac1fd17cd569420736f5")),
                                 ("text/coco_captions_test.txt", Source(
                                     (_TEXYGEN + "testdata/test_coco.txt",),
                                     "72e25c9fb4d2cd43182ac602c92f6ffc377762147f9709572943b0b09174bcae")))),
}


def data_dir(flag_value: str = "") -> Path:
    """The data directory: the flag if given, else $SEQGAN_DATA_DIR."""
    value = flag_value or os.environ.get(DATA_DIR_ENV, "")
    if not value:
        raise DataError(f"no data directory: pass --data_dir=DIR or set {DATA_DIR_ENV}")
    return Path(value)


# --------------------------------------------------------------------------- reading and tokens
def read_lines(path: str | Path) -> list[str]:
    """Non-blank lines of a UTF-8 file (line endings stripped). DataError names file and line."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise DataError(f"{path}: cannot read ({e.strerror})") from None
    lines = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            line = raw.decode("utf-8").rstrip("\r")
        except UnicodeDecodeError as e:
            raise DataError(f"{path}:{number}: not valid UTF-8 (byte {e.start + 1} of the line)") from None
        if line.strip():
            lines.append(line)
    if not lines:
        raise DataError(f"{path}: no sentences (the file is empty or all blank)")
    return lines


_PUNCT = re.compile(r"[\w'-]+|[^\w\s]")


def tokenize(line: str, tokenizer: str) -> list[str]:
    """'word': split on whitespace; 'punct': words (with ' and -) and each punctuation mark; 'char':
    every non-space character."""
    if tokenizer == "word":
        return line.split()
    if tokenizer == "punct":
        return _PUNCT.findall(line)
    if tokenizer == "char":
        return [ch for ch in line if not ch.isspace()]
    raise DataError(f"--tokenizer={tokenizer}: expected word, punct or char")


def held_out_split(lines: Sequence, fraction: float = 0.1, seed: int = 0, source: str = "") -> tuple[list, list]:
    """A deterministic (train, test) split: a seeded permutation, the last `fraction` held out."""
    order = np.random.RandomState(seed).permutation(len(lines))
    n_test = max(1, int(round(len(lines) * fraction)))
    if n_test >= len(lines):
        where = f"{source}: " if source else ""
        raise DataError(f"{where}{len(lines)} line(s) cannot be split into a train and a test set; "
                        "expected at least 2 (or pass a test file)")
    test = set(order[-n_test:].tolist())
    return ([ln for i, ln in enumerate(lines) if i not in test], [ln for i, ln in enumerate(lines) if i in test])


# --------------------------------------------------------------------------- vocabulary
@dataclasses.dataclass(frozen=True)
class Vocabulary:
    """Tokens by id: <pad> 0, <eos> 1, <unk> 2, then the training tokens by frequency, then token."""
    tokens: tuple[str, ...]

    @classmethod
    def build(cls, sentences: Sequence[Sequence[str]]) -> "Vocabulary":
        counts = Counter(t for s in sentences for t in s if t not in SPECIALS)
        return cls(SPECIALS + tuple(sorted(counts, key=lambda t: (-counts[t], t))))

    @property
    def index(self) -> dict[str, int]:
        return {t: i for i, t in enumerate(self.tokens)}

    def __len__(self) -> int:
        return len(self.tokens)

    def encode(self, sentence: Sequence[str], index: dict[str, int] | None = None) -> list[int]:
        index = index or self.index
        return [index.get(t, SPECIALS.index(UNK)) for t in sentence]

    def decode(self, ids: Sequence[int]) -> list[str]:
        """Tokens up to (not including) the first <eos>; padding dropped."""
        out = []
        for i in ids:
            if int(i) == SPECIALS.index(EOS):
                break
            if int(i) != SPECIALS.index(PAD):
                out.append(self.tokens[int(i)])
        return out

    def format(self, rows) -> str:
        """Sequences (N, T) of ids -> one line each: the decoded tokens separated by spaces."""
        return "".join(" ".join(self.decode(row)) + "\n" for row in rows)

    def save(self, path: str | Path) -> None:
        from seqgan_tf.fileio import atomic_write_text
        atomic_write_text(path, json.dumps({"tokens": list(self.tokens)}, ensure_ascii=False) + "\n")

    @classmethod
    def load(cls, path: str | Path) -> "Vocabulary":
        try:
            tokens = tuple(json.loads(Path(path).read_text(encoding="utf-8"))["tokens"])
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise DataError(f"{path}: unreadable vocabulary ({e})") from None
        if tokens[:3] != SPECIALS or not all(isinstance(t, str) for t in tokens):
            raise DataError(f"{path}: not a seqgan_tf vocabulary (expected {', '.join(SPECIALS)} first)")
        return cls(tokens)


def cut_sentences(sentences: Sequence[Sequence[str]], seq_len: int, long_lines: str = "truncate",
                  end_token: bool = True, source: str = "") -> tuple[list[Sequence[str]], int]:
    """Sentences that fit T: a longer one (more than T - 1 tokens with the end token, T without) is
    cut to fit or, with long_lines='drop', left out. Returns (kept sentences, lines cut or dropped)."""
    if long_lines not in ("truncate", "drop"):
        raise DataError(f"--long_lines={long_lines}: expected 'truncate' or 'drop'")
    room = seq_len - 1 if end_token else seq_len
    kept = [s[:room] for s in sentences if len(s) <= room or long_lines == "truncate"]
    affected = sum(len(s) > room for s in sentences)
    if not kept:
        where = f"{source}: " if source else ""
        raise DataError(f"{where}no sequence fits T = {seq_len} (all {affected} lines are longer)")
    return kept, affected


def encode_corpus(sentences: Sequence[Sequence[str]], vocab: Vocabulary, seq_len: int,
                  long_lines: str = "truncate", end_token: bool = True) -> tuple[np.ndarray, int]:
    """Sentences -> (N, T) int32: ids, then <eos>, then <pad>. Returns (array, lines truncated or dropped).

    Long sentences are handled by cut_sentences (a cut sentence keeps its <eos>).
    """
    kept, affected = cut_sentences(sentences, seq_len, long_lines, end_token)
    index, eos, pad = vocab.index, SPECIALS.index(EOS), SPECIALS.index(PAD)
    rows = []
    for s in kept:
        ids = vocab.encode(s, index) + ([eos] if end_token else [])
        rows.append(ids + [pad] * (seq_len - len(ids)))
    return np.asarray(rows, dtype=np.int32), affected


# --------------------------------------------------------------------------- discriminator table
def filter_table(seq_len: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Window sizes and filter counts for sequences of length T (the paper's appendix, generalised).

    Windows 1..min(10, T) with the paper's counts (100, 200 x 4, 100 x 5), then round(T/2),
    round(3T/4) and T with 160 filters each when larger than 10. T = 20 gives the oracle table of the
    spec (..., 15, 20) and T = 32 the paper's (..., 16, 24, 32).
    """
    small = {1: 100, 2: 200, 3: 200, 4: 200, 5: 200, 6: 100, 7: 100, 8: 100, 9: 100, 10: 100}
    sizes = [k for k in small if k <= seq_len]
    large = sorted({round(seq_len / 2), round(3 * seq_len / 4), seq_len} - set(range(1, 11)))
    return tuple(sizes + large), tuple([small[k] for k in sizes] + [160] * len(large))


# --------------------------------------------------------------------------- fetch
def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _download(url: str, timeout: float) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            data = response.read()
            expected = response.headers.get("Content-Length")
    except http.client.IncompleteRead as e:
        raise DataError(f"{url}: download interrupted ({len(e.partial)} bytes received)") from None
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as e:
        raise DataError(f"{url}: download failed ({getattr(e, 'reason', e)})") from None
    if expected is not None and len(data) != int(expected):
        raise DataError(f"{url}: download interrupted ({len(data)} of {expected} bytes)")
    return data


def fetch_file(target: Path, source: Source, timeout: float = 60.0) -> str:
    """Download `source` to `target` atomically after checking its sha256; returns what was done."""
    if target.exists() and sha256_of(target) == source.sha256:
        return f"{target}: already present, sha256 ok"
    data = b"".join(_download(url, timeout) for url in source.urls)
    if source.drop_blank_lines:
        data = b"".join(line for line in data.splitlines(keepends=True) if line.strip())
    got = hashlib.sha256(data).hexdigest()
    if got != source.sha256:
        raise DataError(f"{target.name}: sha256 mismatch (got {got}, expected {source.sha256}); nothing written")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return f"{target}: downloaded {len(data):,} bytes from {', '.join(source.urls)}, sha256 ok"


def fetch(name: str, directory: Path, registry: dict | None = None) -> list[str]:
    registry = REGISTRY if registry is None else registry
    if name not in registry:
        raise DataError(f"unknown dataset {name!r}: expected one of {', '.join(sorted(registry))}")
    if not registry[name].sources:
        raise DataError(f"{name}: no download source is registered yet; place the files under "
                        f"{directory / registry[name].train_file} by hand (see SOURCES.md)")
    return [fetch_file(directory / rel, source) for rel, source in registry[name].sources]
