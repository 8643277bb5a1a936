"""Softmax, log-softmax, log-sum-exp, cross-entropy and its gradient (chapters 3 to 6).

Every function works on a minibatch: rows are examples, columns are classes.
Logits ``O`` have shape (n, q); labels are integer class indices of shape (n,).
Computations stay in the dtype of ``O`` (float32 or float64; integers become float64).

Infinite logits give the answers of :mod:`scipy.special`, without warnings: a row
holding ``+inf`` has ``logsumexp`` ``+inf``; a row of only ``-inf`` has ``logsumexp``
``-inf``; a ``-inf`` logit among finite ones is a class of probability 0 (a mask).
Where the limit is not a number, the answer is ``nan``: ``softmax`` of a row holding
``+inf`` or of a row of only ``-inf``, and ``log_softmax`` at a ``+inf`` entry. A
``nan`` logit makes its row ``nan``.
"""

import numpy as np

from softmax_course import onehot
from softmax_course._checks import (
    as_float_matrix,
    as_matrix_and_labels,
    as_model_data,
    check_model_shapes,
    check_nonnegative,
)


def _as_logits(logits):
    """``logits`` as a 2-D float array with at least one column, else a ValueError naming its shape."""
    return as_float_matrix(logits, "logits", min_columns=1)


def logsumexp(logits):
    """Row-wise ``log(sum_j exp(o_j))``, computed without overflow.

    The row maximum ``m`` is subtracted first, using
    ``log sum_j exp(o_j) = m + log sum_j exp(o_j - m)``, so every exponent is <= 0.
    A row whose maximum is infinite is not shifted (as in ``scipy.special.logsumexp``).

    Parameters
    ----------
    logits : array-like, shape (n, q)

    Returns
    -------
    ndarray, shape (n,), dtype of ``logits``
        ``+inf`` for a row holding ``+inf``, ``-inf`` for a row of only ``-inf``,
        ``nan`` for a row holding ``nan``.
    """
    logits = _as_logits(logits)
    row_max = logits.max(axis=1, keepdims=True)
    row_max[~np.isfinite(row_max)] = 0  # a row holding +-inf is not shifted
    shifted_sum = np.exp(logits - row_max).sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore"):  # log(0) = -inf: a row of only -inf
        return (row_max + np.log(shifted_sum))[:, 0]


def softmax(logits):
    """Row-wise softmax: ``exp(o_j) / sum_k exp(o_k)`` for every row of ``logits``.

    Subtracting the row maximum first leaves the result unchanged (softmax is
    invariant to adding a constant to a row) and keeps ``exp`` from overflowing.

    Parameters
    ----------
    logits : array-like, shape (n, q)

    Returns
    -------
    ndarray, shape (n, q), dtype of ``logits``
        Non-negative entries; every row sums to one. A row holding ``+inf`` or
        ``nan``, or of only ``-inf``, is ``nan`` (as in ``scipy.special.softmax``).
    """
    logits = _as_logits(logits)
    with np.errstate(invalid="ignore"):  # inf - inf: such a row is nan
        exps = np.exp(logits - logits.max(axis=1, keepdims=True))
    exps /= exps.sum(axis=1, keepdims=True)
    return exps


def log_softmax(logits):
    """Row-wise ``log softmax(o)_j = o_j - logsumexp(o)``, accurate and finite even where softmax rounds to 0.

    Parameters
    ----------
    logits : array-like, shape (n, q)
        As for :func:`softmax`; integers become float64.

    Returns
    -------
    ndarray, shape (n, q), dtype of ``logits``
        Entries <= 0. In a row holding ``+inf``, ``nan`` at the ``+inf`` entries and
        ``-inf`` elsewhere; a row of only ``-inf`` is ``nan`` (as in
        ``scipy.special.log_softmax``).
    """
    logits = _as_logits(logits)
    with np.errstate(invalid="ignore"):  # inf - inf
        return logits - logsumexp(logits)[:, None]


def cross_entropy(logits, labels):
    """Per-example cross-entropy loss ``-log softmax(o)_y``, computed from the logits.

    Parameters
    ----------
    logits : array-like, shape (n, q)
    labels : array-like of int, shape (n,)
        Class indices in ``[0, q)``.

    Returns
    -------
    ndarray, shape (n,), dtype of ``logits``
        Non-negative losses; take ``.mean()`` for the minibatch loss. Equal to
        ``-log_softmax(logits)[i, labels[i]]`` for infinite logits too: ``+inf``
        when the label's logit is finite or ``-inf`` but another is ``+inf`` (the
        label has probability 0), ``nan`` when the label's logit is ``+inf`` or the
        row is only ``-inf``.

    Raises
    ------
    ValueError
        If the shapes disagree or a label is outside ``[0, q)``.
    """
    logits, labels = as_matrix_and_labels(logits, labels, "logits")
    rows = np.arange(logits.shape[0])
    with np.errstate(invalid="ignore"):  # inf - inf
        return logsumexp(logits) - logits[rows, labels]


