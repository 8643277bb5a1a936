"""Right and wrong answers to chapter 12's coding exercises (tests/test_autograde_answers.py grades them)."""

ANSWERS = {
    "ex-12-kl-rows": {
        "right": {
            "scipy rel_entr": """
def kl_rows(P, R):
    from scipy.special import rel_entr
    return rel_entr(np.asarray(P, float), np.asarray(R, float)).sum(axis=1)
""",
            "a loop over entries": """
def kl_rows(P, R):
    P, R = np.asarray(P, float), np.asarray(R, float)
    out = np.zeros(P.shape[0])
    for i in range(P.shape[0]):
        for j in range(P.shape[1]):
            if P[i, j] > 0:
                out[i] += np.inf if R[i, j] == 0 else P[i, j] * (np.log(P[i, j]) - np.log(R[i, j]))
    return out
""",
            "np.where": """
def kl_rows(P, R):
    P, R = np.asarray(P, float), np.asarray(R, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(P > 0, P * (np.log(P) - np.log(R)), 0.0).sum(axis=1)
""",
        },
        "wrong": {
            "no 0 log 0 convention": """
def kl_rows(P, R):
    P, R = np.asarray(P, float), np.asarray(R, float)
    with np.errstate(all="ignore"):
        return np.sum(P * np.log(P / R), axis=1)
""",
            "the other direction": """
def kl_rows(P, R):
    from scipy.special import rel_entr
    return rel_entr(np.asarray(R, float), np.asarray(P, float)).sum(axis=1)
""",
            "bits": """
def kl_rows(P, R):
    from scipy.special import rel_entr
    return rel_entr(np.asarray(P, float), np.asarray(R, float)).sum(axis=1) / np.log(2)
""",
            "mean over classes": """
def kl_rows(P, R):
    from scipy.special import rel_entr
    return rel_entr(np.asarray(P, float), np.asarray(R, float)).mean(axis=1)
""",
        },
    },
    "ex-12-smoothing": {
        "right": {
            "entropy of the soft label": """
def smoothing_optimum(q, epsilon):
    p = np.full(q, epsilon / q)
    p[0] += 1 - epsilon
    loss = -np.sum(p * np.log(p))
    return float(loss), float(np.log(p[0]) - np.log(p[1]))
""",
            "closed form with log1p": """
def smoothing_optimum(q, epsilon):
    import math
    top, rest = 1 - epsilon * (q - 1) / q, epsilon / q
    loss = -top * math.log(top) - (q - 1) * rest * math.log(rest)
    return loss, math.log1p(q * (1 - epsilon) / epsilon)
""",
        },
        "wrong": {
            "spread over the other q - 1 classes": """
def smoothing_optimum(q, epsilon):
    top, rest = 1 - epsilon, epsilon / (q - 1)
    return float(-(top * np.log(top) + (q - 1) * rest * np.log(rest))), float(np.log(top / rest))
""",
            "loss of the hard label": """
def smoothing_optimum(q, epsilon):
    top, rest = 1 - epsilon + epsilon / q, epsilon / q
    return float(-np.log(top)), float(np.log(top / rest))
""",
            "gap of probabilities": """
def smoothing_optimum(q, epsilon):
    top, rest = 1 - epsilon + epsilon / q, epsilon / q
    return float(-(top * np.log(top) + (q - 1) * rest * np.log(rest))), float(top - rest)
""",
            "arrays of shape (1,), not floats": """
def smoothing_optimum(q, epsilon):
    p = np.full((1, q), epsilon / q)
    p[:, 0] += 1 - epsilon
    logits = np.log(p)
    return -(p * softmax.log_softmax(logits)).sum(axis=1), logits[:, 0] - logits[:, 1]
""",
            "bits": """
def smoothing_optimum(q, epsilon):
    top, rest = 1 - epsilon + epsilon / q, epsilon / q
    return float(-(top * np.log2(top) + (q - 1) * rest * np.log2(rest))), float(np.log2(top / rest))
""",
        },
    },
}
