"""Softmax, log-softmax, log-sum-exp, cross-entropy and its gradient (chapters 3 to 6).

Every function works on a minibatch: rows are examples, columns are classes.
Logits ``O`` have shape (n, q); labels are integer class indices of shape (n,).
Computations stay in the dtype of ``O`` (float32 or float64; integers become float64).
"""

import numpy as np

from softmax_course._checks import as_float_matrix, check_labels, check_model_shapes


def _as_logits(logits):
    """``logits`` as a 2-D float array with at least one column, else a ValueError naming its shape."""
    logits = as_float_matrix(logits, "logits")
    if logits.shape[1] == 0:
        raise ValueError(f"logits must have at least one column (q >= 1), got shape {logits.shape}")
    return logits


def _logits_and_labels(logits, labels):
    """Check that there is one label in ``[0, q)`` per row of ``logits``; return both as arrays.

    The error for a count mismatch names both shapes; the one for a bad label
    names the label and its position.
    """
    logits = _as_logits(logits)
    label_shape = np.shape(labels)
    if len(label_shape) == 1 and label_shape[0] != logits.shape[0]:
        raise ValueError(
            f"expected one label per row of logits: logits have shape {logits.shape}, "
            f"labels have shape {label_shape}"
        )
    return logits, check_labels(labels, logits.shape[1], rows=logits.shape[0])


def logsumexp(logits):
    """Row-wise ``log(sum_j exp(o_j))``, computed without overflow.

    The row maximum ``m`` is subtracted first, using
    ``log sum_j exp(o_j) = m + log sum_j exp(o_j - m)``, so every exponent is <= 0.

    Parameters
    ----------
    logits : array-like, shape (n, q)

    Returns
    -------
    ndarray, shape (n,), dtype of ``logits``
    """
    logits = _as_logits(logits)
    row_max = logits.max(axis=1, keepdims=True)
    shifted_sum = np.exp(logits - row_max).sum(axis=1, keepdims=True)
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
        Non-negative entries; every row sums to one.
    """
    logits = _as_logits(logits)
    exps = np.exp(logits - logits.max(axis=1, keepdims=True))
    exps /= exps.sum(axis=1, keepdims=True)
    return exps


def log_softmax(logits):
    """Row-wise ``log softmax(o)_j = o_j - logsumexp(o)``, accurate and finite even where softmax rounds to 0.

    Parameters
    ----------
    logits : array-like, shape (n, q)

    Returns
    -------
    ndarray, shape (n, q), dtype of ``logits``
        Entries <= 0.
    """
    logits = _as_logits(logits)
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
        Non-negative losses; take ``.mean()`` for the minibatch loss.

    Raises
    ------
    ValueError
        If the shapes disagree or a label is outside ``[0, q)``.
    """
    logits, labels = _logits_and_labels(logits, labels)
    rows = np.arange(logits.shape[0])
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
        Each row sums to zero.

    Raises
    ------
    ValueError
        If the shapes disagree, a label is outside ``[0, q)``, or there are no
        examples (the mean over zero examples has no gradient).
    """
    logits, labels = _logits_and_labels(logits, labels)
    if logits.shape[0] == 0:
        shape = logits.shape
        raise ValueError(f"need at least one example, got logits of shape {shape}")
    grad = softmax(logits)
    grad[np.arange(logits.shape[0]), labels] -= 1
    grad /= logits.shape[0]
    return grad


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


def loss_and_gradients(features, weights, bias, labels):
    """Mean cross-entropy of softmax regression and its gradients with respect to W and b.

    With ``G = (softmax(XW + b) - Y) / n``: ``dL/dW = X^T G`` and ``dL/db = G`` summed
    over rows (the column mean of ``softmax(XW + b) - Y``).

    Parameters
    ----------
    features : ndarray, shape (n, d)
    weights : ndarray, shape (d, q)
    bias : ndarray, shape (q,)
    labels : array-like of int, shape (n,)

    Returns
    -------
    loss : float
        The mean cross-entropy over the n examples.
    grad_weights : ndarray, shape (d, q)
    grad_bias : ndarray, shape (q,)

    Raises
    ------
    ValueError
        If the shapes do not fit together (the message names them), a label is
        outside ``[0, q)``, or there are no examples.
    """
    features = np.asarray(features)
    logits = linear(features, weights, bias)
    grad_logits = cross_entropy_grad(logits, labels)
    loss = float(cross_entropy(logits, labels).mean())
    return loss, features.T @ grad_logits, grad_logits.sum(axis=0)
