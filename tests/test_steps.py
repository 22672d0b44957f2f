"""Each optimisation step of the trainer against a NumPy restatement of the spec's update rule:
Adam with TF1's defaults (lr_t = lr sqrt(1 - b2^t) / (1 - b1^t)), the generator's global-norm clip, a
separate Adam for MLE and for the policy gradient, and D's unclipped Adam at its own rate with dropout on; and the
number of steps each phase takes."""
import numpy as np
import pytest
import tensorflow as tf
from conftest import next_seed, replace

from seqgan_tf.training.losses import discriminator_loss, mle_loss, pg_loss
from seqgan_tf.training.trainer import Trainer


class NumpyAdam:
    def __init__(self, lr, b1=0.9, b2=0.999, eps=1e-8):
        self.lr, self.b1, self.b2, self.eps, self.t, self.m, self.v = lr, b1, b2, eps, 0, None, None

    def step(self, params, grads):
        if self.m is None:
            self.m, self.v = [np.zeros_like(p) for p in params], [np.zeros_like(p) for p in params]
        self.t += 1
        lr_t = self.lr * np.sqrt(1 - self.b2 ** self.t) / (1 - self.b1 ** self.t)
        out = []
        for k, (p, g) in enumerate(zip(params, grads, strict=True)):
            self.m[k] = self.b1 * self.m[k] + (1 - self.b1) * g
            self.v[k] = self.b2 * self.v[k] + (1 - self.b2) * g * g
            out.append(p - lr_t * self.m[k] / (np.sqrt(self.v[k]) + self.eps))
        return out


def clip_global(grads, clip):
    norm = np.sqrt(sum((g.astype(np.float64) ** 2).sum() for g in grads))
    return [g * min(1.0, clip / norm) for g in grads], norm


def gradients(loss_fn, model, *inputs):
    """Gradients of loss_fn(*inputs) with respect to the model's trainable variables, as numpy arrays."""
    with tf.GradientTape() as tape:
        loss = loss_fn(*inputs)
    return [tf.convert_to_tensor(g).numpy() for g in tape.gradient(loss, model.trainable_variables)]


def values(model):
    return [v.numpy() for v in model.trainable_variables]


def assert_close(got, want):
    for g, w in zip(got, want, strict=True):
        np.testing.assert_allclose(g, w, rtol=2e-4, atol=2e-6)


def batches(config, n, seed=0):
    rng = np.random.RandomState(seed)
    return [tf.constant(rng.randint(0, config.vocab_size, (config.batch_size, config.seq_len)), tf.int32)
            for _ in range(n)]


@pytest.fixture
def trainer(tiny_config, tmp_path):
    # A small clip so that clipping is active at every step (the spec's 5.0: tests/test_config.py).
    return Trainer(replace(tiny_config, grad_clip=0.05, dis_dropout_keep=1.0), tmp_path, quiet=True)


@pytest.mark.xla  # the compiled path users run
def test_mle_then_pg_steps_are_clipped_adam_with_separate_state(trainer):
    g, c = trainer.generator, trainer.config
    mle_adam, pg_adam = NumpyAdam(c.g_lr), NumpyAdam(c.g_lr)
    want = values(g)
    for tokens in batches(c, 2):
        grads, norm = clip_global(gradients(lambda t: mle_loss(g.token_log_probs(t)), g, tokens), c.grad_clip)
        assert norm > 2 * c.grad_clip
        want = mle_adam.step(want, grads)
        trainer.mle_steps(tokens[tf.newaxis])
        assert_close(values(g), want)
    for k, tokens in enumerate(batches(c, 2, seed=1)):
        rewards = tf.random.stateless_uniform(tokens.shape, [k, 9])
        grads = gradients(lambda t, r: pg_loss(g.token_log_probs(t), r), g, tokens, rewards)
        grads, norm = clip_global(grads, c.grad_clip)
        want = pg_adam.step(want, grads)  # a fresh Adam: step 1, zero moments
        trainer.pg_step(tokens, rewards)
        assert_close(values(g), want)


