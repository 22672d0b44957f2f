import math

import numpy as np
import tensorflow as tf

from seqgan_tf.models.sequences import eos_mask, mean_nll, pad_after_eos, token_log_probs


def test_log_probs_floor_at_1e_minus_20():
    logits = tf.constant([[0.0, -200.0]])
    np.testing.assert_allclose(token_log_probs(logits, tf.constant([1])).numpy(), [math.log(1e-20)], rtol=1e-6)


def test_eos_mask_keeps_positions_up_to_the_first_eos():
    tokens = tf.constant([[5, 1, 7, 1], [5, 6, 7, 8], [1, 9, 9, 9]])
    np.testing.assert_array_equal(eos_mask(tokens, 1).numpy(), [[1, 1, 0, 0], [1, 1, 1, 1], [1, 0, 0, 0]])
    np.testing.assert_array_equal(pad_after_eos(tokens, 1).numpy(), [[5, 1, 0, 0], [5, 6, 7, 8], [1, 0, 0, 0]])


def test_mean_nll_with_total_is_a_replica_share_of_the_global_mean():
    lp = tf.constant([[-1.0, -2.0, -50.0], [-3.0, -4.0, -5.0]])
    mask = tf.constant([[1.0, 1.0, 0.0], [1.0, 1.0, 1.0]])
    # Two replicas holding one row each: their shares, divided by the global count 5, sum to the global mean.
    shares = [float(mean_nll(lp[i:i + 1], mask[i:i + 1], total=5.0)) for i in range(2)]
    assert abs(sum(shares) - float(mean_nll(lp, mask))) < 1e-6
    assert abs(float(mean_nll(lp)) - 65.0 / 6) < 1e-5
