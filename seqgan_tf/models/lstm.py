"""The project's one LSTM: the generator, the rollout network and the oracle are all `RecurrentLM`.

Cell equations (spec, "LSTM cell"; the original's `create_recurrent_unit`):
    i = sigmoid(x Wi + h Ui + bi)      f = sigmoid(x Wf + h Uf + bf)
    o = sigmoid(x Wog + h Uog + bog)   c~ = tanh(x Wc + h Uc + bc)
    c = f * c_prev + i * c~            h = o * tanh(c)
The four gates are stored fused: kernel = [Wi | Wf | Wog | Wc] (E, 4H), recurrent = [Ui | Uf | Uog | Uc]
(H, 4H), bias = [bi | bf | bog | bc] (4H,). The initial h and c are zeros; the first input is the
embedding of the start token.
"""
from __future__ import annotations

import math

import seqgan_tf._quiet  # noqa: F401  (quiet TensorFlow import)

import keras
import tensorflow as tf

from seqgan_tf.models.sequences import eos_mask, token_log_probs
from seqgan_tf.runtime import xla_function

# Rows of the (rows, V) output layer processed together: ~6 MB of logits for V = 5000, which stay in
# cache across the softmax passes. Measured best for MLE, sampling and NLL alike (benchmarks/).
OUTPUT_BLOCK_ROWS = 320


