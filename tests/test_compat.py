"""Runs written before the package was split into folders still resume, to the log of a run that never
stopped (tests/fixtures/run_before_restructure: commit 7f00cce, stopped after MLE pre-training and one
discriminator pre-training round; tests/fixtures/make_old_run.py made it)."""
import json
import shutil
from pathlib import Path

from seqgan_tf.config import Config
from seqgan_tf.training.trainer import Trainer, train

OLD_RUN = Path(__file__).parent / "fixtures" / "run_before_restructure"


def test_a_run_of_the_flat_package_resumes_to_the_uninterrupted_log(tmp_path):
    config = Config.from_dict(json.loads((OLD_RUN / "config.json").read_text())["config"])
    resumed = tmp_path / "resumed"
    shutil.copytree(OLD_RUN, resumed)
    trainer = Trainer(config, resumed, quiet=True)
    assert trainer.restore()  # the old checkpoint restores into today's objects
    assert (int(trainer.counters["mle_epochs"]), int(trainer.counters["dis_pre_rounds"])) == (3, 1)
    trainer.lock.release()
    log = train(config, resumed, quiet=True)["log"]
    assert log == train(config, tmp_path / "fresh", quiet=True)["log"]
    assert "adversarial training..." in log
