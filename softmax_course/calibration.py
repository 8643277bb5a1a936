"""Calibration of predicted probabilities (the calibration chapter).

Confidence is the largest predicted probability of a row, ``p_hat = max_j y_hat_j``;
a model is calibrated when, among the examples it gives confidence about ``p``, a
fraction ``p`` is right. This module bins examples by confidence (the reliability
diagram and the expected calibration error, ECE), fits a temperature ``T`` by
minimising the negative log-likelihood (NLL) of ``softmax(O / T)`` (temperature
scaling, Guo et al. 2017), and draws the reliability diagram.
"""

import math
import numbers

import numpy as np

from softmax_course._checks import as_matrix_and_labels, check_scalar
from softmax_course.softmax import cross_entropy, softmax


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

    Raises
    ------
    ValueError
        If ``probabilities`` is not 2-D with at least one row, the labels do not
        fit (count or range), or ``num_bins`` is below 1.
    TypeError
        If ``num_bins`` is not an integer.
    """
    probabilities, labels = as_matrix_and_labels(probabilities, labels, "probabilities", nonempty=True)
    num_bins = int(check_scalar(num_bins, "num_bins", numbers.Integral, min_val=1))
    probabilities = probabilities.astype(np.float64, copy=False)
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
    """ECE: the count-weighted mean of |accuracy - confidence| over the bins of :func:`reliability_bins`, a float.

    ``ECE = sum_s |S_s| / n * |acc(S_s) - conf(S_s)|``, in [0, 1]; 0 when every
    bin's accuracy equals its mean confidence. Raises as :func:`reliability_bins`.
    """
    bins = reliability_bins(probabilities, labels, num_bins)
    full = bins["count"] > 0
    gaps = np.abs(bins["accuracy"][full] - bins["confidence"][full])
    return float(np.sum(bins["count"][full] * gaps) / np.sum(bins["count"]))


# --------------------------------------------------------------------------
# Temperature scaling
# --------------------------------------------------------------------------


def _check_temperature(temperature):
    """A finite number > 0, as a float."""
    return float(
        check_scalar(
            temperature, "temperature", numbers.Real, min_val=0, max_val=math.inf, include_boundaries="neither"
        )
    )


def _inverse_temperature_terms(logits, labels, beta):
    """NLL of softmax(beta * O) and its first two derivatives with respect to beta (floats).

    ``logits`` (n, q) float64 and ``labels`` (n,) are already checked. With
    ``p = softmax(beta * o)``: ``NLL = mean(LSE(beta o) - beta o_y)``,
    ``dNLL/dbeta = mean(E_p[o] - o_y)`` and ``d2NLL/dbeta2 = mean(Var_p[o]) >= 0``.
    """
    nll = float(cross_entropy(beta * logits, labels).mean())
    probabilities = softmax(beta * logits)
    true_logit = logits[np.arange(labels.shape[0]), labels]
    mean_logit = np.sum(probabilities * logits, axis=1)
    # Var_p[o] as E_p[(o - E_p o)^2]: no cancellation between two large numbers.
    variance = np.sum(probabilities * (logits - mean_logit[:, None]) ** 2, axis=1)
    return nll, float(np.mean(mean_logit - true_logit)), float(np.mean(variance))


def temperature_nll(logits, labels, temperature):
    """Mean NLL of ``softmax(O / T)`` and its derivative with respect to ``T``.

    ``NLL(T) = mean_i [LSE(o_i / T) - o_{i, y_i} / T]`` and
    ``dNLL/dT = mean_i [o_{i, y_i} - sum_j p_ij o_ij] / T^2`` with ``p_i = softmax(o_i / T)``.
    Computed in float64 with the row maximum subtracted, so large logits do not overflow.

    Parameters
    ----------
    logits : array-like, shape (n, q)
    labels : array-like of int, shape (n,)
    temperature : float > 0

    Returns
    -------
    nll : float
    derivative : float

    Raises
    ------
    ValueError
        If the shapes or labels do not fit, ``n`` is 0, or ``temperature`` is not a finite number > 0.
    TypeError
        If ``temperature`` is not a real number.
    """
    logits, labels = as_matrix_and_labels(logits, labels, "logits", nonempty=True)
    temperature = _check_temperature(temperature)
    nll, slope, _ = _inverse_temperature_terms(logits.astype(np.float64), labels, 1.0 / temperature)
    return nll, -slope / temperature**2


def fit_temperature(logits, labels, *, rtol=1e-10, max_iter=100):
    """The temperature ``T`` that minimises the mean NLL of ``softmax(O / T)`` (temperature scaling).

    The NLL is convex in the inverse temperature ``beta = 1 / T`` (its second
    derivative is a mean of variances), so its minimiser is the root of the
    increasing function ``dNLL/dbeta = mean(E_p[o] - o_y)``. Newton's method on
    ``beta``, kept inside a bracket that shrinks at every step (bisection when a
    Newton step would leave it), finds that root.

    Parameters
    ----------
    logits : array-like, shape (n, q)
        Logits of held-out examples (a validation set, not the training set).
    labels : array-like of int, shape (n,)
    rtol : float, default 1e-10
        Stop when a step changes ``beta`` by less than ``rtol * beta``.
    max_iter : int, default 100

    Returns
    -------
    float
        ``T > 0``; ``softmax(O / T)`` has the same argmax as ``softmax(O)`` on every row.

    Raises
    ------
    ValueError
        If the shapes or labels do not fit; if the NLL keeps falling as ``T -> 0``
        (every label already has a largest logit: no finite minimiser); if it
        keeps falling as ``T -> infinity`` (the logits are no better than uniform
        guessing: ``mean(mean_j o_j - o_y) >= 0``); if ``rtol`` is not in (0, 1) or
        ``max_iter`` below 1; or if Newton does not converge.
    TypeError
        If ``rtol`` or ``max_iter`` has the wrong type.
    """
    logits, labels = as_matrix_and_labels(logits, labels, "logits", nonempty=True)
    rtol = float(check_scalar(rtol, "rtol", numbers.Real, min_val=0, max_val=1, include_boundaries="neither"))
    max_iter = int(check_scalar(max_iter, "max_iter", numbers.Integral, min_val=1))
    logits = logits.astype(np.float64)
    rows = np.arange(labels.shape[0])
    if np.mean(logits.mean(axis=1) - logits[rows, labels]) >= 0:
        raise ValueError(
            "the NLL falls all the way to T = infinity: these logits are no better than "
            "uniform guessing (the true class's logit is not above the mean logit on average)"
        )
    if np.all(logits[rows, labels] >= logits.max(axis=1)):
        raise ValueError(
            "the NLL falls all the way to T = 0: every label has the largest logit of its row, "
            "so sharper is always better and no finite temperature minimises the NLL"
        )
    low, high = 0.0, 1.0
    for _ in range(1100):  # 2.0**1100 overflows: the bracket is found long before
        if _inverse_temperature_terms(logits, labels, high)[1] >= 0:
            break
        low, high = high, 2.0 * high
    beta = 1.0
    for _ in range(max_iter):
        _, slope, curvature = _inverse_temperature_terms(logits, labels, beta)
        if slope < 0:
            low = beta
        else:
            high = beta
        step = slope / curvature if curvature > 0 else np.inf
        candidate = beta - step
        if not low < candidate < high:
            candidate = 0.5 * (low + high)
        if abs(candidate - beta) <= rtol * beta:
            return 1.0 / candidate
        beta = candidate
    raise ValueError(f"fit_temperature did not converge in {max_iter} iterations (beta = {beta!r})")


# --------------------------------------------------------------------------
# The reliability diagram
# --------------------------------------------------------------------------


def plot_reliability(probabilities, labels, *, num_bins=15, ax=None, title="Reliability diagram", legend=True):
    """Draw a reliability diagram: per confidence bin, the accuracy as a bar and its gap to the mean confidence.

    The dashed diagonal is perfect calibration; a bar above it is a bin where the
    model is right more often than it says (underconfident), below it less often
    (overconfident). The gap is hatched; the ECE is given under the title.

    Parameters
    ----------
    probabilities : array-like, shape (n, q)
    labels : array-like of int, shape (n,)
    num_bins : int, default 15
    ax : matplotlib Axes, optional
        Drawn into if given; otherwise a new figure of 4 x 4 inches is made (with pyplot).
    title : str
        The first line of the title; the second says ``ECE = ...``.
    legend : bool, default True
        Whether to explain the colours in a legend (upper left); in a row of
        panels, one legend or a sentence of prose is enough.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    ValueError
        As :func:`reliability_bins`.
    """
    bins = reliability_bins(probabilities, labels, num_bins)
    ece = expected_calibration_error(probabilities, labels, num_bins)
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(4, 4))
    full = bins["count"] > 0
    left, width = bins["edges"][:-1][full], np.diff(bins["edges"])[full]
    accuracy, confidence = bins["accuracy"][full], bins["confidence"][full]
    ax.bar(left, accuracy, width, align="edge", color="C0", edgecolor="white", label="accuracy")
    ax.bar(
        left,
        confidence - accuracy,
        width,
        bottom=accuracy,
        align="edge",
        fill=False,
        edgecolor="C3",
        hatch="//",
        label="gap to confidence",
    )
    ax.plot([0, 1], [0, 1], "k--", linewidth=1, label="calibrated")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.set_xlabel(r"confidence $\hat p$")
    ax.set_ylabel("accuracy in the bin")
    ax.set_title(f"{title}\nECE = {ece:.3f}" if title else f"ECE = {ece:.3f}")
    if legend:
        ax.legend(loc="upper left", fontsize=9)
    return ax