def row_blocks(rows: int, block: int = OUTPUT_BLOCK_ROWS) -> list[int]:
    """Sizes of near-equal blocks of at most `block` rows that cover `rows`."""
    count = max(1, -(-rows // block))
    return [rows // count + (1 if i < rows % count else 0) for i in range(count)]


def lstm_gates(z: tf.Tensor, c: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
    """Apply the cell's gates. z: pre-activations (B, 4H) in order i, f, o, c~; c: (B, H) -> (h, c)."""
    i, f, o, g = tf.split(z, 4, axis=-1)
    c = tf.sigmoid(f) * c + tf.sigmoid(i) * tf.tanh(g)
    return tf.sigmoid(o) * tf.tanh(c), c


def scale_logits(logits: tf.Tensor, temperature) -> tf.Tensor:
    """logits / temperature; the Python float 1.0 leaves the graph unchanged (the spec's sampling)."""
    if not tf.is_tensor(temperature) and temperature == 1.0:
        return logits
    return logits / temperature


def sample_tokens(logits: tf.Tensor, seed: tf.Tensor) -> tf.Tensor:
    """One exact categorical draw per row of softmax(logits) (temperature 1). (N, V) -> (N,) int32.

    Two-level inverse CDF: the vocabulary is cut into ~sqrt(V) blocks; one uniform per row picks a
    block by its mass, then a token inside it. Same distribution as `tf.random.categorical`, but only
    vectorised passes over (N, V) (exp, block sums): 1.7x cheaper on CPU for V = 5000 (benchmarks/).
    """
    n, vocab = tf.shape(logits)[0], logits.shape[-1]
    block = _block_size(vocab)
    blocks = -(-vocab // block)
    if blocks * block != vocab:  # pad with zero-mass entries
        logits = tf.pad(logits, [[0, 0], [0, blocks * block - vocab]], constant_values=-float("inf"))
    mass = tf.exp(logits - tf.reduce_max(logits, axis=1, keepdims=True))  # (N, V')
    mass = tf.reshape(mass, [n, blocks, block])  # (N, blocks, block)
    cdf = tf.cumsum(tf.reduce_sum(mass, axis=2), axis=1)  # (N, blocks)
    u = tf.random.stateless_uniform([n, 1], seed) * cdf[:, -1:]  # (N, 1)
    b = _search(cdf, u)  # (N,)
    below = tf.gather(tf.pad(cdf, [[0, 0], [1, 0]]), b, batch_dims=1)  # mass of blocks before b
    inner = tf.cumsum(tf.gather(mass, b, batch_dims=1), axis=1)  # (N, block)
    return b * block + _search(inner, u - below[:, tf.newaxis])


def _search(cdf: tf.Tensor, u: tf.Tensor) -> tf.Tensor:
    """Index i with cdf[i-1] <= u < cdf[i]; never past the last entry of positive mass (rounding)."""
    found = tf.reduce_sum(tf.cast(cdf <= u, tf.int32), axis=1)
    last = tf.reduce_sum(tf.cast(cdf < cdf[:, -1:], tf.int32), axis=1)
    return tf.minimum(found, last)


def _block_size(vocab: int) -> int:
    """A divisor of V near sqrt(V) (no padding), else ceil(sqrt(V))."""
    root = max(1, math.isqrt(vocab))
    near = sorted(range(max(1, root // 2), 2 * root + 1), key=lambda d: abs(d - root))
    return next((d for d in near if vocab % d == 0), root + 1)


class RecurrentLM(keras.Model):
    """Embedding -> one LSTM layer -> dense output over the vocabulary.

    Args:
      vocab_size, emb_dim, hidden_dim: V, E, H.
      seq_len: T, the length of every sequence.
      start_token: the id whose embedding is the first input.
      stddev: every weight and bias is initialised ~ Normal(0, stddev) (0.1 generator, 1.0 oracle).
      seed: integer seed of the initialisation.
    """

    def __init__(self, vocab_size: int, emb_dim: int, hidden_dim: int, seq_len: int, *,
                 start_token: int = 0, stddev: float = 0.1, seed: int = 0, trainable: bool = True,
                 name: str | None = None):
        super().__init__(name=name, trainable=trainable)
        self.vocab_size, self.emb_dim, self.hidden_dim = vocab_size, emb_dim, hidden_dim
        self.seq_len, self.start_token = seq_len, start_token
        shapes = {"embedding": (vocab_size, emb_dim), "kernel": (emb_dim, 4 * hidden_dim),
                  "recurrent": (hidden_dim, 4 * hidden_dim), "bias": (4 * hidden_dim,),
                  "out_kernel": (hidden_dim, vocab_size), "out_bias": (vocab_size,)}
        for k, (wname, shape) in enumerate(shapes.items()):
            init = keras.initializers.RandomNormal(stddev=stddev, seed=seed * 16 + k)
            setattr(self, wname, self.add_weight(shape=shape, initializer=init, name=wname,
                                                 trainable=trainable))

    @property
    def weight_names(self) -> tuple[str, ...]:
        return ("embedding", "kernel", "recurrent", "bias", "out_kernel", "out_bias")

    def step(self, x: tf.Tensor, h: tf.Tensor, c: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        """One LSTM step. x (B, E), h and c (B, H) -> (h, c)."""
        return lstm_gates(tf.matmul(x, self.kernel) + tf.matmul(h, self.recurrent) + self.bias, c)

    def output_logits(self, h: tf.Tensor) -> tf.Tensor:
        """(..., H) -> (..., V)."""
        return tf.tensordot(h, self.out_kernel, 1) + self.out_bias

    def embed(self, tokens: tf.Tensor) -> tf.Tensor:
        return tf.gather(self.embedding, tokens)

    def _zeros(self, n) -> tf.Tensor:
        return tf.zeros([n, self.hidden_dim], dtype=self.embedding.dtype)

    def hidden_states(self, tokens: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        """Teacher forcing: the states that predict each token. tokens (B, T) -> h, c (B, T, H).

        Position t has read the start token and tokens[:, :t]; its logits are p(tokens[:, t] | prefix).
        """
        n, length = tf.shape(tokens)[0], tokens.shape[1]
        inputs = tf.concat([tf.fill([n, 1], self.start_token), tokens[:, :-1]], axis=1)  # (B, T)
        xw = tf.tensordot(self.embed(inputs), self.kernel, 1) + self.bias  # (B, T, 4H)
        h = c = self._zeros(n)
        hs, cs = [], []
        for t in range(length):  # unrolled at trace time: T is static
            h, c = lstm_gates(xw[:, t] + tf.matmul(h, self.recurrent), c)
            hs.append(h)
            cs.append(c)
        return tf.stack(hs, axis=1), tf.stack(cs, axis=1)

    def call(self, tokens: tf.Tensor) -> tf.Tensor:
        """Teacher-forced logits. tokens (B, T) int -> logits (B, T, V)."""
        h, _ = self.hidden_states(tokens)
        return self.output_logits(h)

    def token_log_probs(self, tokens: tf.Tensor, temperature=1.0) -> tf.Tensor:
        """Teacher-forced log G(y_t | y_1..y_t-1), clipped as the original. (B, T) -> (B, T).

        Equals sequences.token_log_probs(self(tokens), tokens); the output layer runs over row blocks. A
        temperature other than the Python 1.0 (a float or a () tensor) divides the logits first.
        """
        h, _ = self.hidden_states(tokens)
        rows, flat = tf.reshape(h, [-1, self.hidden_dim]), tf.reshape(tokens, [-1])  # (B*T, H), (B*T,)
        sizes = row_blocks(flat.shape[0]) if flat.shape[0] is not None else [-1]
        log_p = [token_log_probs(scale_logits(self.output_logits(r), temperature), y)
                 for r, y in zip(tf.split(rows, sizes), tf.split(flat, sizes), strict=True)]
        return tf.reshape(tf.concat(log_p, axis=0), tf.shape(tokens))

    def scheduled_log_probs(self, tokens: tf.Tensor, keep: tf.Tensor, seed: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        """Scheduled sampling (Bengio et al. 2015): log G(y_t | inputs) where each input after the start
        token is the true previous token with probability `keep` (w), else the model's own sample.

        tokens (B, T) int; keep () float in [0, 1]; seed (2,) -> (log-probs (B, T), inputs (B, T)).
        keep = 1 is teacher forcing (equals token_log_probs). No gradient flows through the sampling.
        """
        n, length = tf.shape(tokens)[0], tokens.shape[1]
        coin_seed, sample_seed = tf.unstack(tf.random.experimental.stateless_split(seed, 2))
        use_true = tf.random.stateless_uniform([n, length], coin_seed) < keep  # (B, T)
        seeds = tf.random.experimental.stateless_split(sample_seed, length)
        x_ids = tf.fill([n], self.start_token)
        h = c = self._zeros(n)
        log_p, inputs = [], []
        for t in range(length):
            inputs.append(x_ids)
            h, c = self.step(self.embed(x_ids), h, c)
            logits = self.output_logits(h)  # (B, V)
            log_p.append(token_log_probs(logits, tokens[:, t]))
            if t + 1 < length:
                own = sample_tokens(tf.stop_gradient(logits), seeds[t])  # (B,)
                x_ids = tf.where(use_true[:, t + 1], tokens[:, t], own)
        return tf.stack(log_p, axis=1), tf.stack(inputs, axis=1)

    def sample_next(self, h: tf.Tensor, seed: tf.Tensor, temperature: float = 1.0) -> tf.Tensor:
        """Draw the next token of each row from softmax((h Wo + bo) / temperature). (N, H) -> (N,) int32.

        Rows go through the output layer in blocks of <= OUTPUT_BLOCK_ROWS (a `map_fn`, so the graph
        and XLA's compile time do not grow with N). N may be dynamic (None): same blocks, same draws.
        """
        def draw(rows, block_seed):
            return sample_tokens(scale_logits(self.output_logits(rows), temperature), block_seed)

        def blocks(n, count, block):
            padded = tf.reshape(tf.pad(h, [[0, count * block - n], [0, 0]]), [count, block, self.hidden_dim])
            seeds = tf.random.experimental.stateless_split(seed, count)
            # (count, block)
            tokens = tf.map_fn(lambda args: draw(*args), (padded, seeds), fn_output_signature=tf.int32)
            return tf.reshape(tokens, [-1])[:n]

        n = h.shape[0]
        if n is None:  # a dynamic N (the exported SavedModel): the same blocks and seeds, decided at run time
            n = tf.shape(h)[0]
            count = tf.maximum(1, -(-n // OUTPUT_BLOCK_ROWS))
            return tf.cond(count == 1, lambda: draw(h, seed), lambda: blocks(n, count, -(-n // count)))
        sizes = row_blocks(n)
        return draw(h, seed) if len(sizes) == 1 else blocks(n, len(sizes), sizes[0])

    @tf.function  # no XLA: it compiles once per shape and was no faster here (benchmarks/)
    def sample(self, num: int, seed: tf.Tensor, temperature: float = 1.0) -> tf.Tensor:
        """Sample `num` whole sequences in one compiled call. seed: int (2,) stateless seed -> (num, T) int32.

        temperature 1 is the spec's sampling; other values divide the logits (`seqgan_tf.inference.sample`,
        `seqgan_tf.inference.frontier`). Pass a () tensor to sweep temperatures without retracing.
        """
        seeds = tf.random.experimental.stateless_split(seed, self.seq_len)
        x = self.embed(tf.fill([num], self.start_token))  # (N, E)
        h = c = self._zeros(num)
        tokens = tf.TensorArray(tf.int32, size=self.seq_len)  # (T, N) once stacked
        for t in tf.range(self.seq_len):  # a graph loop: one step traced, not T
            h, c = self.step(x, h, c)
            token = self.sample_next(h, seeds[t], temperature)
            tokens = tokens.write(t, token)
            x = self.embed(token)
        return tf.transpose(tokens.stack())

    @xla_function  # XLA fuses the softmax passes (benchmarks/)
    def mean_nll(self, tokens: tf.Tensor, eos: int = -1, temperature=1.0) -> tf.Tensor:
        """Mean per-token NLL of `tokens` (N, T) under this model -> () (NLL-oracle, NLL-test).

        With a temperature, the NLL under softmax(logits / temperature) (the frontier's NLL-test).
        With eos >= 0 the mean runs over each row's positions up to and including its first <eos>.
        Rows are scored in chunks of ~OUTPUT_BLOCK_ROWS positions (the last one padded with weight 0),
        which keeps the logits in cache; the original averages the means of batches of 64, the same
        number up to rounding.
        """
        n, length = tokens.shape
        chunk = max(1, min(n, OUTPUT_BLOCK_ROWS // length))
        count = -(-n // chunk)
        weights = tf.ones([n, length]) if eos < 0 else eos_mask(tokens, eos)  # (N, T)
        pad = [[0, count * chunk - n], [0, 0]]
        tokens = tf.reshape(tf.pad(tokens, pad), [count, chunk, length])
        weights = tf.reshape(tf.pad(weights, pad), [count, chunk, length])
        log_p = tf.map_fn(lambda rows: self.token_log_probs(rows, temperature), tokens,
                          fn_output_signature=tf.float32)  # (count, chunk, T)
        return -tf.reduce_sum(log_p * weights) / tf.reduce_sum(weights)

    def copy_weights_from(self, other: "RecurrentLM") -> None:
        for name in self.weight_names:
            getattr(self, name).assign(getattr(other, name))
