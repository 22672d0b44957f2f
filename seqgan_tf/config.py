"""The run configuration: one flat, frozen dataclass passed explicitly everywhere.

Defaults are the authors' TF1 code (docs/fidelity.md, "Faithful to the
original"); presets only override fields. No module-level hyper-parameters.
"""
from __future__ import annotations

import dataclasses
from typing import Any

from seqgan_tf.errors import ConfigError

PAPER_FILTER_SIZES = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20)
PAPER_NUM_FILTERS = (100, 200, 200, 200, 200, 100, 100, 100, 100, 100, 160, 160)


def _field(default: Any, help: str):
    return dataclasses.field(default=default, metadata={"help": help})


@dataclasses.dataclass(frozen=True)
class Config:
    """Every hyper-parameter of one SeqGAN run (oracle experiment)."""

    # Oracle and data.
    oracle: str = _field("original", "'original' (the authors' shipped weights), 'random' (a fresh Normal(0, 1) "
                         "oracle) or 'tf1' (TF1's Normal(0, 1) draw of TARGET_LSTM: graph seed --oracle_seed, first "
                         "variable at op id --oracle_op_seed; 66 and 2126 give the shipped weights).")
    oracle_path: str = _field("", "Path of an oracle .npz (15 named arrays); empty = the shipped original weights.")
    oracle_seed: int = _field(0, "Seed of the random oracle (--oracle=random), TF1's graph seed (--oracle=tf1).")
    oracle_op_seed: int = _field(2126, "--oracle=tf1: the op id of TARGET_LSTM's first variable (its op seed); "
                                 "each later variable's is 9 more.")
    vocab_size: int = _field(5000, "Vocabulary size V (the oracle's).")
    seq_len: int = _field(20, "Sequence length T.")
    start_token: int = _field(0, "Token id fed as the first input.")
    num_samples: int = _field(10000, "Real sequences sampled from the oracle (cut to whole batches).")
    eval_samples: int = _field(10000, "Generated sequences per NLL-oracle evaluation (the paper says 100000).")
    # Generator.
    emb_dim: int = _field(32, "Generator embedding width.")
    hidden_dim: int = _field(32, "Generator LSTM width.")
    g_lr: float = _field(0.01, "Generator Adam learning rate (MLE pre-training, and the second phase unless "
                         "--g_adv_lr).")
    g_adv_lr: float = _field(0.0, "Generator Adam learning rate of the policy-gradient phase; 0 = --g_lr.")
    grad_clip: float = _field(5.0, "Global-norm gradient clip of the generator.")
    # Discriminator.
    dis_emb_dim: int = _field(64, "Discriminator embedding width.")
    dis_filter_sizes: tuple = _field(PAPER_FILTER_SIZES, "Discriminator convolution window sizes.")
    dis_num_filters: tuple = _field(PAPER_NUM_FILTERS, "Filters per window size.")
    dis_dropout_keep: float = _field(0.75, "Dropout keep probability while training the discriminator.")
    dis_l2_reg: float = _field(0.2, "L2 weight of the discriminator's output layer.")
    d_lr: float = _field(1e-4, "Discriminator Adam learning rate.")
    # Schedule.
    batch_size: int = _field(64, "Batch size everywhere.")
    pre_epochs: int = _field(120, "MLE pre-training epochs.")
    eval_every: int = _field(5, "Evaluate NLL-oracle every N epochs / adversarial iterations.")
    adv_eval_every: int = _field(0, "Evaluate the second phase every N iterations / epochs; 0 = --eval_every.")
    dis_pre_rounds: int = _field(50, "Discriminator pre-training rounds (fresh negatives each).")
    dis_epochs: int = _field(3, "Discriminator epochs per round.")
    adv_iters: int = _field(200, "Adversarial iterations (TOTAL_BATCH).")
    dis_rounds: int = _field(5, "Discriminator rounds per adversarial iteration.")
    rollout_num: int = _field(16, "Monte-Carlo rollouts per reward.")
    rollout_update_rate: float = _field(0.8, "Delayed averaging rate r of the rollout network; 0 = the generator "
                                        "itself.")
    seed: int = _field(88, "Seed of every random draw of the run.")
    # Method (paper Table 1): SeqGAN or a baseline on the same oracle, data and evaluation.
    method: str = _field("seqgan", "seqgan, mle (MLE epochs instead of adversarial iterations), ss (scheduled "
                         "sampling), pg_bleu (BLEU of rollouts as the reward) or random (an untrained generator).")
    ss_decay: float = _field(0.002, "Scheduled sampling: the probability of feeding the true token falls by this per "
                             "epoch from 1.")
    ss_decay_first: bool = _field(False, "Scheduled sampling: decay before each epoch (w = 1 - decay * (epoch + 1)), "
                                  "as the first commit's script; default: w = 1 - decay * epoch.")
    ss_coin: str = _field("per_token", "Scheduled sampling's coin: per_token (Bengio et al.: one draw per input) or "
                          "frozen (the first commit's script: one draw when the graph is built, for the whole run).")
    ss_coin_seed: int = _field(88, "--ss_coin=frozen: the coin is Python's random.Random(this).random(), the "
                               "script's first draw (its SEED 88 -> 0.39749).")
    pg_bleu_order: int = _field(4, "PG-BLEU: the BLEU order of the reward (references: the real data).")
    pg_bleu_ref_fraction: float = _field(1.0, "PG-BLEU: each real sequence is a reference with this probability, "
                                         "drawn with Python's random.Random(--seed) (the first commit: 0.4).")
    bleu_smoothing: str = _field("method1", "Sentence BLEU of PG-BLEU's reward and of real-data evaluation: method1 "
                                 "(NLTK's SmoothingFunction().method1) or none (NLTK 3.2.x, no smoothing).")
    # Real data (run_text.py); the oracle task leaves these at their defaults.
    dataset: str = _field("", "Corpus: poems, obama, nottingham, coco, or custom (--train_file); '' = the oracle task.")
    train_file: str = _field("", "custom dataset: UTF-8 text, one sequence a line.")
    test_file: str = _field("", "custom dataset: test sentences; empty = a deterministic 10% held-out split.")
    tokenizer: str = _field("word", "custom dataset: 'word' (split on spaces), 'punct' (words and punctuation) or "
                            "'char'.")
    max_len: int = _field(0, "custom dataset: cap of T (the longest line + <eos>); 0 = no cap.")
    long_lines: str = _field("truncate", "Lines longer than T: 'truncate' or 'drop' (the count goes to the log).")
    eos_token: int = _field(-1, "Id of <eos>; tokens after it are masked out of losses and rewards. -1 = none "
                            "(fixed length).")

    def to_dict(self) -> dict:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(self).items()}

    @classmethod
    def from_dict(cls, values: dict) -> "Config":
        names = {f.name for f in dataclasses.fields(cls)}
        kept = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items() if k in names}
        return cls(**kept)

    @property
    def num_real(self) -> int:
        """Real sequences kept: num_samples cut to whole batches (10,000 -> 9,984)."""
        return self.num_samples // self.batch_size * self.batch_size

    @property
    def adv_lr(self) -> float:
        """The policy-gradient phase's generator learning rate."""
        return self.g_adv_lr or self.g_lr

    @property
    def adv_eval_interval(self) -> int:
        """Evaluate the second phase every this many iterations / epochs."""
        return self.adv_eval_every or self.eval_every

    @property
    def num_eval(self) -> int:
        return self.eval_samples // self.batch_size * self.batch_size


