"""Tests of softmax_course.train: minibatches, SGD, exact epoch metrics, evaluation helpers."""

import numpy as np
import pytest

from softmax_course import softmax as sm
from softmax_course import train


def make_problem(n=103, d=5, q=4, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    features = rng.normal(size=(n, d)).astype(dtype)
    labels = rng.integers(0, q, size=n)
    weights = rng.normal(scale=0.5, size=(d, q)).astype(dtype)
    bias = rng.normal(scale=0.5, size=q).astype(dtype)
    return features, labels, weights, bias


# --- minibatch_indices -------------------------------------------------------


def test_minibatches_cover_every_index_once_with_a_partial_last_batch():
    batches = list(train.minibatch_indices(10, 4, np.random.default_rng(0)))
    assert [len(batch) for batch in batches] == [4, 4, 2]
    assert all(batch.dtype == np.int64 for batch in batches)
    joined = np.concatenate(batches)
    np.testing.assert_array_equal(np.sort(joined), np.arange(10))
    assert not np.array_equal(joined, np.arange(10))  # shuffled


def test_minibatches_of_exact_multiple_and_of_oversized_batch():
    assert [len(b) for b in train.minibatch_indices(12, 4, np.random.default_rng(0))] == [4, 4, 4]
    assert [len(b) for b in train.minibatch_indices(3, 100, np.random.default_rng(0))] == [3]
    assert list(train.minibatch_indices(0, 4, np.random.default_rng(0))) == []


def test_minibatches_are_seeded_and_differ_between_epochs():
    first = np.concatenate(list(train.minibatch_indices(50, 8, np.random.default_rng(7))))
    again = np.concatenate(list(train.minibatch_indices(50, 8, np.random.default_rng(7))))
    np.testing.assert_array_equal(first, again)
    rng = np.random.default_rng(7)
    epoch1 = np.concatenate(list(train.minibatch_indices(50, 8, rng)))
    epoch2 = np.concatenate(list(train.minibatch_indices(50, 8, rng)))
    assert not np.array_equal(epoch1, epoch2)


def test_minibatches_in_order_without_rng():
    batches = list(train.minibatch_indices(5, 2, None))
    np.testing.assert_array_equal(np.concatenate(batches), np.arange(5))


@pytest.mark.parametrize("batch_size", [0, -3])
def test_minibatches_reject_a_batch_size_below_1_at_call_time(batch_size):
    with pytest.raises(ValueError, match=f"^batch_size must be >= 1, got {batch_size}"):
        train.minibatch_indices(10, batch_size, np.random.default_rng(0))


@pytest.mark.parametrize("batch_size", [2.5, True, "4"])
def test_minibatches_reject_a_batch_size_that_is_not_an_integer(batch_size):
    with pytest.raises(TypeError, match="^batch_size must be an integer"):
        train.minibatch_indices(10, batch_size, np.random.default_rng(0))


def test_minibatches_reject_legacy_rng():
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        train.minibatch_indices(10, 2, np.random.RandomState(0))
    with pytest.raises(ValueError, match="^num_examples must be >= 0"):
        train.minibatch_indices(-1, 2, np.random.default_rng(0))


# --- accuracy, confusion matrix, per-class accuracy ---------------------------


def test_accuracy_by_hand():
    scores = np.array([[0.9, 0.1, 0.0], [0.2, 0.5, 0.3], [0.1, 0.2, 0.7], [0.6, 0.3, 0.1]])
    # predictions 0, 1, 2, 0 against labels 0, 2, 2, 1: two of four right.
    assert train.accuracy(scores, [0, 2, 2, 1]) == 0.5
    assert train.accuracy(scores, [0, 1, 2, 0]) == 1.0


def test_accuracy_rejects_bad_input():
    with pytest.raises(ValueError, match=r"got shape \(3,\)"):
        train.accuracy(np.zeros(3), [0, 1, 2])
    with pytest.raises(ValueError, match=r"scores have shape \(3, 2\), labels have shape \(2,\)"):
        train.accuracy(np.zeros((3, 2)), [0, 1])
    with pytest.raises(ValueError, match=r"expected labels in \[0, 2\), got 5 at position 1"):
        train.accuracy(np.zeros((2, 2)), [0, 5])
    with pytest.raises(ValueError, match="scores must hold at least one example"):
        train.accuracy(np.zeros((0, 2)), [])


def test_confusion_matrix_by_hand():
    labels = [0, 0, 1, 1, 1, 2]
    predictions = [0, 1, 1, 1, 0, 2]
    matrix = train.confusion_matrix(labels, predictions, 3)
    expected = np.array([[1, 1, 0], [1, 2, 0], [0, 0, 1]])
    np.testing.assert_array_equal(matrix, expected)
    assert matrix.dtype == np.int64
    assert matrix.sum() == 6  # every example once
    np.testing.assert_array_equal(matrix.sum(axis=1), [2, 3, 1])  # examples per true class
    np.testing.assert_array_equal(matrix.sum(axis=0), [2, 3, 1])  # predictions per class
    assert np.trace(matrix) == 4  # correct predictions


def test_per_class_accuracy_by_hand_and_empty_class():
    matrix = np.array([[1, 1, 0], [1, 2, 0], [0, 0, 0]])
    result = train.per_class_accuracy(matrix)
    np.testing.assert_allclose(result[:2], [0.5, 2 / 3])
    assert np.isnan(result[2])


def test_confusion_matrix_and_per_class_accuracy_reject_bad_input():
    with pytest.raises(ValueError, match="got 2 labels but 3 predictions"):
        train.confusion_matrix([0, 1], [0, 1, 1], 2)
    with pytest.raises(ValueError, match=r"expected labels in \[0, 2\), got 3 at position 0"):
        train.confusion_matrix([0, 1], [3, 1], 2)
    with pytest.raises(ValueError, match=r"square confusion matrix \(q, q\), got shape \(2, 3\)"):
        train.per_class_accuracy(np.zeros((2, 3)))


def test_accuracy_agrees_with_confusion_matrix():
    rng = np.random.default_rng(3)
    scores = rng.normal(size=(200, 5))
    labels = rng.integers(0, 5, size=200)
    matrix = train.confusion_matrix(labels, scores.argmax(axis=1), 5)
    assert train.accuracy(scores, labels) == pytest.approx(np.trace(matrix) / 200)
    counts = np.bincount(labels, minlength=5)
    np.testing.assert_allclose(train.per_class_accuracy(matrix) * counts, np.diag(matrix))


# --- init_params --------------------------------------------------------------


def test_init_params_shapes_dtype_and_scale():
    weights, bias = train.init_params(784, 10, np.random.default_rng(0))
    assert weights.shape == (784, 10) and bias.shape == (10,)
    assert weights.dtype == np.float32 and bias.dtype == np.float32
    assert np.all(bias == 0)
    assert abs(weights.std() - 0.01) < 0.0005  # scale is the standard deviation
    assert abs(weights.mean()) < 0.001
    again, _ = train.init_params(784, 10, np.random.default_rng(0))
    np.testing.assert_array_equal(weights, again)
    w64, _ = train.init_params(3, 2, np.random.default_rng(0), scale=1.0, dtype=np.float64)
    assert w64.dtype == np.float64


# --- one SGD step -----------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_one_sgd_step_is_w_minus_lr_times_the_gradient(dtype):
    features, labels, weights, bias = make_problem(n=37, dtype=dtype)
    loss, grad_w, grad_b = sm.loss_and_gradients(features, labels, weights, bias)
    expected_w, expected_b = weights - 0.3 * grad_w, bias - 0.3 * grad_b
    expected_accuracy = train.accuracy(sm.linear(features, weights, bias), labels)
    step_loss, step_accuracy = train.sgd_step(features, labels, weights, bias, learning_rate=0.3)
    tolerance = 1e-12 if dtype == np.float64 else 1e-5
    assert weights.dtype == dtype and bias.dtype == dtype
    np.testing.assert_allclose(weights, expected_w, rtol=tolerance, atol=tolerance)
    np.testing.assert_allclose(bias, expected_b, rtol=tolerance, atol=tolerance)
    assert step_loss == pytest.approx(loss, rel=tolerance)
    assert step_accuracy == expected_accuracy


def test_sgd_step_with_weight_decay_adds_lambda_w():
    features, labels, weights, bias = make_problem()
    _, grad_w, grad_b = sm.loss_and_gradients(features, labels, weights, bias)
    expected_w = weights - 0.1 * (grad_w + 0.5 * weights)
    expected_b = bias - 0.1 * grad_b  # the bias is not decayed
    train.sgd_step(features, labels, weights, bias, learning_rate=0.1, weight_decay=0.5)
    np.testing.assert_allclose(weights, expected_w, rtol=1e-12)
    np.testing.assert_allclose(bias, expected_b, rtol=1e-12)


def test_sgd_step_loss_is_stable_for_huge_logits():
    features = np.array([[1000.0, -1000.0]])
    weights, bias = np.eye(2), np.zeros(2)
    loss, _ = train.sgd_step(features, [1], weights, bias, learning_rate=0.0)
    assert loss == pytest.approx(2000.0)
    assert np.all(np.isfinite(weights))


def test_sgd_step_rejects_bad_shapes_and_rates():
    features, labels, weights, bias = make_problem()
    with pytest.raises(ValueError, match=r"X \(103, 4\), W \(5, 4\), b \(4,\)"):
        train.sgd_step(features[:, :4], labels, weights, bias, learning_rate=0.1)
    with pytest.raises(ValueError, match=r"^learning_rate must be in \[0, inf\), got -0\.1"):
        train.sgd_step(features, labels, weights, bias, learning_rate=-0.1)
    with pytest.raises(TypeError, match="^learning_rate must be a real number"):
        train.sgd_step(features, labels, weights, bias, learning_rate="0.1")
    with pytest.raises(ValueError, match=r"expected labels in \[0, 4\)"):
        train.sgd_step(features, labels + 4, weights, bias, learning_rate=0.1)
    with pytest.raises(ValueError, match="share one floating dtype"):
        train.sgd_step(features, labels, weights, bias.astype(np.float32), learning_rate=0.1)


def test_a_bad_weight_decay_is_named_in_the_error():
    features, labels, weights, bias = make_problem()
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match=r"^weight_decay must be in \[0, inf\), got -0\.5"):
        train.sgd_step(features, labels, weights, bias, learning_rate=0.1, weight_decay=-0.5)
    with pytest.raises(ValueError, match=r"^weight_decay must be"):
        train.sgd_epoch(
            features,
            labels,
            weights,
            bias,
            learning_rate=0.1,
            batch_size=10,
            rng=rng,
            weight_decay=float("nan"),
        )
    with pytest.raises(ValueError, match=r"^weight_decay must be"):
        train.train(
            features,
            labels,
            features,
            labels,
            weights,
            bias,
            epochs=1,
            learning_rate=0.1,
            batch_size=10,
            rng=rng,
            weight_decay=-1,
        )


