"""How much discriminator work SeqGAN needs (issue #33): the table and figure of docs/reproduction.md.

  python docs/reproduction/d_schedules.py scalars RUN_DIR DEST_DIR   # TensorBoard scalars -> DEST_DIR/scalars.csv
  python docs/reproduction/d_schedules.py report [--plot=STEM]        # Markdown tables (and the figure)
  python docs/reproduction/d_schedules.py report --write=docs/reproduction.md   # ... written into the page
  python docs/reproduction/d_schedules.py steps CKPT_BEFORE CKPT_AFTER   # one policy-gradient step, from Adam's state

`report` reads only the committed evidence: variants/seqgan_*/seed_* (other discriminator schedules),
paper/seqgan/seed_* (else in-progress/seqgan/seed_*: the paper's schedule) and the original code's log.
Per schedule: the discriminator's work (epochs and steps), the measured hours (from progress.txt: rate x
units of each phase, summed over resumes), NLL-oracle at adversarial iterations 40 / 100 / 150 / 199 and
the best; then the mean reward and the discriminator's training accuracy at iteration 0 and those
(scalars.csv, exported from a run's TensorBoard by `scalars`); then how large the generator's gradient is
against the ones Adam remembers, by iteration range (`relative_steps`, from the logged policy-gradient loss).
`steps` measures the same directly at one step, from the optimizer's moments in two checkpoints of a run
one adversarial iteration apart (copy them out of a running run first: it deletes old ones).
"""
from __future__ import annotations

import argparse
import csv
import functools
import math
import re
import statistics
import sys
from pathlib import Path

import numpy as np

from seqgan_tf.evaluation.compare import (
    PAPER_D_SCHEDULE,
    Run,
    _at_cells,
    _pm,
    d_schedule,
    d_schedule_label,
    default_reference,
    load_reference,
    load_run,
    mean_std,
    render,
    save_figure,
)

HERE = Path(__file__).resolve().parent
AT = (40, 100, 150, 199)
WHY_AT = (0, *AT)  # the reward and accuracy also where the adversarial phase starts
# The page's section that holds the tables, after its line "Provenance:" (the prose above it is written by hand).
SECTION = ("## How much discriminator work SeqGAN needs", "## Table 1 as the authors")
SCALARS = ("adversarial/mean_reward", "discriminator/accuracy", "discriminator/loss", "adversarial/g_loss")
PAPER_SEQGAN = 8.736
STEP_RANGES = ((1, 25), (26, 50), (51, 100), (101, 150), (151, 199))
BETA_1, BETA_2 = 0.9, 0.999  # Adam's moment decays: TF1's defaults, as seqgan_tf.training.optim.adam
LINE = re.compile(r"^\[(\w+)\] (\d+)/(\d+) \S+ \(\d+%\) ([0-9.]+) s/")


def export_scalars(run_dir: Path, dest: Path) -> Path:
    """The run's TensorBoard scalars of SCALARS as dest/scalars.csv (tag, step, value), written via a temp file.

    One row per (tag, step): a run stopped after writing an iteration's scalars but before its checkpoint
    writes them again when it resumes (the same values: the run is deterministic); the last one is kept."""
    import seqgan_tf._quiet  # noqa: F401  (quiet TensorFlow import)

    import tensorflow as tf
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    events = EventAccumulator(str(run_dir / "tensorboard"), size_guidance={"tensors": 0})
    events.Reload()
    rows = {(tag, e.step): float(tf.make_ndarray(e.tensor_proto)) for tag in SCALARS
            if tag in events.Tags()["tensors"] for e in events.Tensors(tag)}
    dest.mkdir(parents=True, exist_ok=True)
    tmp = dest / ".scalars.csv.tmp"
    with tmp.open("w", newline="") as f:
        csv.writer(f).writerows([("tag", "step", "value"), *((t, s, f"{v:.6g}") for (t, s), v in rows.items())])
    return tmp.replace(dest / "scalars.csv")


def phase_hours(progress: Path) -> dict[str, float]:
    """Hours per phase (pretrain, discriminator, adversarial) from progress lines: in each start/resume
    segment, the last line's rate (s per unit since the resume) x the units done in that segment."""
    hours: dict[str, float] = {}
    segment: dict[str, list[tuple[int, float]]] = {}

    def close() -> None:
        for phase, points in segment.items():
            (first, _), (last, rate) = points[0], points[-1]
            hours[phase] = hours.get(phase, 0.0) + (last - first + 1) * rate / 3600
        segment.clear()

    for line in progress.read_text(encoding="utf-8").splitlines():
        if "start/resume" in line:
            close()
        elif m := LINE.match(line):
            segment.setdefault(m.group(1), []).append((int(m.group(2)), float(m.group(4))))
    close()
    return hours


