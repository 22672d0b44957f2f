"""docs/reproduction/collect.sh: the paper-schedule evidence copied into the repository (issue #10)."""
import gzip
import shutil
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "docs" / "reproduction" / "collect.sh"


def _run_dir(runs: Path, name: str, log_lines: int, finished: bool = False) -> Path:
    run = runs / name
    (run / "samples").mkdir(parents=True)
    (run / "config.json").write_text("{}")
    (run / "experiment-log.txt").write_text("".join(f"epoch:\t{5 * i}\tnll:\t9.{i}\n" for i in range(log_lines)))
    (run / "progress.txt").write_text("start\r[adversarial] 1/200\r\n")
    for step in (0, 5, 10):
        (run / "samples" / f"adversarial_{step}.txt").write_text(f"sample {step}\n")
    if finished:
        (run / "FINISHED").write_text("done\n")
    return run


def _collect(tmp_path: Path, runs: Path) -> tuple[Path, str]:
    here = tmp_path / "repro"
    here.mkdir(exist_ok=True)
    shutil.copy(SCRIPT, here / "collect.sh")
    out = subprocess.run(["bash", str(here / "collect.sh"), str(runs)], capture_output=True, text=True, check=True)
    return here, out.stdout


def test_unfinished_run_copied_and_a_further_earlier_copy_kept(tmp_path):
    runs = tmp_path / "runs"
    _run_dir(runs, "seqgan/seed_88", log_lines=8)
    here, _ = _collect(tmp_path, runs)
    copy = here / "in-progress" / "seqgan" / "seed_88"
    assert len((copy / "experiment-log.txt").read_text().splitlines()) == 8
    assert "\r" not in (copy / "progress.txt").read_text()

    shutil.rmtree(runs)  # the machine went; the run starts again from scratch and is behind the copy
    _run_dir(runs, "seqgan/seed_88", log_lines=3)
    _, said = _collect(tmp_path, runs)
    assert len((copy / "experiment-log.txt").read_text().splitlines()) == 8
    assert "kept the copy already here" in said
    current = copy / "current-start"  # the start behind it lands too, beside it
    assert len((current / "experiment-log.txt").read_text().splitlines()) == 3
    assert (current / "config.json").exists() and "\r" not in (current / "progress.txt").read_text()

    shutil.rmtree(runs)  # a start that gets further replaces both
    _run_dir(runs, "seqgan/seed_88", log_lines=9)
    _collect(tmp_path, runs)
    assert len((copy / "experiment-log.txt").read_text().splitlines()) == 9
    assert not current.exists()


def test_finished_run_replaces_its_in_progress_copy_with_the_last_samples(tmp_path):
    runs = tmp_path / "runs"
    _run_dir(runs, "seqgan/seed_88", log_lines=4)
    here, _ = _collect(tmp_path, runs)
    (runs / "seqgan/seed_88/FINISHED").write_text("done\n")
    _collect(tmp_path, runs)
    evidence = here / "paper" / "seqgan" / "seed_88"
    assert not (here / "in-progress" / "seqgan" / "seed_88").exists()
    assert (evidence / "experiment-log.txt").read_text() == (runs / "seqgan/seed_88/experiment-log.txt").read_text()
    assert [p.name for p in (evidence / "samples").iterdir()] == ["adversarial_10.txt.gz"]  # numeric, not 5
    assert gzip.decompress((evidence / "samples" / "adversarial_10.txt.gz").read_bytes()) == b"sample 10\n"


def test_a_run_of_another_schedule_goes_to_variants_with_its_samples(tmp_path):
    runs = tmp_path / "runs"
    _run_dir(runs, "seqgan_cheap_d/seed_1", log_lines=4, finished=True)
    _run_dir(runs, "ss/seed_1", log_lines=4, finished=True)
    here, said = _collect(tmp_path, runs)
    evidence = here / "variants" / "seqgan_cheap_d" / "seed_1"
    assert (evidence / "config.json").exists() and not (here / "paper" / "seqgan_cheap_d").exists()
    assert [p.name for p in (evidence / "samples").iterdir()] == ["adversarial_10.txt.gz"]
    assert (here / "paper" / "ss" / "seed_1" / "experiment-log.txt").exists()
    assert not (here / "paper" / "ss" / "seed_1" / "samples").exists()  # Table 1's baselines keep no samples
    assert "seqgan_cheap_d/seed_1" in said
    assert (evidence / "progress.txt").read_text() == "start\n[adversarial] 1/200\n"  # one line per update