PRESETS = {
    # The spec's full schedule.
    "paper": {},
    # Original oracle and model sizes, a few batches per phase (< 2 min on 2 cores).
    "smoke": dict(num_samples=640, eval_samples=640, pre_epochs=6, dis_pre_rounds=2, dis_epochs=1,
                  adv_iters=6, dis_rounds=1, rollout_num=4),
    # Paper model sizes and data, a schedule that fits a 2-core CPU in ~10 min (docs/reproduction.md, "Real data").
    "short": dict(pre_epochs=20, dis_pre_rounds=5, adv_iters=10, dis_rounds=1),
    # The paper's data, models and 120 MLE epochs; discriminator work cut so that one SeqGAN run takes
    # ~15 min on 2 CPU cores (docs/reproduction.md): 5 pre-training rounds of 1 epoch (paper: 50 of 3),
    # 40 adversarial iterations (paper: 200) of 1 round of 1 epoch (paper: 5 of 3).
    "cpu": dict(dis_pre_rounds=5, dis_epochs=1, adv_iters=40, dis_rounds=1),
    # The baselines as the authors' own scripts ran them (first commit of LantaoYu/SeqGAN, 4152436;
    # docs/fidelity.md has the line-by-line table). Scheduled sampling from scratch: 300 epochs at Adam's
    # default 1e-3, the coin frozen when the graph was built, evaluated every epoch.
    "authors_ss": dict(method="ss", pre_epochs=0, adv_iters=300, eval_every=1, g_lr=1e-3, ss_coin="frozen",
                       ss_decay_first=True),
    # PG-BLEU: 200 MLE epochs and 800 iterations at 1e-3, one rollout by the live generator, BLEU-3 without
    # smoothing against 40 % of the real data; evaluated every 5 MLE epochs and every iteration.
    "authors_pg_bleu": dict(method="pg_bleu", pre_epochs=200, adv_iters=800, adv_eval_every=1, g_lr=1e-3,
                            rollout_num=1, rollout_update_rate=0.0, pg_bleu_order=3, pg_bleu_ref_fraction=0.4,
                            bleu_smoothing="none"),
    # MLE: MLE_SeqGAN/pretrain_experiment.py, 350 epochs at 1e-3 evaluated every 5 (and after the last).
    "authors_mle": dict(method="mle", pre_epochs=345, adv_iters=5, g_lr=1e-3),
}