# --- exact epoch averages ---------------------------------------------------


@pytest.mark.parametrize("batch_size", [10, 7, 200])
def test_epoch_figures_are_exact_averages_over_examples(batch_size):
    # With learning rate 0 the parameters never move, so the epoch loss and
    # accuracy must equal the full-data values exactly. 103 = 10 * 10 + 3: the
    # last batch holds 3 examples; an average of batch averages would give it the
    # weight of 10 and disagree.
    features, labels, weights, bias = make_problem(n=103)
    expected_loss = float(sm.cross_entropy(sm.linear(features, weights, bias), labels).mean())
    expected_accuracy = train.accuracy(sm.linear(features, weights, bias), labels)
    loss, accuracy = train.sgd_epoch(
        features, labels, weights, bias, learning_rate=0.0, batch_size=batch_size, rng=np.random.default_rng(1)
    )
    assert loss == pytest.approx(expected_loss, rel=1e-12)
    assert accuracy == expected_accuracy


def test_average_of_batch_averages_would_differ():
    # Guard for the test above: on this problem the naive average is measurably different.
    features, labels, weights, bias = make_problem(n=103)
    losses = sm.cross_entropy(sm.linear(features, weights, bias), labels)
    order = np.concatenate(list(train.minibatch_indices(103, 10, np.random.default_rng(1))))
    naive = np.mean([losses[order[i : i + 10]].mean() for i in range(0, 103, 10)])
    assert abs(naive - losses.mean()) > 1e-3


