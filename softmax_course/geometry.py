"""The geometry of a linear classifier: pairwise boundaries, decision regions, one-vs-rest (chapters 11 and 13).

A linear classifier with weights ``W`` (d, q) and bias ``b`` (q,) predicts the class of the largest logit of
``x W + b``. Classes j and k get equal logits (and, under softmax, equal probabilities) on the hyperplane
``x (w_j - w_k) + (b_j - b_k) = 0``, where ``w_j`` is column j of ``W``. The figures here are for d = 2.
"""

import numbers

import numpy as np

from softmax_course._checks import as_float_matrix, check_model_shapes, check_nonempty, check_nonnegative, check_scalar
from softmax_course.softmax import predict

REGION_COLORS = ("#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860")


def _model(weights, bias):
    weights = np.asarray(weights, dtype=np.float64)
    bias = np.asarray(bias, dtype=np.float64)
    check_model_shapes(np.zeros((0, weights.shape[0] if weights.ndim == 2 else 0)), weights, bias)
    return weights, bias


def _check_pair(j, k, num_classes):
    for name, value in (("j", j), ("k", k)):
        check_scalar(
            value, f"class {name}", numbers.Integral, min_val=0, max_val=num_classes, include_boundaries="left"
        )
    if j == k:
        raise ValueError(f"a boundary needs two different classes, got j = k = {j}")


def pairwise_boundary(weights, bias, j, k):
    """The hyperplane where classes j and k get equal logits: ``x . normal + offset = 0``.

    Parameters
    ----------
    weights : ndarray, shape (d, q)
    bias : ndarray, shape (q,)
    j, k : int, two different classes in ``[0, q)`` (code numbering)

    Returns
    -------
    normal : ndarray of float64, shape (d,), ``w_j - w_k``
    offset : float, ``b_j - b_k``

    Class j has the larger logit of the two where ``x . normal + offset > 0``.

    Raises
    ------
    TypeError
        If j or k is not an integer.
    ValueError
        If the shapes do not fit or j, k are not two different classes in ``[0, q)``.
    """
    weights, bias = _model(weights, bias)
    _check_pair(j, k, weights.shape[1])
    return weights[:, j] - weights[:, k], float(bias[j] - bias[k])


def boundary_segment(weights, bias, j, k, xlim, ylim):
    """The part of the line between classes j and k (d = 2) inside the box ``xlim`` x ``ylim``.

    Returns
    -------
    ndarray of float64, shape (2, 2): two end points (rows ``(x_1, x_2)``), or None if the line misses the
    box or the two classes have identical weights (no line).

    Raises
    ------
    ValueError
        If the weights do not have 2 rows, or as :func:`pairwise_boundary`.
    """
    weights, bias = _model(weights, bias)
    if weights.shape[0] != 2:
        raise ValueError(f"boundary_segment draws lines for d = 2 features, got weights {weights.shape}")
    normal, offset = pairwise_boundary(weights, bias, j, k)
    (x0, x1), (y0, y1) = sorted(xlim), sorted(ylim)
    points = []
    if normal[1] != 0:  # crossings with the vertical sides x = x0, x = x1
        for x in (x0, x1):
            y = -(offset + normal[0] * x) / normal[1]
            if y0 <= y <= y1:
                points.append((x, y))
    if normal[0] != 0:  # crossings with the horizontal sides y = y0, y = y1
        for y in (y0, y1):
            x = -(offset + normal[1] * y) / normal[0]
            if x0 <= x <= x1:
                points.append((x, y))
    points = np.unique(np.round(np.array(points, dtype=np.float64), 12), axis=0) if points else []
    if len(points) < 2:
        return None
    return np.array([points[0], points[-1]])


def region_grid(features, num=200, pad=0.5):
    """A regular grid of points covering the 2-D ``features`` with a margin ``pad`` on every side.

    Parameters
    ----------
    features : ndarray, shape (n, 2)
    num : int >= 2, points per axis
    pad : float >= 0, in the units of the features

    Returns
    -------
    x1 : ndarray (num,), x2 : ndarray (num,), and points : ndarray of float64, shape (num * num, 2),
    row ``a * num + c`` being ``(x1[c], x2[a])`` (so ``values.reshape(num, num)`` matches ``imshow``).

    Raises
    ------
    TypeError
        If ``num`` is not an integer or ``pad`` not a real number.
    ValueError
        If ``features`` is not (n, 2) with n >= 1, ``num`` < 2 or ``pad`` < 0.
    """
    features = check_nonempty(as_float_matrix(features, "features"), "features")
    if features.shape[1] != 2:
        raise ValueError(f"region_grid needs features of shape (n, 2), got {features.shape}")
    check_scalar(num, "num", numbers.Integral, min_val=2)
    pad = check_nonnegative(pad, "pad")
    low, high = features.min(axis=0) - pad, features.max(axis=0) + pad
    x1, x2 = np.linspace(low[0], high[0], num), np.linspace(low[1], high[1], num)
    grid_1, grid_2 = np.meshgrid(x1, x2)
    return x1, x2, np.column_stack([grid_1.ravel(), grid_2.ravel()])


