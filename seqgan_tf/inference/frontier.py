"""Quality against diversity under a temperature sweep: does SeqGAN beat MLE at equal diversity?

  seqgan-frontier RUN_DIR... [--temperatures=0.7,0.8,0.9,1.0,1.1,1.2,1.3]
      [--checkpoint=latest,mle] [--samples=N] [--seed=0] [--data_dir=DIR] [--format=text|md]
      [--plot=STEM] [--json=FILE]

Caccia et al. ("Language GANs Falling Short", ICLR 2020) showed that lowering an MLE model's softmax
temperature buys quality at the cost of diversity, as GAN training does; so methods must be compared
along the whole quality-diversity curve, not at one point. For each run and temperature t this samples
from the run's generator with its logits divided by t and scores:
  * oracle runs: quality = NLL-oracle of the samples (lower is better); diversity/coverage = NLL-test,
    the generator's own per-token NLL at temperature t of fresh held-out oracle samples (lower is
    better: the model covers more of the oracle's distribution). Both exact.
  * text runs: quality = BLEU-n against the test split (higher is better); diversity = Self-BLEU-n
    (lower is more diverse), n the largest order of the dataset's table; also NLL-test at t.
--checkpoint: 'latest' (each run's final model) and/or 'mle' (its generator at the end of MLE
pre-training, checkpoints/mle/: the fairest MLE point of the same run). With both (the default), the
mle point is swept for every run whose method is not itself MLE. Runs are grouped by method and
rollout rate as `compare` groups them (mean +- sd over seeds). Output: a table per temperature, the
best temperature of each group, and for every pair of curves a statement of which has the better
quality at equal diversity, and where. --plot writes STEM.png/.svg (quality against diversity, one
curve per group, temperature 1.0 starred); --json every point. Errors: one line, exit code 2.
"""
from __future__ import annotations

import dataclasses
import itertools
import math
from pathlib import Path
from typing import Sequence

from seqgan_tf.config import Config
from seqgan_tf.errors import ConfigError
from seqgan_tf.evaluation.compare import _num, _pm, mean_std, method_label, method_order, render
from seqgan_tf.fileio import read_config
from seqgan_tf.inference.sample import CHECKPOINTS, checkpoint_prefix

DEFAULT_TEMPERATURES = (0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3)
HELD_OUT_STREAM = 1  # the held-out oracle samples' stateless seed is (--seed, 1); the samples' is (--seed, 0)


@dataclasses.dataclass(frozen=True)
class Axes:
    """Which metric is quality and which diversity, and which way each is better."""
    quality: str
    diversity: str
    quality_lower_is_better: bool
    diversity_lower_is_better: bool = True  # NLL-test (coverage) and Self-BLEU: lower is more diverse

    def name(self, metric: str) -> str:
        return metric.replace("self_bleu", "Self-BLEU").replace("bleu", "BLEU").replace("nll", "NLL").replace("_", "-")


@dataclasses.dataclass(frozen=True)
class Target:
    """One (run, checkpoint) to sweep."""
    run: str
    config: Config
    checkpoint: str

    @property
    def group(self) -> str:
        label = method_label(self.config)
        return f"{label} (MLE end)" if self.checkpoint == "mle" else label


@dataclasses.dataclass(frozen=True)
class Point:
    """The metrics of one target's samples at one temperature."""
    target: Target
    temperature: float
    metrics: dict

    def to_json(self) -> dict:
        return {"group": self.target.group, "run": self.target.run, "checkpoint": self.target.checkpoint,
                "temperature": self.temperature, **self.metrics}


# --------------------------------------------------------------------------- input checks (no TensorFlow)
def parse_temperatures(text: str) -> tuple[float, ...]:
    """'0.7,0.8' -> (0.7, 0.8); ConfigError unless every value is a positive number."""
    try:
        values = tuple(float(v) for v in text.split(","))
    except ValueError:
        raise ConfigError(f"--temperatures={text}: expected comma-separated positive numbers") from None
    if not values or not all(v > 0 and math.isfinite(v) for v in values):
        raise ConfigError(f"--temperatures={text}: expected positive numbers (a temperature divides the logits)")
    return tuple(sorted(set(values)))


def parse_checkpoints(text: str) -> tuple[str, ...]:
    values = tuple(v.strip() for v in text.split(",") if v.strip())
    if not values or any(v not in CHECKPOINTS for v in values):
        raise ConfigError(f"--checkpoint={text}: expected latest, mle or latest,mle")
    return values


