"""Right and wrong answers to chapter 1's coding exercises (tests/test_autograde_answers.py grades them)."""

ANSWERS = {
    "ex-01-encode": {
        "right": {
            "np.eye rows": """
def encode_labels(labels, num_classes):
    return np.eye(num_classes)[np.asarray(labels, dtype=int)].reshape(-1, num_classes)
""",
            "a loop": """
def encode_labels(labels, num_classes):
    labels = list(labels)
    rows = np.zeros((len(labels), num_classes))
    for i, label in enumerate(labels):
        rows[i, int(label)] = 1.0
    return rows
""",
        },
        "wrong": {
            "integers": """
def encode_labels(labels, num_classes):
    return np.eye(num_classes, dtype=int)[np.asarray(labels, dtype=int)].reshape(-1, num_classes)
""",
            "transposed": """
def encode_labels(labels, num_classes):
    return np.eye(num_classes)[np.asarray(labels, dtype=int)].reshape(-1, num_classes).T
""",
            "classes seen only": """
def encode_labels(labels, num_classes):
    labels = np.asarray(labels, dtype=int)
    q = labels.max() + 1 if labels.size else num_classes
    return np.eye(q)[labels].reshape(-1, q)
""",
        },
    },
    "ex-01-frequencies": {
        "right": {
            "column means of one-hot rows": """
def class_frequencies(labels, num_classes):
    labels = np.asarray(labels, dtype=int)
    return (labels[:, None] == np.arange(num_classes)).mean(axis=0)
""",
            "a count per class": """
def class_frequencies(labels, num_classes):
    labels = list(labels)
    return np.array([labels.count(j) / len(labels) for j in range(num_classes)], dtype=np.float64)
""",
        },
        "wrong": {
            "counts, not fractions": """
def class_frequencies(labels, num_classes):
    return np.bincount(np.asarray(labels, dtype=int), minlength=num_classes).astype(np.float64)
""",
            "only the classes that occur": """
def class_frequencies(labels, num_classes):
    labels = np.asarray(labels, dtype=int)
    return np.bincount(labels) / labels.size
""",
            "divided by the number of classes": """
def class_frequencies(labels, num_classes):
    labels = np.asarray(labels, dtype=int)
    return np.bincount(labels, minlength=num_classes) / num_classes
""",
        },
    },
}
