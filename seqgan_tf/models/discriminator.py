"""The discriminator D_phi: a CNN text classifier with a highway layer (Kim 2014; Srivastava et al. 2015)."""
from __future__ import annotations

import seqgan_tf._quiet  # noqa: F401  (quiet TensorFlow import)

import keras
import tensorflow as tf

from seqgan_tf.config import Config


class Discriminator(keras.Model):
    """CNN + highway + dropout classifier of the spec ("Discriminator").

    tokens (B, T) -> embedding (B, T, E) -> one bank of VALID convolutions per window size k
    (n_k filters over the full embedding width, ReLU, max over positions) -> features (B, F),
    F = sum n_k -> highway: t = sigmoid(y Wt + bt), g = relu(y Wg + bg), y = t*g + (1-t)*y
    -> dropout (training only) -> logits (B, 2); class 1 = real, class 0 = generated.

    Initialisers: embedding Uniform(-1, 1); conv kernels truncated Normal(0, 0.1), biases 0.1;
    highway matrices and biases Glorot-uniform (TF1 `get_variable`'s default in the original's
    `linear`); output kernel truncated Normal(0, 0.1), bias 0.1.
    """

    def __init__(self, vocab_size: int, seq_len: int, *, emb_dim: int = 64, filter_sizes=(), num_filters=(),
                 dropout_keep: float = 0.75, seed: int = 0, name: str = "discriminator"):
        super().__init__(name=name)
        self.seq_len, self.dropout_keep = seq_len, dropout_keep
        self.filter_sizes, self.num_filters = tuple(int(k) for k in filter_sizes), tuple(int(n) for n in num_filters)
        self.num_features = sum(self.num_filters)
        seeds = iter(range(seed * 64, seed * 64 + 64))
        trunc = lambda: keras.initializers.TruncatedNormal(stddev=0.1, seed=next(seeds))  # noqa: E731
        glorot = lambda: keras.initializers.GlorotUniform(seed=next(seeds))  # noqa: E731
        self.embedding = self.add_weight(shape=(vocab_size, emb_dim), name="embedding",
                                         initializer=keras.initializers.RandomUniform(-1.0, 1.0, seed=next(seeds)))
        # One attribute per bank, not a list: Keras' tracked lists are invisible to tf.train.Checkpoint, so a
        # checkpoint of the discriminator alone would skip the conv banks (the trainer's d_opt saved them).
        for i, (k, n) in enumerate(zip(self.filter_sizes, self.num_filters, strict=True)):
            setattr(self, f"conv_kernel_{i}", self.add_weight(shape=(k, emb_dim, n), initializer=trunc(),
                                                              name=f"conv{k}_kernel"))
            setattr(self, f"conv_bias_{i}", self.add_weight(shape=(n,), initializer=keras.initializers.Constant(0.1),
                                                            name=f"conv{k}_bias"))
        f = self.num_features
        self.gate_kernel = self.add_weight(shape=(f, f), initializer=glorot(), name="highway_gate_kernel")
        self.gate_bias = self.add_weight(shape=(f,), initializer=glorot(), name="highway_gate_bias")
        self.highway_kernel = self.add_weight(shape=(f, f), initializer=glorot(), name="highway_kernel")
        self.highway_bias = self.add_weight(shape=(f,), initializer=glorot(), name="highway_bias")
        self.out_kernel = self.add_weight(shape=(f, 2), initializer=trunc(), name="out_kernel")
        self.out_bias = self.add_weight(shape=(2,), initializer=keras.initializers.Constant(0.1), name="out_bias")

    def _banks(self, part: str) -> list[tf.Variable]:
        return [getattr(self, f"conv_{part}_{i}") for i in range(len(self.filter_sizes))]

    conv_kernels = property(lambda self: self._banks("kernel"), doc="The kernels, (k, E, n_k) per window size k.")
    conv_biases = property(lambda self: self._banks("bias"), doc="The biases, (n_k,) per window size k.")

    @classmethod
    def from_config(cls, config: Config) -> "Discriminator":
        return cls(config.vocab_size, config.seq_len, emb_dim=config.dis_emb_dim,
                   filter_sizes=config.dis_filter_sizes, num_filters=config.dis_num_filters,
                   dropout_keep=config.dis_dropout_keep, seed=config.seed + 7)

    def features(self, tokens: tf.Tensor) -> tf.Tensor:
        """Max-pooled convolution features. tokens (B, T) -> (B, F)."""
        x = tf.gather(self.embedding, tokens)  # (B, T, E)
        pooled = [tf.reduce_max(tf.nn.relu(tf.nn.conv1d(x, w, 1, "VALID") + b), axis=1)  # (B, n_k)
                  for w, b in zip(self.conv_kernels, self.conv_biases, strict=True)]
        return tf.concat(pooled, axis=1)

    def highway(self, y: tf.Tensor) -> tf.Tensor:
        """One highway layer with gate bias offset 0. (B, F) -> (B, F)."""
        t = tf.sigmoid(tf.matmul(y, self.gate_kernel) + self.gate_bias)
        g = tf.nn.relu(tf.matmul(y, self.highway_kernel) + self.highway_bias)
        return t * g + (1.0 - t) * y

    def call(self, tokens: tf.Tensor, training: bool = False, seed: tf.Tensor | None = None,
             offset: tf.Tensor | None = None, global_batch: int | None = None) -> tf.Tensor:
        """Logits (B, 2). With training=True, dropout (keep prob `dropout_keep`) needs a stateless seed (2,).

        With offset and global_batch, `tokens` are rows offset.. of a global batch (one replica's share)
        and get those rows of the global batch's dropout mask: the replicas drop what one device would."""
        y = self.highway(self.features(tokens))
        if training and self.dropout_keep < 1.0:
            if global_batch is None:
                y = tf.nn.experimental.stateless_dropout(y, rate=1.0 - self.dropout_keep, seed=seed)
            else:
                keep = tf.nn.experimental.stateless_dropout(tf.ones([global_batch, y.shape[1]]),
                                                            1.0 - self.dropout_keep, seed)
                y = y * keep[offset:offset + y.shape[0]]  # the (B, F) mask of the global batch, these rows
        return tf.matmul(y, self.out_kernel) + self.out_bias

    def prob_real(self, tokens: tf.Tensor) -> tf.Tensor:
        """D's probability that each sequence is real, dropout off. (B, T) -> (B,)."""
        return tf.nn.softmax(self(tokens, training=False), axis=-1)[:, 1]
