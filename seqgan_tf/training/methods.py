"""What the baselines of Table 1 change in Algorithm 1: scheduled sampling's true-token probability per
epoch (with the first commit's frozen coin), and PG-BLEU's reference table. TensorFlow-free."""
from __future__ import annotations

import random

from seqgan_tf.config import Config
from seqgan_tf.evaluation.bleu import ReferenceTable, draw_references

# The second phase of each method: its log header ('<name> training...') and TensorBoard prefix.
PHASES = {"seqgan": "adversarial", "pg_bleu": "adversarial", "mle": "mle", "ss": "ss", "random": "pretrain"}


def ss_keep_probability(epoch: int, decay: float, decay_first: bool = False) -> float:
    """Scheduled sampling's w: the probability of feeding the true token, 1 - decay * epoch, floored at 0
    (1 - decay * (epoch + 1) when the rate decays before each epoch, as the first commit's script)."""
    return max(0.0, 1.0 - decay * (epoch + 1 if decay_first else epoch))


def frozen_coin(seed: int) -> float:
    """The first commit's scheduled-sampling coin: `random.random()` ran once, when the while-loop body was
    traced at graph construction, right after `random.seed(SEED)` (SEED 88 -> 0.39749)."""
    return random.Random(seed).random()


def ss_input_probability(epoch: int, c: Config) -> tuple[float, float]:
    """(w, the probability that an input is the true token) for scheduled-sampling epoch `epoch`.

    per_token coin (Bengio et al. 2015): each input is the true token with probability w. Frozen coin
    (the first commit's `tf.cond(tf.less(tf.constant(random.random()), curriculum_rate), true, sample)`):
    every input of the epoch is the true token when the frozen coin < w, else every input is a sample.
    """
    w = ss_keep_probability(epoch, c.ss_decay, c.ss_decay_first)
    if c.ss_coin == "frozen":
        return w, 1.0 if frozen_coin(c.ss_coin_seed) < w else 0.0
    return w, w


def pg_bleu_references(real: list, c: Config) -> ReferenceTable:
    """PG-BLEU's references: the real sequences drawn with --pg_bleu_ref_fraction (all by default), as
    n-gram tables of order --pg_bleu_order."""
    return ReferenceTable(draw_references(real, c.pg_bleu_ref_fraction, c.seed), c.pg_bleu_order)
