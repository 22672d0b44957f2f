"""What long runs meet: stop signals, a full disk, corrupt checkpoints, a second process, bad workdirs.
Each ends in one line (or a graceful stop) and the same command then finishes with the log of a run that
never met the fault."""
import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import tensorflow as tf
from conftest import TINY

from seqgan_tf.config import make_config
from seqgan_tf.errors import CheckpointError, RunStopped, StorageError
from seqgan_tf.training.trainer import Trainer, train

ROOT = Path(__file__).resolve().parents[1]
# Two discriminator epochs per round and two rounds per iteration, so that every kind of safe point exists.
FAULTS = dict(TINY, dis_epochs=2, dis_rounds=2, adv_iters=4)


def finish(trainer_or_config, workdir=None):
    """Run (or resume) to the end: (log, every weight of G, the rollout network and D) for exact comparison."""
    trainer = trainer_or_config if isinstance(trainer_or_config, Trainer) else Trainer(trainer_or_config, workdir,
                                                                                        quiet=True)
    log = trainer.run()["log"]
    models = (trainer.generator, trainer.rollout, trainer.discriminator)
    return log, [v.numpy() for m in models for v in m.weights]


def assert_same_run(got, want):
    assert got[0] == want[0]
    for a, b in zip(got[1], want[1], strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The log and final weights of the uninterrupted run every test below must end with."""
    return finish(make_config("paper", **FAULTS), tmp_path_factory.mktemp("straight"))


def signal_at_d_epochs(trainer, epochs, signum=signal.SIGTERM):
    """Deliver `signum` to this process during each of the given discriminator epochs (counting from 1)."""
    d_steps, count = trainer.d_steps, [0]

    def d_steps_then_signal(*args):
        d_steps(*args)
        count[0] += 1
        if count[0] in epochs:
            os.kill(os.getpid(), signum)
    trainer.d_steps = d_steps_then_signal


def test_sigterm_stops_at_a_safe_point_and_resume_ends_in_the_same_log(reference, tmp_path):
    config = make_config("paper", **FAULTS)
    trainer = Trainer(config, tmp_path, quiet=True)
    # 2 pre-training epochs; then per iteration: generator update, round 0 (epochs 2k+1, 2k+2), round 1, ...
    signal_at_d_epochs(trainer, {1, 2, 4, 5, 7})
    for where in ("between two discriminator epochs",  # pre-training round 0
                  "after discriminator pre-training round 0",
                  "in adversarial iteration 0, after discriminator round 0",
                  "between two discriminator epochs",  # iteration 0, round 1
                  "between two discriminator epochs"):  # iteration 1, round 0
        with pytest.raises(RunStopped, match=f"stopped by SIGTERM {where}: checkpoint written") as stopped:
            trainer.run()  # the first call starts the run, the others resume it from its checkpoint
        assert stopped.value.signum == signal.SIGTERM
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # the handler is uninstalled
    assert_same_run(finish(trainer), reference)


def test_resume_in_a_new_process_state_after_a_stop_inside_an_iteration(reference, tmp_path):
    config = make_config("paper", **FAULTS)
    trainer = Trainer(config, tmp_path, quiet=True)
    signal_at_d_epochs(trainer, {5})
    with pytest.raises(RunStopped, match="between two discriminator epochs"):
        trainer.run()
    del trainer
    assert_same_run(finish(config, tmp_path), reference)  # a fresh Trainer: all state from the files


def test_sigint_stops_after_the_generator_update(reference, tmp_path):
    config = make_config("paper", **FAULTS)
    trainer = Trainer(config, tmp_path, quiet=True)
    pg_step = trainer.pg_step

    def pg_step_then_sigint(*args):
        loss = pg_step(*args)
        if int(trainer.counters["adv_iters"]) == 1:
            os.kill(os.getpid(), signal.SIGINT)
        return loss
    trainer.pg_step = pg_step_then_sigint
    with pytest.raises(RunStopped, match="stopped by SIGINT in adversarial iteration 1, after the generator's update"):
        trainer.run()
    assert_same_run(finish(config, tmp_path), reference)


def cli(*args, **kwargs):
    flags = [f"--{k}={','.join(map(str, v)) if isinstance(v, tuple) else v}" for k, v in FAULTS.items()]
    return subprocess.Popen([sys.executable, str(ROOT / "run_oracle.py"), *flags, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT, env=dict(os.environ, PYTHONUNBUFFERED="1"),
                            **kwargs)


def test_sigterm_to_the_script_exits_143_with_one_line_then_the_same_command_resumes(reference, tmp_path):
    workdir = tmp_path / "run"
    proc = cli(f"--workdir={workdir}", "--adv_iters=4")
    while not (workdir / "checkpoints" / "checkpoint").exists():  # running, past the real data
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 143, err
    assert err.strip().splitlines()[-1].startswith("stopped by SIGTERM") and "Traceback" not in err
    assert "run the same command to resume" in err
    again = cli(f"--workdir={workdir}", "--adv_iters=4")
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert out == reference[0] == (workdir / "experiment-log.txt").read_text()


def fail_nth_save(trainer, n, partial=True):
    """The n-th checkpoint write dies with ENOSPC after writing part of its data file."""
    save, count = trainer.manager.save, [0]

    def save_or_fail(*args, **kwargs):
        count[0] += 1
        if count[0] == n:
            prefix = Path(trainer.manager.directory) / f"ckpt-{int(trainer.checkpoint.save_counter) + 1}"
            if partial:
                Path(f"{prefix}.data-00000-of-00001").write_bytes(b"\0" * 100)
            raise tf.errors.ResourceExhaustedError(None, None, f"{prefix}.data-00000-of-00001; No space left on device")
        return save(*args, **kwargs)
    trainer.manager.save = save_or_fail


def test_a_full_disk_while_checkpointing_keeps_the_last_checkpoint_and_resume_finishes(reference, tmp_path):
    config = make_config("paper", **FAULTS)
    trainer = Trainer(config, tmp_path, quiet=True)
    fail_nth_save(trainer, 6)
    with pytest.raises(StorageError, match=r"checkpoints: cannot write \(.*No space left on device.*"
                                           "last complete checkpoint is intact"):
        trainer.run()
    resumed = Trainer(config, tmp_path, quiet=True)
    assert resumed.restore()  # the last complete checkpoint restores
    assert_same_run(finish(config, tmp_path), reference)


def test_a_full_disk_while_writing_the_log_or_samples_keeps_the_old_file(reference, tmp_path, monkeypatch):
    import seqgan_tf.fileio

    config = make_config("paper", **FAULTS)
    replace_file, calls = os.replace, [0]

    def replace_or_enospc(src, dst):
        calls[0] += 1
        if calls[0] == 12:
            raise OSError(errno.ENOSPC, "No space left on device")
        return replace_file(src, dst)
    monkeypatch.setattr(seqgan_tf.fileio.os, "replace", replace_or_enospc)
    with pytest.raises(StorageError, match=r"(experiment-log\.txt|\.txt|config\.json): cannot write \(No space left"):
        train(config, tmp_path, quiet=True)
    assert not list(tmp_path.rglob(".*.tmp"))  # no temp file left behind
    monkeypatch.setattr(seqgan_tf.fileio.os, "replace", replace_file)
    assert_same_run(finish(config, tmp_path), reference)


def data_files(workdir):
    return sorted((workdir / "checkpoints").glob("ckpt-*.data-*"),
                  key=lambda p: int(p.name.split("-")[1].split(".")[0]))


def test_a_truncated_newest_checkpoint_falls_back_to_the_one_before(reference, tmp_path, capsys):
    config = make_config("paper", **FAULTS)
    trainer = Trainer(config, tmp_path, quiet=True)
    signal_at_d_epochs(trainer, {5})
    with pytest.raises(RunStopped):
        trainer.run()
    newest = data_files(tmp_path)[-1]
    newest.write_bytes(newest.read_bytes()[: newest.stat().st_size // 2])
    assert_same_run(finish(config, tmp_path), reference)
    warning = capsys.readouterr().err.strip().splitlines()
    assert len(warning) == 1 and warning[0].startswith(f"warning: {newest.name.split('.')[0]}: ")
    assert "resuming from ckpt-" in warning[0]


@pytest.mark.parametrize("state_file", ["missing", "without timestamps", "unreadable"])
def test_a_lost_state_file_resumes_from_the_newest_checkpoint_not_from_scratch(state_file, reference, tmp_path,
                                                                              capsys):
    """TF's checkpoints/checkpoint lost (the ckpt files copied alone), unreadable, or listing none of them
    (TF ignores entries without timestamps): the run resumes from the newest ckpt-N, instead of training again from
    scratch and in time writing over its own checkpoints."""
    config = make_config("paper", **FAULTS)
    trainer = Trainer(config, tmp_path, quiet=True)
    signal_at_d_epochs(trainer, {5})  # in the adversarial phase: MLE pre-training is done
    with pytest.raises(RunStopped):
        trainer.run()
    newest = data_files(tmp_path)[-1].name.split(".")[0]
    state = tmp_path / "checkpoints" / "checkpoint"
    if state_file == "missing":
        state.unlink()
    elif state_file == "unreadable":
        state.write_text("model_checkpoint_path: {{\n")  # TF reads it as no list at all
    else:
        state.write_text("".join(f"{line}\n" for line in state.read_text().splitlines() if "timestamp" not in line))
    capsys.readouterr()
    resumed = Trainer(config, tmp_path, quiet=True)
    mle_epochs = []
    resumed.mle_epoch = lambda epoch: mle_epochs.append(epoch) or 0.0  # counts, and trains nothing
    assert_same_run(finish(resumed), reference)
    assert mle_epochs == []  # nothing of pre-training was done again
    warning = capsys.readouterr().err.strip().splitlines()
    assert warning == [f"warning: {state} does not list {newest}; resuming from {newest}"]


def test_no_checkpoint_that_restores_is_one_line_and_deletes_nothing(tmp_path):
    config = make_config("paper", **dict(FAULTS, adv_iters=1))
    train(config, tmp_path / "run", quiet=True)
    for path in data_files(tmp_path / "run"):
        path.write_bytes(b"garbage")
    before = sorted(p.name for p in (tmp_path / "run" / "checkpoints").iterdir())
    with pytest.raises(CheckpointError, match=r"no checkpoint in .* restores \(ckpt-\d+: .*; ckpt-\d+: .*\); "
                                              "nothing was deleted"):
        Trainer(config, tmp_path / "run", quiet=True).run()
    assert sorted(p.name for p in (tmp_path / "run" / "checkpoints").iterdir()) == before


HOLD = ("import sys, time; from seqgan_tf.training.workdir import WorkdirLock; WorkdirLock(sys.argv[1]); "
        "print('held', flush=True); time.sleep(600)")


def test_a_second_process_on_a_locked_workdir_refuses_and_a_dead_holder_leaves_no_lock(tmp_path):
    workdir = tmp_path / "run"
    workdir.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(workdir)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "held"
        second = cli(f"--workdir={workdir}", "--adv_iters=0", "--dis_pre_rounds=0")
        _, err = second.communicate(timeout=300)
        assert second.returncode == 2
        assert err.strip().splitlines() == [err.strip()]
        assert err.startswith(f"error: --workdir={workdir} is in use by pid ")
        assert str(holder.pid) in err
        assert sorted(p.name for p in workdir.iterdir()) == [".lock"]  # nothing written
    finally:
        holder.kill()  # a crash: the OS drops the lock
        holder.wait()
    third = cli(f"--workdir={workdir}", "--adv_iters=0", "--dis_pre_rounds=0")
    _, err = third.communicate(timeout=300)
    assert third.returncode == 0, err


def test_the_lock_is_held_while_the_trainer_lives_in_this_process(tiny_config, tmp_path):
    Trainer(tiny_config, tmp_path, quiet=True)  # holds it (re-entrant in this process)
    holder = subprocess.run([sys.executable, "-c", HOLD.replace("time.sleep(600)", "pass"), str(tmp_path)],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert holder.returncode != 0 and "WorkdirError" in holder.stderr and "is in use by pid" in holder.stderr


@pytest.mark.parametrize("where, needle", [
    ("/proc/nope/run", "cannot create the directory"),
    ("/proc/self", "cannot write in it"),
    ("FILE", "exists and is not a directory"),
    ("FILE/run", "cannot create the directory"),
])
def test_workdirs_that_cannot_be_written_are_one_line_errors(where, needle, tmp_path):
    (tmp_path / "FILE").write_text("not a directory")
    workdir = where.replace("FILE", str(tmp_path / "FILE"))
    proc = cli(f"--workdir={workdir}", "--adv_iters=0")
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 2 and "Traceback" not in err
    assert err.strip().splitlines() == [f"error: --workdir={workdir}: " + err.split(": ", 2)[2].strip()]
    assert needle in err
    assert (tmp_path / "FILE").read_text() == "not a directory"
