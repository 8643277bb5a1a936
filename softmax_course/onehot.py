"""One-hot encoding and decoding of class labels (chapter 1)."""

import numbers

import numpy as np

from softmax_course._checks import check_labels, check_scalar


def one_hot(labels, num_classes, dtype=np.float64):
    """Encode integer class labels as one-hot rows.

    Parameters
    ----------
    labels : array-like of int, shape (n,)
        Class indices, each in ``[0, num_classes)``.
    num_classes : int
        The number of classes ``q``.
    dtype : numpy dtype, default float64
        The dtype of the result.

    Returns
    -------
    ndarray, shape (n, q), dtype ``dtype``
        Row ``i`` is all zeros except a one in column ``labels[i]``.

    Raises
    ------
    TypeError
        If ``num_classes`` is not an integer.
    ValueError
        If ``num_classes`` is below 1, or ``labels`` is not 1-D, holds non-integers,
        or holds a value outside ``[0, num_classes)`` (the message names the first
        such value and its position).
    """
    num_classes = int(check_scalar(num_classes, "num_classes", numbers.Integral, min_val=1))
    indices = check_labels(labels, num_classes)
    encoded = np.zeros((indices.shape[0], num_classes), dtype=dtype)
    encoded[np.arange(indices.shape[0]), indices] = 1
    return encoded


def decode(scores):
    """Return the index of the largest entry of each row: the predicted class.

    Works for one-hot rows, probabilities and raw scores (logits) alike; ties go
    to the smallest index.

    Parameters
    ----------
    scores : array-like, shape (n, q)

    Returns
    -------
    ndarray of int64, shape (n,)

    Raises
    ------
    ValueError
        If ``scores`` is not 2-D or has no columns.
    """
    array = np.asarray(scores)
    if array.ndim != 2 or array.shape[1] == 0:
        raise ValueError(f"scores must be a 2-D array (n, q) with q >= 1, got shape {array.shape}")
    return np.argmax(array, axis=1).astype(np.int64)
