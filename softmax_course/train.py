"""Minibatches, minibatch SGD for softmax regression, and exact epoch metrics (chapter 9).

The model is ``softmax(X W + b)`` with ``W`` of shape (d, q) and ``b`` of shape (q,);
rows of ``X`` are examples. Training uses the gradient derived by hand in the
gradient chapter (no automatic differentiation):

    G = (softmax(X W + b) - Y) / n,    dL/dW = X^T G,    dL/db = column sums of G,

the same formulas as :func:`softmax_course.softmax.loss_and_gradients`, computed
here in one pass that also yields the minibatch's predictions.

Epoch figures are exact: the loss and accuracy of an epoch are sums over its
examples divided by the number of examples, so a short last minibatch counts
for what it holds (not as much as a full one).

The evaluation helpers (:func:`accuracy`, :func:`confusion_matrix`,
:func:`per_class_accuracy`) take plain NumPy arrays and are shared with the
Gluon chapter.
"""

import dataclasses
import numbers
import time

import numpy as np

from softmax_course._checks import as_float_matrix, check_labels, check_model_shapes
from softmax_course.softmax import cross_entropy


def _check_positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _check_rng(rng):
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            "rng must be a numpy.random.Generator, e.g. np.random.default_rng(0), "
            f"got {type(rng).__name__}"
        )
    return rng


def minibatch_indices(num_examples, batch_size, rng):
    """Split ``range(num_examples)`` into shuffled minibatches of indices.

    Every index appears in exactly one minibatch. All minibatches hold
    ``batch_size`` indices except the last, which holds the remainder
    (``num_examples % batch_size`` when that is not zero): nothing is dropped
    and nothing is repeated.

    Parameters
    ----------
    num_examples : int
        The number of examples ``n`` (>= 0).
    batch_size : int
        The minibatch size (>= 1).
    rng : numpy.random.Generator or None
        Draws the order of the examples (one permutation per call). ``None``
        keeps the examples in order (for evaluation).

    Returns
    -------
    iterator of ndarray of int64, shape (batch_size,) (the last may be shorter)

    Raises
    ------
    ValueError
        If ``batch_size`` is not a positive integer or ``num_examples`` is negative
        (raised by this call, before any iteration).
    TypeError
        If ``rng`` is neither a ``numpy.random.Generator`` nor ``None``.
    """
    batch_size = _check_positive_int(batch_size, "batch_size")
    if isinstance(num_examples, bool) or not isinstance(num_examples, numbers.Integral) or num_examples < 0:
        raise ValueError(f"num_examples must be a non-negative integer, got {num_examples!r}")
    if rng is None:
        order = np.arange(num_examples, dtype=np.int64)
    else:
        order = _check_rng(rng).permutation(int(num_examples)).astype(np.int64, copy=False)
    return (order[start : start + batch_size] for start in range(0, int(num_examples), batch_size))


def accuracy(scores, labels):
    """Fraction of examples whose highest score is their label.

    Parameters
    ----------
    scores : array-like, shape (n, q)
        Logits or probabilities; the prediction is the column of the row maximum
        (ties go to the smallest index).
    labels : array-like of int, shape (n,)
        True class indices in ``[0, q)``.

    Returns
    -------
    float
        In [0, 1].

    Raises
    ------
    ValueError
        If ``scores`` is not 2-D, ``n`` is 0, or the labels do not fit (wrong
        count, or a value outside ``[0, q)``).
    """
    scores = np.asarray(scores)
    if scores.ndim != 2 or scores.shape[1] == 0:
        raise ValueError(f"scores must be a 2-D array (n, q) with q >= 1, got shape {scores.shape}")
    if scores.shape[0] == 0:
        raise ValueError("accuracy of zero examples is undefined: got scores of shape (0, q)")
    labels = check_labels(labels, scores.shape[1], rows=scores.shape[0])
    return float(np.count_nonzero(scores.argmax(axis=1) == labels) / labels.shape[0])


