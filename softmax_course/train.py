"""Minibatches, minibatch SGD for softmax regression, and exact epoch metrics (chapters 8, 9 and 14).

The model is ``softmax(X W + b)`` with ``W`` of shape (d, q) and ``b`` of shape (q,);
rows of ``X`` are examples. Training uses the gradient derived by hand in the
gradient chapter (no automatic differentiation):

    G = (softmax(X W + b) - Y) / n,    dL/dW = X^T G,    dL/db = column sums of G,

computed by :func:`softmax_course.softmax.loss_and_gradients`, which also gives
the penalised objective over the whole training set for a full-batch solver such
as L-BFGS.

Every public function checks its arguments once, at its entry, with the shared
checkers of :mod:`softmax_course._checks`; the private helpers that do the work
trust them.

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

from softmax_course import softmax
from softmax_course._checks import as_matrix_and_labels, as_model_data, check_labels, check_nonnegative, check_scalar
from softmax_course.softmax import predict  # noqa: F401  (the course's one predict, also at home here)


def _check_positive_int(value, name):
    return int(check_scalar(value, name, numbers.Integral, min_val=1))


def _check_rng(rng):
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng must be a numpy.random.Generator, e.g. np.random.default_rng(0), got {type(rng).__name__}"
        )
    return rng


def _count_correct(logits, labels):
    """How many rows of ``logits`` (n, q) have their largest entry at ``labels`` (n,).

    The one place where accuracy is counted: :func:`accuracy`, :func:`evaluate`,
    the SGD steps and :func:`train` all call it.
    """
    return int(np.count_nonzero(logits.argmax(axis=1) == labels))


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
        If ``batch_size`` is below 1 or ``num_examples`` is negative (raised by
        this call, before any iteration).
    TypeError
        If ``batch_size`` or ``num_examples`` is not an integer, or ``rng`` is
        neither a ``numpy.random.Generator`` nor ``None``.
    """
    batch_size = _check_positive_int(batch_size, "batch_size")
    num_examples = int(check_scalar(num_examples, "num_examples", numbers.Integral, min_val=0))
    return _batches(num_examples, batch_size, None if rng is None else _check_rng(rng))