@functools.cache  # the tables and the figure both read each run's scalars
def read_scalars(run_dir: Path) -> dict[str, dict[int, float]]:
    path = run_dir / "scalars.csv"
    out: dict[str, dict[int, float]] = {}
    if path.exists():
        for row in csv.DictReader(path.open()):
            out.setdefault(row["tag"], {})[int(row["step"])] = float(row["value"])
    return out


def schedules(root: Path = HERE) -> dict[str, list[tuple[Path, Run]]]:
    """Schedule label -> (evidence directory, its loaded run) of each run under root (docs/reproduction):
    the other schedules' (variants/), then the paper's (paper/, else in-progress/, labelled so). A variant at
    the paper's own discriminator schedule (e.g. seqgan_fresh_adam, an intervention on the paper's run) is not
    another schedule and is left out."""
    groups: dict[str, list[tuple[Path, Run]]] = {}
    paper = sorted(root.glob("paper/seqgan/seed_*"))
    running = [] if paper else sorted(root.glob("in-progress/seqgan/seed_*"))
    for run_dir in [*sorted(root.glob("variants/seqgan_*/seed_*")), *paper, *running]:
        run = load_run(run_dir)
        papers = d_schedule(run.config) == PAPER_D_SCHEDULE
        if papers and "variants" in run_dir.parts:
            continue
        label = d_schedule_label(run.config) + (" (paper)" if papers else "")
        groups.setdefault(label + (", in progress" if run_dir in running else ""), []).append((run_dir, run))
    return groups


def d_work(run: Run) -> tuple[int, int, int]:
    """Discriminator epochs of pre-training and per iteration, and steps over the run's adversarial iterations."""
    c = run.config
    pre_rounds, epochs, rounds = d_schedule(c)
    steps_per_epoch = 2 * c.num_real // c.batch_size  # real and generated sequences, one batch a step
    return pre_rounds * epochs, rounds * epochs, (pre_rounds * epochs + c.adv_iters * rounds * epochs) * steps_per_epoch


def cost_rows(groups: dict[str, list[tuple[Path, Run]]]) -> list[list[str]]:
    rows = []
    for label, members in groups.items():
        dirs = [d for d, _ in members]
        pre, per_it, steps = d_work(members[0][1])
        hours = [phase_hours(d / "progress.txt") for d in dirs if (d / "progress.txt").exists()]
        total = [sum(h.values()) for h in hours]
        adv = [h.get("adversarial", math.nan) for h in hours]
        rows.append([label, str(len(dirs)), str(pre), str(per_it), f"{steps:,}", _pm(*mean_std(adv)) if adv else "",
                     _pm(*mean_std(total)) if total else ""])
    return rows


def nll_rows(groups: dict[str, list[tuple[Path, Run]]], reference: Run) -> list[list[str]]:
    rows = []
    for label, members in groups.items():
        runs = [r for _, r in members]
        cells = _at_cells(runs, AT)
        best = [min((v["nll"], s) for s, v in r.phases["adversarial"] if "nll" in v) for r in runs]
        last = max(s for r in runs for s, _ in r.phases["adversarial"])
        rows.append([label, str(len(runs)), *cells, ", ".join(f"{v:.3f} @{s}" for v, s in best), str(last)])
    best_ref = min((v["nll"], s) for s, v in reference.phases["adversarial"])
    rows.append(["original code (log)", "1", *_at_cells([reference], AT),
                 f"{best_ref[0]:.3f} @{best_ref[1]}", str(reference.phases["adversarial"][-1][0])])
    return rows


def why_rows(groups: dict[str, list[tuple[Path, Run]]]) -> list[list[str]]:
    """Mean reward and the discriminator's training accuracy at WHY_AT (the D round logged after that iteration)."""
    rows = []
    for label, members in groups.items():
        scalars = [read_scalars(d) for d, _ in members]
        if not any(scalars):
            continue
        pre_rounds, _, rounds = d_schedule(members[0][1].config)
        cells = []
        for step in WHY_AT:
            reward = [s["adversarial/mean_reward"][step] for s in scalars
                      if step in s.get("adversarial/mean_reward", {})]
            d_step = pre_rounds + (step + 1) * rounds  # the discriminator's round counter after this iteration
            acc = [s["discriminator/accuracy"][d_step] for s in scalars
                   if d_step in s.get("discriminator/accuracy", {})]
            cells.append(" / ".join([f"{mean_std(reward)[0]:.3g}" if reward else "-",
                                     f"{mean_std(acc)[0]:.4f}" if acc else "-"]))
        rows.append([label, *cells])
    return rows