def confusion_matrix(labels, predictions, num_classes):
    """Count how often each true class was predicted as each class.

    Parameters
    ----------
    labels : array-like of int, shape (n,)
        True class indices in ``[0, num_classes)``.
    predictions : array-like of int, shape (n,)
        Predicted class indices in ``[0, num_classes)``.
    num_classes : int
        The number of classes ``q``.

    Returns
    -------
    ndarray of int64, shape (q, q)
        Entry ``[i, j]`` counts the examples of true class ``i`` predicted as
        class ``j``: rows are true classes, columns predictions. Row ``i`` sums to
        the number of examples of class ``i``; the whole matrix sums to ``n``; the
        diagonal sums to the number of correct predictions.

    Raises
    ------
    ValueError
        If ``num_classes`` is not a positive integer, the two arrays differ in
        length, or a value is outside ``[0, num_classes)``.
    """
    num_classes = _check_positive_int(num_classes, "num_classes")
    labels = check_labels(labels, num_classes)
    predictions = np.asarray(predictions)
    if predictions.ndim != 1:
        raise ValueError(f"predictions must be a 1-D array (n,), got shape {predictions.shape}")
    if predictions.shape[0] != labels.shape[0]:
        raise ValueError(f"got {labels.shape[0]} labels but {predictions.shape[0]} predictions")
    predictions = check_labels(predictions, num_classes)
    counts = np.bincount(labels * num_classes + predictions, minlength=num_classes * num_classes)
    return counts.reshape(num_classes, num_classes).astype(np.int64)


def per_class_accuracy(matrix):
    """Accuracy on each true class: the diagonal of a confusion matrix over its row sums.

    Parameters
    ----------
    matrix : array-like, shape (q, q)
        A confusion matrix with rows as true classes (see :func:`confusion_matrix`).

    Returns
    -------
    ndarray of float64, shape (q,)
        Entry ``i`` is the fraction of class-``i`` examples predicted correctly
        (also called the recall of class ``i``); ``nan`` for a class with no examples.

    Raises
    ------
    ValueError
        If ``matrix`` is not square, or holds negative counts.
    """
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.shape[0] == 0:
        raise ValueError(f"expected a square confusion matrix (q, q), got shape {matrix.shape}")
    if np.any(matrix < 0):
        raise ValueError("a confusion matrix holds counts: got a negative entry")
    totals = matrix.sum(axis=1).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, np.diag(matrix) / totals, np.nan)


def init_params(num_features, num_classes, rng, scale=0.01, dtype=np.float32):
    """Initial parameters of softmax regression, as in d2l.

    Parameters
    ----------
    num_features : int
        ``d`` (784 for Fashion-MNIST).
    num_classes : int
        ``q`` (10 for Fashion-MNIST).
    rng : numpy.random.Generator
    scale : float, default 0.01
        Standard deviation of the weights (not the variance).
    dtype : numpy dtype, default float32

    Returns
    -------
    weights : ndarray, shape (d, q), dtype ``dtype``
        Independent draws from ``N(0, scale**2)``.
    bias : ndarray, shape (q,), dtype ``dtype``
        Zeros.

    Raises
    ------
    ValueError
        If ``num_features`` or ``num_classes`` is not a positive integer or ``scale`` is negative.
    TypeError
        If ``rng`` is not a ``numpy.random.Generator``.
    """
    num_features = _check_positive_int(num_features, "num_features")
    num_classes = _check_positive_int(num_classes, "num_classes")
    if not scale >= 0:
        raise ValueError(f"scale is a standard deviation and must be >= 0, got {scale!r}")
    weights = _check_rng(rng).normal(0.0, scale, size=(num_features, num_classes)).astype(dtype)
    return weights, np.zeros(num_classes, dtype=dtype)


