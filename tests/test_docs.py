"""The documentation keeps its promises: every relative link in README.md and docs/ resolves, and every
`seqgan-*` command README shows exists with the flags it shows."""
import importlib
import importlib.util
import re
import sys
from pathlib import Path

import pytest
from test_commands import COMMANDS, call

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def anchors(page: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation but '-' and '_' dropped, spaces to '-'."""
    out = set()
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            out.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return out


def prose(text: str) -> str:
    return re.sub(r"```.*?```", "", text, flags=re.S)  # links in code blocks are not links


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_relative_links_resolve(page):
    links = re.findall(r"\]\(([^)\s]+)\)", prose(page.read_text(encoding="utf-8")))
    assert links or page.name != "README.md"
    for link in links:
        if re.match(r"[a-z]+:", link):
            continue
        path, _, anchor = link.partition("#")
        target = (page.parent / path).resolve() if path else page
        assert target.exists(), f"{page.name}: {link} does not exist"
        if anchor and target.suffix == ".md":
            assert anchor in anchors(target), f"{page.name}: {link}: no heading with that anchor"


def readme_commands() -> list[tuple[str, list[str]]]:
    """(command, flags) of every line of README's shell blocks that runs a seqgan-* command."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = []
    for block in re.findall(r"```bash\n(.*?)```", text, re.S):
        for line in block.splitlines():
            for part in line.split("&&"):
                words = part.split("#")[0].split()
                if words and words[0].startswith("seqgan-"):
                    found.append((words[0], [w.split("=")[0] for w in words[1:] if w.startswith("--")]))
    for name, flags in re.findall(r"`(seqgan-[a-z]+)((?: --[a-z_]+(?:=[^` ]*)?)*)`", prose(text)):
        found.append((name, [w.split("=")[0] for w in flags.split()]))
    return found


def test_readme_names_every_command_with_flags_it_has(capsys, monkeypatch):
    commands = readme_commands()
    assert {name for name, _ in commands} >= {"seqgan-oracle", "seqgan-text", "seqgan-generate", "seqgan-compare",
                                               "seqgan-metrics", "seqgan-fetch", "seqgan-frontier", "seqgan-export"}
    helps = {}
    for name, flags in commands:
        assert name in COMMANDS, f"README names {name}, which is not a command"
        if name not in helps:
            monkeypatch.setattr(sys, "argv", [name])
            assert call(name, "--help") == 0
            helps[name] = capsys.readouterr().out
        for flag in flags:
            if flag in ("--help", "--helpfull", "--flagfile"):
                continue
            assert f"  {flag}:" in helps[name] or f"  --[no]{flag[2:]}:" in helps[name], f"{name} has no {flag}"


def test_table_1_as_the_authors_ran_it_is_the_committed_evidence():
    """The table in docs/reproduction.md is what `seqgan-compare` makes of the committed run logs, not
    numbers typed by hand: a run added, a log edited or a digit changed in the page makes this fail."""
    from seqgan_tf.evaluation.compare import report

    page = (ROOT / "docs" / "reproduction.md").read_text(encoding="utf-8")
    section = page[page.index("## Table 1 as the authors ran it"):page.index("### The oracle")]
    table = "\n".join(line for line in section.splitlines() if line.startswith("|"))
    runs = sorted(str(p) for p in (ROOT / "docs" / "reproduction" / "paper").glob("*/seed_*"))
    assert table == report(runs, fmt="md").strip()


def _resolves(name: str) -> bool:
    """Whether a dotted name is a module of seqgan_tf or an attribute of one (seqgan_tf.models.sequences.eos_mask)."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            if not hasattr(obj, attr):
                return False
            obj = getattr(obj, attr)
        return True
    return False


def test_changelog_names_what_exists_and_only_the_before_column_what_is_gone():
    lines = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8").splitlines()
    table = [line.split("|") for line in lines if line.startswith("| ") and not line.startswith("| before")]
    before = " ".join(cells[1] for cells in table)
    rest = "\n".join(line for line in lines if not line.startswith("| ")) + " ".join(cells[2] for cells in table)
    dotted = r"`(?:python -m )?(seqgan_tf(?:\.[A-Za-z_]+)+)"
    now, gone = re.findall(dotted, rest), re.findall(dotted, before)
    assert len(now) >= 10 and len(gone) >= 10
    assert [n for n in now if not _resolves(n)] == []
    assert [n for n in gone if _resolves(n)] == []


def test_ci_runs_exactly_the_readme_test_command_and_it_lints():
    first_block = re.search(r"```bash\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S).group(1)
    test_command = first_block.splitlines()[1]
    assert "ruff check ." in test_command and "pytest" in test_command
    assert (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1] == test_command


def test_discriminator_schedule_tables_are_the_committed_evidence(capsys):
    """The tables of "How much discriminator work SeqGAN needs" are what docs/reproduction/d_schedules.py
    makes of the committed evidence (variants/, paper/ or in-progress/ seed 88, the original's log)."""
    spec = importlib.util.spec_from_file_location("d_schedules", ROOT / "docs" / "reproduction" / "d_schedules.py")
    d_schedules = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(d_schedules)
    page = (ROOT / "docs" / "reproduction.md").read_text(encoding="utf-8")
    section = page[page.index(d_schedules.SECTION[0]):page.index(d_schedules.SECTION[1])]
    generated = section[section.index("Provenance:"):]  # the schedules' description above is prose
    assert d_schedules.main(["report"]) == 0
    made = [line for line in capsys.readouterr().out.splitlines() if line.startswith("|")]
    assert [line for line in generated.splitlines() if line.startswith("|")] == made


@pytest.mark.parametrize("page", [ROOT / "README.md", ROOT / "docs" / "reproduction.md"], ids=lambda p: p.name)
def test_table_1_seqgan_cell_is_the_committed_evidence(page):
    """The SeqGAN cell at the paper schedule of Table 1 (README, reproduction page) is the committed log's:
    the last evaluation of the run still going (docs/reproduction/in-progress/) or, once finished, the final
    value of the collected runs (docs/reproduction/paper/seqgan/), so that a new snapshot of the log cannot
    leave a page behind."""
    from seqgan_tf.evaluation.compare import mean_std
    from seqgan_tf.fileio import parse_log_metrics

    text = page.read_text(encoding="utf-8")
    cell = next(line for line in text.splitlines() if line.startswith("| SeqGAN |")).split("|")[4].strip()
    evidence = ROOT / "docs" / "reproduction"
    finished = sorted((evidence / "paper" / "seqgan").glob("seed_*"))
    runs = finished or sorted((evidence / "in-progress" / "seqgan").glob("seed_*"))
    assert runs, "no committed log of SeqGAN at the paper schedule"
    last = [parse_log_metrics((run / "experiment-log.txt").read_text(encoding="utf-8"))["adversarial"][-1]
            for run in runs]
    if finished:
        mean, sd = mean_std([metrics["nll"] for _, metrics in last])
        assert cell.startswith(f"{mean:.3f}" if len(last) == 1 else f"{mean:.3f} ± {sd:.3f}"), cell
    else:
        (run,), ((step, metrics),) = runs, last
        assert cell == f"{run.name.replace('_', ' ')} unfinished ({metrics['nll']:.3f} at iteration {step})"
