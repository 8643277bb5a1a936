"""Right and wrong answers to chapter 9's coding exercises (tests/test_autograde_answers.py grades them)."""

ANSWERS = {
    "ex-09-choose-lambda": {
        "right": {
            "a loop keeping the larger lambda on ties": """
def choose_lambda(lambdas, scores):
    best_lam, best_score = None, None
    for lam, score in zip(lambdas, scores):
        if best_score is None or score > best_score or (score == best_score and lam > best_lam):
            best_lam, best_score = lam, score
    return best_lam
""",
            "max over (score, lambda) pairs": """
def choose_lambda(lambdas, scores):
    return max(zip(scores, lambdas))[1]
""",
            "lexsort": """
def choose_lambda(lambdas, scores):
    lambdas = np.asarray(lambdas)
    order = np.lexsort((lambdas, np.asarray(scores)))
    return lambdas[order[-1]]
""",
        },
        "wrong": {
            "np.argmax: the first maximum": """
def choose_lambda(lambdas, scores):
    return np.asarray(lambdas)[np.argmax(scores)]
""",
            "ties to the smallest lambda": """
def choose_lambda(lambdas, scores):
    lambdas, scores = np.asarray(lambdas), np.asarray(scores)
    return lambdas[scores == scores.max()].min()
""",
            "returns the index": """
def choose_lambda(lambdas, scores):
    scores = np.asarray(scores)
    return int(np.flatnonzero(scores == scores.max())[-1])
""",
            "last maximum in list order, not the largest lambda": """
def choose_lambda(lambdas, scores):
    scores = np.asarray(scores)
    return np.asarray(lambdas)[len(scores) - 1 - np.argmax(scores[::-1])]
""",
            "lowest score": """
def choose_lambda(lambdas, scores):
    lambdas, scores = np.asarray(lambdas), np.asarray(scores)
    return lambdas[scores == scores.min()].max()
""",
        },
    },
    "ex-09-gap": {
        "right": {
            "hypot of the two standard errors": """
import math
def gap_k(a_valid, n_valid, a_test, n_test):
    se_valid = math.sqrt(a_valid * (1 - a_valid) / n_valid)
    se_test = math.sqrt(a_test * (1 - a_test) / n_test)
    return (a_valid - a_test) / math.hypot(se_valid, se_test)
""",
            "binomial variances of the counts": """
def gap_k(a_valid, n_valid, a_test, n_test):
    var_valid = n_valid * a_valid * (1 - a_valid) / n_valid**2
    var_test = n_test * a_test * (1 - a_test) / n_test**2
    return (a_valid - a_test) * (var_valid + var_test) ** -0.5
""",
        },
        "wrong": {
            "standard errors added, not variances": """
def gap_k(a_valid, n_valid, a_test, n_test):
    se = np.sqrt(a_valid * (1 - a_valid) / n_valid) + np.sqrt(a_test * (1 - a_test) / n_test)
    return (a_valid - a_test) / se
""",
            "the validation standard error only": """
def gap_k(a_valid, n_valid, a_test, n_test):
    return (a_valid - a_test) / np.sqrt(a_valid * (1 - a_valid) / n_valid)
""",
            "divides by the variance": """
def gap_k(a_valid, n_valid, a_test, n_test):
    return (a_valid - a_test) / (a_valid * (1 - a_valid) / n_valid + a_test * (1 - a_test) / n_test)
""",
            "absolute value": """
def gap_k(a_valid, n_valid, a_test, n_test):
    return abs(a_valid - a_test) / np.sqrt(a_valid * (1 - a_valid) / n_valid + a_test * (1 - a_test) / n_test)
""",
            "pooled accuracy over both sizes added": """
def gap_k(a_valid, n_valid, a_test, n_test):
    a = (a_valid + a_test) / 2
    return (a_valid - a_test) / np.sqrt(a * (1 - a) / (n_valid + n_test))
""",
        },
    },
}
