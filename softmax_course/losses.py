"""Other losses for a linear classifier, and full-batch gradient descent on any of them (chapters 11 and 13).

A linear classifier computes logits ``O = X W + b`` (``X`` (n, d), ``W`` (d, q), ``b`` (q,)) and predicts
the class of the largest logit. Three losses train it:

- ``"cross_entropy"``: softmax regression, ``-log softmax(o)_y`` (see :mod:`softmax_course.softmax`);
- ``"hinge"``: the multiclass hinge loss of Weston and Watkins, ``sum_{j != y} max(0, o_j - o_y + Delta)``;
- ``"squared"``: least squares on one-hot targets, ``||o - y||^2 / 2`` on the logits themselves.

Every per-example loss has shape (n,); every gradient is that of the *mean* loss over the n rows.
Computations are in float64.
"""

import functools
import math
import numbers

import numpy as np

from softmax_course import onehot, softmax
from softmax_course._checks import (
    as_float_matrix,
    as_matrix_and_labels,
    as_model_data,
    check_labels,
    check_nonnegative,
    check_scalar,
)

LOSSES = ("cross_entropy", "hinge", "squared")


def _logits_and_labels(logits, labels, name="logits", nonempty=False):
    logits, labels = as_matrix_and_labels(logits, labels, name, nonempty=nonempty)
    return logits.astype(np.float64, copy=False), labels


def _margin_violations(logits, labels, margin):
    """(n, q) array ``o_j - o_y + Delta`` with the true-class column set to 0."""
    rows = np.arange(logits.shape[0])
    violations = logits - logits[rows, labels][:, None] + margin
    violations[rows, labels] = 0.0
    return violations


def multiclass_hinge(logits, labels, *, margin=1.0):
    """Per-example multiclass hinge loss (Weston and Watkins 1999; CS231n's "SVM loss").

    ``l = sum_{j != y} max(0, o_j - o_y + margin)``: zero once the true class beats every other class by at
    least ``margin`` (Delta).

    Parameters
    ----------
    logits : array-like, shape (n, q)
    labels : array-like of int, shape (n,), classes in ``[0, q)``
    margin : float >= 0, default 1.0, keyword-only

    Returns
    -------
    ndarray of float64, shape (n,), non-negative

    Raises
    ------
    ValueError
        If the shapes disagree, a label is outside ``[0, q)`` or the margin is negative.
    """
    logits, labels = _logits_and_labels(logits, labels)
    margin = check_nonnegative(margin, "margin")
    return np.maximum(_margin_violations(logits, labels, margin), 0.0).sum(axis=1)


def multiclass_hinge_grad(logits, labels, *, margin=1.0):
    """Gradient of the *mean* multiclass hinge loss with respect to the logits, shape (n, q).

    Row i is ``(a_i - s_i * y_i) / n`` where ``a_ij = 1`` for every class ``j != y_i`` that violates the margin
    (``o_j - o_y + margin > 0``), ``s_i`` is their count and ``y_i`` the one-hot label. At a kink
    (``o_j - o_y + margin == 0`` exactly) the subgradient 0 is used. Each row sums to zero.

    Raises
    ------
    ValueError
        As :func:`multiclass_hinge`, and for an empty minibatch.
    """
    logits, labels = _logits_and_labels(logits, labels, nonempty=True)
    margin = check_nonnegative(margin, "margin")
    active = (_margin_violations(logits, labels, margin) > 0).astype(np.float64)
    rows = np.arange(logits.shape[0])
    active[rows, labels] = -active.sum(axis=1)
    return active / logits.shape[0]


def squared_error(outputs, labels):
    """Per-example squared error between the outputs and the one-hot targets, ``||o - y||^2 / 2``, shape (n,).

    Raises
    ------
    ValueError
        If the shapes disagree or a label is outside ``[0, q)``.
    """
    outputs, labels = _logits_and_labels(outputs, labels, "outputs")
    residual = outputs.copy()
    residual[np.arange(outputs.shape[0]), labels] -= 1.0
    return 0.5 * (residual**2).sum(axis=1)


def squared_error_grad(outputs, labels):
    """Gradient of the mean squared error with respect to the outputs: ``(O - Y) / n``, shape (n, q).

    Raises
    ------
    ValueError
        As :func:`squared_error`, and for an empty minibatch.
    """
    outputs, labels = _logits_and_labels(outputs, labels, "outputs", nonempty=True)
    grad = outputs.copy()
    grad[np.arange(outputs.shape[0]), labels] -= 1.0
    return grad / outputs.shape[0]


def _hinge(logits, labels, margin):
    return multiclass_hinge(logits, labels, margin=margin).mean(), multiclass_hinge_grad(logits, labels, margin=margin)


def _squared(logits, labels):
    return squared_error(logits, labels).mean(), squared_error_grad(logits, labels)