def _batches(num_examples, batch_size, rng):
    if rng is None:
        order = np.arange(num_examples, dtype=np.int64)
    else:
        order = rng.permutation(num_examples).astype(np.int64, copy=False)
    return (order[start : start + batch_size] for start in range(0, num_examples, batch_size))


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
    scores, labels = as_matrix_and_labels(scores, labels, "scores", nonempty=True)
    return _count_correct(scores, labels) / labels.shape[0]


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
        If ``num_classes`` is below 1, the two arrays differ in length, or a
        value is outside ``[0, num_classes)``.
    TypeError
        If ``num_classes`` is not an integer.
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
        If ``num_features`` or ``num_classes`` is below 1 or ``scale`` is negative.
    TypeError
        If one of them is not a number of the right kind, or ``rng`` is not a
        ``numpy.random.Generator``.
    """
    num_features = _check_positive_int(num_features, "num_features")
    num_classes = _check_positive_int(num_classes, "num_classes")
    scale = check_nonnegative(scale, "scale")
    weights = _check_rng(rng).normal(0.0, scale, size=(num_features, num_classes)).astype(dtype)
    return weights, np.zeros(num_classes, dtype=dtype)


@dataclasses.dataclass
class History:
    """What :func:`train` measured, one entry per epoch.

    Attributes
    ----------
    train_loss : list of float
        Mean cross-entropy over the epoch's training examples, each computed with
        the parameters in force when its minibatch was processed (before that
        minibatch's update), as d2l reports it. It is a running average over an
        epoch in which the parameters improve, so it is higher (and
        ``train_accuracy`` lower) than the same figures computed after the epoch,
        most visibly in the first epoch.
    train_accuracy : list of float
        Fraction of the epoch's training examples predicted correctly, same convention.
    valid_loss, valid_accuracy : list of float
        Mean cross-entropy and accuracy on the validation set passed to :func:`train`,
        with the parameters at the end of the epoch.
    seconds : list of float
        Wall-clock time of the epoch's SGD pass (not the evaluation, not drawing).
    """

    train_loss: list = dataclasses.field(default_factory=list)
    train_accuracy: list = dataclasses.field(default_factory=list)
    valid_loss: list = dataclasses.field(default_factory=list)
    valid_accuracy: list = dataclasses.field(default_factory=list)
    seconds: list = dataclasses.field(default_factory=list)

    @property
    def epochs(self):
        """The number of epochs recorded."""
        return len(self.train_loss)


def _check_data(features, labels, weights, bias):
    """Check X (n, d), y (n,), W (d, q), b (q,) and n >= 1; return X (C-contiguous, W's dtype) and y (int64)."""
    if not isinstance(weights, np.ndarray) or not isinstance(bias, np.ndarray):
        raise TypeError("weights and bias must be NumPy arrays: they are updated in place")
    if weights.dtype != bias.dtype or not np.issubdtype(weights.dtype, np.floating):
        raise ValueError(f"weights and bias must share one floating dtype, got {weights.dtype} and {bias.dtype}")
    features, labels = as_model_data(features, labels, weights, bias)
    # One conversion here (none when X already has W's dtype), none per minibatch.
    return np.ascontiguousarray(features, dtype=weights.dtype), labels


def _step(features, labels, weights, bias, step_size, weight_decay):
    """One SGD step on checked arguments, in place; return (sum of losses, number correct)."""
    loss, grad_weights, grad_bias, logits = softmax._loss_and_gradients(features, labels, weights, bias, weight_decay)
    weights -= step_size * grad_weights
    bias -= step_size * grad_bias
    return loss * labels.shape[0], _count_correct(logits, labels)


def sgd_step(features, labels, weights, bias, *, learning_rate, weight_decay=0.0):
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
    learning_rate : float >= 0, keyword-only
    weight_decay : float >= 0, default 0, keyword-only

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
        minibatch is empty, or a rate is negative or not finite.
    TypeError
        If a rate is not a number, or ``weights`` or ``bias`` is not an ndarray.
    """
    features, labels = _check_data(features, labels, weights, bias)
    learning_rate = check_nonnegative(learning_rate, "learning_rate")
    weight_decay = check_nonnegative(weight_decay, "weight_decay")
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
        rate or the batch size is out of range.
    TypeError
        If a setting has the wrong type or ``rng`` is not a ``numpy.random.Generator``.
    """
    features, labels = _check_data(features, labels, weights, bias)
    learning_rate = check_nonnegative(learning_rate, "learning_rate")
    weight_decay = check_nonnegative(weight_decay, "weight_decay")
    batch_size = _check_positive_int(batch_size, "batch_size")
    _check_rng(rng)
    return _epoch(features, labels, weights, bias, learning_rate, batch_size, rng, weight_decay)


def _epoch(features, labels, weights, bias, learning_rate, batch_size, rng, weight_decay):
    """The loop of :func:`sgd_epoch`, on checked arguments."""
    buffer = np.empty((min(batch_size, labels.shape[0]), features.shape[1]), dtype=features.dtype)
    loss_sum, correct = 0.0, 0
    for indices in _batches(labels.shape[0], batch_size, rng):
        # mode="clip": the indices are a permutation, and "raise" would buffer the copy
        batch = np.take(features, indices, axis=0, out=buffer[: indices.shape[0]], mode="clip")
        batch_loss, batch_correct = _step(batch, labels[indices], weights, bias, learning_rate, weight_decay)
        loss_sum += batch_loss
        correct += batch_correct
    return loss_sum / labels.shape[0], correct / labels.shape[0]


def _evaluate(features, labels, weights, bias):
    logits = features @ weights + bias
    loss = softmax.cross_entropy(logits, labels).mean(dtype=np.float64)
    return float(loss), _count_correct(logits, labels) / labels.shape[0]


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
    features, labels = _check_data(features, labels, weights, bias)
    return _evaluate(features, labels, weights, bias)


def train(
    features,
    labels,
    valid_features,
    valid_labels,
    weights,
    bias,
    *,
    epochs,
    learning_rate,
    batch_size,
    rng,
    weight_decay=0.0,
    progress=None,
):
    """Train softmax regression by minibatch SGD, updating ``weights`` and ``bias`` in place.

    After every epoch the model is evaluated on the validation set
    ``valid_features, valid_labels``, which guides the choice of settings;
    evaluate the test set once, at the end, with :func:`evaluate`.

    Parameters
    ----------
    features : ndarray, shape (n, d)
        Training features; converted once to the dtype of ``weights`` if needed.
    labels : array-like of int, shape (n,)
    valid_features : ndarray, shape (n_valid, d)
    valid_labels : array-like of int, shape (n_valid,)
    weights : ndarray, shape (d, q), float32 or float64; updated in place
    bias : ndarray, shape (q,), same dtype; updated in place
    epochs : int >= 1
    learning_rate : float >= 0, or callable
        A constant, or a function of the epoch number (0, 1, ...) returning the
        learning rate of that epoch (a schedule).
    batch_size : int >= 1
    rng : numpy.random.Generator
        Draws the order of the examples in every epoch.
    weight_decay : float >= 0, default 0
        L2 penalty ``lambda/2 ||W||^2`` added to the mean loss (the bias is not
        penalised). The recorded losses are the cross-entropy alone.
    progress : object with ``update(epoch, *, train_loss, train_accuracy, valid_accuracy)``, optional
        Called after every epoch with the epoch number counted from 1 (for
        example a :class:`softmax_course.plot.ProgressPlot`); its ``finish()``, if
        it has one, is called at the end.

    Returns
    -------
    History
        Per-epoch training loss and accuracy, validation loss and accuracy, seconds.

    Raises
    ------
    ValueError
        If shapes do not fit, a label is out of range, a set is empty, or a
        setting is out of range.
    TypeError
        If a setting has the wrong type or ``rng`` is not a ``numpy.random.Generator``.
    """
    epochs = _check_positive_int(epochs, "epochs")
    batch_size = _check_positive_int(batch_size, "batch_size")
    _check_rng(rng)
    features, labels = _check_data(features, labels, weights, bias)
    valid_features, valid_labels = _check_data(valid_features, valid_labels, weights, bias)
    weight_decay = check_nonnegative(weight_decay, "weight_decay")
    if callable(learning_rate):
        schedule = learning_rate
    else:
        constant = check_nonnegative(learning_rate, "learning_rate")
        schedule = lambda epoch: constant  # noqa: E731

    history = History()
    for epoch in range(epochs):
        rate = check_nonnegative(schedule(epoch), f"learning_rate({epoch})")
        start = time.perf_counter()
        train_loss, train_acc = _epoch(features, labels, weights, bias, rate, batch_size, rng, weight_decay)
        history.seconds.append(time.perf_counter() - start)
        valid_loss, valid_acc = _evaluate(valid_features, valid_labels, weights, bias)
        history.train_loss.append(train_loss)
        history.train_accuracy.append(train_acc)
        history.valid_loss.append(valid_loss)
        history.valid_accuracy.append(valid_acc)
        if progress is not None:
            progress.update(epoch + 1, train_loss=train_loss, train_accuracy=train_acc, valid_accuracy=valid_acc)
    if progress is not None and hasattr(progress, "finish"):
        progress.finish()
    return history