def test_discriminator_steps_are_unclipped_adam_at_its_rate(tiny_config, tmp_path):
    # A large l2 weight makes the gradient's norm large, so that a clip (the generator's rule) would show.
    trainer = Trainer(replace(tiny_config, dis_l2_reg=50.0, dis_dropout_keep=1.0), tmp_path, quiet=True)
    d, c = trainer.discriminator, trainer.config
    adam, want = NumpyAdam(c.d_lr), values(d)
    for tokens in batches(c, 3, seed=2):
        labels = tf.constant(np.arange(c.batch_size) % 2, tf.int32)
        grads = gradients(lambda t, y: discriminator_loss(d(t, training=True), y, d.out_kernel, d.out_bias,
                                                          c.dis_l2_reg), d, tokens, labels)
        assert clip_global(grads, 1.0)[1] > 5.0
        want = adam.step(want, grads)
        trainer.d_step(tokens, labels)
        assert_close(values(d), want)


def test_discriminator_steps_drop_features_with_the_runs_random_stream(tiny_config, tmp_path):
    # The spec's dropout (keep 0.75) is on in every training step, its mask drawn from the run's one
    # random stream; rewards score with it off (test_models).
    trainer = Trainer(tiny_config, tmp_path, quiet=True)
    d, c = trainer.discriminator, trainer.config
    assert c.dis_dropout_keep == 0.75
    tokens, labels = batches(c, 1, seed=3)[0], tf.constant(np.arange(c.batch_size) % 2, tf.int32)
    seed = next_seed(trainer)  # the step's
    grads = gradients(lambda t, y: discriminator_loss(d(t, training=True, seed=seed), y, d.out_kernel, d.out_bias,
                                                      c.dis_l2_reg), d, tokens, labels)
    want = NumpyAdam(c.d_lr).step(values(d), grads)
    trainer.d_step(tokens, labels)
    assert_close(values(d), want)


def test_rewards_are_the_probability_of_real_that_the_trained_discriminator_gives(tiny_config, tmp_path):
    # Labels 1 = real; a reward is D's probability of class 1, so what D learnt to call real is rewarded.
    trainer = Trainer(replace(tiny_config, d_lr=1e-2), tmp_path, quiet=True)
    c, d = trainer.config, trainer.discriminator
    real, fake = tf.fill([c.batch_size, c.seq_len], 1), tf.fill([c.batch_size, c.seq_len], 2)  # (B, T)
    half = c.batch_size // 2
    tokens = tf.concat([real[:half], fake[:half]], axis=0)
    labels = tf.constant([1] * half + [0] * half, tf.int32)
    for _ in range(30):
        trainer.d_step(tokens, labels)
    p_real, p_fake = d.prob_real(real).numpy(), d.prob_real(fake).numpy()
    assert p_real.min() > 0.9 and p_fake.max() < 0.1
    r_real, r_fake = trainer.rewards(real).numpy(), trainer.rewards(fake).numpy()  # (B, T)
    np.testing.assert_allclose(r_real[:, -1], p_real, rtol=1e-5)
    assert r_real[:, -1].min() > 0.9 and r_fake[:, -1].max() < 0.1


def test_steps_per_phase(tiny_config, tmp_path):
    # MLE: every batch of the real data once per epoch; D: dis_epochs passes over the whole batches of
    # num_real positives + num_real fresh negatives, per round: dis_pre_rounds rounds, then dis_rounds rounds
    # after each adversarial iteration's one policy-gradient step.
    config = replace(tiny_config, pre_epochs=2, dis_pre_rounds=2, dis_epochs=3, adv_iters=3, dis_rounds=2)
    trainer = Trainer(config, tmp_path, quiet=True)
    trainer.run()
    assert int(trainer.g_mle_opt.iterations) == 2 * config.num_real // config.batch_size
    assert int(trainer.d_opt.iterations) == (2 + 3 * 2) * 3 * (2 * config.num_real // config.batch_size)
    assert int(trainer.g_adv_opt.iterations) == 3
