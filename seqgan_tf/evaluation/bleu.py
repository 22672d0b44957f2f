"""BLEU and Self-BLEU equal to NLTK's `sentence_bleu(..., smoothing_function=SmoothingFunction().method1)`
(smoothing 'method1', the default) or to NLTK 3.2.x's `sentence_bleu` without smoothing (smoothing 'none',
what the first commit's PG-BLEU ran), averaged over hypotheses, but computed from reference n-gram tables
built once.

NLTK recounts every reference for every hypothesis (O(H x R)); here each reference is counted once
into per-order tables of maximum counts, so H hypotheses cost O(H x T) lookups. The arithmetic is
NLTK's: modified precisions p_n = clipped / max(1, total) kept unnormalised, method1 replaces a
zero numerator by 0.1 / denominator, a hypothesis with no unigram match scores 0, the brevity
penalty uses the closest reference length (ties: the shorter), and the score is
bp * exp(fsum(w_n * log p_n)) with w_n = 1 / order (Papineni et al. 2002; Zhu et al. 2018 for Self-BLEU).

NLTK 3.2.1 without smoothing (`corpus_bleu`'s `if p_i.numerator != 0`) leaves out every order whose
numerator is 0 and keeps the others' weights as they are (not renormalised): with weights 1/3, a
hypothesis matching unigrams and bigrams only scores (p_1 p_2)^(1/3). Where NLTK 3.2.1 raises
ZeroDivisionError (a hypothesis shorter than an order: Fraction(0, 0)), that order is left out too.
"""
from __future__ import annotations

import bisect
import math
import random
from collections import Counter
from typing import Sequence

Sentence = Sequence[str]
EPSILON = 0.1  # SmoothingFunction().method1
SMOOTHINGS = ("method1", "none")


def ngram_counts(tokens: Sentence, n: int) -> Counter:
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


class ReferenceTable:
    """Per-order maximum n-gram counts over all references, and their sorted lengths."""

    def __init__(self, references: Sequence[Sentence], max_order: int):
        if not references:
            raise ValueError("BLEU needs at least one reference")
        self.max_order = max_order
        self.max_counts: list[dict] = [{} for _ in range(max_order + 1)]
        for ref in references:
            for n in range(1, max_order + 1):
                table = self.max_counts[n]
                for gram, count in ngram_counts(ref, n).items():
                    if count > table.get(gram, 0):
                        table[gram] = count
        self.lengths = sorted({len(r) for r in references})

    def clip(self, gram: tuple, count: int, hypothesis_index: int | None = None) -> int:
        return min(count, self.max_counts[len(gram)].get(gram, 0))

    def closest_length(self, hyp_len: int, hypothesis_index: int | None = None) -> int:
        return closest(self.lengths, hyp_len)


def closest(sorted_lengths: Sequence[int], hyp_len: int) -> int:
    """The length closest to hyp_len; on a tie the shorter (NLTK's closest_ref_length)."""
    i = bisect.bisect_left(sorted_lengths, hyp_len)
    candidates = sorted_lengths[max(0, i - 1):i + 1]
    return min(candidates, key=lambda length: (abs(length - hyp_len), length))


def sentence_bleu(hypothesis: Sentence, table, order: int, index: int | None = None,
                  smoothing: str = "method1") -> float:
    """BLEU-`order` of one hypothesis against the table's references (NLTK's arithmetic; `smoothing`
    'method1' or 'none', the module docstring)."""
    log_sum = []
    for n in range(1, order + 1):
        counts = ngram_counts(hypothesis, n)
        numerator = sum(table.clip(gram, c, index) for gram, c in counts.items())
        denominator = max(1, sum(counts.values()))
        if n == 1 and numerator == 0:
            return 0.0
        if numerator == 0 and smoothing == "none":
            continue  # NLTK 3.2.x: the order is left out, the other weights stay 1 / order
        p_n = numerator / denominator if numerator else (numerator + EPSILON) / denominator
        log_sum.append((1 / order) * math.log(p_n))  # NLTK: w_n * log(p_n), w_n = 1 / order
    hyp_len = len(hypothesis)
    ref_len = table.closest_length(hyp_len, index)
    bp = 1.0 if hyp_len > ref_len else (0.0 if hyp_len == 0 else math.exp(1 - ref_len / hyp_len))
    return bp * math.exp(math.fsum(log_sum))