@dataclasses.dataclass
class History:
    """What :func:`train` measured, one entry per epoch.

    Attributes
    ----------
    loss : list of float
        Mean cross-entropy over the epoch's training examples, each computed with
        the parameters in force when its minibatch was processed (before that
        minibatch's update), as d2l reports it.
    train_accuracy : list of float
        Fraction of the epoch's training examples predicted correctly, same convention.
    test_accuracy : list of float
        Accuracy on the test set with the parameters at the end of the epoch.
    seconds : list of float
        Wall-clock time of the epoch's SGD pass (not the test evaluation, not drawing).
    """

    loss: list = dataclasses.field(default_factory=list)
    train_accuracy: list = dataclasses.field(default_factory=list)
    test_accuracy: list = dataclasses.field(default_factory=list)
    seconds: list = dataclasses.field(default_factory=list)

    @property
    def epochs(self):
        """The number of epochs recorded."""
        return len(self.loss)


def _check_model(features, weights, bias):
    """Check shapes and return (features as C-contiguous array of the weights' dtype)."""
    if not isinstance(weights, np.ndarray) or not isinstance(bias, np.ndarray):
        raise TypeError("weights and bias must be NumPy arrays: they are updated in place")
    if weights.dtype != bias.dtype or not np.issubdtype(weights.dtype, np.floating):
        raise ValueError(
            f"weights and bias must share one floating dtype, got {weights.dtype} and {bias.dtype}"
        )
    features = np.asarray(features)
    check_model_shapes(features, weights, bias)
    # One conversion here (none when X already has W's dtype), none per minibatch.
    return np.ascontiguousarray(features, dtype=weights.dtype)


def _check_learning_rate(learning_rate, name="learning_rate"):
    if not (isinstance(learning_rate, numbers.Real) and learning_rate >= 0 and np.isfinite(learning_rate)):
        raise ValueError(f"{name} must be a finite number >= 0, got {learning_rate!r}")
    return float(learning_rate)


def _step(features, labels, weights, bias, step_size, weight_decay):
    """One SGD step on a minibatch, in place; return (sum of losses, number correct).

    ``features`` (m, d) and ``labels`` (m,) are already checked. The loss is
    computed stably from the logits (log-sum-exp with the row maximum subtracted);
    the probabilities reuse the same exponentials.
    """
    rows = np.arange(labels.shape[0])
    logits = features @ weights
    logits += bias
    correct = int(np.count_nonzero(logits.argmax(axis=1) == labels))
    logits -= logits.max(axis=1, keepdims=True)  # shifted logits: every entry <= 0
    grad = np.exp(logits)
    totals = grad.sum(axis=1)
    # loss_i = logsumexp(o_i) - o_{i, y_i}, with the shift cancelling out.
    loss_sum = float(np.log(totals).sum(dtype=np.float64) - logits[rows, labels].sum(dtype=np.float64))
    grad /= totals[:, None]  # softmax(O)
    grad[rows, labels] -= 1  # softmax(O) - Y
    grad *= step_size / labels.shape[0]  # learning rate times dL/dO = (softmax(O) - Y) / m
    if weight_decay:
        weights *= 1 - step_size * weight_decay
    weights -= features.T @ grad  # lr * X^T (softmax(O) - Y) / m
    bias -= grad.sum(axis=0)
    return loss_sum, correct


def sgd_step(features, labels, weights, bias, learning_rate, weight_decay=0.0):
    """One step of minibatch SGD on the mean cross-entropy, updating ``weights`` and ``bias`` in place.

    ``W <- W - lr * X^T (softmax(XW + b) - Y) / m`` and ``b <- b - lr * colsum(softmax(XW + b) - Y) / m``
    (with ``weight_decay`` = lambda > 0, the gradient of ``lambda/2 ||W||^2`` is added to
    that of ``W``: ``W <- (1 - lr * lambda) W - ...``; the bias is not decayed).

    Parameters
    ----------
    features : ndarray, shape (m, d)
    labels : array-like of int, shape (m,)
    weights : ndarray, shape (d, q), float32 or float64; updated in place
    bias : ndarray, shape (q,), same dtype as ``weights``; updated in place
    learning_rate : float >= 0
    weight_decay : float >= 0, default 0

    Returns
    -------
    loss : float
        Mean cross-entropy of the minibatch before the update.
    accuracy : float
        Fraction of the minibatch predicted correctly before the update.

    Raises
    ------
    ValueError
        If shapes or dtypes do not fit, a label is outside ``[0, q)``, the
        minibatch is empty, or a rate is negative.
    """
    features = _check_model(features, weights, bias)
    labels = check_labels(labels, weights.shape[1], rows=features.shape[0])
    if labels.shape[0] == 0:
        raise ValueError("a minibatch needs at least one example, got 0")
    learning_rate = _check_learning_rate(learning_rate)
    weight_decay = _check_learning_rate(weight_decay, "weight_decay")
    loss_sum, correct = _step(features, labels, weights, bias, learning_rate, weight_decay)
    return loss_sum / labels.shape[0], correct / labels.shape[0]


