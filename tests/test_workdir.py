"""training/workdir.py: finding a run's checkpoints without TensorFlow (the trainer's resume and every command
that loads a run use the same list). Locks and incompatible workdirs: tests/test_faults.py."""
from seqgan_tf.training.workdir import checkpoints_newest_first, latest_checkpoint


def _checkpoints(workdir, numbers, state=None):
    directory = workdir / "checkpoints"
    directory.mkdir(parents=True)
    for n in numbers:
        (directory / f"ckpt-{n}.index").write_bytes(b"")
        (directory / f"ckpt-{n}.data-00000-of-00001").write_bytes(b"")
    if state is not None:
        (directory / "checkpoint").write_text(state)
    return directory


def test_newest_first_by_number_from_the_list_and_the_disk(tmp_path):
    # TF's list names ckpt-9 (files gone) and ckpt-8; ckpt-12 is on disk but not listed (the list not yet
    # updated when the run was killed, or a copy of an older list)
    state = ('model_checkpoint_path: "ckpt-9"\n'
             'all_model_checkpoint_paths: "ckpt-8"\nall_model_checkpoint_paths: "ckpt-9"\n')
    directory = _checkpoints(tmp_path, [4, 8, 12], state)
    assert checkpoints_newest_first(tmp_path) == [str(directory / f"ckpt-{n}") for n in (12, 9, 8, 4)]
    assert latest_checkpoint(tmp_path) == str(directory / "ckpt-12")


def test_a_lost_or_unreadable_list_does_not_hide_the_checkpoints(tmp_path):
    for name, state in (("lost", None), ("unreadable", "model_checkpoint_path: {{\n"), ("binary", "\udcff")):
        workdir = tmp_path / name
        directory = _checkpoints(workdir, [7, 10], None)
        if state is not None:
            (directory / "checkpoint").write_bytes(state.encode("utf-8", "surrogateescape"))
        assert latest_checkpoint(workdir) == str(directory / "ckpt-10"), name


def test_no_checkpoint(tmp_path):
    assert checkpoints_newest_first(tmp_path) == [] and latest_checkpoint(tmp_path) is None
