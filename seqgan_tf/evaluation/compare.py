"""Finished runs side by side with the paper and the original code: tables and learning curves.

  seqgan-compare runs/cpu/*/seed_* [--reference=LOG] [--format=text|md] [--plot=STEM] [--at=40,100,199]
  python -m seqgan_tf.commands.compare ...   (the same)

Oracle runs (run_oracle.py) are grouped by method (and rollout update rate where it is not the
default 0.8; and, where SeqGAN runs of different discriminator schedules are compared together, the
schedule: "D 5x1 + 1x1/iteration" = 5 pre-training rounds of 1 epoch, then 1 round of 1 epoch per
adversarial iteration): final and best NLL-oracle, mean and standard deviation over seeds, the paper's
Table 1 value, the difference, and Welch's t-test p-value of each group's final NLL against SeqGAN's.
--at adds the NLL-oracle at those iterations (epochs) of the second phase. The
original code's log (the project's reference log, or --reference) is a row of its own. --plot writes
STEM.png and STEM.svg: NLL-oracle against epoch for every run and the original's log, the end of MLE
pre-training marked, like the paper's Figure 2. Text runs (run_text.py) are tabulated per dataset:
MLE-only (the last pre-training evaluation) and after adversarial training, beside the paper's tables.
"""
from __future__ import annotations

import dataclasses
import itertools
import math
import os
from pathlib import Path
from typing import Sequence

from seqgan_tf.config import PRESETS, Config
from seqgan_tf.errors import WorkdirError
from seqgan_tf.fileio import parse_log_metrics, read_config

PAPER_TABLE1 = {"random": 10.310, "mle": 9.038, "ss": 8.985, "pg_bleu": 8.946, "seqgan": 8.736}
METHOD_ORDER = ("random", "mle", "ss", "pg_bleu", "seqgan")
# Paper Sec. 5 (MLE, SeqGAN) per dataset and metric.
PAPER_TEXT = {"poems": {"bleu-2": (0.6670, 0.7389)},
              "obama": {"bleu-3": (0.519, 0.556), "bleu-4": (0.416, 0.427)},
              "nottingham": {"bleu-4": (0.9210, 0.9406), "pitch-mse": (22.38, 20.62)}}
REFERENCE_ENV = "SEQGAN_REFERENCE_LOG"
REFERENCE_PRE_EPOCHS = 120  # the original's schedule
DEFAULT_RATE = Config.rollout_update_rate
AUTHORS_SUFFIX = " (authors script)"


def authors_preset(c: Config) -> str | None:
    """The authors_* preset (the first commit's baseline scripts) whose every setting `c` has, if any."""
    for name, values in PRESETS.items():
        if name.startswith("authors_") and all(getattr(c, k) == v for k, v in values.items()):
            return name
    return None


def method_label(c: Config) -> str:
    """A run's group: its method (or the authors' script it follows), its rollout update rate where that is
    not the default, and its oracle where it is a file or TF1's draw."""
    preset = authors_preset(c)
    rate = f", rollout rate {c.rollout_update_rate:g}" if (
        c.method in ("seqgan", "pg_bleu") and c.rollout_update_rate != DEFAULT_RATE and not preset) else ""
    oracle = {"original": f", oracle {c.oracle_path}" if c.oracle_path else "",
              "random": "",
              "tf1": f", TF1 oracle ({c.oracle_seed}, {c.oracle_op_seed})"}[c.oracle]
    return f"{c.method}{AUTHORS_SUFFIX if preset else ''}{rate}{oracle}"


def d_schedule(c: Config) -> tuple[int, int, int]:
    """The discriminator's work: (pre-training rounds, epochs per round, rounds per adversarial iteration)."""
    return c.dis_pre_rounds, c.dis_epochs, c.dis_rounds


def d_schedule_label(c: Config) -> str:
    """'D 5x1 + 1x1/iteration': rounds x epochs of pre-training, then per adversarial iteration."""
    pre_rounds, epochs, rounds = d_schedule(c)
    return f"D {pre_rounds}x{epochs} + {rounds}x{epochs}/iteration"


PAPER_D_SCHEDULE = d_schedule(Config())


