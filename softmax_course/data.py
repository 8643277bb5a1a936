"""Data sets of the course: Iris (chapter 2) and Fashion-MNIST (chapters 8 to 10)."""

import numpy as np


def load_iris():
    """The Iris data set: 150 flowers, 4 measurements (cm), 3 species.

    Taken from scikit-learn, which ships it (Fisher 1936, via the UCI Machine
    Learning Repository).

    Returns
    -------
    features : ndarray of float64, shape (150, 4)
    labels : ndarray of int64, shape (150,)
        Species index in [0, 3).
    feature_names : tuple of 4 str
    class_names : tuple of 3 str

    Raises
    ------
    ImportError
        If scikit-learn is not installed, saying how to install it.
    """
    try:
        from sklearn.datasets import load_iris as sklearn_load_iris
    except ImportError as error:
        raise ImportError(
            "the Iris data set comes from scikit-learn: pip install scikit-learn"
        ) from error
    bunch = sklearn_load_iris()
    feature_names = tuple(name.replace(" (cm)", "") for name in bunch.feature_names)
    return (
        bunch.data.astype(np.float64),
        bunch.target.astype(np.int64),
        feature_names,
        tuple(str(name) for name in bunch.target_names),
    )
