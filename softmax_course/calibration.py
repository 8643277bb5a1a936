"""Calibration of predicted probabilities (the calibration chapter).

Confidence is the largest predicted probability of a row; a model is calibrated
when, among the examples it gives confidence about p, a fraction p is right.
"""

import numpy as np


def reliability_bins(probabilities, labels, num_bins=15):
    """Bin examples by confidence and compare confidence with accuracy in each bin.

    Parameters
    ----------
    probabilities : ndarray, shape (n, q)
        Predicted probabilities, rows summing to 1.
    labels : ndarray of int, shape (n,)
    num_bins : int
        Equal-width bins over [0, 1]; bin ``s`` holds confidences in
        ``(s / num_bins, (s + 1) / num_bins]`` (the first also holds 0).

    Returns
    -------
    dict of ndarray, each of shape (num_bins,)
        ``edges`` (num_bins + 1,), ``count``, ``confidence`` (mean confidence,
        nan in an empty bin) and ``accuracy`` (fraction right, nan in an empty bin).
    """
    probabilities = np.asarray(probabilities, dtype=np.float64)
    labels = np.asarray(labels)
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == labels
    edges = np.linspace(0.0, 1.0, num_bins + 1)
    which = np.clip(np.ceil(confidence * num_bins).astype(np.int64) - 1, 0, num_bins - 1)
    count = np.bincount(which, minlength=num_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_confidence = np.bincount(which, weights=confidence, minlength=num_bins) / count
        accuracy = np.bincount(which, weights=correct, minlength=num_bins) / count
    return {"edges": edges, "count": count, "confidence": mean_confidence, "accuracy": accuracy}


def expected_calibration_error(probabilities, labels, num_bins=15):
    """ECE: the count-weighted mean of |accuracy - confidence| over the bins of :func:`reliability_bins`, a float."""
    bins = reliability_bins(probabilities, labels, num_bins)
    full = bins["count"] > 0
    gaps = np.abs(bins["accuracy"][full] - bins["confidence"][full])
    return float(np.sum(bins["count"][full] * gaps) / np.sum(bins["count"]))