# Flags that only one of the two scripts shows (the rest are shared).
ORACLE_FIELDS = ("oracle", "oracle_path", "oracle_seed", "oracle_op_seed", "vocab_size", "seq_len", "eos_token")
TEXT_FIELDS = ("dataset", "train_file", "test_file", "tokenizer", "max_len", "long_lines")
# Fields run_text.py derives from the corpus.
DERIVED_TEXT_FIELDS = ("vocab_size", "seq_len", "start_token", "eos_token", "oracle", "oracle_path", "oracle_seed",
                       "oracle_op_seed")


def make_config(preset: str = "paper", check_seq_len: bool = True, **overrides) -> Config:
    """The preset's config with ``overrides`` applied, validated (without the windows-vs-T check when
    check_seq_len is False: real-data runs learn T from the corpus, then validate again)."""
    if preset not in PRESETS:
        raise ConfigError(f"--preset={preset}: expected one of {', '.join(sorted(PRESETS))}")
    config = dataclasses.replace(Config(), **{**PRESETS[preset], **overrides})
    validate(config, check_seq_len)
    return config


def _check(ok: bool, message: str) -> None:
    if not ok:
        raise ConfigError(message)


def validate(c: Config, check_seq_len: bool = True) -> None:
    """Raise ConfigError naming the offending flag when a value is out of range."""
    for name in ("vocab_size", "seq_len", "emb_dim", "hidden_dim", "dis_emb_dim", "batch_size",
                 "eval_every", "dis_epochs", "rollout_num"):
        _check(getattr(c, name) >= 1, f"--{name}={getattr(c, name)}: expected a positive integer")
    for name in ("pre_epochs", "dis_pre_rounds", "adv_iters", "dis_rounds", "oracle_seed", "seed"):
        _check(getattr(c, name) >= 0, f"--{name}={getattr(c, name)}: expected an integer >= 0")
    for name in ("g_lr", "d_lr", "grad_clip"):
        _check(getattr(c, name) > 0, f"--{name}={getattr(c, name)}: expected a positive number")
    _check(c.g_adv_lr >= 0, f"--g_adv_lr={c.g_adv_lr}: expected a number >= 0 (0 = --g_lr)")
    _check(c.adv_eval_every >= 0, f"--adv_eval_every={c.adv_eval_every}: expected an integer >= 0 (0 = --eval_every)")
    _check(c.oracle_op_seed >= 0, f"--oracle_op_seed={c.oracle_op_seed}: expected an integer >= 0")
    _check(c.oracle != "tf1" or c.emb_dim == c.hidden_dim,
           f"--oracle=tf1 draws Ui as emb_dim x hidden_dim, as the original: expected --emb_dim == --hidden_dim "
           f"(got {c.emb_dim} and {c.hidden_dim})")
    _check(c.dis_l2_reg >= 0, f"--dis_l2_reg={c.dis_l2_reg}: expected a number >= 0")
    _check(0 <= c.rollout_update_rate <= 1,
           f"--rollout_update_rate={c.rollout_update_rate}: expected a rate in [0, 1]")
    _check(0 < c.dis_dropout_keep <= 1, f"--dis_dropout_keep={c.dis_dropout_keep}: expected a probability in (0, 1]")
    _check(c.oracle in ("original", "random", "tf1"), f"--oracle={c.oracle}: expected original, random or tf1")
    _check(0 <= c.start_token < c.vocab_size,
           f"--start_token={c.start_token}: expected a token id in [0, {c.vocab_size})")
    for name in ("num_samples", "eval_samples"):
        _check(getattr(c, name) >= c.batch_size,
               f"--{name}={getattr(c, name)}: expected at least one batch (--batch_size={c.batch_size})")
    _check(c.eos_token < c.vocab_size, f"--eos_token={c.eos_token}: expected -1 or a token id below {c.vocab_size}")
    _check(c.method in METHODS, f"--method={c.method}: expected one of {', '.join(METHODS)}")
    _check(0 <= c.ss_decay <= 1, f"--ss_decay={c.ss_decay}: expected a number in [0, 1]")
    _check(c.pg_bleu_order >= 1, f"--pg_bleu_order={c.pg_bleu_order}: expected a positive integer")
    _check(0 < c.pg_bleu_ref_fraction <= 1,
           f"--pg_bleu_ref_fraction={c.pg_bleu_ref_fraction}: expected a fraction in (0, 1]")
    _check(c.ss_coin in SS_COINS, f"--ss_coin={c.ss_coin}: expected one of {', '.join(SS_COINS)}")
    _check(c.ss_coin_seed >= 0, f"--ss_coin_seed={c.ss_coin_seed}: expected an integer >= 0")
    _check(c.bleu_smoothing in BLEU_SMOOTHINGS,
           f"--bleu_smoothing={c.bleu_smoothing}: expected one of {', '.join(BLEU_SMOOTHINGS)}")
    _validate_data(c)
    _validate_filters(c, check_seq_len)


