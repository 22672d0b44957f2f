"""The presets against the spec's tables (the authors' TF1 script): `paper` is every number of it; `cpu`
cuts only the discriminator's work and the iterations; no preset changes the oracle or the models."""
import pytest

from seqgan_tf.config import PRESETS, Config, make_config

# The spec, written out here rather than read from config.py, so that a changed default fails.
SPEC = dict(
    oracle="original", vocab_size=5000, seq_len=20, start_token=0, eos_token=-1,
    emb_dim=32, hidden_dim=32, num_samples=10000, eval_samples=10000, batch_size=64, seed=88,
    pre_epochs=120, g_lr=0.01, grad_clip=5.0, eval_every=5,
    dis_emb_dim=64, dis_filter_sizes=(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20),
    dis_num_filters=(100, 200, 200, 200, 200, 100, 100, 100, 100, 100, 160, 160),
    dis_dropout_keep=0.75, dis_l2_reg=0.2, d_lr=1e-4,
    dis_pre_rounds=50, dis_epochs=3, adv_iters=200, dis_rounds=5, rollout_num=16, method="seqgan",
)
# What every preset keeps: the oracle, the model sizes, D's regularisation, the clip and the batch.
KEPT = ("oracle", "vocab_size", "seq_len", "start_token", "emb_dim", "hidden_dim", "dis_emb_dim",
        "dis_filter_sizes", "dis_num_filters", "dis_dropout_keep", "dis_l2_reg", "grad_clip", "batch_size")


def test_the_paper_preset_is_every_number_of_the_authors_script():
    c = make_config("paper")
    assert {k: getattr(c, k) for k in SPEC} == SPEC
    assert sum(c.dis_num_filters) == 1720
    # 10,000 sequences cut to 156 batches; the policy gradient at the MLE rate; evaluations every 5 iterations.
    assert (c.num_real, c.num_eval, c.adv_lr, c.adv_eval_interval) == (9984, 9984, 0.01, 5)
    assert c.rollout_update_rate == 0.8  # averaging as intended; 0 is what the TF1 graph computes (fidelity.md)
    assert c == Config()  # the flags' defaults are the paper's


def test_the_cpu_preset_cuts_the_discriminator_work_and_the_iterations_only():
    paper, cpu = make_config("paper").to_dict(), make_config("cpu").to_dict()
    changed = {k: (paper[k], cpu[k]) for k in paper if paper[k] != cpu[k]}
    assert changed == {"dis_pre_rounds": (50, 5), "dis_epochs": (3, 1), "adv_iters": (200, 40), "dis_rounds": (5, 1)}


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_every_preset_keeps_the_authors_oracle_and_models(preset):
    c, paper = make_config(preset), make_config("paper")
    assert {k: getattr(c, k) for k in KEPT} == {k: getattr(paper, k) for k in KEPT}