def method_order(c: Config) -> int:
    """Table 1's row order of a run's method."""
    return METHOD_ORDER.index(c.method)


@dataclasses.dataclass
class Run:
    """One run's config and log: curves with x = MLE epoch, then pre_epochs + iteration."""
    name: str
    config: Config | None  # None for the original code's log
    phases: dict
    detail: str = ""  # set by tell_schedules_apart: ", D 5x1 + 1x1/iteration"

    @property
    def label(self) -> str:
        return "original code (log)" if self.config is None else method_label(self.config) + self.detail

    @property
    def pre_epochs(self) -> int:
        return self.config.pre_epochs if self.config else REFERENCE_PRE_EPOCHS

    def curve(self, metric: str) -> list[tuple[int, float]]:
        points = [(s, v[metric]) for s, v in self.phases["pretrain"] if metric in v]
        return points + [(self.pre_epochs + s, v[metric]) for s, v in self.phases["adversarial"] if metric in v]

    def final(self, metric: str) -> float:
        curve = self.curve(metric)
        return curve[-1][1] if curve else math.nan

    def best(self, metric: str) -> float:
        values = [v for _, v in self.curve(metric)]
        return min(values) if values else math.nan

    def at(self, metric: str, step: int) -> float:
        """The value at iteration (epoch) `step` of the second phase; NaN if not evaluated there."""
        return next((v[metric] for s, v in self.phases["adversarial"] if s == step and metric in v), math.nan)

    @property
    def finished(self) -> bool:
        """Whether the log holds the run's last evaluation (a run still going is compared as it stands)."""
        c = self.config
        if c is None:
            return True
        if c.method == "random":
            return bool(self.phases["pretrain"])
        last = self.phases["adversarial"][-1][0] if self.phases["adversarial"] else None
        return last == c.adv_iters - 1 or (c.adv_iters == 0 and bool(self.phases["pretrain"]))

    def mle_only(self, metric: str) -> float:
        points = [v[metric] for _, v in self.phases["pretrain"] if metric in v]
        return points[-1] if points else math.nan


def load_run(path: str | Path) -> Run:
    path = Path(path)
    log = path / "experiment-log.txt"
    if not log.exists():
        raise WorkdirError(f"{log}: not found; is {path} a finished or running seqgan_tf run?")
    return Run(str(path), read_config(path), parse_log_metrics(log.read_text(encoding="utf-8")))


def default_reference() -> Path:
    """$SEQGAN_REFERENCE_LOG, else the copy of the original's save/experiment-log.txt shipped in the package
    (numbers only, like the oracle weights; identical to the project's shared/data/reference copy)."""
    if os.environ.get(REFERENCE_ENV):
        return Path(os.environ[REFERENCE_ENV])
    return Path(__file__).resolve().parent / "original-experiment-log.txt"


def load_reference(path: str | Path) -> Run:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise WorkdirError(f"--reference={path}: cannot read ({e.strerror})") from None
    return Run(str(path), None, parse_log_metrics(text))


def mean_std(values: Sequence[float]) -> tuple[float, float]:
    """Mean and sample standard deviation (n - 1); the deviation is NaN for one value."""
    n = len(values)
    mean = math.fsum(values) / n
    std = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1)) if n > 1 else math.nan
    return mean, std


def welch_p(a: Sequence[float], b: Sequence[float]) -> float:
    """Two-sided p-value of Welch's unequal-variance t-test (SciPy); NaN with fewer than 2 values a side."""
    if len(a) < 2 or len(b) < 2:
        return math.nan
    from scipy import stats

    return float(stats.ttest_ind(a, b, equal_var=False).pvalue)


def tell_schedules_apart(runs: Sequence[Run]) -> None:
    """Where runs of one group (same method label) differ in their discriminator schedule, label each run
    whose schedule is not the paper's with it (", D 5x1 + 1x1/iteration"); the paper's keeps the plain label."""
    by_label: dict[str, set] = {}
    for run in runs:
        by_label.setdefault(method_label(run.config), set()).add(d_schedule(run.config))
    for run in runs:
        schedules = by_label[method_label(run.config)]
        if len(schedules) > 1 and d_schedule(run.config) != PAPER_D_SCHEDULE:
            run.detail = ", " + d_schedule_label(run.config)


