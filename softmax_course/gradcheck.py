"""Checking a gradient with central finite differences (the gradient chapter).

Written once here and shown in the gradient chapter; later chapters and the tests
import it instead of writing it again.
"""

import numpy as np


def numerical_gradient(f, theta, h=1e-5):
    """Central differences of the scalar function ``f`` at ``theta``.

    Parameters
    ----------
    f : callable
        Takes an array of ``theta``'s shape, returns a scalar.
    theta : array-like of any shape
        The point; copied to float64, never changed.
    h : float
        The step; 1e-5 balances truncation (h^2) and rounding (eps / h) in float64.

    Returns
    -------
    ndarray of float64, same shape as ``theta``
        Entry ``k`` is ``(f(theta + h e_k) - f(theta - h e_k)) / (2 h)``.
    """
    theta = np.array(theta, dtype=np.float64)
    grad = np.zeros_like(theta)
    for k in np.ndindex(theta.shape):
        saved = theta[k]
        theta[k] = saved + h
        f_plus = f(theta)
        theta[k] = saved - h
        f_minus = f(theta)
        theta[k] = saved
        grad[k] = (f_plus - f_minus) / (2 * h)
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
