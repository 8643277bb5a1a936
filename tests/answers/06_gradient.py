"""Right and wrong answers to chapter 6's coding exercises (tests/test_autograde_answers.py grades them)."""

ANSWERS = {
    "ex-06-gradients": {
        "right": {
            "one-hot with np.eye": """
def softmax_regression_gradients(X, labels, W, b):
    X = np.asarray(X, dtype=float)
    O = X @ W + b
    O = O - O.max(axis=1, keepdims=True)
    P = np.exp(O) / np.exp(O).sum(axis=1, keepdims=True)
    Y = np.eye(W.shape[1])[np.asarray(labels)]
    G = (P - Y) / X.shape[0]
    return X.T @ G, G.sum(axis=0)
""",
            "a loop over examples": """
def softmax_regression_gradients(X, labels, W, b):
    X = np.asarray(X, dtype=float)
    n_rows = X.shape[0]
    grad_W, grad_b = np.zeros(np.shape(W)), np.zeros(np.shape(b))
    for x, label in zip(X, labels):
        o = x @ W + b
        p = np.exp(o - o.max())
        p /= p.sum()
        p[label] -= 1.0
        grad_W += np.outer(x, p) / n_rows
        grad_b += p / n_rows
    return grad_W, grad_b
""",
            "exp of the log-softmax": """
def softmax_regression_gradients(X, labels, W, b):
    X = np.asarray(X, dtype=float)
    O = X @ W + b
    lse = np.logaddexp.reduce(O, axis=1, keepdims=True)
    G = np.exp(O - lse)
    G[np.arange(len(labels)), labels] -= 1
    return X.T @ G / len(labels), G.mean(axis=0)
""",
        },
        "wrong": {
            "no max shift": """
def softmax_regression_gradients(X, labels, W, b):
    X = np.asarray(X, dtype=float)
    with np.errstate(all="ignore"):
        exps = np.exp(X @ W + b)
        G = exps / exps.sum(axis=1, keepdims=True)
    G[np.arange(len(X)), labels] -= 1
    return X.T @ G / len(X), G.sum(axis=0) / len(X)
""",
            "the sum, not the mean": """
def softmax_regression_gradients(X, labels, W, b):
    X = np.asarray(X, dtype=float)
    O = X @ W + b
    exps = np.exp(O - O.max(axis=1, keepdims=True))
    G = exps / exps.sum(axis=1, keepdims=True)
    G[np.arange(len(X)), labels] -= 1
    return X.T @ G, G.sum(axis=0)
""",
            "sign flipped": """
def softmax_regression_gradients(X, labels, W, b):
    X = np.asarray(X, dtype=float)
    O = X @ W + b
    exps = np.exp(O - O.max(axis=1, keepdims=True))
    G = -exps / exps.sum(axis=1, keepdims=True)
    G[np.arange(len(X)), labels] += 1
    return X.T @ G / len(X), G.mean(axis=0)
""",
            "bias gradient over the wrong axis": """
def softmax_regression_gradients(X, labels, W, b):
    X = np.asarray(X, dtype=float)
    O = X @ W + b
    exps = np.exp(O - O.max(axis=1, keepdims=True))
    G = exps / exps.sum(axis=1, keepdims=True)
    G[np.arange(len(X)), labels] -= 1
    G /= len(X)
    return X.T @ G, G.sum(axis=1)
""",
            "bias left out of the logits": """
def softmax_regression_gradients(X, labels, W, b):
    X = np.asarray(X, dtype=float)
    O = X @ W
    exps = np.exp(O - O.max(axis=1, keepdims=True))
    G = exps / exps.sum(axis=1, keepdims=True)
    G[np.arange(len(X)), labels] -= 1
    G /= len(X)
    return X.T @ G, G.sum(axis=0)
""",
        },
    },
    "ex-06-newton-step": {
        "right": {
            "inverse of the Hessian": """
def newton_step(X, y, w, lam=0.0):
    X, y, w = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    p = np.exp(-np.logaddexp(0.0, -X @ w))
    D = np.diag(p * (1 - p))
    H = X.T @ D @ X / len(y) + lam * np.eye(X.shape[1])
    g = X.T @ (p - y) / len(y) + lam * w
    return w - np.linalg.inv(H) @ g
""",
            "a loop over examples": """
def newton_step(X, y, w, lam=0.0):
    X, w = np.asarray(X, dtype=float), np.asarray(w, dtype=float)
    d = X.shape[1]
    g, H = lam * w.copy(), lam * np.eye(d)
    for x, target in zip(X, y):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        g += (p - target) * x / len(X)
        H += p * (1 - p) * np.outer(x, x) / len(X)
    return w + np.linalg.solve(H, -g)
""",
        },
        "wrong": {
            "penalty left out of the Hessian": """
def newton_step(X, y, w, lam=0.0):
    X, y, w = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    p = 1 / (1 + np.exp(-X @ w))
    H = X.T @ (p * (1 - p) * X.T).T / len(y)
    return w - np.linalg.solve(H, X.T @ (p - y) / len(y) + lam * w)
""",
            "the sum, not the mean": """
def newton_step(X, y, w, lam=0.0):
    X, y, w = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    p = 1 / (1 + np.exp(-X @ w))
    H = X.T @ np.diag(p * (1 - p)) @ X + lam * np.eye(len(w))
    return w - np.linalg.solve(H, X.T @ (p - y) + lam * w)
""",
            "penalty gradient lam/2 w": """
def newton_step(X, y, w, lam=0.0):
    X, y, w = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    p = 1 / (1 + np.exp(-X @ w))
    H = X.T @ np.diag(p * (1 - p)) @ X / len(y) + lam * np.eye(len(w))
    return w - np.linalg.solve(H, X.T @ (p - y) / len(y) + lam / 2 * w)
""",
            "a gradient step": """
def newton_step(X, y, w, lam=0.0):
    X, y, w = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    p = 1 / (1 + np.exp(-X @ w))
    return w - (X.T @ (p - y) / len(y) + lam * w)
""",
            "gradient sign flipped": """
def newton_step(X, y, w, lam=0.0):
    X, y, w = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    p = 1 / (1 + np.exp(-X @ w))
    H = X.T @ np.diag(p * (1 - p)) @ X / len(y) + lam * np.eye(len(w))
    return w - np.linalg.solve(H, X.T @ (y - p) / len(y) + lam * w)
""",
        },
    },
}
