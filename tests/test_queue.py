"""docs/reproduction/queue.sh: long runs one after another, resumable (issue #10)."""
import shutil
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "docs" / "reproduction" / "queue.sh"
RUN = """import sys
from pathlib import Path
workdir = Path(sys.argv[-1].split("=", 1)[1])
with open(workdir / "calls", "a") as f:
    f.write(" ".join(sys.argv[1:]) + "\\n")
sys.exit(int(sys.argv[1]))
"""


def _checkout(tmp_path: Path) -> Path:
    """A pinned checkout without git metadata: queue.sh, a venv whose python is this one, a fake run script."""
    src = tmp_path / "src"
    (src / "docs" / "reproduction").mkdir(parents=True)
    shutil.copy(SCRIPT, src / "docs" / "reproduction" / "queue.sh")
    (src / ".venv" / "bin").mkdir(parents=True)
    (src / ".venv" / "bin" / "python").symlink_to(sys.executable)
    (src / ".venv" / "bin" / "activate").write_text(f'PATH="{src / ".venv" / "bin"}:$PATH"\n')
    (src / "run.py").write_text(RUN)
    return src


def _queue(src: Path, runs: list[str], out: Path) -> subprocess.CompletedProcess:
    listing = src / "list.txt"
    listing.write_text("# name script flags\n\n" + "".join(f"{r}\n" for r in runs))
    script = src / "docs" / "reproduction" / "queue.sh"
    return subprocess.run(["bash", str(script), str(listing), str(out)], capture_output=True, text=True)


def test_finished_runs_are_skipped_and_a_failure_stops_the_queue_with_its_exit_code(tmp_path):
    src, out = _checkout(tmp_path), tmp_path / "out"
    runs = ["a/seed_1 run.py 0 --seed=1", "b/seed_2 run.py 3 --seed=2", "c/seed_3 run.py 0"]
    assert _queue(src, runs, out).returncode == 1
    assert (out / "a/seed_1/FINISHED").exists() and not (out / "b/seed_2/FINISHED").exists()
    assert not (out / "c/seed_3").exists()  # the queue stopped at b
    assert f"--seed=1 --workdir={out / 'a/seed_1'}" in (out / "a/seed_1/calls").read_text()
    assert "exit 3 (b/seed_2); re-run this script to resume" in (out / "b/seed_2/progress.txt").read_text()

    runs[1] = "b/seed_2 run.py 0 --seed=2"  # fixed; the same command resumes
    assert _queue(src, runs, out).returncode == 0
    assert len((out / "a/seed_1/calls").read_text().splitlines()) == 1  # finished: not run again
    assert len((out / "b/seed_2/calls").read_text().splitlines()) == 2
    assert (out / "c/seed_3/FINISHED").exists()


def test_a_checkout_git_cannot_read_still_runs_and_says_so(tmp_path):
    """A re-created main clone loses .git/worktrees: the pinned checkout's runs must still resume."""
    src, out = _checkout(tmp_path), tmp_path / "out"
    (src / ".git").write_text("gitdir: /nonexistent/.git/worktrees/src\n")
    done = _queue(src, ["a/seed_1 run.py 0"], out)
    assert done.returncode == 0 and (out / "a/seed_1/FINISHED").exists()
    assert "start/resume at an unknown commit (git cannot read" in (out / "a/seed_1/progress.txt").read_text()
    assert "fatal" not in done.stderr