def test_epoch_equals_the_sequence_of_its_steps():
    features, labels, weights, bias = make_problem(n=23)
    w_steps, b_steps = weights.copy(), bias.copy()
    loss_sum = 0.0
    for indices in train.minibatch_indices(23, 5, np.random.default_rng(4)):
        batch_loss, _ = train.sgd_step(features[indices], labels[indices], w_steps, b_steps, learning_rate=0.2)
        loss_sum += batch_loss * len(indices)
    loss, _ = train.sgd_epoch(
        features, labels, weights, bias, learning_rate=0.2, batch_size=5, rng=np.random.default_rng(4)
    )
    np.testing.assert_allclose(weights, w_steps, rtol=1e-12)
    np.testing.assert_allclose(bias, b_steps, rtol=1e-12)
    assert loss == pytest.approx(loss_sum / 23, rel=1e-12)


# --- train ------------------------------------------------------------------


def separable_problem(seed=0):
    """Three well-separated Gaussian blobs in 2-D: a linear classifier can get all right."""
    rng = np.random.default_rng(seed)
    centres = np.array([[4.0, 0.0], [-2.0, 3.5], [-2.0, -3.5]])
    labels = rng.integers(0, 3, size=300)
    features = (centres[labels] + rng.normal(scale=0.5, size=(300, 2))).astype(np.float32)
    return features, labels


