"""Right and wrong answers to chapter 8's coding exercises (tests/test_autograde_answers.py grades them)."""

ANSWERS = {
    "ex-08-penalised-step": {
        "right": {
            "log-softmax by logaddexp, one-hot matrix": """
def penalised_step(X, y, W, b, learning_rate, weight_decay):
    logits = X @ W + b
    log_probs = logits - np.logaddexp.reduce(logits, axis=1, keepdims=True)
    Y = np.zeros_like(logits)
    Y[np.arange(len(y)), y] = 1.0
    dO = (np.exp(log_probs) - Y) / X.shape[0]
    dW = X.T @ dO + weight_decay * W
    db = dO.sum(axis=0)
    return W - learning_rate * dW, b - learning_rate * db
""",
            "a loop over the examples": """
def penalised_step(X, y, W, b, learning_rate, weight_decay):
    grad_W = np.zeros_like(W)
    grad_b = np.zeros_like(b)
    for x_i, y_i in zip(X, y):
        o = x_i @ W + b
        p = np.exp(o - o.max())
        p = p / p.sum()
        p[y_i] -= 1.0
        grad_W += np.outer(x_i, p)
        grad_b += p
    grad_W = grad_W / len(y) + weight_decay * W
    grad_b = grad_b / len(y)
    return W - learning_rate * grad_W, b - learning_rate * grad_b
""",
        },
        "wrong": {
            "bias penalised too": """
def penalised_step(X, y, W, b, learning_rate, weight_decay):
    o = X @ W + b
    p = np.exp(o - o.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    p /= len(y)
    return (W - learning_rate * (X.T @ p + weight_decay * W),
            b - learning_rate * (p.sum(axis=0) + weight_decay * b))
""",
            "updates W and b in place": """
def penalised_step(X, y, W, b, learning_rate, weight_decay):
    o = X @ W + b
    p = np.exp(o - o.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    p /= len(y)
    W -= learning_rate * (X.T @ p + weight_decay * W)
    b -= learning_rate * p.sum(axis=0)
    return W, b
""",
            "no max shift": """
def penalised_step(X, y, W, b, learning_rate, weight_decay):
    e = np.exp(X @ W + b)
    p = e / e.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    p /= len(y)
    return W - learning_rate * (X.T @ p + weight_decay * W), b - learning_rate * p.sum(axis=0)
""",
            "sum over the minibatch, not the mean": """
def penalised_step(X, y, W, b, learning_rate, weight_decay):
    o = X @ W + b
    p = np.exp(o - o.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return W - learning_rate * (X.T @ p + weight_decay * W), b - learning_rate * p.sum(axis=0)
""",
            "penalty gradient 2 lambda W": """
def penalised_step(X, y, W, b, learning_rate, weight_decay):
    o = X @ W + b
    p = np.exp(o - o.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    p /= len(y)
    return W - learning_rate * (X.T @ p + 2 * weight_decay * W), b - learning_rate * p.sum(axis=0)
""",
            "softmax over the wrong axis": """
def penalised_step(X, y, W, b, learning_rate, weight_decay):
    o = X @ W + b
    p = np.exp(o - o.max(axis=0, keepdims=True))
    p /= p.sum(axis=0, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    p /= len(y)
    return W - learning_rate * (X.T @ p + weight_decay * W), b - learning_rate * p.sum(axis=0)
""",
        },
    },
    "ex-08-precision-recall": {
        "right": {
            "a loop over the classes": """
def precision_recall(matrix):
    m = np.array(matrix, dtype=float)
    q = m.shape[0]
    precision, recall = np.zeros(q), np.zeros(q)
    for k in range(q):
        if m[:, k].sum() > 0:
            precision[k] = m[k, k] / m[:, k].sum()
        if m[k, :].sum() > 0:
            recall[k] = m[k, k] / m[k, :].sum()
    return precision, recall
""",
            "nan_to_num after dividing": """
def precision_recall(matrix):
    m = np.asarray(matrix).astype(np.float64)
    hits = m.diagonal()
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.nan_to_num(hits / m.sum(0))
        recall = np.nan_to_num(hits / m.sum(1))
    return precision, recall
""",
        },
        "wrong": {
            "axes swapped": """
def precision_recall(matrix):
    m = np.asarray(matrix, dtype=float)
    d = np.diag(m)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.nan_to_num(d / m.sum(axis=1)), np.nan_to_num(d / m.sum(axis=0))
""",
            "nan for an empty class": """
def precision_recall(matrix):
    m = np.asarray(matrix, dtype=float)
    d = np.diag(m)
    with np.errstate(divide="ignore", invalid="ignore"):
        return d / m.sum(axis=0), d / m.sum(axis=1)
""",
            "divides by the total": """
def precision_recall(matrix):
    m = np.asarray(matrix, dtype=float)
    d = np.diag(m)
    return d / m.sum(), d / m.sum()
""",
            "integer division": """
def precision_recall(matrix):
    m = np.asarray(matrix)
    d = np.diag(m)
    return d // np.maximum(m.sum(axis=0), 1), d // np.maximum(m.sum(axis=1), 1)
""",
            "off-diagonal instead of diagonal": """
def precision_recall(matrix):
    m = np.asarray(matrix, dtype=float)
    d = np.diag(np.fliplr(m))
    p, r = m.sum(axis=0), m.sum(axis=1)
    return np.where(p > 0, d / np.maximum(p, 1), 0.0), np.where(r > 0, d / np.maximum(r, 1), 0.0)
""",
        },
    },
}
