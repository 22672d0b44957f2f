"""The rollout network and the Monte-Carlo rewards of the paper's Eq. (4)-(5)."""
from __future__ import annotations

from typing import Callable

import seqgan_tf._quiet  # noqa: F401  (quiet TensorFlow import)

import tensorflow as tf

from seqgan_tf.config import Config
from seqgan_tf.models.lstm import RecurrentLM
from seqgan_tf.models.sequences import eos_mask, pad_after_eos


class Rollout(RecurrentLM):
    """G_beta: the generator's architecture with its own weights.

    `update(generator, rate)` applies beta <- rate * beta + (1 - rate) * theta to the LSTM and output
    weights and copies the embedding. rate = 0 makes the rollout equal to the current generator,
    which is what the original TF1 graph computes (docs/fidelity.md, "The rollout update rate").
    """

    @classmethod
    def from_config(cls, config: Config) -> "Rollout":
        return cls(config.vocab_size, config.emb_dim, config.hidden_dim, config.seq_len,
                   start_token=config.start_token, seed=config.seed + 3, name="rollout")

    def update(self, generator: RecurrentLM, rate: float) -> None:
        """Delayed parameter averaging; the embedding is copied as is (the original's `update_params`)."""
        self.embedding.assign(generator.embedding)
        for name in self.weight_names[1:]:
            beta, theta = getattr(self, name), getattr(generator, name)
            beta.assign(rate * beta + (1.0 - rate) * theta)

    @tf.function
    def rewards(self, samples: tf.Tensor, score: Callable[[tf.Tensor], tf.Tensor], rollout_num: int,
                seed: tf.Tensor, score_batch: int = 1024, eos: int = -1) -> tf.Tensor:
        """Monte-Carlo rewards Q(Y_1:t-1, y_t) of every token, in one compiled call.

        Token t < T (1-based) is rewarded with the mean over `rollout_num` rollouts of score() of the
        sequence that keeps the first t tokens and completes the rest by sampling from this network;
        token T with score() of the whole sequence (paper Eq. 4; the original's `get_reward`).

        All (T-1) * R * B completions are sampled together: rows are ordered by prefix length g, and at
        step t the rows with g <= t are sampled while a new block (g = t) joins from the teacher-forced
        prefix state, so each sampled position costs one LSTM step and one output layer.

        Args:
          samples: (B, T) int32 generated sequences.
          score: tokens (N, T) -> (N,) probability of "real" (dropout off).
          rollout_num: R.
          seed: (2,) stateless seed.
          score_batch: rows per discriminator call.
          eos: id of <eos>, or -1. Completions are padded after their first <eos> before scoring (as
            the real data is), and tokens after a sample's <eos> get reward 0.
        Returns:
          (B, T) float32 rewards.
        """
        completions = self.complete(samples, rollout_num, seed)  # ((T-1)*R*B, T)
        if eos >= 0:
            completions = pad_after_eos(completions, eos)
        scores = score_in_batches(score, completions, score_batch)  # ((T-1)*R*B,)
        batch, length = tf.shape(samples)[0], samples.shape[1]
        prefix_rewards = tf.reduce_mean(tf.reshape(scores, [length - 1, rollout_num, batch]), axis=1)  # (T-1, B)
        last = score(samples)[tf.newaxis]  # (1, B)
        rewards = tf.transpose(tf.concat([prefix_rewards, last], axis=0))  # (B, T)
        return rewards * eos_mask(samples, eos) if eos >= 0 else rewards

    def complete(self, samples: tf.Tensor, rollout_num: int, seed: tf.Tensor) -> tf.Tensor:
        """Every rollout completion. (B, T) -> ((T-1)*R*B, T), row (g-1)*R*B + r*B + b keeps g tokens of b."""
        length = samples.shape[1]
        h_tf, c_tf = self.hidden_states(samples)  # (B, T, H): the state that samples position t
        seeds = tf.random.experimental.stateless_split(seed, length)
        block = lambda x: tf.tile(x, [rollout_num] + [1] * (x.shape.rank - 1))  # noqa: E731  (B, ...) -> (R*B, ...)
        columns = [tf.tile(samples[:, 0], [rollout_num * (length - 1)])]
        h = c = tokens = None
        for t in range(1, length):  # rows with prefix length g <= t are sampled at position t
            if h is None:
                h, c = block(h_tf[:, t]), block(c_tf[:, t])
            else:
                h, c = self.step(self.embed(tokens), h, c)
                h, c = tf.concat([h, block(h_tf[:, t])], 0), tf.concat([c, block(c_tf[:, t])], 0)
            tokens = self.sample_next(h, seeds[t])  # (t*R*B,)
            given = tf.tile(samples[:, t], [rollout_num * (length - 1 - t)])
            columns.append(tf.concat([tokens, given], axis=0))
        return tf.stack(columns, axis=1)


def score_in_batches(score: Callable[[tf.Tensor], tf.Tensor], tokens: tf.Tensor, size: int) -> tf.Tensor:
    """score() over rows in batches of at most `size` to bound memory. (N, T) -> (N,); N static."""
    n = tokens.shape[0]
    return tf.concat([score(tokens[i:i + size]) for i in range(0, n, size)], axis=0)