def test_train_reaches_perfect_accuracy_on_a_separable_problem():
    features, labels = separable_problem(0)
    test_features, test_labels = separable_problem(1)
    rng = np.random.default_rng(0)
    weights, bias = train.init_params(2, 3, rng)
    assert train.accuracy(sm.linear(test_features, weights, bias), test_labels) < 0.9
    history = train.train(
        features, labels, test_features, test_labels, weights, bias,
        epochs=5, learning_rate=0.5, batch_size=32, rng=rng,
    )  # fmt: skip
    assert history.epochs == 5
    assert history.valid_accuracy[-1] == 1.0
    assert history.train_accuracy[-1] == 1.0
    assert history.train_loss[-1] < history.train_loss[0]
    assert all(seconds >= 0 for seconds in history.seconds)
    assert train.evaluate(test_features, test_labels, weights, bias)[1] == 1.0


def test_train_is_deterministic_for_a_seed():
    features, labels = separable_problem(0)
    runs = []
    for _ in range(2):
        rng = np.random.default_rng(5)
        weights, bias = train.init_params(2, 3, rng)
        history = train.train(
            features, labels, features, labels, weights, bias,
            epochs=2, learning_rate=0.1, batch_size=16, rng=rng,
        )  # fmt: skip
        runs.append((weights, history.train_loss))
    np.testing.assert_array_equal(runs[0][0], runs[1][0])
    assert runs[0][1] == runs[1][1]


