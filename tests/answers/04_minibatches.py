"""Right and wrong answers to chapter 4's coding exercises (tests/test_autograde_answers.py grades them)."""

ANSWERS = {
    "ex-04-columns": {
        "right": {
            "transpose to rows and back": """
def predict_columns(Xc, Wc, bc):
    O = np.asarray(Xc, dtype=float).T @ np.asarray(Wc, dtype=float).T + bc
    O = O - O.max(axis=1, keepdims=True)
    P = np.exp(O) / np.exp(O).sum(axis=1, keepdims=True)
    return P.T
""",
            "a loop over examples": """
def predict_columns(Xc, Wc, bc):
    Xc = np.asarray(Xc, dtype=float)
    P = np.empty((len(bc), Xc.shape[1]))
    for i in range(Xc.shape[1]):
        o = Wc @ Xc[:, i] + bc
        e = np.exp(o - o.max())
        P[:, i] = e / e.sum()
    return P
""",
            "einsum and logaddexp": """
def predict_columns(Xc, Wc, bc):
    O = np.einsum("qd,dn->qn", Wc, Xc) + np.reshape(bc, (-1, 1))
    return np.exp(O - np.logaddexp.reduce(O, axis=0, keepdims=True))
""",
        },
        "wrong": {
            "softmax along rows": """
def predict_columns(Xc, Wc, bc):
    O = Wc @ Xc + bc[:, None]
    exps = np.exp(O - O.max(axis=1, keepdims=True))
    return exps / exps.sum(axis=1, keepdims=True)
""",
            "no max shift": """
def predict_columns(Xc, Wc, bc):
    exps = np.exp(Wc @ Xc + bc[:, None])
    return exps / exps.sum(axis=0, keepdims=True)
""",
            "no bias": """
def predict_columns(Xc, Wc, bc):
    O = Wc @ Xc
    exps = np.exp(O - O.max(axis=0, keepdims=True))
    return exps / exps.sum(axis=0, keepdims=True)
""",
            "one example per row": """
def predict_columns(Xc, Wc, bc):
    O = Xc.T @ Wc.T + bc
    exps = np.exp(O - O.max(axis=1, keepdims=True))
    return exps / exps.sum(axis=1, keepdims=True)
""",
        },
    },
    "ex-04-batches": {
        "right": {
            "a while loop": """
def predict_in_batches(predict, X, B):
    pieces, start = [], 0
    while start < len(X):
        pieces.append(predict(X[start:start + B]))
        start += B
    return np.concatenate(pieces, axis=0)
""",
            "np.split at multiples of B": """
def predict_in_batches(predict, X, B):
    return np.concatenate([predict(part) for part in np.split(X, np.arange(B, len(X), B))])
""",
        },
        "wrong": {
            "drops the short last minibatch": """
def predict_in_batches(predict, X, B):
    return np.concatenate([predict(X[start:start + B]) for start in range(0, len(X) - B + 1, B)])
""",
            "equal-size pieces": """
def predict_in_batches(predict, X, B):
    return np.concatenate([predict(part) for part in np.array_split(X, max(1, -(-len(X) // B)))])
""",
            "off by one": """
def predict_in_batches(predict, X, B):
    return np.concatenate([predict(X[start:start + B + 1]) for start in range(0, len(X), B + 1)])
""",
            "vstack": """
def predict_in_batches(predict, X, B):
    return np.vstack([predict(X[start:start + B]) for start in range(0, len(X), B)])
""",
        },
    },
}
