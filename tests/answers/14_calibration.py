"""Right and wrong answers to chapter 14's coding exercises (tests/test_autograde_answers.py grades them)."""

ANSWERS = {
    "ex-14-ece": {
        "right": {
            "bin edges, lo < c <= hi": """
def ece(probabilities, labels, num_bins):
    P, y = np.asarray(probabilities, float), np.asarray(labels)
    conf = P.max(axis=1)
    hit = (P.argmax(axis=1) == y).astype(float)
    total = 0.0
    for s in range(1, num_bins + 1):
        lo, hi = (s - 1) / num_bins, s / num_bins
        members = (conf > lo) & (conf <= hi)
        if members.sum() > 0:
            total += members.mean() * abs(hit[members].mean() - conf[members].mean())
    return float(total)
""",
            "np.bincount": """
def ece(probabilities, labels, num_bins):
    P, y = np.asarray(probabilities, float), np.asarray(labels)
    conf = P.max(axis=1)
    hit = (P.argmax(axis=1) == y).astype(float)
    idx = np.minimum(np.maximum(np.ceil(conf * num_bins) - 1, 0), num_bins - 1).astype(int)
    sum_hit = np.bincount(idx, weights=hit, minlength=num_bins)
    sum_conf = np.bincount(idx, weights=conf, minlength=num_bins)
    return float(np.abs(sum_hit - sum_conf).sum() / len(y))
""",
        },
        "wrong": {
            "bins [lo, hi)": """
def ece(probabilities, labels, num_bins):
    P, y = np.asarray(probabilities, float), np.asarray(labels)
    conf, hit = P.max(axis=1), (P.argmax(axis=1) == y).astype(float)
    idx = np.minimum(np.floor(conf * num_bins), num_bins - 1).astype(int)
    sum_hit = np.bincount(idx, weights=hit, minlength=num_bins)
    sum_conf = np.bincount(idx, weights=conf, minlength=num_bins)
    return float(np.abs(sum_hit - sum_conf).sum() / len(y))
""",
            "unweighted mean over bins": """
def ece(probabilities, labels, num_bins):
    P, y = np.asarray(probabilities, float), np.asarray(labels)
    conf, hit = P.max(axis=1), (P.argmax(axis=1) == y).astype(float)
    gaps = []
    for s in range(1, num_bins + 1):
        members = (conf > (s - 1) / num_bins) & (conf <= s / num_bins)
        if members.any():
            gaps.append(abs(hit[members].mean() - conf[members].mean()))
    return float(np.mean(gaps))
""",
            "confidence in the true class": """
def ece(probabilities, labels, num_bins):
    P, y = np.asarray(probabilities, float), np.asarray(labels)
    conf = P[np.arange(len(y)), y]
    hit = (P.argmax(axis=1) == y).astype(float)
    idx = np.clip(np.ceil(conf * num_bins).astype(int) - 1, 0, num_bins - 1)
    sum_hit = np.bincount(idx, weights=hit, minlength=num_bins)
    sum_conf = np.bincount(idx, weights=conf, minlength=num_bins)
    return float(np.abs(sum_hit - sum_conf).sum() / len(y))
""",
            "an array of shape (1,), not a float": """
def ece(probabilities, labels, num_bins):
    P, y = np.asarray(probabilities, float), np.asarray(labels)
    conf, hit = P.max(axis=1), (P.argmax(axis=1) == y).astype(float)
    idx = np.clip(np.ceil(conf * num_bins).astype(int) - 1, 0, num_bins - 1)
    onehot_bins = np.eye(num_bins)[idx]
    gaps = np.abs(onehot_bins.T @ (hit - conf))
    return gaps.sum(keepdims=True)[None].reshape(1) / len(y)
""",
            "signed gaps": """
def ece(probabilities, labels, num_bins):
    P, y = np.asarray(probabilities, float), np.asarray(labels)
    conf, hit = P.max(axis=1), (P.argmax(axis=1) == y).astype(float)
    idx = np.clip(np.ceil(conf * num_bins).astype(int) - 1, 0, num_bins - 1)
    sum_hit = np.bincount(idx, weights=hit, minlength=num_bins)
    sum_conf = np.bincount(idx, weights=conf, minlength=num_bins)
    return float(abs((sum_hit - sum_conf).sum()) / len(y))
""",
        },
    },
    "ex-14-temperature": {
        "right": {
            "BFGS on log T": """
def temperature_for(logits, labels):
    from scipy import optimize
    O, y = np.asarray(logits, float), np.asarray(labels)
    picked = O[np.arange(len(y)), y]

    def mean_nll(v):
        beta = np.exp(-v[0])
        S = beta * O
        m = S.max(axis=1)
        return np.mean(m + np.log(np.exp(S - m[:, None]).sum(axis=1)) - beta * picked)

    result = optimize.minimize(mean_nll, x0=[0.0], method="BFGS", options={"gtol": 1e-10})
    return float(np.exp(result.x[0]))
""",
            "bisection on the derivative in 1/T": """
def temperature_for(logits, labels):
    O, y = np.asarray(logits, float), np.asarray(labels)
    picked = O[np.arange(len(y)), y]

    def slope(beta):  # d(mean NLL)/d(beta), increasing in beta
        S = beta * O
        E = np.exp(S - S.max(axis=1, keepdims=True))
        E /= E.sum(axis=1, keepdims=True)
        return np.mean((E * O).sum(axis=1) - picked)

    lo, hi = -12.0, 12.0  # log beta
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if slope(np.exp(mid)) > 0:
            hi = mid
        else:
            lo = mid
    return float(np.exp(-0.5 * (lo + hi)))
""",
        },
        "wrong": {
            "a coarse grid": """
def temperature_for(logits, labels):
    O, y = np.asarray(logits, float), np.asarray(labels)
    grid = np.linspace(0.1, 5.0, 50)
    nll = [np.mean(np.logaddexp.reduce(O / t, axis=1) - O[np.arange(len(y)), y] / t) for t in grid]
    return float(grid[int(np.argmin(nll))])
""",
            "multiplies instead of divides": """
def temperature_for(logits, labels):
    from scipy import optimize
    O, y = np.asarray(logits, float), np.asarray(labels)
    nll = lambda t: np.mean(np.logaddexp.reduce(O * t, axis=1) - O[np.arange(len(y)), y] * t)
    return float(optimize.minimize_scalar(nll, bounds=(1e-3, 1e3), method="bounded",
                                          options={"xatol": 1e-10}).x)
""",
            "search only in (0.5, 2)": """
def temperature_for(logits, labels):
    from scipy import optimize
    O, y = np.asarray(logits, float), np.asarray(labels)
    nll = lambda t: np.mean(np.logaddexp.reduce(O / t, axis=1) - O[np.arange(len(y)), y] / t)
    return float(optimize.minimize_scalar(nll, bounds=(0.5, 2.0), method="bounded",
                                          options={"xatol": 1e-10}).x)
""",
            "accuracy instead of NLL": """
def temperature_for(logits, labels):
    O, y = np.asarray(logits, float), np.asarray(labels)
    grid = np.exp(np.linspace(-5, 5, 201))
    accuracy = [np.mean((O / t).argmax(axis=1) == y) for t in grid]
    return float(grid[int(np.argmax(accuracy))])
""",
        },
    },
}
