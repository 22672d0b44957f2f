"""Metrics that need no TensorFlow: BLEU and Self-BLEU (NLL metrics live with the models)."""
from seqgan_tf.metrics.bleu import bleu, self_bleu

__all__ = ["bleu", "self_bleu"]