def relative_steps(losses: dict[int, float], beta_2: float = BETA_2) -> dict[int, float]:
    """Iteration -> |L_t| / sqrt(v_t), with v_t Adam's bias-corrected average of L_s^2 over iterations s <= t.

    L is the policy-gradient loss (paper Eq. 8: the sum over the batch of reward x log-probability), whose
    gradient scales with it. The generator takes one Adam step per adversarial iteration, so with
    beta_2 = 0.999 Adam's second moment averages the squared gradients of the whole adversarial phase, and
    this is how large iteration t's gradient is against them. A constant scale does not matter (every
    value is then 1); a reward that falls over the run shrinks the steps."""
    out, v = {}, 0.0
    for n, t in enumerate(sorted(losses), start=1):
        v = beta_2 * v + (1 - beta_2) * losses[t] ** 2
        out[t] = abs(losses[t]) / math.sqrt(v / (1 - beta_2 ** n)) if v > 0 else math.nan
    return out


def step_rows(groups: dict[str, list[tuple[Path, Run]]]) -> list[list[str]]:
    """Per schedule, the median of relative_steps over each of STEP_RANGES (mean over the runs)."""
    rows = []
    for label, members in groups.items():
        series = [relative_steps(s["adversarial/g_loss"]) for s in (read_scalars(d) for d, _ in members)
                  if s.get("adversarial/g_loss")]
        if not series:
            continue
        cells = []
        for lo, hi in STEP_RANGES:
            medians = [statistics.median(r[t] for t in r if lo <= t <= hi) for r in series
                       if any(lo <= t <= hi for t in r)]
            cells.append(f"{mean_std(medians)[0]:.3f}" if medians else "-")
        rows.append([label, *cells])
    return rows


def _adam_moments(reader, name: str) -> tuple[int, np.ndarray, np.ndarray]:
    """(steps taken, first moments, second moments) of the optimizer `name` in a checkpoint, every weight
    flattened into one vector. Keras's Adam builds a momentum and then a velocity per weight, numbered on."""
    prefix = f"{name}/_variables/"
    slots = sorted((int(key[len(prefix):].split("/")[0]), key) for key in reader.get_variable_to_shape_map()
                   if key.startswith(prefix))
    arrays = [reader.get_tensor(key).ravel() for _, key in slots]
    steps = int(reader.get_tensor(f"{name}/_iterations/.ATTRIBUTES/VARIABLE_VALUE"))
    return steps, np.concatenate(arrays[0::2]), np.concatenate(arrays[1::2])


def last_step(before: str, after: str, name: str = "g_adv_opt") -> dict[str, float]:
    """The step optimizer `name` took between two checkpoints (paths without .index), one step apart:
    the rms of its gradient g_t = (m_t - beta_1 m_(t-1)) / (1 - beta_1) (the same from the velocities), the
    rms of sqrt(v_hat_t) and their ratio (relative_steps' quantity, measured), and |m_hat| / sqrt(v_hat): each
    weight's step over the learning rate (median and mean); the last also for the MLE optimizer (g_mle_opt)
    at its last step, for scale."""
    import tensorflow as tf

    reader = tf.train.load_checkpoint(after)
    t0, m0, v0 = _adam_moments(tf.train.load_checkpoint(before), name)
    t1, m1, v1 = _adam_moments(reader, name)
    if t1 != t0 + 1:
        raise SystemExit(f"{before} -> {after}: {name} took {t1 - t0} steps between them; expected 1")
    g = (m1 - BETA_1 * m0) / (1 - BETA_1)
    v_hat = v1 / (1 - BETA_2 ** t1)

    def step_over_lr(t, m, v):
        u = np.abs(m / (1 - BETA_1 ** t)) / (np.sqrt(v / (1 - BETA_2 ** t)) + 1e-8)
        return float(np.median(u)), float(np.mean(u))

    pg, mle = step_over_lr(t1, m1, v1), step_over_lr(*_adam_moments(reader, "g_mle_opt"))
    rms_g, rms_root_v = float(np.sqrt(np.mean(g ** 2))), float(np.sqrt(np.mean(v_hat)))
    return {"step": t1, "rms_gradient": rms_g,
            "rms_gradient_from_velocity": float(np.sqrt(np.mean((v1 - BETA_2 * v0) / (1 - BETA_2)))),
            "rms_sqrt_v_hat": rms_root_v, "ratio": rms_g / rms_root_v,
            "step_over_lr_median": pg[0], "step_over_lr_mean": pg[1],
            "mle_step_over_lr_median": mle[0], "mle_step_over_lr_mean": mle[1]}