def sgd_epoch(features, labels, weights, bias, *, learning_rate, batch_size, rng, weight_decay=0.0):
    """One pass of minibatch SGD over shuffled data, updating ``weights`` and ``bias`` in place.

    The examples are visited in the order of :func:`minibatch_indices`. Each
    minibatch is gathered into one preallocated buffer (no new array per
    minibatch), then :func:`sgd_step`'s update is applied to it.

    Parameters
    ----------
    features : ndarray, shape (n, d)
        Converted once to the dtype of ``weights`` if it differs (use float32 for speed).
    labels : array-like of int, shape (n,)
    weights : ndarray, shape (d, q); updated in place
    bias : ndarray, shape (q,); updated in place
    learning_rate : float >= 0
    batch_size : int >= 1
    rng : numpy.random.Generator
    weight_decay : float >= 0, default 0

    Returns
    -------
    loss : float
        Mean over the ``n`` examples of the loss each had when its minibatch was
        processed: the sum of the losses divided by ``n`` (a short last minibatch
        weighs what it holds).
    accuracy : float
        Fraction of the ``n`` examples predicted correctly, same convention.

    Raises
    ------
    ValueError
        If shapes do not fit, a label is outside ``[0, q)``, ``n`` is 0, or a
        rate or the batch size is invalid.
    TypeError
        If ``rng`` is not a ``numpy.random.Generator``.
    """
    features = _check_model(features, weights, bias)
    labels = check_labels(labels, weights.shape[1], rows=features.shape[0])
    num_examples = labels.shape[0]
    if num_examples == 0:
        raise ValueError("cannot train on zero examples")
    learning_rate = _check_learning_rate(learning_rate)
    weight_decay = _check_learning_rate(weight_decay, "weight_decay")
    _check_rng(rng)
    return _epoch(features, labels, weights, bias, learning_rate, batch_size, rng, weight_decay)


def _epoch(features, labels, weights, bias, learning_rate, batch_size, rng, weight_decay):
    """The loop of :func:`sgd_epoch`, on checked arguments."""
    batches = minibatch_indices(labels.shape[0], batch_size, rng)
    buffer = np.empty((min(batch_size, labels.shape[0]), features.shape[1]), dtype=features.dtype)
    loss_sum, correct = 0.0, 0
    for indices in batches:
        batch = np.take(features, indices, axis=0, out=buffer[: indices.shape[0]])
        batch_loss, batch_correct = _step(
            batch, labels[indices], weights, bias, learning_rate, weight_decay
        )
        loss_sum += batch_loss
        correct += batch_correct
    return loss_sum / labels.shape[0], correct / labels.shape[0]


def evaluate(features, labels, weights, bias):
    """Mean cross-entropy and accuracy of softmax regression on a data set.

    Parameters
    ----------
    features : ndarray, shape (n, d)
    labels : array-like of int, shape (n,)
    weights : ndarray, shape (d, q)
    bias : ndarray, shape (q,)

    Returns
    -------
    loss : float
    accuracy : float

    Raises
    ------
    ValueError
        If shapes do not fit, ``n`` is 0 or a label is outside ``[0, q)``.
    """
    features = _check_model(features, weights, bias)
    logits = features @ weights + bias
    labels = check_labels(labels, weights.shape[1], rows=features.shape[0])
    if labels.shape[0] == 0:
        raise ValueError("cannot evaluate on zero examples")
    losses = cross_entropy(logits, labels)
    return float(losses.mean(dtype=np.float64)), accuracy(logits, labels)