def _group(runs: Sequence[Run]) -> dict[str, list[Run]]:
    groups: dict[str, list[Run]] = {}
    for run in sorted(runs, key=lambda r: (method_order(r.config), r.label, r.name)):
        groups.setdefault(run.label, []).append(run)
    return groups


def oracle_rows(runs: Sequence[Run], reference: Run | None, at: Sequence[int] = ()) -> list[list[str]]:
    """One row per method group (and the original's log): n, final and best NLL-oracle, the NLL-oracle at
    each second-phase step of `at`, paper, p."""
    groups = _group(runs)
    seqgan = [r.final("nll") for r in groups.get("seqgan", [])]
    rows = []
    for label, members in groups.items():
        finals, bests = [r.final("nll") for r in members], [r.best("nll") for r in members]
        (fm, fs), (bm, bs) = mean_std(finals), mean_std(bests)
        # the paper's row: the method's, or that of the authors' script it follows (also for another
        # discriminator schedule); other suffixes (rollout rate, oracle) have none
        paper = PAPER_TABLE1.get(method_label(members[0].config).removesuffix(AUTHORS_SUFFIX), math.nan)
        p = welch_p(finals, seqgan) if label != "seqgan" else math.nan
        rows.append([label, str(len(members)), _pm(fm, fs), _pm(bm, bs), *_at_cells(members, at), _num(paper),
                     _num(fm - paper, signed=True), f"{p:.1e}" if p < 1e-3 else _num(p, digits=4)])
    if reference is not None:
        rows.append([reference.label, "1", _num(reference.final("nll")), _num(reference.best("nll")),
                     *_at_cells([reference], at), _num(PAPER_TABLE1["seqgan"]),
                     _num(reference.final("nll") - PAPER_TABLE1["seqgan"], signed=True), ""])
    return rows


def _at_cells(members: Sequence[Run], at: Sequence[int]) -> list[str]:
    """Mean ± sd of the NLL-oracle at each step of `at`, over the members evaluated there."""
    cells = []
    for step in at:
        values = [v for v in (r.at("nll", step) for r in members) if not math.isnan(v)]
        cells.append(_pm(*mean_std(values)) if values else "")
    return cells


def oracle_headers(at: Sequence[int] = ()) -> list[str]:
    return ["method", "seeds", "final NLL-oracle", "best NLL-oracle", *(f"at {step}" for step in at), "paper",
            "final - paper", "Welch p vs seqgan"]


def text_rows(runs: Sequence[Run]) -> list[list[str]]:
    """Per dataset, method group and metric: MLE-only and final values (mean +- sd), the paper's pair."""
    rows = []
    by_dataset: dict[str, list[Run]] = {}
    for run in runs:
        by_dataset.setdefault(run.config.dataset, []).append(run)
    for dataset, members in sorted(by_dataset.items()):
        for label, group in _group(members).items():
            metrics = list(group[0].phases["pretrain"][-1][1]) if group[0].phases["pretrain"] else []
            for metric in metrics:
                mle = mean_std([r.mle_only(metric) for r in group])
                final = mean_std([r.final(metric) for r in group])
                paper = PAPER_TEXT.get(dataset, {}).get(metric, (math.nan, math.nan))
                rows.append([dataset, label, str(len(group)), metric, _pm(*mle), _pm(*final), _num(paper[0]),
                             _num(paper[1])])
    return rows


TEXT_HEADERS = ["dataset", "method", "seeds", "metric", "MLE only", "after 2nd phase", "paper MLE", "paper SeqGAN"]


def _num(value: float, digits: int = 3, signed: bool = False) -> str:
    if value is None or math.isnan(value):
        return ""
    return f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"


def _pm(mean: float, std: float) -> str:
    return _num(mean) + ("" if math.isnan(std) else f" ± {std:.3f}")


