"""Right and wrong answers to chapter 2's coding exercises (tests/test_autograde_answers.py grades them)."""

ANSWERS = {
    "ex-02-linear-layer": {
        "right": {
            "einsum": """
def layer_outputs(X, W, b):
    return np.einsum("nd,dq->nq", np.asarray(X, dtype=float), np.asarray(W, dtype=float)) + np.asarray(b)[None, :]
""",
            "a loop over examples": """
def layer_outputs(X, W, b):
    X, W, b = np.asarray(X, dtype=float), np.asarray(W, dtype=float), np.asarray(b, dtype=float)
    O = np.zeros((X.shape[0], W.shape[1]))
    for i in range(X.shape[0]):
        O[i] = X[i] @ W + b
    return O
""",
            "a list of rows": """
def layer_outputs(X, W, b):
    return np.array([x @ W + b for x in X])
""",
            "np.dot with a ones column": """
def layer_outputs(X, W, b):
    X = np.asarray(X, dtype=float)
    X1 = np.hstack([X, np.ones((X.shape[0], 1))])
    return np.dot(X1, np.vstack([W, np.reshape(b, (1, -1))]))
""",
        },
        "wrong": {
            "no bias": """
def layer_outputs(X, W, b):
    return np.asarray(X) @ np.asarray(W)
""",
            "bias on every column": """
def layer_outputs(X, W, b):
    return np.asarray(X) @ np.asarray(W) + np.asarray(b)[:, None]
""",
            "transposed result": """
def layer_outputs(X, W, b):
    return (np.asarray(X) @ np.asarray(W) + np.asarray(b)).T
""",
            "bias summed": """
def layer_outputs(X, W, b):
    return np.asarray(X) @ np.asarray(W) + np.sum(b)
""",
        },
    },
    "ex-02-accuracy": {
        "right": {
            "a loop": """
def accuracy(O, labels):
    O = np.asarray(O)
    hits = 0
    for row, label in zip(O, labels):
        best = 0
        for j in range(1, len(row)):
            if row[j] > row[best]:
                best = j
        hits += best == label
    return hits / len(O)
""",
            "argmax method": """
def accuracy(O, labels):
    return (O.argmax(axis=1) == labels).mean()
""",
            "count_nonzero": """
def accuracy(O, labels):
    predicted = np.asarray(O).argmax(axis=-1)
    return np.count_nonzero(predicted == np.asarray(labels)) / predicted.size
""",
        },
        "wrong": {
            "ties to the largest index": """
def accuracy(O, labels):
    O = np.asarray(O)
    predicted = O.shape[1] - 1 - np.argmax(O[:, ::-1], axis=1)
    return float(np.mean(predicted == np.asarray(labels)))
""",
            "count, not fraction": """
def accuracy(O, labels):
    return float(np.sum(np.argmax(np.asarray(O), axis=1) == np.asarray(labels)))
""",
            "error rate": """
def accuracy(O, labels):
    return float(np.mean(np.argmax(np.asarray(O), axis=1) != np.asarray(labels)))
""",
            "argmax over examples": """
def accuracy(O, labels):
    O = np.asarray(O)
    predicted = np.argmax(O, axis=0)
    labels = np.asarray(labels)
    k = min(len(predicted), len(labels))
    return float(np.mean(predicted[:k] == labels[:k]))
""",
        },
    },
}
