"""Right and wrong answers to chapter 5's coding exercises (tests/test_autograde_answers.py grades them)."""

ANSWERS = {
    "ex-05-binary-cross-entropy": {
        "right": {
            "logaddexp for each label": """
def binary_cross_entropy(t, y):
    t, y = np.asarray(t, dtype=float), np.asarray(y, dtype=float)
    return y * np.logaddexp(0.0, -t) + (1 - y) * np.logaddexp(0.0, t)
""",
            "a loop with math": """
import math


def binary_cross_entropy(t, y):
    out = []
    for t_i, y_i in zip(t, y):
        s = float(t_i) if y_i == 1 else -float(t_i)
        out.append(math.log1p(math.exp(-s)) if s >= 0 else -s + math.log1p(math.exp(s)))
    return np.array(out)
""",
            "scipy log_expit": """
def binary_cross_entropy(t, y):
    t = np.asarray(t, dtype=float)
    sign = 2 * np.asarray(y, dtype=float) - 1
    return -scipy.special.log_expit(sign * t)
""",
        },
        "wrong": {
            "log of the sigmoid": """
def binary_cross_entropy(t, y):
    with np.errstate(all="ignore"):
        p = 1 / (1 + np.exp(-np.asarray(t, dtype=float)))
        return -(y * np.log(p) + (1 - y) * np.log(1 - p))
""",
            "no shift in log(1 + exp)": """
def binary_cross_entropy(t, y):
    s = np.where(np.asarray(y) == 1, t, -np.asarray(t, dtype=float))
    with np.errstate(all="ignore"):
        return np.log1p(np.exp(-s))
""",
            "labels swapped": """
def binary_cross_entropy(t, y):
    s = np.where(np.asarray(y) == 1, -np.asarray(t, dtype=float), t)
    return np.logaddexp(0.0, -s)
""",
            "the mean, not per example": """
def binary_cross_entropy(t, y):
    s = np.where(np.asarray(y) == 1, t, -np.asarray(t, dtype=float))
    return np.logaddexp(0.0, -s).mean()
""",
            "float32": """
def binary_cross_entropy(t, y):
    s = np.where(np.asarray(y) == 1, t, -np.asarray(t, dtype=float)).astype(np.float32)
    return np.logaddexp(np.float32(0), -s)
""",
        },
    },
    "ex-05-mean-nll": {
        "right": {
            "scipy logsumexp": """
def mean_nll(O, labels):
    O = np.asarray(O, dtype=float)
    picked = np.take_along_axis(O, np.asarray(labels).reshape(-1, 1), axis=1)[:, 0]
    return float(np.mean(scipy.special.logsumexp(O, axis=1) - picked))
""",
            "a loop with logaddexp": """
def mean_nll(O, labels):
    total = 0.0
    for row, label in zip(np.asarray(O, dtype=float), labels):
        total += np.logaddexp.reduce(row) - row[label]
    return float(total / len(labels))
""",
            "log-softmax by hand, np.float64": """
def mean_nll(O, labels):
    O = np.asarray(O, dtype=float)
    shifted = O - O.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -np.mean(log_probs[np.arange(O.shape[0]), labels])
""",
        },
        "wrong": {
            "no max shift": """
def mean_nll(O, labels):
    O = np.asarray(O, dtype=float)
    with np.errstate(all="ignore"):
        lse = np.log(np.exp(O).sum(axis=1))
    return float((lse - O[np.arange(len(O)), labels]).mean())
""",
            "log of the softmax": """
def mean_nll(O, labels):
    O = np.asarray(O, dtype=float)
    exps = np.exp(O - O.max(axis=1, keepdims=True))
    P = exps / exps.sum(axis=1, keepdims=True)
    with np.errstate(all="ignore"):
        return float(-np.log(P[np.arange(len(O)), labels]).mean())
""",
            "shift by the column maxima": """
def mean_nll(O, labels):
    O = np.asarray(O, dtype=float)
    m = O.max(axis=0)
    with np.errstate(all="ignore"):
        lse = np.log(np.exp(O - m).sum(axis=1))
        return float((lse - (O - m)[np.arange(len(O)), labels]).mean())
""",
            "the sum, not the mean": """
def mean_nll(O, labels):
    O = np.asarray(O, dtype=float)
    m = O.max(axis=1)
    lse = m + np.log(np.exp(O - m[:, None]).sum(axis=1))
    return float((lse - O[np.arange(len(O)), labels]).sum())
""",
            "a 0-d array": """
def mean_nll(O, labels):
    O = np.asarray(O, dtype=float)
    m = O.max(axis=1)
    lse = m + np.log(np.exp(O - m[:, None]).sum(axis=1))
    return np.asarray((lse - O[np.arange(len(O)), labels]).mean())
""",
        },
    },
}