def plot(groups: dict[str, list[tuple[Path, Run]]], reference: Run, stem: str) -> list[Path]:
    """Left: NLL-oracle against adversarial iteration, every run and the original's log; right: mean reward."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax, ax_r) = plt.subplots(1, 2, figsize=(14, 5))
    colours = dict(zip(groups, plt.get_cmap("tab10").colors, strict=False))
    for label, members in groups.items():
        for i, (d, run) in enumerate(members):
            xs, ys = zip(*[(s, v["nll"]) for s, v in run.phases["adversarial"] if "nll" in v], strict=True)
            ax.plot(xs, ys, color=colours[label], alpha=0.8, lw=1.2, label=label if i == 0 else None)
            reward = sorted(read_scalars(d).get("adversarial/mean_reward", {}).items())
            if reward:
                ax_r.plot(*zip(*reward, strict=True), color=colours[label], alpha=0.6, lw=0.8,
                          label=label if i == 0 else None)
    xs, ys = zip(*[(s, v["nll"]) for s, v in reference.phases["adversarial"]], strict=True)
    ax.plot(xs, ys, color="black", ls="--", lw=1.5, label="original code (log), paper schedule")
    ax.axhline(PAPER_SEQGAN, color="grey", ls=":", lw=1, label=f"paper's Table 1 ({PAPER_SEQGAN})")
    ax.set_xlabel("adversarial iteration")
    ax.set_ylabel("NLL-oracle")
    ax.set_title("NLL-oracle by discriminator schedule")
    ax.legend()
    ax_r.set_yscale("log")
    ax_r.set_xlabel("adversarial iteration")
    ax_r.set_ylabel("mean reward (D's probability of 'real' on rollouts)")
    ax_r.set_title("the reward the discriminator gives")
    if ax_r.get_legend_handles_labels()[0]:
        ax_r.legend()
    return save_figure(fig, stem)


def write_tables(page: Path, tables: list[str]) -> None:
    """Replace the Markdown tables after "Provenance:" in the page's SECTION by `tables`, in order, keeping
    every other line; the page is rewritten atomically. SystemExit naming the page if the section or the
    number of tables does not match."""
    text = page.read_text(encoding="utf-8")
    try:
        start = text.index("Provenance:", text.index(SECTION[0]))
        end = text.index(SECTION[1], start)
    except ValueError:
        raise SystemExit(f"{page}: expected a section {SECTION[0]!r} with a line 'Provenance:', "
                         f"followed by {SECTION[1]!r}") from None
    lines, out, found = text[start:end].split("\n"), [], 0
    for i, line in enumerate(lines):
        if line.startswith("|") and (i == 0 or not lines[i - 1].startswith("|")):
            out.extend(tables[found].strip("\n").split("\n") if found < len(tables) else [])
            found += 1
        elif not line.startswith("|"):
            out.append(line)
    if found != len(tables):
        raise SystemExit(f"{page}: {found} tables after 'Provenance:' in {SECTION[0]!r}; expected {len(tables)}")
    from seqgan_tf.fileio import atomic_write_text

    atomic_write_text(page, text[:start] + "\n".join(out) + text[end:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    export = sub.add_parser("scalars")
    export.add_argument("run_dir", type=Path)
    export.add_argument("dest", type=Path)
    rep = sub.add_parser("report")
    rep.add_argument("--plot", default="")
    rep.add_argument("--root", type=Path, default=HERE, help="the evidence's folder (default: this one)")
    rep.add_argument("--write", type=Path, help="replace the tables of the page's section with these")
    steps = sub.add_parser("steps")
    steps.add_argument("before")
    steps.add_argument("after")
    args = parser.parse_args(argv)
    if args.command == "scalars":
        print(export_scalars(args.run_dir, args.dest))
        return 0
    if args.command == "steps":
        import seqgan_tf._quiet  # noqa: F401  (quiet TensorFlow import)

        for key, value in last_step(args.before, args.after).items():
            print(f"{key}: {value:.4g}")
        return 0
    groups, reference = schedules(args.root), load_reference(default_reference())
    tables = [
        render(["schedule", "runs", "D epochs, pre-training", "D epochs / iteration", "D steps, whole schedule",
                "hours, adversarial phase", "hours in all"], cost_rows(groups), "md"),
        render(["schedule", "runs", *(f"NLL-oracle at {s}" for s in AT), "best (@ iteration)", "last iteration"],
               nll_rows(groups, reference), "md"),
        render(["schedule", *(f"reward / D accuracy at {s}" for s in WHY_AT)], why_rows(groups), "md"),
        render(["schedule", *(f"gradient / Adam's memory, iterations {lo}-{hi}" for lo, hi in STEP_RANGES)],
               step_rows(groups), "md")]
    for table in tables:
        print(table)
    if args.write:
        write_tables(args.write, tables)
        print("wrote:", args.write)
    if args.plot:
        print("plot:", ", ".join(str(p) for p in plot(groups, reference, args.plot)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
