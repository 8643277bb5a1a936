"""Unit tests of softmax_course.losses.

The hinge loss is compared with a double loop written from its definition; gradients with central finite
differences (:mod:`softmax_course.gradcheck`); the least-squares fit with the normal equations.
"""

import numpy as np
import pytest

from softmax_course import losses, softmax
from softmax_course.gradcheck import numerical_gradient, relative_error


def hinge_by_loops(logits, labels, margin):
    out = []
    for o, y in zip(logits, labels):
        out.append(sum(max(0.0, o[j] - o[y] + margin) for j in range(len(o)) if j != y))
    return np.array(out)


@pytest.fixture
def problem():
    rng = np.random.default_rng(0)
    return rng.normal(scale=2, size=(20, 4)), rng.integers(0, 4, size=20)


@pytest.mark.parametrize("margin", [0.0, 1.0, 2.5])
def test_hinge_matches_definition(problem, margin):
    logits, labels = problem
    np.testing.assert_allclose(
        losses.multiclass_hinge(logits, labels, margin=margin), hinge_by_loops(logits, labels, margin), rtol=1e-12
    )


def test_hinge_zero_once_margin_met():
    logits = np.array([[3.0, 1.9, 0.0], [3.0, 2.1, 0.0]])
    np.testing.assert_allclose(losses.multiclass_hinge(logits, [0, 0]), [0.0, 0.1], atol=1e-12)


@pytest.mark.parametrize("margin", [0.5, 1.0])
def test_hinge_gradient_by_differences(problem, margin):
    logits, labels = problem
    grad = losses.multiclass_hinge_grad(logits, labels, margin=margin)
    numerical = numerical_gradient(lambda o: losses.multiclass_hinge(o, labels, margin=margin).mean(), logits)
    assert relative_error(grad, numerical) < 1e-6
    np.testing.assert_allclose(grad.sum(axis=1), 0.0, atol=1e-15)


def test_squared_error_and_gradient(problem):
    outputs, labels = problem
    targets = np.eye(4)[labels]
    np.testing.assert_allclose(losses.squared_error(outputs, labels), 0.5 * ((outputs - targets) ** 2).sum(axis=1))
    numerical = numerical_gradient(lambda o: losses.squared_error(o, labels).mean(), outputs)
    assert relative_error(losses.squared_error_grad(outputs, labels), numerical) < 1e-6


@pytest.mark.parametrize("loss", losses.LOSSES)
@pytest.mark.parametrize("decay", [0.0, 0.3])
def test_loss_and_gradients_by_differences(loss, decay):
    rng = np.random.default_rng(1)
    X, labels = rng.normal(size=(15, 3)), rng.integers(0, 4, size=15)
    W, b = rng.normal(size=(3, 4)), rng.normal(size=4)
    value, dW, db = losses.loss_and_gradients(X, labels, W, b, loss=loss, weight_decay=decay)
    assert dW.shape == W.shape and db.shape == b.shape
    plain = losses.loss_and_gradients(X, labels, W, b, loss=loss)[0]
    assert value == pytest.approx(plain + 0.5 * decay * (W**2).sum())
    f_W = lambda W_: losses.loss_and_gradients(X, labels, W_, b, loss=loss, weight_decay=decay)[0]  # noqa: E731
    f_b = lambda b_: losses.loss_and_gradients(X, labels, W, b_, loss=loss, weight_decay=decay)[0]  # noqa: E731
    assert relative_error(dW, numerical_gradient(f_W, W)) < 1e-6
    assert relative_error(db, numerical_gradient(f_b, b)) < 1e-6