def task_key(config: Config) -> tuple:
    """Runs with equal keys are scored by the same task (the same oracle, or the same corpus)."""
    c = config
    if c.dataset:
        return ("text", c.dataset, c.train_file, c.test_file, c.vocab_size, c.seq_len)
    return ("oracle", c.oracle, c.oracle_path, c.oracle_seed, c.vocab_size, c.emb_dim, c.hidden_dim, c.seq_len)


def _describe(config: Config) -> str:
    return f"dataset {config.dataset}" if config.dataset else "the oracle task"


def plan(run_dirs: Sequence[str], checkpoints: Sequence[str]) -> list[Target]:
    """The (run, checkpoint) pairs to sweep, in table order. WorkdirError for a run without the checkpoint,
    ConfigError for runs of different tasks."""
    targets = []
    for run in run_dirs:
        config = read_config(run)
        for checkpoint in checkpoints:
            if checkpoint == "mle" and "latest" in checkpoints and config.method in ("mle", "random"):
                continue  # an MLE run's own MLE point is its pre-training; a random one has none
            checkpoint_prefix(run, checkpoint)  # exists, or a one-line error
            targets.append(Target(run, config, checkpoint))
    keys = {task_key(t.config): t for t in targets}
    if len(keys) > 1:
        a, b = list(keys.values())[:2]
        raise ConfigError(f"runs of different tasks mixed: {a.run} ({_describe(a.config)}) and {b.run} "
                          f"({_describe(b.config)}); expected runs of one task per call")
    return sorted(targets, key=lambda t: (method_order(t.config), t.group, t.run))


def axes_of(config: Config) -> Axes:
    if not config.dataset:
        return Axes("nll_oracle", "nll_test", quality_lower_is_better=True)
    from seqgan_tf.data.corpus import dataset_spec

    n = max(dataset_spec(config).bleu_orders)
    return Axes(f"bleu_{n}", f"self_bleu_{n}", quality_lower_is_better=False)


# --------------------------------------------------------------------------- scoring (TensorFlow)
class Scorer:
    """Scores a generator's samples at a temperature with the trainer's own task (tasks.py).

    Oracle task: {nll_oracle, nll_test}, NLL-test on `num` fresh held-out oracle samples drawn once.
    Corpus task: NLL-test on the test split, BLEU-n and Self-BLEU-n (and pitch MSE) of the samples.
    """

    def __init__(self, config: Config, num: int, seed: int, data_dir: str = ""):
        import seqgan_tf._quiet  # noqa: F401

        import tensorflow as tf

        self.config, self.num, self.seed = config, num, seed
        if config.dataset:
            self.task, self.held_out = _corpus_task(config, data_dir), None
        else:
            from seqgan_tf.data.tasks import OracleTask

            self.task = OracleTask(config)
            self.held_out = self.task.oracle.sample(num, tf.constant([seed, HELD_OUT_STREAM]))  # (num, T)

    def sample(self, generator, temperature: float):
        """`num` sequences (num, T) at `temperature`, padded after <eos> as the trainer's samples are."""
        import tensorflow as tf

        from seqgan_tf.models.sequences import pad_after_eos

        t = tf.constant(temperature, tf.float32)  # a tensor: one trace serves every temperature
        samples = generator.sample(self.num, tf.constant([self.seed, 0]), t)
        return pad_after_eos(samples, self.config.eos_token) if self.config.eos_token >= 0 else samples

    def evaluate(self, generator, samples, temperature: float) -> dict[str, float]:
        """The metrics (JSON names) of `samples` (N, T) drawn from `generator` at `temperature`."""
        import tensorflow as tf

        t = tf.constant(temperature, tf.float32)
        metrics = self.task.evaluate(generator, samples, t)
        if self.held_out is not None:
            metrics = {"nll_oracle": metrics["nll"],
                       "nll_test": float(generator.mean_nll(self.held_out, -1, t))}
        return {k.replace("-", "_"): v for k, v in metrics.items()}


def _corpus_task(config: Config, data_dir: str):
    from seqgan_tf.data.corpus import load_corpus
    from seqgan_tf.data.datasets import data_dir as resolve_data_dir
    from seqgan_tf.data.tasks import CorpusTask

    root = None if config.dataset == "custom" else resolve_data_dir(data_dir)
    return CorpusTask(config, load_corpus(config, root))


