"""The wheel: built from the project's files, installed into a fresh venv, run from an empty directory."""
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ("seqgan-oracle", "seqgan-text", "seqgan-generate", "seqgan-compare", "seqgan-metrics", "seqgan-fetch",
           "seqgan-frontier", "seqgan-export")


def run(*args, **kwargs):
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=600, **kwargs)
    assert result.returncode == 0, (args, result.stdout[-2000:], result.stderr[-3000:])
    return result


def test_wheel_installs_into_a_fresh_venv_and_runs_a_short_smoke_run_from_an_empty_directory(tmp_path):
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "--no-build-isolation", "-q", "-w", dist)
    (wheel,) = dist.glob("seqgan_tf-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "seqgan_tf/models/target_params.npz" in names and "seqgan_tf/evaluation/original-experiment-log.txt" in names
    assert not any(n.startswith(("tests/", "benchmarks/")) for n in names)
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert all(f"{s} = " in entry_points for s in SCRIPTS)

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv)
    site = Path(run(venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
                .stdout.strip())
    # The dependencies (TensorFlow is ~600 MB) come from this environment's site-packages as a plain path
    # entry: its .pth files (our own editable install) are not processed, so seqgan_tf comes from the wheel.
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run(venv / "bin" / "python", "-m", "pip", "install", "-q", "--no-index", wheel)  # deps found: nothing fetched
    empty = tmp_path / "empty"
    empty.mkdir()
    where = run(venv / "bin" / "python", "-c", "import seqgan_tf; print(seqgan_tf.__file__)", cwd=empty).stdout
    assert where.startswith(str(site)), where
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    short = ["--pre_epochs=2", "--dis_pre_rounds=1", "--adv_iters=1", "--num_samples=128", "--eval_samples=128"]
    result = run(venv / "bin" / "seqgan-oracle", "--preset=smoke", *short, "--workdir=runs/smoke", "--quiet",
                 cwd=empty, env=env)  # the smoke preset shortened (CI time): the point is the installed package
    assert result.stdout.startswith("pre-training...\nepoch:\t0\tnll:\t")
    assert result.stdout == (empty / "runs" / "smoke" / "experiment-log.txt").read_text()
    for script in SCRIPTS[2:]:
        assert "usage:" in run(venv / "bin" / script, "--help", cwd=empty, env=env).stdout