def test_cross_entropy_agrees_with_softmax_module():
    rng = np.random.default_rng(2)
    X, labels = rng.normal(size=(10, 3)), rng.integers(0, 3, size=10)
    W, b = rng.normal(size=(3, 3)), rng.normal(size=3)
    for ours, theirs in zip(losses.loss_and_gradients(X, labels, W, b), softmax.loss_and_gradients(X, labels, W, b)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_gradient_descent_records_and_decreases():
    rng = np.random.default_rng(3)
    X, labels = rng.normal(size=(30, 2)), rng.integers(0, 3, size=30)
    W0, b0 = np.zeros((2, 3)), np.zeros(3)
    W, b, history = losses.gradient_descent(
        X, labels, W0, b0, learning_rate=0.5, num_steps=50, record_steps=[50, 0, 10]
    )
    assert (W0 == 0).all() and (b0 == 0).all()  # inputs untouched
    assert [s["step"] for s in history["snapshots"]] == [0, 10, 50]
    assert history["loss"].shape == (51,) and np.all(np.diff(history["loss"]) < 0)
    np.testing.assert_array_equal(history["snapshots"][-1]["weights"], W)
    assert history["snapshots"][0]["loss"] == pytest.approx(np.log(3))
    # one step by hand
    _, dW, db = losses.loss_and_gradients(X, labels, W0, b0)
    W1, b1, _ = losses.gradient_descent(X, labels, W0, b0, learning_rate=0.5, num_steps=1)
    np.testing.assert_allclose(W1, -0.5 * dW)
    np.testing.assert_allclose(b1, -0.5 * db)


def test_least_squares_fit_normal_equations():
    rng = np.random.default_rng(4)
    X, labels = rng.normal(size=(40, 3)), rng.integers(0, 3, size=40)
    W, b = losses.least_squares_fit(X, labels)
    A = np.hstack([X, np.ones((40, 1))])
    expected = np.linalg.solve(A.T @ A, A.T @ np.eye(3)[labels])
    np.testing.assert_allclose(np.vstack([W, b]), expected, atol=1e-12)
    # with a bias, the fitted outputs of every row sum to one (Bishop 2006, 4.1.3)
    np.testing.assert_allclose((X @ W + b).sum(axis=1), 1.0, atol=1e-12)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: losses.multiclass_hinge([[0.0, 1.0]], [2]), r"labels in \[0, 2\), got 2"),
        (lambda: losses.multiclass_hinge([[0.0, 1.0]], [0], margin=-1), "margin"),
        (lambda: losses.multiclass_hinge_grad(np.zeros((0, 3)), []), "at least one example"),
        (
            lambda: losses.loss_and_gradients(np.zeros((2, 3)), [0, 1], np.zeros((3, 2)), np.zeros(2), loss="l1"),
            "loss must be one of",
        ),
        (lambda: losses.loss_and_gradients(np.zeros((2, 3)), [0, 1], np.zeros((2, 2)), np.zeros(2)), "X \\(2, 3\\)"),
        (
            lambda: losses.gradient_descent(
                np.zeros((2, 2)), [0, 1], np.zeros((2, 2)), np.zeros(2), learning_rate=0.0, num_steps=1
            ),
            "learning_rate",
        ),
        (
            lambda: losses.gradient_descent(
                np.zeros((2, 2)),
                [0, 1],
                np.zeros((2, 2)),
                np.zeros(2),
                learning_rate=0.1,
                num_steps=2,
                record_steps=[3],
            ),
            "record_steps",
        ),
        (lambda: losses.least_squares_fit(np.zeros(3), [0, 1, 2]), "2-D"),
        (
            lambda: losses.loss_and_gradients(
                np.zeros((2, 2)), [0, 1], np.zeros((2, 2)), np.zeros(2), weight_decay=-1.0
            ),
            "weight_decay",
        ),
    ],
)
def test_errors_name_the_problem(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_cross_entropy_without_penalty_is_the_softmax_modules_function():
    rng = np.random.default_rng(4)
    X, W, b = rng.normal(size=(9, 3)), rng.normal(size=(3, 4)), rng.normal(size=4)
    labels = rng.integers(0, 4, size=9)
    ours = losses.loss_and_gradients(X, labels, W, b, loss="cross_entropy")
    reference = softmax.loss_and_gradients(X, labels, W, b)
    np.testing.assert_allclose(ours[0], reference[0], rtol=1e-12)
    for mine, theirs in zip(ours[1:], reference[1:]):
        np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=1e-15)