def cross_entropy_grad(logits, labels):
    """Gradient of the mean cross-entropy over the minibatch with respect to the logits.

    ``d/dO mean_i loss_i = (softmax(O) - Y) / n``, where ``Y`` is one-hot.

    Parameters
    ----------
    logits : array-like, shape (n, q)
    labels : array-like of int, shape (n,)

    Returns
    -------
    ndarray, shape (n, q), dtype of ``logits``
        Each row sums to zero; a row whose :func:`softmax` is ``nan`` (it holds
        ``+inf`` or ``nan``, or only ``-inf``) is ``nan``.

    Raises
    ------
    ValueError
        If the shapes disagree, a label is outside ``[0, q)``, or there are no
        examples (the mean over zero examples has no gradient).
    """
    logits, labels = as_matrix_and_labels(logits, labels, "logits", nonempty=True)
    grad = _mean_cross_entropy_and_grad(logits, labels)[1]
    grad[np.isposinf(logits).any(axis=1)] = np.nan  # the softmax of such a row is nan
    return grad


def _mean_cross_entropy_and_grad(logits, labels):
    """The mean cross-entropy and its gradient ``(softmax(O) - Y) / n``, from one log-softmax (checked arguments)."""
    log_probabilities = log_softmax(logits)
    rows = np.arange(logits.shape[0])
    grad = np.exp(log_probabilities)  # softmax(O)
    grad[rows, labels] -= 1
    grad /= logits.shape[0]
    return -log_probabilities[rows, labels].mean(), grad


def linear(features, weights, bias):
    """The logits of softmax regression, ``O = X W + b`` (``b`` broadcast to every row).

    Parameters
    ----------
    features : ndarray, shape (n, d)
    weights : ndarray, shape (d, q)
    bias : ndarray, shape (q,)

    Returns
    -------
    ndarray, shape (n, q)

    Raises
    ------
    ValueError
        Naming all three shapes when they do not fit together.
    """
    features, weights, bias = np.asarray(features), np.asarray(weights), np.asarray(bias)
    check_model_shapes(features, weights, bias)
    return features @ weights + bias


def predict(features, weights, bias):
    """Predicted classes ``c_hat``, int64 of shape (n,): the largest logit of each row of ``X W + b``.

    It is :func:`softmax_course.onehot.decode` of :func:`linear`, whose shapes and
    errors it shares (ties go to the smallest class index).
    """
    return onehot.decode(linear(features, weights, bias))


def loss_and_gradients(features, labels, weights, bias, *, weight_decay=0.0):
    """Mean cross-entropy of softmax regression and its gradients with respect to W and b.

    With ``G = (softmax(XW + b) - Y) / n``: ``dL/dW = X^T G`` and ``dL/db = G`` summed
    over rows (the column mean of ``softmax(XW + b) - Y``). With ``weight_decay`` =
    lambda > 0 the objective is ``L + lambda / 2 * ||W||^2`` (the bias is not penalised)
    and ``lambda W`` is added to ``dL/dW``.

    The two matrix products run in the dtype of ``features`` (``W`` and ``G`` are cast to
    it, so a large float32 X is never copied); the rest runs in the dtype of W and b
    (float32 stays float32).

    Parameters
    ----------
    features : array-like, shape (n, d)
    labels : array-like of int, shape (n,)
    weights : array-like, shape (d, q)
    bias : array-like, shape (q,)
    weight_decay : float >= 0, default 0, keyword-only

    Returns
    -------
    loss : float
        The mean cross-entropy over the n examples (plus the penalty).
    grad_weights : ndarray, shape (d, q)
    grad_bias : ndarray, shape (q,)

    Raises
    ------
    ValueError
        If the shapes do not fit together (the message names them), a label is
        outside ``[0, q)``, there are no examples, or ``weight_decay`` is negative or
        not finite.
    TypeError
        If ``weight_decay`` is not a real number.
    """
    weights, bias = np.asarray(weights), np.asarray(bias)
    features, labels = as_model_data(features, labels, weights, bias)
    weight_decay = check_nonnegative(weight_decay, "weight_decay")
    return _loss_and_gradients(features, labels, weights, bias, weight_decay)[:3]


def _loss_and_gradients(features, labels, weights, bias, weight_decay, loss=None):
    """:func:`loss_and_gradients` on checked arguments, for the cross-entropy or another ``loss``; also the logits.

    ``loss(logits, labels)``, when given, returns the mean loss and its gradient with respect to the
    logits (:mod:`softmax_course.losses` passes the hinge and squared losses). This is the one place
    of the chain rule and the penalty: :mod:`softmax_course.train` and :mod:`softmax_course.losses` call it.
    """
    dtype = np.result_type(weights.dtype, bias.dtype, np.float32)
    # The two products run in the dtype of X, so that a large float32 X is never copied to float64.
    logits = (features @ weights.astype(features.dtype, copy=False)).astype(dtype, copy=False) + bias
    if loss is None:
        value, grad_logits = _mean_cross_entropy_and_grad(logits, labels)
    else:
        value, grad_logits = loss(logits, labels)
    grad_weights = (features.T @ grad_logits.astype(features.dtype, copy=False)).astype(dtype, copy=False)
    if weight_decay:
        value = value + weight_decay / 2 * np.sum(weights.astype(np.float64) ** 2)
        grad_weights += weight_decay * weights
    return float(value), grad_weights, grad_logits.sum(axis=0), logits