def loss_and_gradients(features, labels, weights, bias, *, loss="cross_entropy", margin=1.0, weight_decay=0.0):
    """Mean loss of the linear classifier ``O = X W + b`` and its gradients with respect to W and b.

    With ``G = dL/dO`` (n, q) of the chosen loss: ``dL/dW = X^T G`` and ``dL/db`` = column sums of ``G``.
    With ``weight_decay`` = lambda > 0 the objective is ``L + lambda / 2 * ||W||^2`` (the bias is not
    penalised), as in CS231n's "full" multiclass SVM loss.

    The arguments and the three results (the loss, a float, and float64 gradients of the shapes of W and
    b) are those of :func:`softmax_course.softmax.loss_and_gradients`, which ``loss="cross_entropy"`` is.
    ``loss`` is one of ``"cross_entropy"``, ``"hinge"`` or ``"squared"``; ``margin`` (>= 0) is the hinge
    loss's Delta, ignored by the other losses; ``weight_decay`` (>= 0, default 0) is lambda.

    Raises ValueError if the shapes do not fit (naming them), a label is out of range, ``loss`` is unknown,
    the minibatch is empty or a setting is out of range; TypeError for a setting of the wrong type.
    """
    weights, bias = np.asarray(weights, dtype=np.float64), np.asarray(bias, dtype=np.float64)
    features, labels = as_model_data(np.asarray(features, dtype=np.float64), labels, weights, bias)
    weight_decay = check_nonnegative(weight_decay, "weight_decay")
    margin = check_nonnegative(margin, "margin")
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")
    hinge = functools.partial(_hinge, margin=margin)
    function = {"cross_entropy": None, "hinge": hinge, "squared": _squared}[loss]
    return softmax._loss_and_gradients(features, labels, weights, bias, weight_decay, function)[:3]


def gradient_descent(
    features,
    labels,
    weights,
    bias,
    *,
    learning_rate,
    num_steps,
    loss="cross_entropy",
    margin=1.0,
    weight_decay=0.0,
    record_steps=(),
):
    """Full-batch gradient descent on the mean loss of ``O = X W + b``; the inputs are not modified.

    Each step is ``W <- W - learning_rate * dL/dW`` and ``b <- b - learning_rate * dL/db`` on all n examples.

    Parameters
    ----------
    features : ndarray, shape (n, d)
    labels : array-like of int, shape (n,)
    weights, bias : ndarray, shapes (d, q) and (q,): the starting point
    learning_rate : float > 0
    num_steps : int >= 0
    loss, margin, weight_decay : as in :func:`loss_and_gradients`
    record_steps : iterable of int in ``[0, num_steps]``
        Steps at which to record a snapshot (step 0 is the starting point).

    Returns
    -------
    weights : ndarray of float64, shape (d, q)
    bias : ndarray of float64, shape (q,)
    history : dict
        ``"loss"``: ndarray (num_steps + 1,), the loss before each step and after the last;
        ``"snapshots"``: list of dicts with ``step``, ``weights`` (d, q), ``bias`` (q,) and ``loss``
        (float), one per recorded step, in increasing order.

    Raises
    ------
    ValueError
        If a rate or a count is out of range, a recorded step is outside ``[0, num_steps]``, or as
        :func:`loss_and_gradients`.
    """
    check_scalar(
        learning_rate, "learning_rate", numbers.Real, min_val=0, max_val=math.inf, include_boundaries="neither"
    )
    check_scalar(num_steps, "num_steps", numbers.Integral, min_val=0)
    record = sorted({int(step) for step in record_steps})
    if record and (record[0] < 0 or record[-1] > num_steps):
        raise ValueError(f"record_steps must lie in [0, {num_steps}], got {record[0]} .. {record[-1]}")
    weights = np.array(weights, dtype=np.float64)
    bias = np.array(bias, dtype=np.float64)
    losses, snapshots = np.empty(num_steps + 1), []
    for step in range(num_steps + 1):
        value, grad_weights, grad_bias = loss_and_gradients(
            features, labels, weights, bias, loss=loss, margin=margin, weight_decay=weight_decay
        )
        losses[step] = value
        if record and step == record[0]:
            record.pop(0)
            snapshots.append({"step": step, "weights": weights.copy(), "bias": bias.copy(), "loss": value})
        if step < num_steps:
            weights -= learning_rate * grad_weights
            bias -= learning_rate * grad_bias
    return weights, bias, {"loss": losses, "snapshots": snapshots}


def least_squares_fit(features, labels, num_classes=None):
    """Least squares on one-hot targets (Bishop 2006, section 4.1.3): the W, b minimising the mean of
    ``||x W + b - y||^2 / 2``, in closed form (``numpy.linalg.lstsq`` on ``[X, 1]``).

    Parameters
    ----------
    features : ndarray, shape (n, d)
    labels : array-like of int, shape (n,)
    num_classes : int, default ``max(labels) + 1``

    Returns
    -------
    weights : ndarray of float64, shape (d, q)
    bias : ndarray of float64, shape (q,)

    Raises
    ------
    ValueError
        If ``features`` is not 2-D, the labels do not match its rows or lie outside ``[0, num_classes)``.
    """
    features = as_float_matrix(features, "features").astype(np.float64, copy=False)
    labels = np.asarray(labels)
    if num_classes is None:
        num_classes = int(labels.max()) + 1 if labels.size else 0
    labels = check_labels(labels, num_classes, rows=features.shape[0])
    design = np.hstack([features, np.ones((features.shape[0], 1))])
    targets = onehot.one_hot(labels, num_classes)
    solution, *_ = np.linalg.lstsq(design, targets, rcond=None)
    return solution[:-1], solution[-1]
