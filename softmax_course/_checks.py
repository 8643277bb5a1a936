"""Argument checks shared by the modules: errors that name the shapes."""

import numpy as np


def as_float_matrix(values, name):
    """Return ``values`` as a 2-D float array, or raise a ValueError naming its shape.

    Integer input is converted to float64; float32 and float64 keep their dtype.
    """
    array = np.asarray(values)
    if array.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (n, q), got shape {array.shape}")
    if not np.issubdtype(array.dtype, np.floating):
        array = array.astype(np.float64)
    return array


def check_same_shape(first, second, first_name, second_name):
    """Raise a ValueError naming both shapes unless the arrays have the same shape."""
    if first.shape != second.shape:
        raise ValueError(
            f"{first_name} and {second_name} must have the same shape, "
            f"got {first.shape} and {second.shape}"
        )


def check_labels(labels, num_classes, rows=None):
    """Return ``labels`` as a 1-D int64 array after checking every value is in [0, num_classes).

    ``rows``, when given, is the number of examples the labels must match.
    """
    array = np.asarray(labels)
    if array.ndim != 1:
        raise ValueError(f"labels must be a 1-D array (n,), got shape {array.shape}")
    if array.size and not np.issubdtype(array.dtype, np.integer):
        if not np.all(np.equal(np.mod(array, 1), 0)):
            raise ValueError("labels must be whole numbers, got non-integer values")
    array = array.astype(np.int64)
    if rows is not None and array.shape[0] != rows:
        raise ValueError(f"got {array.shape[0]} labels for {rows} examples")
    bad = np.flatnonzero((array < 0) | (array >= num_classes))
    if bad.size:
        position = int(bad[0])
        raise ValueError(
            f"expected labels in [0, {num_classes}), got {array[position]} at position {position}"
        )
    return array


def check_model_shapes(features, weights, bias):
    """Raise a ValueError naming all three shapes unless X (n, d), W (d, q) and b (q,) fit together."""
    if (
        features.ndim != 2
        or weights.ndim != 2
        or bias.ndim != 1
        or features.shape[1] != weights.shape[0]
        or weights.shape[1] != bias.shape[0]
    ):
        raise ValueError(
            "expected X (n, d), W (d, q) and b (q,), got "
            f"X {features.shape}, W {weights.shape}, b {bias.shape}"
        )
