"""Right and wrong answers to chapter 3's coding exercises (tests/test_autograde_answers.py grades them)."""

ANSWERS = {
    "ex-03-log-softmax": {
        "right": {
            "np.logaddexp.reduce": """
def log_probabilities(O):
    O = np.asarray(O, dtype=np.float64)
    return O - np.logaddexp.reduce(O, axis=1)[:, None]
""",
            "a loop over rows": """
def log_probabilities(O):
    out = np.empty(np.shape(O), dtype=np.float64)
    for i, row in enumerate(np.asarray(O, dtype=np.float64)):
        top = row.max()
        out[i] = row - (top + np.log(np.sum(np.exp(row - top))))
    return out
""",
            "log1p of the others": """
def log_probabilities(O):
    O = np.asarray(O, dtype=np.float64)
    top = O.max(axis=1, keepdims=True)
    rest = np.exp(O - top).sum(axis=1, keepdims=True) - 1.0
    return O - top - np.log1p(rest)
""",
        },
        "wrong": {
            "no max shift": """
def log_probabilities(O):
    return O - np.log(np.exp(O).sum(axis=1, keepdims=True))
""",
            "log of the softmax": """
def log_probabilities(O):
    exps = np.exp(O - O.max(axis=1, keepdims=True))
    return np.log(exps / exps.sum(axis=1, keepdims=True))
""",
            "one shift for the whole array": """
def log_probabilities(O):
    shifted = O - O.max()
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
""",
            "columns, not rows": """
def log_probabilities(O):
    shifted = O - O.max(axis=0, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
""",
            "scipy.special.logsumexp": """
def log_probabilities(O):
    import scipy.special
    return O - scipy.special.logsumexp(O, axis=1, keepdims=True)
""",
            "float32": """
def log_probabilities(O):
    O = np.asarray(O, dtype=np.float32)
    shifted = O - O.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
""",
        },
    },
    "ex-03-temperature": {
        "right": {
            "shift, then divide": """
def tempered_probabilities(O, T):
    O = np.asarray(O, dtype=np.float64)
    exps = np.exp((O - O.max(axis=1, keepdims=True)) / T)
    return exps / exps.sum(axis=1, keepdims=True)
""",
            "exp of a log-softmax": """
def tempered_probabilities(O, T):
    Z = np.asarray(O, dtype=np.float64) / T
    return np.exp(Z - np.logaddexp.reduce(Z, axis=1, keepdims=True))
""",
            "a loop over rows": """
def tempered_probabilities(O, T):
    out = np.zeros(np.shape(O))
    for i, row in enumerate(np.asarray(O, dtype=float)):
        e = np.exp((row - np.max(row)) / T)
        out[i] = e / e.sum()
    return out
""",
        },
        "wrong": {
            "multiply by T": """
def tempered_probabilities(O, T):
    scaled = O * T
    exps = np.exp(scaled - scaled.max(axis=1, keepdims=True))
    return exps / exps.sum(axis=1, keepdims=True)
""",
            "no max shift": """
def tempered_probabilities(O, T):
    exps = np.exp(O / T)
    return exps / exps.sum(axis=1, keepdims=True)
""",
            "softmax to the power 1/T": """
def tempered_probabilities(O, T):
    exps = np.exp(O - O.max(axis=1, keepdims=True))
    p = (exps / exps.sum(axis=1, keepdims=True)) ** (1 / T)
    return p / p.sum(axis=1, keepdims=True)
""",
            "argmax one-hot at small T": """
def tempered_probabilities(O, T):
    if T < 1e-4:
        return np.eye(O.shape[1])[O.argmax(axis=1)]
    scaled = O / T
    exps = np.exp(scaled - scaled.max(axis=1, keepdims=True))
    return exps / exps.sum(axis=1, keepdims=True)
""",
            "scipy.special.softmax": """
def tempered_probabilities(O, T):
    from scipy.special import softmax as sp_softmax
    return sp_softmax(O / T, axis=1)
""",
            "temperature ignored": """
def tempered_probabilities(O, T):
    exps = np.exp(O - O.max(axis=1, keepdims=True))
    return exps / exps.sum(axis=1, keepdims=True)
""",
        },
    },
}
