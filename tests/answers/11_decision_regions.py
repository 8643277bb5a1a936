"""Right and wrong answers to chapter 11's coding exercises (tests/test_autograde_answers.py grades them)."""

ANSWERS = {
    "ex-11-qda": {
        "right": {
            "scipy densities, logaddexp": """
def qda_posterior(X_train, y_train, X, q):
    X_train, X, y_train = np.asarray(X_train, float), np.asarray(X, float), np.asarray(y_train)
    scores = np.zeros((X.shape[0], q))
    for j in range(q):
        members = X_train[y_train == j]
        mu = members.mean(axis=0)
        sigma = (members - mu).T @ (members - mu) / members.shape[0]
        scores[:, j] = np.log(np.mean(y_train == j)) + stats.multivariate_normal(mu, sigma).logpdf(X)
    return np.exp(scores - np.logaddexp.reduce(scores, axis=1, keepdims=True))
""",
            "inverse and determinant, max shift": """
def qda_posterior(X_train, y_train, X, q):
    X_train, X, y_train = np.asarray(X_train, float), np.asarray(X, float), np.asarray(y_train)
    d = X_train.shape[1]
    a = np.zeros((len(X), q))
    for j in range(q):
        Z = X_train[y_train == j]
        mu = Z.mean(axis=0)
        S = np.cov(Z, rowvar=False, ddof=0).reshape(d, d)
        P = np.linalg.inv(S)
        D = X - mu
        a[:, j] = (np.log(len(Z) / len(X_train)) - 0.5 * np.log(np.linalg.det(S))
                   - 0.5 * np.einsum("ik,kl,il->i", D, P, D))
    e = np.exp(a - a.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)
""",
        },
        "wrong": {
            "divisor n_j - 1 (np.cov default)": """
def qda_posterior(X_train, y_train, X, q):
    X_train, X, y_train = np.asarray(X_train, float), np.asarray(X, float), np.asarray(y_train)
    d = X_train.shape[1]
    a = np.zeros((len(X), q))
    for j in range(q):
        Z = X_train[y_train == j]
        S = np.cov(Z, rowvar=False).reshape(d, d)
        a[:, j] = np.log(len(Z) / len(X_train)) + stats.multivariate_normal(Z.mean(axis=0), S).logpdf(X)
    return softmax.softmax(a)
""",
            "no log determinant": """
def qda_posterior(X_train, y_train, X, q):
    X_train, X, y_train = np.asarray(X_train, float), np.asarray(X, float), np.asarray(y_train)
    a = np.zeros((len(X), q))
    for j in range(q):
        Z = X_train[y_train == j]
        mu = Z.mean(axis=0)
        S = (Z - mu).T @ (Z - mu) / len(Z)
        D = X - mu
        a[:, j] = np.log(len(Z) / len(X_train)) - 0.5 * np.sum(D * np.linalg.solve(S, D.T).T, axis=1)
    return softmax.softmax(a)
""",
            "equal priors": """
def qda_posterior(X_train, y_train, X, q):
    X_train, X, y_train = np.asarray(X_train, float), np.asarray(X, float), np.asarray(y_train)
    a = np.zeros((len(X), q))
    for j in range(q):
        Z = X_train[y_train == j]
        mu = Z.mean(axis=0)
        S = (Z - mu).T @ (Z - mu) / len(Z)
        a[:, j] = stats.multivariate_normal(mu, S).logpdf(X)
    return softmax.softmax(a)
""",
            "one shared covariance (LDA)": """
def qda_posterior(X_train, y_train, X, q):
    X_train, X, y_train = np.asarray(X_train, float), np.asarray(X, float), np.asarray(y_train)
    means = np.array([X_train[y_train == j].mean(axis=0) for j in range(q)])
    R = X_train - means[y_train]
    S = R.T @ R / len(X_train)
    a = np.column_stack([np.log(np.mean(y_train == j)) + stats.multivariate_normal(means[j], S).logpdf(X)
                         for j in range(q)])
    return softmax.softmax(a)
""",
        },
    },
    "ex-11-nearest-mean": {
        "right": {
            "means from a one-hot matrix": """
def nearest_mean_params(X, y, q):
    X = np.asarray(X, float)
    Y = np.eye(q)[np.asarray(y)]
    M = (Y.T @ X) / Y.sum(axis=0)[:, None]
    W = M.T
    b = -0.5 * (W * W).sum(axis=0)
    return W, b
""",
            "doubled logits, a loop": """
def nearest_mean_params(X, y, q):
    X, y = np.asarray(X, float), np.asarray(y)
    W = np.zeros((X.shape[1], q))
    b = np.zeros(q)
    for j in range(q):
        mu = X[y == j].mean(axis=0)
        W[:, j] = 2 * mu
        b[j] = -mu @ mu
    return W, b
""",
        },
        "wrong": {
            "no bias": """
def nearest_mean_params(X, y, q):
    X, y = np.asarray(X, float), np.asarray(y)
    M = np.array([X[y == j].mean(axis=0) for j in range(q)])
    return M.T, np.zeros(q)
""",
            "bias without the half": """
def nearest_mean_params(X, y, q):
    X, y = np.asarray(X, float), np.asarray(y)
    M = np.array([X[y == j].mean(axis=0) for j in range(q)])
    return M.T, -np.sum(M**2, axis=1)
""",
            "bias with the wrong sign": """
def nearest_mean_params(X, y, q):
    X, y = np.asarray(X, float), np.asarray(y)
    M = np.array([X[y == j].mean(axis=0) for j in range(q)])
    return M.T, 0.5 * np.sum(M**2, axis=1)
""",
            "W of shape (q, d)": """
def nearest_mean_params(X, y, q):
    X, y = np.asarray(X, float), np.asarray(y)
    M = np.array([X[y == j].mean(axis=0) for j in range(q)])
    return M, -0.5 * np.sum(M**2, axis=1)
""",
        },
    },
}
