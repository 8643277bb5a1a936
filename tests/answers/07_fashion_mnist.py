"""Right and wrong answers to chapter 7's coding exercises (tests/test_autograde_answers.py grades them)."""

ANSWERS = {
    "ex-07-nearest-mean": {
        "right": {
            "squared distances, class by class": """
def nearest_mean_predict(X_fit, y_fit, X, num_classes):
    X_fit, X, y_fit = np.asarray(X_fit, dtype=np.float64), np.asarray(X, dtype=np.float64), np.asarray(y_fit)
    distances = np.empty((len(X), num_classes))
    for k in range(num_classes):
        centre = X_fit[y_fit == k].mean(axis=0)
        distances[:, k] = ((X - centre) ** 2).sum(axis=1)
    return np.argmin(distances, axis=1)
""",
            "sums by bincount-style accumulation": """
def nearest_mean_predict(X_fit, y_fit, X, num_classes):
    X_fit, X, y_fit = np.asarray(X_fit, dtype=np.float64), np.asarray(X, dtype=np.float64), np.asarray(y_fit)
    sums = np.zeros((num_classes, X_fit.shape[1]))
    np.add.at(sums, y_fit, X_fit)
    centres = sums / np.bincount(y_fit, minlength=num_classes)[:, None]
    d2 = (X**2).sum(axis=1)[:, None] - 2 * X @ centres.T + (centres**2).sum(axis=1)
    return d2.argmin(axis=1).astype(np.int64)
""",
        },
        "wrong": {
            "dot product only": """
def nearest_mean_predict(X_fit, y_fit, X, num_classes):
    X_fit, X, y_fit = np.asarray(X_fit, dtype=float), np.asarray(X, dtype=float), np.asarray(y_fit)
    centres = np.stack([X_fit[y_fit == k].mean(axis=0) for k in range(num_classes)])
    return (X @ centres.T).argmax(axis=1)
""",
            "farthest mean": """
def nearest_mean_predict(X_fit, y_fit, X, num_classes):
    X_fit, X, y_fit = np.asarray(X_fit, dtype=float), np.asarray(X, dtype=float), np.asarray(y_fit)
    centres = np.stack([X_fit[y_fit == k].mean(axis=0) for k in range(num_classes)])
    return (2 * X @ centres.T - (centres**2).sum(axis=1)).argmin(axis=1)
""",
            "float labels": """
def nearest_mean_predict(X_fit, y_fit, X, num_classes):
    X_fit, X, y_fit = np.asarray(X_fit, dtype=float), np.asarray(X, dtype=float), np.asarray(y_fit)
    centres = np.stack([X_fit[y_fit == k].mean(axis=0) for k in range(num_classes)])
    return (2 * X @ centres.T - (centres**2).sum(axis=1)).argmax(axis=1).astype(float)
""",
            "city-block distance": """
def nearest_mean_predict(X_fit, y_fit, X, num_classes):
    X_fit, X, y_fit = np.asarray(X_fit, dtype=float), np.asarray(X, dtype=float), np.asarray(y_fit)
    distances = np.stack([np.abs(X - X_fit[y_fit == k].mean(axis=0)).sum(axis=1) for k in range(num_classes)], axis=1)
    return distances.argmin(axis=1)
""",
            "class sums, not means": """
def nearest_mean_predict(X_fit, y_fit, X, num_classes):
    X_fit, X, y_fit = np.asarray(X_fit, dtype=float), np.asarray(X, dtype=float), np.asarray(y_fit)
    centres = np.stack([X_fit[y_fit == k].sum(axis=0) for k in range(num_classes)])
    return (2 * X @ centres.T - (centres**2).sum(axis=1)).argmax(axis=1)
""",
        },
    },
    "ex-07-epoch-weights": {
        "right": {
            "start indices": """
def epoch_weights(n, batch_size):
    starts = np.arange(0, n, batch_size)
    return (np.minimum(starts + batch_size, n) - starts) / n
""",
            "a loop": """
def epoch_weights(n, batch_size):
    weights, left = [], n
    while left > 0:
        size = min(batch_size, left)
        weights.append(size / n)
        left -= size
    return np.array(weights)
""",
            "ceil and fix the last": """
import math


def epoch_weights(n, batch_size):
    count = math.ceil(n / batch_size)
    weights = np.full(count, batch_size / n)
    weights[-1] = (n - (count - 1) * batch_size) / n
    return weights
""",
        },
        "wrong": {
            "last minibatch dropped": """
def epoch_weights(n, batch_size):
    return np.full(n // batch_size, batch_size / n)
""",
            "short minibatch first": """
def epoch_weights(n, batch_size):
    full, rest = divmod(n, batch_size)
    return np.array(([rest] if rest else []) + [batch_size] * full) / n
""",
            "equal weights": """
def epoch_weights(n, batch_size):
    count = -(-n // batch_size)
    return np.full(count, 1.0 / count)
""",
            "always one more minibatch": """
def epoch_weights(n, batch_size):
    full, rest = divmod(n, batch_size)
    return np.array([batch_size] * full + [rest]) / n
""",
            "a list, not an array": """
def epoch_weights(n, batch_size):
    return [min(batch_size, n - start) / n for start in range(0, n, batch_size)]
""",
            "every minibatch full": """
def epoch_weights(n, batch_size):
    return np.full(-(-n // batch_size), batch_size / n)
""",
        },
    },
}
