"""Where the shipped oracle comes from: TF1's TARGET_LSTM initialisation, rebuilt with tf.compat.v1 in graph mode.

  python docs/reproduction/tf1_oracle.py

The first commit's target_lstm.py (LantaoYu/SeqGAN 4152436, schedule_sampling/ and pg_bleu/) calls
tf.set_random_seed(66) and creates 15 variables tf.Variable(tf.random_normal(shape, stddev=1.0)) in the
order below. TF up to 1.x gave a random op created without an op seed the graph's current op id as its
seed (`op_seed = graph._last_id`), so the weights depend on how many ops the script created before
TARGET_LSTM; TF 2's compat.v1 counts random ops instead (0, 1, 2, ...). This script builds the 15 variables
in a compat.v1 graph (a) as TF 2 seeds them and (b) with the op seeds TF 0.10 gives them when TARGET_LSTM's
first variable is op 2126 of its graph (each tf.Variable(tf.random_normal(...)) is 9 ops: shape, mean,
stddev, RandomStandardNormal, mul, add, Variable, Assign, read), and compares both with the shipped
target_params (seqgan_tf/models/target_params.npz).
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from seqgan_tf.models.oracle_weights import (  # noqa: E402
    TF1_OPS_PER_VARIABLE,
    default_oracle_path,
    read_oracle_arrays,
    tf1_variable_shapes,
)

tf1 = tf.compat.v1


def target_lstm_init(first_op_id: int | None) -> tuple[dict, list]:
    """The 15 arrays and their (graph seed, op seed) pairs, drawn in a new compat.v1 graph with graph seed
    66: op seeds as TF 2 assigns them (first_op_id None), or TF 0.10's op ids first_op_id + 9 i."""
    graph = tf.Graph()
    with graph.as_default():
        tf1.set_random_seed(66)
        variables, seeds = {}, []
        for i, (name, shape) in enumerate(tf1_variable_shapes(5000, 32, 32).items()):
            op_seed = None if first_op_id is None else first_op_id + TF1_OPS_PER_VARIABLE * i
            value = tf1.random_normal(list(shape), stddev=1.0, seed=op_seed)
            variables[name] = tf1.Variable(value, name=name)
            draw = [op for op in graph.get_operations() if op.type == "RandomStandardNormal"][-1]
            seeds.append((draw.get_attr("seed"), draw.get_attr("seed2")))
        with tf1.Session(graph=graph) as sess:
            sess.run(tf1.global_variables_initializer())
            return sess.run(variables), seeds


def main() -> None:
    shipped = read_oracle_arrays(default_oracle_path())
    for label, first in (("TF 2 compat.v1, fresh graph", None), ("TF 0.10 op ids from 2126", 2126)):
        arrays, seeds = target_lstm_init(first)
        worst = max(float(np.abs(arrays[k] - shipped[k]).max()) for k in shipped)
        print(f"{label}: seeds {seeds[0]} .. {seeds[-1]}; max |drawn - shipped| over the 15 arrays = {worst:.3g}")


if __name__ == "__main__":
    main()
