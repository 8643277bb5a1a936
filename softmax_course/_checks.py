"""Argument checks shared by the modules: one way to check each kind of argument.

Every public function checks its arguments once, at its entry, with these helpers,
so that the same mistake raises the same error everywhere:

- a value of the wrong type raises ``TypeError`` (``batch_size=2.5``, ``num_classes="3"``);
- a value of the right type outside its range raises ``ValueError`` (``batch_size=0``);
- an array of the wrong shape, or labels outside ``[0, q)``, raise ``ValueError``
  naming the shape, or the label and its position.
"""

import math
import numbers

import numpy as np

_TYPE_NAMES = {numbers.Integral: "an integer", numbers.Real: "a real number", type(None): "None"}


def check_scalar(x, name, target_type, *, min_val=None, max_val=None, include_boundaries="both"):
    """Return ``x`` after checking its type and range, as scikit-learn's ``check_scalar`` does.

    Parameters
    ----------
    x : object
        The value to check.
    name : str
        The argument's name, as the caller wrote it; every message starts with it.
    target_type : type or tuple of types
        What ``x`` must be an instance of, e.g. ``numbers.Integral`` (accepts int and
        NumPy integers) or ``numbers.Real`` (also floats). ``bool`` is refused unless
        it is named: ``True`` is not a batch size.
    min_val, max_val : number, optional
        Bounds of the allowed range; None means unbounded on that side. NaN is outside
        every bounded range, and ``max_val=math.inf`` with ``include_boundaries="left"``
        asks for a finite value.
    include_boundaries : {"both", "left", "right", "neither"}
        Which bounds belong to the range: ``"left"`` is ``[min_val, max_val)``.

    Returns
    -------
    object
        ``x`` itself, unchanged (call ``int(x)`` for a plain int).

    Raises
    ------
    TypeError
        If ``x`` is not an instance of ``target_type``, e.g.
        ``batch_size must be an integer, got 2.5 of type float``.
    ValueError
        If ``x`` is outside the range, e.g. ``batch_size must be >= 1, got 0`` or
        ``highlight_output must be in [0, 3), got 3``.

    Examples
    --------
    A positive integer, and a finite number >= 0 (with ``import math, numbers``):

    >>> check_scalar(32, "batch_size", numbers.Integral, min_val=1)
    32
    >>> check_scalar(0.1, "learning_rate", numbers.Real, min_val=0, max_val=math.inf,
    ...              include_boundaries="left")
    0.1
    """
    types = target_type if isinstance(target_type, tuple) else (target_type,)
    if not isinstance(x, types) or (isinstance(x, bool) and bool not in types):
        wanted = " or ".join(_TYPE_NAMES.get(kind, kind.__name__) for kind in types)
        raise TypeError(f"{name} must be {wanted}, got {x!r} of type {type(x).__name__}")
    if include_boundaries not in ("both", "left", "right", "neither"):
        raise ValueError(f"include_boundaries must be 'both', 'left', 'right' or 'neither', got {include_boundaries!r}")
    closed_left = include_boundaries in ("both", "left")
    closed_right = include_boundaries in ("both", "right")
    # Written as "inside" tests so that NaN, for which every comparison is False, is outside.
    above = min_val is None or (x >= min_val if closed_left else x > min_val)
    below = max_val is None or (x <= max_val if closed_right else x < max_val)
    if not (above and below):
        if max_val is None:
            wanted = f"{'>=' if closed_left else '>'} {min_val}"
        elif min_val is None:
            wanted = f"{'<=' if closed_right else '<'} {max_val}"
        else:
            wanted = f"in {'[' if closed_left else '('}{min_val}, {max_val}{']' if closed_right else ')'}"
        raise ValueError(f"{name} must be {wanted}, got {x}")  # str: np.int64(0) reads "0" on numpy 2 too
    return x


def check_nonnegative(x, name):
    """Return ``x``, a finite real number >= 0 (a rate, a weight decay, a margin, a scale), as a float.

    Raises TypeError if ``x`` is not a real number, ValueError if it is negative, infinite or NaN.
    """
    return float(check_scalar(x, name, numbers.Real, min_val=0, max_val=math.inf, include_boundaries="left"))


def check_nonempty(array, name):
    """Return ``array`` after checking that it holds at least one example (row), else raise a ValueError.

    A mean over zero examples, its gradient and an accuracy are undefined.
    """
    if np.shape(array)[0] == 0:
        raise ValueError(f"{name} must hold at least one example, got shape {np.shape(array)}")
    return array


def as_float_matrix(values, name, min_columns=0):
    """Return ``values`` as a 2-D float array, or raise a ValueError naming its shape.

    Integer input is converted to float64; float32 and float64 keep their dtype.
    ``min_columns=1`` also refuses an array without columns (no classes).
    """
    array = np.asarray(values)
    if array.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (n, q), got shape {array.shape}")
    if array.shape[1] < min_columns:
        columns = "one column" if min_columns == 1 else f"{min_columns} columns"
        raise ValueError(f"{name} must have at least {columns} (q >= {min_columns}), got shape {array.shape}")
    if not np.issubdtype(array.dtype, np.floating):
        array = array.astype(np.float64)
    return array


def as_matrix_and_labels(values, labels, name, *, nonempty=False):
    """Return ``values`` (n, q) as a float array with q >= 1, and ``labels`` as int64 (n,) in ``[0, q)``.

    The one check of "(n, q) floats with (n,) labels". The error for a count mismatch
    names both shapes; the one for a bad label names the label and its position (see
    :func:`check_labels`). ``name`` is what the caller calls ``values`` ("logits",
    "probabilities"); ``nonempty=True`` also asks for n >= 1 (:func:`check_nonempty`).
    """
    values = as_float_matrix(values, name, min_columns=1)
    if nonempty:
        check_nonempty(values, name)
    label_shape = np.shape(labels)
    if len(label_shape) == 1 and label_shape[0] != values.shape[0]:
        raise ValueError(
            f"expected one label per row of {name}: {name} have shape {values.shape}, labels have shape {label_shape}"
        )
    return values, check_labels(labels, values.shape[1], rows=values.shape[0])


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
        raise ValueError(f"expected labels in [0, {num_classes}), got {array[position]} at position {position}")
    return array


def as_model_data(features, labels, weights, bias):
    """Return X (n, d) and y (n,) int64 in ``[0, q)``, with n >= 1, after checking them against W (d, q) and b (q,).

    ``features`` becomes a float array (integers become float64); ``weights`` and ``bias``
    must already be arrays. Raises ValueError naming the shapes, a bad label and its
    position, or an empty set.
    """
    features = np.asarray(features)
    check_model_shapes(features, weights, bias)
    if not np.issubdtype(features.dtype, np.floating):
        features = features.astype(np.float64)
    labels = check_labels(labels, weights.shape[1], rows=features.shape[0])
    return check_nonempty(features, "features"), labels


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
            f"expected X (n, d), W (d, q) and b (q,), got X {features.shape}, W {weights.shape}, b {bias.shape}"
        )
