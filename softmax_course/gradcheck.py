"""Checking a gradient with central finite differences (the gradient chapter).

Written once here and shown in the gradient chapter; later chapters and the tests
import it instead of writing it again.
"""

import numbers

import numpy as np

from softmax_course._checks import check_scalar


def numerical_gradient(f, theta, h=1e-5):
    """Central differences of the scalar function ``f`` at ``theta``.

    Parameters
    ----------
    f : callable
        Takes an array of ``theta``'s shape, returns a scalar.
    theta : array-like of any shape
        The point; copied to float64, never changed.
    h : float
        The step (> 0); 1e-5 balances truncation (h^2) and rounding (eps / h) in float64.

    Returns
    -------
    ndarray of float64, same shape as ``theta``
        Each entry is ``(f(theta + h u) - f(theta - h u)) / (2 h)``, where the
        direction ``u`` is 1 at that entry and 0 elsewhere.

    Raises
    ------
    TypeError, ValueError
        If ``h`` is not a number > 0 (see :func:`softmax_course._checks.check_scalar`).
    """
    check_scalar(h, "h", numbers.Real, min_val=0, include_boundaries="neither")
    theta = np.array(theta, dtype=np.float64)
    grad = np.zeros_like(theta)
    for entry in np.ndindex(theta.shape):
        saved = theta[entry]
        theta[entry] = saved + h  # theta + h u
        f_plus = f(theta)
        theta[entry] = saved - h  # theta - h u
        f_minus = f(theta)
        theta[entry] = saved
        grad[entry] = (f_plus - f_minus) / (2 * h)
    return grad


def relative_error(first, second):
    """``||first - second|| / max(||first||, ||second||)``, a float (0.0 when both are zero).

    Both arrays must have the same shape (a ValueError names the two shapes).
    """
    first, second = np.asarray(first, dtype=np.float64), np.asarray(second, dtype=np.float64)
    if first.shape != second.shape:
        raise ValueError(f"relative_error needs arrays of one shape, got {first.shape} and {second.shape}")
    scale = max(np.linalg.norm(first), np.linalg.norm(second))
    return 0.0 if scale == 0 else float(np.linalg.norm(first - second) / scale)