def sweep(targets: Sequence[Target], temperatures: Sequence[float], num: int | None = None, seed: int = 0,
          data_dir: str = "", quiet: bool = False) -> list[Point]:
    """Every target at every temperature (one generator per model size, restored per target)."""
    from seqgan_tf.data.corpus import check_vocabulary
    from seqgan_tf.inference.sample import load_generator
    from seqgan_tf.training.reporting import Progress

    first = targets[0].config
    scorer = Scorer(first, num or first.num_eval, seed, data_dir)
    progress = Progress("frontier", len(targets) * len(temperatures), "evaluations", quiet=quiet)
    generators, points = {}, []
    for target in targets:
        if first.dataset:
            check_vocabulary(target.run, scorer.task.corpus.vocab)
        c = target.config
        size = (c.vocab_size, c.emb_dim, c.hidden_dim, c.seq_len, c.start_token)
        generators[size] = generator = load_generator(target.run, target.checkpoint, into=generators.get(size))
        for temperature in temperatures:
            metrics = scorer.evaluate(generator, scorer.sample(generator, temperature), temperature)
            points.append(Point(target, temperature, metrics))
            progress.update(len(points), f"{target.group} t={_t(temperature)}")
    return points


# --------------------------------------------------------------------------- summaries
def curves(points: Sequence[Point], axes: Axes) -> dict[str, list[tuple[float, float, float]]]:
    """Per group, the mean over seeds at each temperature: [(temperature, diversity, quality)]."""
    table = group_means(points)
    out: dict[str, list] = {}
    for (group, temperature), metrics in table.items():
        out.setdefault(group, []).append((temperature, metrics[axes.diversity][0], metrics[axes.quality][0]))
    return {g: sorted(c) for g, c in out.items()}


def group_means(points: Sequence[Point]) -> dict[tuple[str, float], dict[str, tuple[float, float, int]]]:
    """(group, temperature) -> metric -> (mean, sd, seeds), groups in first-seen (table) order."""
    members: dict[tuple[str, float], list[Point]] = {}
    for p in points:
        members.setdefault((p.target.group, p.temperature), []).append(p)
    return {key: {m: (*mean_std([p.metrics[m] for p in ps]), len(ps)) for m in ps[0].metrics}
            for key, ps in members.items()}


def temperature_tables(points: Sequence[Point], axes: Axes, fmt: str) -> str:
    table = group_means(points)
    metrics = [axes.quality, axes.diversity] + [m for m in points[0].metrics if m not in (axes.quality, axes.diversity)]
    headers = ["group", "seeds"] + [axes.name(m) for m in metrics]
    out = []
    for temperature in sorted({t for _, t in table}):
        rows = [[g, str(next(iter(v.values()))[2])] + [_pm(*v[m][:2]) for m in metrics]
                for (g, t), v in table.items() if t == temperature]
        out.append(f"temperature {_t(temperature)}\n\n" + render(headers, rows, fmt))
    return "\n".join(out)


def best_temperature_rows(points: Sequence[Point], axes: Axes) -> list[list[str]]:
    """Per group: quality at temperature 1, the best quality over the sweep, its temperature and diversity."""
    rows = []
    better = min if axes.quality_lower_is_better else max
    for group, curve in curves(points, axes).items():
        at_one = [q for t, _, q in curve if t == 1.0]
        t, d, q = better(curve, key=lambda p: p[2])
        rows.append([group, _num(at_one[0]) if at_one else "", _num(q), _t(t), _num(d)])
    return rows


def _t(temperature: float) -> str:
    """1 -> '1.0', 0.75 -> '0.75'."""
    text = f"{temperature:g}"
    return text if "." in text or "e" in text else text + ".0"


def _ranges(selected: Sequence[float], sweep_: Sequence[float]) -> str:
    """Temperatures as runs of consecutive sweep values: '0.8-1.0, 1.2'."""
    runs, current = [], []
    for t in sweep_:
        if t in selected:
            current.append(t)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return ", ".join(_t(r[0]) if len(r) == 1 else f"{_t(r[0])}-{_t(r[-1])}" for r in runs)


def _interpolate(curve: Sequence[tuple[float, float, float]], x: float) -> float | None:
    """The curve's quality at diversity x (piecewise linear in x), None outside its diversity range."""
    import numpy as np

    pts = sorted((d, q) for _, d, q in curve)
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    if not xs[0] <= x <= xs[-1]:
        return None
    return float(np.interp(x, xs, ys))


