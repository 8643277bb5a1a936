"""Right and wrong answers to chapter 13's coding exercises (tests/test_autograde_answers.py grades them)."""

ANSWERS = {
    "ex-13-hinge": {
        "right": {
            "a loop over rows": """
def hinge_losses(O, labels, delta=1.0):
    O = np.asarray(O, float)
    n, q = O.shape
    loss, grad = np.zeros(n), np.zeros((n, q))
    for i in range(n):
        y = labels[i]
        for j in range(q):
            if j == y:
                continue
            margin = O[i, j] - O[i, y] + delta
            if margin > 0:
                loss[i] += margin
                grad[i, j] += 1.0 / n
                grad[i, y] -= 1.0 / n
    return loss, grad
""",
            "a mask and np.where": """
def hinge_losses(O, labels, delta=1.0):
    O = np.asarray(O, float)
    n, q = O.shape
    true = np.eye(q, dtype=bool)[labels]
    score_true = O[true][:, None]
    margins = np.where(true, 0.0, O - score_true + delta)
    active = margins > 0
    grad = active - true * active.sum(axis=1, keepdims=True)
    return np.clip(margins, 0, None).sum(axis=1), grad / n
""",
        },
        "wrong": {
            "true class counted": """
def hinge_losses(O, labels, delta=1.0):
    O = np.asarray(O, float)
    n = O.shape[0]
    margins = O - O[np.arange(n), labels][:, None] + delta
    active = (margins > 0).astype(float)
    grad = active.copy()
    grad[np.arange(n), labels] -= active.sum(axis=1)
    return np.maximum(margins, 0).sum(axis=1), grad / n
""",
            "gradient of the sum": """
def hinge_losses(O, labels, delta=1.0):
    O = np.asarray(O, float)
    n = O.shape[0]
    margins = O - O[np.arange(n), labels][:, None] + delta
    margins[np.arange(n), labels] = 0
    grad = (margins > 0).astype(float)
    grad[np.arange(n), labels] = -grad.sum(axis=1)
    return np.maximum(margins, 0).sum(axis=1), grad
""",
            "1 at a kink": """
def hinge_losses(O, labels, delta=1.0):
    O = np.asarray(O, float)
    n = O.shape[0]
    margins = O - O[np.arange(n), labels][:, None] + delta
    margins[np.arange(n), labels] = -1
    grad = (margins >= 0).astype(float)
    grad[np.arange(n), labels] = -grad.sum(axis=1)
    return np.maximum(margins, 0).sum(axis=1), grad / n
""",
            "delta ignored": """
def hinge_losses(O, labels, delta=1.0):
    O = np.asarray(O, float)
    n = O.shape[0]
    margins = O - O[np.arange(n), labels][:, None] + 1.0
    margins[np.arange(n), labels] = 0
    grad = (margins > 0).astype(float)
    grad[np.arange(n), labels] = -grad.sum(axis=1)
    return np.maximum(margins, 0).sum(axis=1), grad / n
""",
            "max over classes (Crammer-Singer)": """
def hinge_losses(O, labels, delta=1.0):
    O = np.asarray(O, float)
    n = O.shape[0]
    rows = np.arange(n)
    margins = O - O[rows, labels][:, None] + delta
    margins[rows, labels] = 0
    worst = margins.argmax(axis=1)
    loss = np.maximum(margins.max(axis=1), 0)
    grad = np.zeros_like(O)
    grad[rows, worst] += (loss > 0) / n
    grad[rows, labels] -= (loss > 0) / n
    return loss, grad
""",
        },
    },
    "ex-13-least-squares": {
        "right": {
            "np.linalg.lstsq": """
def fit_one_hot(X, labels, q):
    X = np.asarray(X, float)
    A = np.column_stack([X, np.ones(len(X))])
    T = np.zeros((len(X), q))
    T[np.arange(len(X)), labels] = 1
    sol = np.linalg.lstsq(A, T, rcond=None)[0]
    return sol[:-1], sol[-1]
""",
            "centred data, then the bias": """
def fit_one_hot(X, labels, q):
    X = np.asarray(X, float)
    Y = np.eye(q)[labels]
    Xc, Yc = X - X.mean(axis=0), Y - Y.mean(axis=0)
    W = np.linalg.solve(Xc.T @ Xc, Xc.T @ Yc)
    return W, Y.mean(axis=0) - X.mean(axis=0) @ W
""",
            "pseudo-inverse": """
def fit_one_hot(X, labels, q):
    X = np.asarray(X, float)
    A = np.hstack([np.ones((len(X), 1)), X])
    sol = np.linalg.pinv(A) @ np.eye(q)[labels]
    return sol[1:], sol[0]
""",
        },
        "wrong": {
            "no bias": """
def fit_one_hot(X, labels, q):
    X = np.asarray(X, float)
    W = np.linalg.lstsq(X, np.eye(q)[labels], rcond=None)[0]
    return W, np.zeros(q)
""",
            "classes seen only": """
def fit_one_hot(X, labels, q):
    X = np.asarray(X, float)
    k = int(np.max(labels)) + 1
    A = np.hstack([X, np.ones((len(X), 1))])
    sol = np.linalg.lstsq(A, np.eye(k)[labels], rcond=None)[0]
    return sol[:-1], sol[-1]
""",
            "a small ridge penalty": """
def fit_one_hot(X, labels, q):
    X = np.asarray(X, float)
    A = np.hstack([X, np.ones((len(X), 1))])
    sol = np.linalg.solve(A.T @ A + 1e-3 * np.eye(A.shape[1]), A.T @ np.eye(q)[labels])
    return sol[:-1], sol[-1]
""",
            "targets of -1 and +1": """
def fit_one_hot(X, labels, q):
    X = np.asarray(X, float)
    A = np.hstack([X, np.ones((len(X), 1))])
    sol = np.linalg.lstsq(A, 2 * np.eye(q)[labels] - 1, rcond=None)[0]
    return sol[:-1], sol[-1]
""",
        },
    },
}