def predict(features, weights, bias):
    """Predicted classes: the index of the largest logit of each row of ``X W + b``.

    Parameters
    ----------
    features : ndarray, shape (n, d)
    weights : ndarray, shape (d, q)
    bias : ndarray, shape (q,)

    Returns
    -------
    ndarray of int64, shape (n,)
    """
    features = _check_model(features, weights, bias)
    return (features @ weights + bias).argmax(axis=1).astype(np.int64)


def train(
    features,
    labels,
    test_features,
    test_labels,
    weights,
    bias,
    *,
    epochs,
    learning_rate,
    batch_size,
    rng,
    progress=None,
    weight_decay=0.0,
):
    """Train softmax regression by minibatch SGD, updating ``weights`` and ``bias`` in place.

    Parameters
    ----------
    features : ndarray, shape (n, d)
        Training features; converted once to the dtype of ``weights`` if needed.
    labels : array-like of int, shape (n,)
    test_features : ndarray, shape (n_test, d)
    test_labels : array-like of int, shape (n_test,)
    weights : ndarray, shape (d, q), float32 or float64; updated in place
    bias : ndarray, shape (q,), same dtype; updated in place
    epochs : int >= 1
    learning_rate : float >= 0, or callable
        A constant, or a function of the epoch number (0, 1, ...) returning the
        learning rate of that epoch (a schedule).
    batch_size : int >= 1
    rng : numpy.random.Generator
        Draws the order of the examples in every epoch.
    progress : object with ``update(epoch, loss=, train_accuracy=, test_accuracy=)``, optional
        Called after every epoch with the epoch number counted from 1 (for
        example a :class:`softmax_course.plot.ProgressPlot`); its ``finish()``, if
        it has one, is called at the end.
    weight_decay : float >= 0, default 0
        L2 penalty ``lambda/2 ||W||^2`` added to the mean loss (the bias is not
        penalised). The recorded loss is the cross-entropy alone.

    Returns
    -------
    History
        Per-epoch loss, train accuracy, test accuracy and seconds.

    Raises
    ------
    ValueError
        If shapes do not fit, a label is out of range, or a setting is invalid.
    TypeError
        If ``rng`` is not a ``numpy.random.Generator``.
    """
    epochs = _check_positive_int(epochs, "epochs")
    batch_size = _check_positive_int(batch_size, "batch_size")
    _check_rng(rng)
    features = _check_model(features, weights, bias)
    test_features = _check_model(test_features, weights, bias)
    # Labels are checked once here, not in every minibatch.
    labels = check_labels(labels, weights.shape[1], rows=features.shape[0])
    test_labels = check_labels(test_labels, weights.shape[1], rows=test_features.shape[0])
    if labels.shape[0] == 0 or test_labels.shape[0] == 0:
        raise ValueError("training and test sets must each hold at least one example")
    schedule = learning_rate if callable(learning_rate) else (lambda epoch: learning_rate)
    _check_learning_rate(learning_rate if not callable(learning_rate) else 0.0)
    weight_decay = _check_learning_rate(weight_decay, "weight_decay")

    history = History()
    for epoch in range(epochs):
        rate = _check_learning_rate(schedule(epoch))
        start = time.perf_counter()
        loss, train_acc = _epoch(features, labels, weights, bias, rate, batch_size, rng, weight_decay)
        history.seconds.append(time.perf_counter() - start)
        test_acc = float(np.count_nonzero(predict(test_features, weights, bias) == test_labels) / test_labels.shape[0])
        history.loss.append(loss)
        history.train_accuracy.append(train_acc)
        history.test_accuracy.append(test_acc)
        if progress is not None:
            progress.update(epoch + 1, loss=loss, train_accuracy=train_acc, test_accuracy=test_acc)
    if progress is not None and hasattr(progress, "finish"):
        progress.finish()
    return history