def test_train_calls_progress_and_follows_a_schedule():
    features, labels = separable_problem(0)

    class Recorder:
        def __init__(self):
            self.calls, self.finished = [], False

        def update(self, epoch, *, train_loss, train_accuracy, valid_accuracy):
            self.calls.append((epoch, train_loss, train_accuracy, valid_accuracy))

        def finish(self):
            self.finished = True

    recorder = Recorder()
    rates = []
    rng = np.random.default_rng(0)
    weights, bias = train.init_params(2, 3, rng)

    def schedule(epoch):
        rates.append(epoch)
        return 0.1 / (1 + epoch)

    history = train.train(
        features, labels, features, labels, weights, bias,
        epochs=3, learning_rate=schedule, batch_size=50, rng=rng, progress=recorder,
    )  # fmt: skip
    assert rates == [0, 1, 2]
    assert [call[0] for call in recorder.calls] == [1, 2, 3]
    assert [call[1] for call in recorder.calls] == history.train_loss
    assert [call[3] for call in recorder.calls] == history.valid_accuracy
    assert recorder.finished


def test_train_with_zero_learning_rate_records_the_initial_model():
    features, labels, weights, bias = make_problem(n=50)
    before = weights.copy()
    history = train.train(
        features, labels, features, labels, weights, bias,
        epochs=2, learning_rate=0.0, batch_size=16, rng=np.random.default_rng(0),
    )  # fmt: skip
    np.testing.assert_array_equal(weights, before)
    loss, acc = train.evaluate(features, labels, weights, bias)
    assert history.train_loss == pytest.approx([loss, loss], rel=1e-12)
    assert history.train_accuracy == [acc, acc]
    assert history.valid_accuracy == [acc, acc]
    assert history.valid_loss == pytest.approx([loss, loss], rel=1e-12)


def test_train_rejects_bad_settings():
    features, labels, weights, bias = make_problem(n=20)
    rng = np.random.default_rng(0)
    common = dict(epochs=1, learning_rate=0.1, batch_size=4, rng=rng)
    with pytest.raises(ValueError, match="^epochs must be >= 1, got 0"):
        train.train(features, labels, features, labels, weights, bias, **{**common, "epochs": 0})
    with pytest.raises(ValueError, match="^batch_size must be >= 1, got 0"):
        train.train(features, labels, features, labels, weights, bias, **{**common, "batch_size": 0})
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        train.train(features, labels, features, labels, weights, bias, **{**common, "rng": 0})
    with pytest.raises(ValueError, match="got 19 labels for 20 examples"):
        train.train(features, labels[:19], features, labels, weights, bias, **common)
    with pytest.raises(ValueError, match=r"X \(20, 3\), W \(5, 4\)"):
        train.train(features, labels, features[:, :3], labels, weights, bias, **common)
    with pytest.raises(TypeError, match="updated in place"):
        train.train(features, labels, features, labels, weights.tolist(), bias, **common)


def test_train_converts_float64_features_to_the_weights_dtype():
    features, labels = separable_problem(0)
    rng = np.random.default_rng(0)
    weights, bias = train.init_params(2, 3, rng)
    train.train(
        features.astype(np.float64), labels, features, labels, weights, bias,
        epochs=1, learning_rate=0.1, batch_size=32, rng=rng,
    )  # fmt: skip
    assert weights.dtype == np.float32 and bias.dtype == np.float32


def test_a_schedule_that_returns_a_bad_rate_is_named_with_its_epoch():
    features, labels, weights, bias = make_problem(n=20)
    with pytest.raises(ValueError, match=r"^learning_rate\(1\) must be in \[0, inf\)"):
        train.train(
            features, labels, features, labels, weights, bias,
            epochs=3, learning_rate=lambda epoch: 0.1 - 0.2 * epoch, batch_size=4, rng=np.random.default_rng(0),
        )  # fmt: skip


def test_the_epoch_loss_is_a_running_average_above_the_loss_after_the_epoch():
    # The epoch's figures use the parameters before each step: while training
    # improves the model, they are worse than the same figures after the epoch.
    features, labels = separable_problem(0)
    rng = np.random.default_rng(0)
    weights, bias = train.init_params(2, 3, rng)
    history = train.train(
        features, labels, features, labels, weights, bias, epochs=1, learning_rate=0.5, batch_size=16, rng=rng
    )
    assert history.train_loss[0] > history.valid_loss[0]
    assert history.train_accuracy[0] < history.valid_accuracy[0]