def _wins(a, b, axes: Axes) -> tuple[list[float], list[float], int]:
    """a's temperatures where its quality is better / worse than b's at the same diversity, and the number
    of a's points inside b's diversity range."""
    better, worse, inside = [], [], 0
    for t, d, q in a:
        other = _interpolate(b, d)
        if other is None:
            continue
        inside += 1
        if q != other:
            (better if (q < other) == axes.quality_lower_is_better else worse).append(t)
    return better, worse, inside


def dominance(name_a: str, a, name_b: str, b, axes: Axes) -> str:
    """A plain statement of which curve has the better quality at equal diversity, and where.

    a, b: [(temperature, diversity, quality)]. Compares each point of one curve with the other curve
    interpolated at the same diversity (only inside the other's diversity range)."""
    q, d = axes.name(axes.quality), axes.name(axes.diversity)
    word = "lower" if axes.quality_lower_is_better else "higher"
    a_better, a_worse, a_inside = _wins(a, b, axes)
    b_better, b_worse, b_inside = _wins(b, a, axes)
    if not (a_inside or b_inside):
        span = lambda c: f"{min(p[1] for p in c):.3f}-{max(p[1] for p in c):.3f}"  # noqa: E731
        return (f"{name_a} and {name_b} do not overlap in {d} ({name_a}: {span(a)}, {name_b}: {span(b)}): "
                f"no comparison at equal {d}")
    if not (a_better or a_worse or b_better or b_worse):
        return f"{name_a} and {name_b} coincide: the same {q} at every shared {d}"
    temps_a, temps_b = [p[0] for p in a], [p[0] for p in b]
    for (na, better, worse, temps), (nb, ob_better, _, _) in (
            ((name_a, a_better, a_worse, temps_a), (name_b, b_better, b_worse, temps_b)),
            ((name_b, b_better, b_worse, temps_b), (name_a, a_better, a_worse, temps_a))):
        if better and not worse and not ob_better:
            return (f"{na} dominates {nb}: at equal {d}, {na}'s {q} is {word} wherever the curves overlap "
                    f"({na}'s temperatures {_ranges(better, temps)})")
    parts = [f"{n}'s {q} is {word} for {n}'s temperatures {_ranges(w, ts)}"
             for n, w, ts in ((name_a, a_better, temps_a), (name_b, b_better, temps_b)) if w]
    return f"neither dominates: at equal {d}, " + "; ".join(parts)


def statements(points: Sequence[Point], axes: Axes) -> list[str]:
    by_group = curves(points, axes)
    names = list(by_group)
    return [dominance(a, by_group[a], b, by_group[b], axes) for i, a in enumerate(names) for b in names[i + 1:]]


def plot(points: Sequence[Point], axes: Axes, stem: str | Path) -> list[Path]:
    """Quality against diversity, one curve per group (mean over seeds), temperature 1.0 starred."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from seqgan_tf.evaluation.compare import save_figure

    fig, ax = plt.subplots(figsize=(7, 5))
    colours = itertools.cycle(plt.get_cmap("tab10").colors)
    for (group, curve), colour in zip(curves(points, axes).items(), colours, strict=False):
        ts, ds, qs = zip(*curve, strict=True)
        ax.plot(ds, qs, marker="o", ms=3, color=colour, label=group)
        for t, x, y in curve:
            if t == 1.0:
                ax.plot([x], [y], marker="*", ms=14, color=colour, mec="black")
        for end in (0, -1):
            ax.annotate(f"t={_t(ts[end])}", (ds[end], qs[end]), fontsize=7, textcoords="offset points", xytext=(4, 4))
    ax.set_xlabel(f"{axes.name(axes.diversity)} (lower: more diverse / better coverage)")
    ax.set_ylabel(f"{axes.name(axes.quality)} ({'lower' if axes.quality_lower_is_better else 'higher'} is better)")
    ax.set_title("quality against diversity over temperatures (star: t = 1)")
    ax.legend(fontsize=8)
    return save_figure(fig, stem)


def report(points: Sequence[Point], axes: Axes, fmt: str = "text", plot_stem: str | None = None) -> str:
    best = render(["group", f"{axes.name(axes.quality)} at t=1", "best over the sweep", "at t",
                   f"{axes.name(axes.diversity)} there"], best_temperature_rows(points, axes), fmt)
    out = [temperature_tables(points, axes, fmt), "best temperature of each group (quality only)\n\n" + best,
           "at equal diversity\n\n" + "".join(f"- {s}\n" for s in statements(points, axes))]
    if plot_stem:
        out.append("plot: " + ", ".join(str(p) for p in plot(points, axes, plot_stem)) + "\n")
    return "\n".join(out)
