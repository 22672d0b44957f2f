"""Generator and discriminator: shapes, parameter counts, initialisation."""
import numpy as np
import pytest
import tensorflow as tf
from conftest import replace

from seqgan_tf.config import PAPER_FILTER_SIZES, PAPER_NUM_FILTERS, make_config
from seqgan_tf.models.discriminator import Discriminator
from seqgan_tf.models.generator import Generator
from seqgan_tf.models.oracle import make_oracle
from seqgan_tf.models.rollout import Rollout


def count(variables):
    return sum(int(np.prod(v.shape)) for v in variables)


def test_generator_shapes_and_parameter_count():
    g = Generator.from_config(make_config("paper"))
    tokens = np.zeros((3, 20), np.int32)
    assert g(tokens).shape == (3, 20, 5000)
    assert g.sample(4, tf.constant([0, 0])).shape == (4, 20)
    V, E, H = 5000, 32, 32
    assert count(g.trainable_variables) == V * E + 4 * (E * H + H * H + H) + H * V + V


def test_discriminator_paper_parameter_counts():
    d = Discriminator.from_config(make_config("paper"))
    # The spec's table, written out independently of the config module.
    table = [(1, 100), (2, 200), (3, 200), (4, 200), (5, 200), (6, 100), (7, 100), (8, 100), (9, 100),
             (10, 100), (15, 160), (20, 160)]
    assert list(zip(PAPER_FILTER_SIZES, PAPER_NUM_FILTERS, strict=True)) == table
    assert [tuple(k.shape) for k in d.conv_kernels] == [(k, 64, n) for k, n in table]
    assert d.embedding.shape == (5000, 64)
    F = 1720
    assert sum(n for _, n in table) == F
    conv = sum(k * 64 * n + n for k, n in table)
    highway = 2 * (F * F + F)
    output = F * 2 + 2
    assert count(d.trainable_variables) == 5000 * 64 + conv + highway + output
    assert d(np.zeros((5, 20), np.int32)).shape == (5, 2)


def test_discriminator_initialisers():
    d = Discriminator.from_config(make_config("paper"))
    emb = d.embedding.numpy()
    assert emb.min() >= -1 and emb.max() <= 1 and 0.55 < emb.std() < 0.6  # Uniform(-1, 1)
    for k, b in zip(d.conv_kernels, d.conv_biases, strict=True):
        assert np.abs(k.numpy()).max() <= 0.2 + 1e-6  # truncated at 2 standard deviations
        np.testing.assert_allclose(b.numpy(), 0.1)
    out = d.out_kernel.numpy()  # (1720, 2)
    assert np.abs(out).max() <= 0.2 + 1e-6 and 0.08 < out.std() < 0.095  # truncated: sd 0.1 x 0.88
    np.testing.assert_allclose(d.out_bias.numpy(), 0.1)
    limit = np.sqrt(6 / (2 * 1720))
    assert np.abs(d.gate_kernel.numpy()).max() <= limit and np.abs(d.gate_bias.numpy()).max() <= limit


def test_discriminator_dropout_only_in_training(tiny_config):
    d = Discriminator.from_config(tiny_config)
    tokens = np.random.RandomState(0).randint(0, 30, size=(16, 8)).astype(np.int32)
    eval_a, eval_b = d(tokens).numpy(), d(tokens, training=False).numpy()
    np.testing.assert_array_equal(eval_a, eval_b)
    train_a = d(tokens, training=True, seed=tf.constant([1, 1])).numpy()
    train_b = d(tokens, training=True, seed=tf.constant([1, 2])).numpy()
    assert not np.allclose(train_a, train_b) and not np.allclose(train_a, eval_a)
    p = d.prob_real(tokens).numpy()
    assert p.shape == (16,) and np.all((p > 0) & (p < 1))


@pytest.mark.parametrize("model", ["generator", "rollout", "discriminator", "oracle"])
def test_a_checkpoint_of_the_model_alone_holds_every_weight(tiny_config, tmp_path, model):
    """A user's `tf.train.Checkpoint(discriminator=d)` must save and restore all of d, not only the weights
    that an optimizer happens to track too (conv banks held in lists once reached a checkpoint only that way)."""
    make = {"generator": Generator.from_config, "rollout": Rollout.from_config,
            "discriminator": Discriminator.from_config, "oracle": make_oracle}[model]
    other = replace(tiny_config, seed=tiny_config.seed + 1, oracle_seed=tiny_config.oracle_seed + 1)
    saved, fresh = make(tiny_config), make(other)
    assert saved.weights and len(saved.weights) == len(fresh.weights)
    prefix = tf.train.Checkpoint(model=saved).write(str(tmp_path / "ckpt"))
    stored = {name for name, _ in tf.train.list_variables(prefix)} - {"_CHECKPOINTABLE_OBJECT_GRAPH"}
    assert len(stored) == len(saved.weights)
    tf.train.Checkpoint(model=fresh).read(prefix).assert_consumed()
    for a, b in zip(saved.weights, fresh.weights, strict=True):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