def plot_regions(
    features,
    labels,
    weights,
    bias,
    *,
    ax=None,
    feature_names,
    class_names,
    boundaries=True,
    num=300,
    pad=0.5,
    title=None,
    legend=True,
):
    """Draw the points ``features`` (n, 2) with ``labels`` (n,), the decision regions of ``W`` (2, q) and ``b`` (q,),
    and the pairwise boundary lines.

    The regions are the predicted class on a grid (:func:`region_grid`); each pairwise boundary
    ``x (w_j - w_k) + (b_j - b_k) = 0`` is drawn as a thin dashed line over the whole box (it separates j
    from k only where those two are the top two classes). Draws into ``ax`` if given, else into a new
    figure (with pyplot); returns the Axes.

    Raises
    ------
    ValueError
        If the shapes do not fit (features (n, 2), labels (n,)).
    """
    features = np.asarray(features, dtype=np.float64)
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    x1, x2, points = region_grid(features, num=num, pad=pad)
    regions = predict(points, weights, bias).reshape(num, num)
    q = np.shape(bias)[0]
    from matplotlib.colors import ListedColormap

    cmap = ListedColormap(REGION_COLORS[:q])
    extent = (x1[0], x1[-1], x2[0], x2[-1])
    ax.imshow(
        regions,
        origin="lower",
        extent=extent,
        cmap=cmap,
        vmin=-0.5,
        vmax=q - 0.5,
        alpha=0.25,
        aspect="auto",
        interpolation="nearest",
    )
    markers = ("o", "s", "^", "D", "v", "P")
    for c in range(q):
        chosen = np.asarray(labels) == c
        ax.scatter(
            features[chosen, 0],
            features[chosen, 1],
            s=16,
            color=REGION_COLORS[c],
            marker=markers[c % len(markers)],
            edgecolors="white",
            linewidths=0.4,
            label=class_names[c],
        )
    if boundaries:
        label = "pairwise boundaries"
        for j in range(q):
            for k in range(j + 1, q):
                segment = boundary_segment(weights, bias, j, k, extent[:2], extent[2:])
                if segment is not None:
                    ax.plot(segment[:, 0], segment[:, 1], "--", color="0.25", linewidth=0.9, label=label)
                    label = None
    ax.set_xlim(extent[:2])
    ax.set_ylim(extent[2:])
    ax.set_xlabel(feature_names[0])
    ax.set_ylabel(feature_names[1])
    if title:
        ax.set_title(title)
    if legend:
        ax.legend(loc="upper left", fontsize="small", framealpha=0.9)
    return ax


def fit_one_vs_rest(features, labels, num_classes=None, *, C=1.0):
    """One-vs-rest: q independent binary logistic regressions (scikit-learn), class c against the others.

    Parameters
    ----------
    features : ndarray, shape (n, d)
    labels : array-like of int, shape (n,)
    num_classes : int, default ``max(labels) + 1``
    C : float > 0, scikit-learn's inverse L2 strength (the same for every class)

    Returns
    -------
    weights : ndarray of float64, shape (d, q), column c the weights of "class c or not"
    bias : ndarray of float64, shape (q,)

    ``sigmoid(x W + b)`` gives q independent probabilities of "yes"; they need not sum to one.

    Raises
    ------
    ValueError
        If a class has no example (a yes/no question needs both answers), or from scikit-learn.
    """
    from sklearn.linear_model import LogisticRegression

    features = np.asarray(features, dtype=np.float64)
    labels = np.asarray(labels)
    if num_classes is None:
        num_classes = int(labels.max()) + 1
    counts = np.bincount(labels, minlength=num_classes)
    if (counts == 0).any():
        raise ValueError(f"every class needs an example, class {int(np.argmin(counts))} has none")
    weights, bias = np.zeros((features.shape[1], num_classes)), np.zeros(num_classes)
    for c in range(num_classes):
        model = LogisticRegression(C=C, max_iter=10_000).fit(features, (labels == c).astype(int))
        weights[:, c], bias[c] = model.coef_[0], model.intercept_[0]
    return weights, bias


def sigmoid(logits):
    """The logistic function ``1 / (1 + exp(-o))``, elementwise, without overflow; float64, same shape."""
    logits = np.asarray(logits, dtype=np.float64)
    out = np.empty_like(logits)
    positive = logits >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-logits[positive]))
    exp_o = np.exp(logits[~positive])
    out[~positive] = exp_o / (1.0 + exp_o)
    return out


def unstandardize(weights, bias, mean, std):
    """The same classifier on raw features, for one trained on standardised features ``(x - mean) / std``.

    ``(x - mean) / std @ W + b == x @ W_raw + b_raw`` with ``W_raw = W / std[:, None]`` and
    ``b_raw = b - (mean / std) @ W``.

    Parameters
    ----------
    weights : ndarray, shape (d, q); bias : ndarray, shape (q,)
    mean, std : ndarray, shape (d,), the statistics used to standardise; every ``std`` > 0

    Returns
    -------
    weights_raw : ndarray of float64, shape (d, q); bias_raw : ndarray of float64, shape (q,)

    Raises
    ------
    ValueError
        If the shapes do not fit or a standard deviation is not positive.
    """
    weights, bias = _model(weights, bias)
    mean, std = np.asarray(mean, dtype=np.float64), np.asarray(std, dtype=np.float64)
    if mean.shape != (weights.shape[0],) or std.shape != (weights.shape[0],):
        raise ValueError(f"mean and std must have shape ({weights.shape[0]},), got {mean.shape} and {std.shape}")
    if not np.all(std > 0):
        raise ValueError(f"every std must be > 0, got {std}")
    return weights / std[:, None], bias - (mean / std) @ weights