def mean_bleu(hypotheses: Sequence[Sentence], table, orders: Sequence[int],
              smoothing: str = "method1") -> dict[int, float]:
    """{n: mean sentence BLEU-n of the hypotheses against `table`} for each n in orders (<= table.max_order).

    Pass a LeaveOneOutTable of the hypotheses themselves for Self-BLEU.
    """
    for n in orders:
        _check(hypotheses, n, smoothing)
    loo = isinstance(table, LeaveOneOutTable)
    return {n: math.fsum(sentence_bleu(h, table, n, i if loo else None, smoothing) for i, h in enumerate(hypotheses))
            / len(hypotheses) for n in orders}


def bleu(hypotheses: Sequence[Sentence], references: Sequence[Sentence], order: int,
         smoothing: str = "method1") -> float:
    """Mean sentence BLEU-`order` of the hypotheses, each against all references."""
    _check(hypotheses, order, smoothing)
    return mean_bleu(hypotheses, ReferenceTable(references, order), [order], smoothing)[order]


def draw_references(sentences: Sequence[Sentence], fraction: float, seed: int) -> list[Sentence]:
    """The first commit's `load_references`: each sentence, in order, is kept when Python's
    random.Random(seed).random() < fraction (one draw per sentence; fraction 1 keeps all)."""
    draw = random.Random(seed).random
    return [s for s in sentences if draw() < fraction]


class LeaveOneOutTable(ReferenceTable):
    """Reference tables of the hypotheses themselves, where hypothesis i is left out of its own references.

    For each n-gram: the largest count, how many sentences hold it, and the second-largest count; so
    the maximum over 'all sentences but i' is read in O(1).
    """

    def __init__(self, sentences: Sequence[Sentence], max_order: int):
        if len(sentences) < 2:
            raise ValueError("Self-BLEU needs at least two sentences")
        self.max_order = max_order
        self.top: list[dict] = [{} for _ in range(max_order + 1)]  # gram -> [first, holders, second]
        self.own: list[list[Counter]] = [[] for _ in range(max_order + 1)]
        for s in sentences:
            for n in range(1, max_order + 1):
                counts = ngram_counts(s, n)
                self.own[n].append(counts)
                table = self.top[n]
                for gram, c in counts.items():
                    first, holders, second = table.get(gram, (0, 0, 0))
                    if c > first:
                        table[gram] = (c, 1, first)
                    elif c == first:
                        table[gram] = (first, holders + 1, second)
                    else:
                        table[gram] = (first, holders, max(second, c))
        self.length_counts = Counter(len(s) for s in sentences)
        self.lengths = sorted(self.length_counts)

    def clip(self, gram: tuple, count: int, hypothesis_index: int | None = None) -> int:
        first, holders, second = self.top[len(gram)][gram]
        own = self.own[len(gram)][hypothesis_index][gram]
        best = second if (own == first and holders == 1) else first
        return min(count, best)

    def closest_length(self, hyp_len: int, hypothesis_index: int | None = None) -> int:
        if self.length_counts[hyp_len] == 1:  # its own length is not among the others'
            others = [length for length in self.lengths if length != hyp_len]
            return closest(others, hyp_len)
        return closest(self.lengths, hyp_len)


def self_bleu(hypotheses: Sequence[Sentence], order: int, smoothing: str = "method1") -> float:
    """Mean BLEU-`order` of each hypothesis against all the other hypotheses (Self-BLEU)."""
    _check(hypotheses, order, smoothing)
    return mean_bleu(hypotheses, LeaveOneOutTable(hypotheses, order), [order], smoothing)[order]


def _check(hypotheses, order: int, smoothing: str = "method1") -> None:
    if smoothing not in SMOOTHINGS:
        raise ValueError(f"BLEU smoothing must be one of {', '.join(SMOOTHINGS)}, got {smoothing!r}")
    if order < 1:
        raise ValueError(f"BLEU order must be >= 1, got {order}")
    if not hypotheses:
        raise ValueError("BLEU needs at least one hypothesis")
