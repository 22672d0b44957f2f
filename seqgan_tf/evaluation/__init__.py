"""Metrics and run logs that need no TensorFlow: BLEU, Self-BLEU, pitch MSE, `compare` (NLL metrics live with
the models)."""
from seqgan_tf.evaluation.bleu import bleu, self_bleu
from seqgan_tf.evaluation.pitch import pitch_mse

__all__ = ["bleu", "self_bleu", "pitch_mse"]
