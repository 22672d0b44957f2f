"""Mean squared pitch error of generated melodies against a test set (the paper's Nottingham MSE)."""
from __future__ import annotations

import numpy as np


def pitch_mse(generated: np.ndarray, references: np.ndarray, chunk: int = 256) -> float:
    """Mean over generated sequences of the squared key error to the closest test sequence.

    Exactly: for sequences of piano keys g (T,) and r (T,) (1..88, 0 = rest),
        d(g, r) = mean over positions t where g_t > 0 and r_t > 0 of (g_t - r_t)^2,
    defined when they share at least one such position. The score is the mean over generated g of
    min over references r of d(g, r); a generated sequence sharing no note position with any
    reference (all rests) is left out. The paper does not define its MSE; this is ours.

    Args: generated (N, T), references (M, T) integer keys. Returns a float (NaN if nothing is defined).
    """
    generated, references = np.asarray(generated, np.float64), np.asarray(references, np.float64)
    ref_on = references > 0  # (M, T)
    best = []
    for i in range(0, len(generated), chunk):
        g = generated[i:i + chunk]  # (n, T)
        both = (g[:, None, :] > 0) & ref_on[None]  # (n, M, T)
        sq = np.where(both, (g[:, None, :] - references[None]) ** 2, 0.0).sum(axis=2)
        count = both.sum(axis=2)
        d = np.where(count > 0, sq / np.maximum(count, 1), np.inf)  # (n, M)
        best.extend(d.min(axis=1))
    best = np.array(best)
    return float(best[np.isfinite(best)].mean()) if np.isfinite(best).any() else float("nan")