DATASETS = ("poems", "obama", "nottingham", "coco", "custom")
METHODS = ("seqgan", "mle", "ss", "pg_bleu", "random")
SS_COINS = ("per_token", "frozen")
BLEU_SMOOTHINGS = ("method1", "none")


def _validate_data(c: Config) -> None:
    _check(c.dataset in ("",) + DATASETS, f"--dataset={c.dataset}: expected one of {', '.join(DATASETS)}")
    _check(c.dataset != "custom" or bool(c.train_file), "--dataset=custom needs --train_file=PATH")
    _check(c.dataset == "custom" or not (c.train_file or c.test_file),
           "--train_file/--test_file need --dataset=custom" if not c.dataset else
           f"--train_file/--test_file are for --dataset=custom, not --dataset={c.dataset}")
    _check(c.tokenizer in ("word", "punct", "char"), f"--tokenizer={c.tokenizer}: expected word, punct or char")
    _check(c.long_lines in ("truncate", "drop"), f"--long_lines={c.long_lines}: expected truncate or drop")
    _check(c.max_len >= 0, f"--max_len={c.max_len}: expected an integer >= 0 (0 = no cap)")


def _validate_filters(c: Config, check_seq_len: bool = True) -> None:
    sizes, counts = c.dis_filter_sizes, c.dis_num_filters
    _check(len(sizes) > 0, "--dis_filter_sizes: expected at least one window size")
    _check(len(sizes) == len(counts),
           f"--dis_filter_sizes has {len(sizes)} entries but --dis_num_filters has {len(counts)}: "
           "expected one filter count per window size")
    _check(all(int(s) >= 1 for s in sizes), f"--dis_filter_sizes={_csv(sizes)}: expected positive window sizes")
    _check(all(int(n) >= 1 for n in counts), f"--dis_num_filters={_csv(counts)}: expected positive filter counts")
    _check(not check_seq_len or max(sizes) <= c.seq_len,
           f"--seq_len={c.seq_len} is shorter than the discriminator's largest window "
           f"({max(sizes)}, --dis_filter_sizes): expected seq_len >= {max(sizes)}")


def _csv(values) -> str:
    return ",".join(str(v) for v in values)


def config_diff(old: dict, new: dict) -> list[str]:
    """Human-readable 'key (old -> new)' entries for keys whose values differ."""
    keys = sorted(set(old) | set(new))
    return [f"{k} ({old.get(k)!r} -> {new.get(k)!r})" for k in keys if old.get(k) != new.get(k)]