def render(headers: list[str], rows: list[list[str]], fmt: str) -> str:
    """A Markdown table (fmt='md') or aligned plain text."""
    if fmt == "md":
        lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
        return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows]) + "\n"
    widths = [max(len(x) for x in col) for col in zip(headers, *rows, strict=True)]
    fmt_row = lambda r: "  ".join(x.ljust(w) for x, w in zip(r, widths, strict=True)).rstrip()  # noqa: E731
    return "\n".join([fmt_row(headers), fmt_row(["-" * w for w in widths])] + [fmt_row(r) for r in rows]) + "\n"


ZOOM = (8.5, 9.5)  # NLL-oracle range of the zoomed panel, where MLE, SS and SeqGAN end


def plot(runs: Sequence[Run], reference: Run | None, stem: str | Path, metric: str = "nll") -> list[Path]:
    """NLL-oracle against epoch for every run (one colour per method) and the original's log -> [png, svg].

    Two panels: the whole range, and the same curves zoomed to NLL-oracle 8.5-9.5 (PG-BLEU's collapse
    and the random generator otherwise squash MLE, SS and SeqGAN together)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(14, 5))
    colours = dict(zip(sorted({r.label for r in runs}), itertools.cycle(plt.get_cmap("tab10").colors), strict=False))
    for ax in axes:
        _draw_curves(ax, runs, reference, colours, metric)
    axes[0].set_title("NLL-oracle during training")
    axes[1].set_ylim(*ZOOM)
    axes[1].set_title(f"zoomed: NLL-oracle {ZOOM[0]:g}-{ZOOM[1]:g}")
    axes[0].legend()
    return save_figure(fig, stem)


def _draw_curves(ax, runs: Sequence[Run], reference: Run | None, colours: dict, metric: str) -> None:
    for run in runs:
        curve = run.curve(metric)
        xs, ys = zip(*curve, strict=True) if curve else ((), ())
        ax.plot(xs, ys, color=colours[run.label], alpha=0.8, lw=1.2, marker="." if len(xs) < 3 else None)
    for label, colour in colours.items():
        ax.plot([], [], color=colour, label=label)
    if reference is not None:
        xs, ys = zip(*reference.curve(metric), strict=True)
        ax.plot(xs, ys, color="black", lw=1.5, ls="--", label=reference.label)
    for boundary in sorted({r.pre_epochs for r in runs} | ({reference.pre_epochs} if reference else set())):
        ax.axvline(boundary, color="grey", ls=":", lw=1)
    ax.set_xlabel("epoch (MLE pre-training, then adversarial iterations / further epochs; dotted: the boundary)")
    ax.set_ylabel("NLL-oracle")


def save_figure(fig, stem: str | Path) -> list[Path]:
    """STEM.png and STEM.svg of a matplotlib figure, each written to a temp file and renamed; closes it."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    for path in paths:
        tmp = path.with_name(f".{path.name}.tmp{path.suffix}")
        fig.savefig(tmp)
        os.replace(tmp, path)
    plt.close(fig)
    return paths


def report(run_dirs: Sequence[str], reference_path: str | None = None, fmt: str = "text",
           plot_stem: str | None = None, at: Sequence[int] = ()) -> str:
    """The tables (and plot) for run directories; the string main() prints. `at`: second-phase steps whose
    NLL-oracle gets a column of its own."""
    if not run_dirs:
        raise WorkdirError("no run directories given")
    runs = [load_run(d) for d in run_dirs]
    tell_schedules_apart([r for r in runs if r.config.method == "seqgan"])
    oracle = [r for r in runs if not r.config.dataset]
    text = [r for r in runs if r.config.dataset]
    unfinished = [r.name for r in runs if not r.finished]
    out = [f"note: {len(unfinished)} run(s) not finished, compared as they stand: {', '.join(unfinished)}\n"] \
        if unfinished else []
    reference = None
    if oracle:
        reference = load_reference(reference_path or default_reference())
        out.append(render(oracle_headers(at), oracle_rows(oracle, reference, at), fmt))
        if plot_stem:
            out.append("plot: " + ", ".join(str(p) for p in plot(oracle, reference, plot_stem)) + "\n")
    if text:
        out.append(render(TEXT_HEADERS, text_rows(text), fmt))
    return "\n".join(out)
