"""Unit tests of softmax_course.softmax.

References are computed independently of the code under test: with Python's
``decimal`` module at 50 significant digits (log-sum-exp, log-softmax), from the
definition of the one-hot loss, or by central finite differences (gradients,
with :mod:`softmax_course.gradcheck`, itself tested in test_gradcheck.py).
Infinite logits are compared with :mod:`scipy.special`.
"""

import decimal
import inspect

import numpy as np
import pytest
import scipy.special

from softmax_course.gradcheck import numerical_gradient, relative_error
from softmax_course.onehot import one_hot
from softmax_course.softmax import (
    cross_entropy,
    cross_entropy_grad,
    linear,
    log_softmax,
    logsumexp,
    loss_and_gradients,
    predict,
    softmax,
)

FUNCTIONS_OF_LOGITS = [softmax, log_softmax, logsumexp]


def reference_logsumexp(logits):
    """Row-wise log-sum-exp with 50 significant digits, from the exact values of ``logits``."""
    with decimal.localcontext() as context:
        context.prec = 50
        rows = []
        for row in np.asarray(logits, dtype=np.float64):
            total = sum(decimal.Decimal(float(value)).exp() for value in row)
            rows.append(float(total.ln()))
    return np.array(rows)


@pytest.fixture
def rng():
    return np.random.default_rng(20240503)


# --- softmax: a probability distribution in every row ------------------------------------


@pytest.mark.parametrize("shape", [(1, 1), (1, 5), (7, 3), (64, 10)])
def test_softmax_rows_are_probability_distributions(rng, shape):
    probabilities = softmax(rng.normal(scale=5.0, size=shape))
    assert probabilities.shape == shape
    assert np.all(probabilities >= 0)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=0, atol=1e-12)


def test_softmax_matches_the_definition_on_moderate_logits(rng):
    logits = rng.normal(size=(6, 4))
    exps = np.exp(logits)  # safe here: every |o| is small
    np.testing.assert_allclose(softmax(logits), exps / exps.sum(axis=1, keepdims=True), rtol=1e-13)


def test_large_logits_give_finite_correct_results():
    logits = np.array([[1000.0, -1000.0], [-1000.0, 1000.0], [1000.0, 1000.0]])
    with np.errstate(over="ignore", invalid="ignore"):
        naive = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    assert np.isnan(naive).any(), "the naive formula should fail here, or the test proves nothing"
    probabilities = softmax(logits)
    assert np.all(np.isfinite(probabilities))
    # exp(-2000) underflows to exactly 0 and 1 + 0 == 1, so these are the correctly rounded values.
    np.testing.assert_array_equal(probabilities, [[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    np.testing.assert_allclose(logsumexp(logits), reference_logsumexp(logits), rtol=1e-15)
    np.testing.assert_array_equal(log_softmax(logits)[0], [0.0, -2000.0])
    losses = cross_entropy(logits, [1, 0, 0])
    np.testing.assert_array_equal(losses[:2], [2000.0, 2000.0])
    # 1000 + log 2 - 1000: the subtraction keeps only the digits of 1000.69..., hence rtol 1e-12.
    np.testing.assert_allclose(losses[2], np.log(2.0), rtol=1e-12)


def test_very_negative_logits_give_finite_correct_results():
    logits = np.array([[-1000.0, -1000.0, -1000.0], [-1000.0, -1001.0, -1002.0]])
    with np.errstate(divide="ignore", invalid="ignore"):
        naive = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    assert np.isnan(naive).all(), "exp(-1000) underflows to 0, so the naive formula gives 0/0"
    probabilities = softmax(logits)
    np.testing.assert_allclose(probabilities[0], 1 / 3, rtol=1e-15)
    # Same differences as (0, -1, -2), so the same probabilities.
    expected = np.exp([0.0, -1.0, -2.0]) / np.exp([0.0, -1.0, -2.0]).sum()
    np.testing.assert_allclose(probabilities[1], expected, rtol=1e-14)
    np.testing.assert_allclose(logsumexp(logits), reference_logsumexp(logits), rtol=1e-15)


def test_tiny_logits_give_the_uniform_distribution():
    logits = np.array([[1e-300, -1e-300, 0.0, 5e-324]])
    np.testing.assert_allclose(softmax(logits), 0.25, rtol=1e-15)
    np.testing.assert_allclose(logsumexp(logits), np.log(4.0), rtol=1e-15)


def test_single_example(rng):
    logits = rng.normal(size=(1, 5))
    label = [3]
    assert softmax(logits).shape == (1, 5)
    assert log_softmax(logits).shape == (1, 5)
    assert logsumexp(logits).shape == (1,)
    assert cross_entropy(logits, label).shape == (1,)
    # With n = 1 the gradient of the mean loss is softmax(o) - y itself.
    np.testing.assert_allclose(cross_entropy_grad(logits, label), softmax(logits) - one_hot(label, 5), atol=1e-15)


def test_a_single_class_is_certain():
    logits = np.array([[3.5], [-700.0]])
    np.testing.assert_array_equal(softmax(logits), [[1.0], [1.0]])
    np.testing.assert_array_equal(cross_entropy(logits, [0, 0]), [0.0, 0.0])


@pytest.mark.parametrize("function", FUNCTIONS_OF_LOGITS)
def test_float32_stays_float32(rng, function):
    logits = rng.normal(size=(5, 3)).astype(np.float32)
    assert function(logits).dtype == np.float32


def test_float32_stays_float32_through_the_loss_and_gradients(rng):
    logits = rng.normal(size=(5, 3)).astype(np.float32)
    labels = rng.integers(0, 3, size=5)
    assert cross_entropy(logits, labels).dtype == np.float32
    assert cross_entropy_grad(logits, labels).dtype == np.float32
    features = rng.normal(size=(5, 4)).astype(np.float32)
    weights = rng.normal(size=(4, 3)).astype(np.float32)
    bias = np.zeros(3, dtype=np.float32)
    loss, grad_weights, grad_bias = loss_and_gradients(features, labels, weights, bias)
    assert isinstance(loss, float)
    assert grad_weights.dtype == np.float32 and grad_bias.dtype == np.float32


@pytest.mark.parametrize("function", FUNCTIONS_OF_LOGITS)
def test_integer_logits_become_float64(function):
    assert function([[1, 2, 3]]).dtype == np.float64


def test_invariance_to_adding_a_constant_to_every_logit(rng):
    logits = rng.normal(scale=3.0, size=(8, 5))
    labels = rng.integers(0, 5, size=8)
    shifts = rng.normal(scale=100.0, size=(8, 1))  # one constant per row
    np.testing.assert_allclose(softmax(logits + shifts), softmax(logits), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(log_softmax(logits + shifts), log_softmax(logits), rtol=1e-11, atol=1e-11)
    np.testing.assert_allclose(logsumexp(logits + shifts), logsumexp(logits) + shifts[:, 0], rtol=1e-13)
    np.testing.assert_allclose(cross_entropy(logits + shifts, labels), cross_entropy(logits, labels), atol=1e-11)


@pytest.mark.parametrize("scale", [1.0, 30.0, 500.0])
def test_logsumexp_and_log_softmax_match_a_high_precision_reference(rng, scale):
    logits = rng.normal(scale=scale, size=(6, 4))
    reference = reference_logsumexp(logits)
    np.testing.assert_allclose(logsumexp(logits), reference, rtol=1e-14, atol=1e-14)
    np.testing.assert_allclose(log_softmax(logits), logits - reference[:, None], rtol=1e-13, atol=1e-12 * scale)


def test_float32_logsumexp_is_accurate_to_float32_precision(rng):
    logits = rng.normal(scale=20.0, size=(6, 4)).astype(np.float32)
    reference = reference_logsumexp(logits)  # of the same float32 values, in high precision
    np.testing.assert_allclose(logsumexp(logits), reference, rtol=4 * np.finfo(np.float32).eps)


def test_log_softmax_is_log_of_softmax_where_softmax_does_not_underflow(rng):
    logits = rng.normal(scale=4.0, size=(10, 6))
    np.testing.assert_allclose(log_softmax(logits), np.log(softmax(logits)), rtol=1e-12)
    assert np.all(log_softmax(logits) <= 0)


# --- cross-entropy --------------------------------------------------------------------------


def test_cross_entropy_is_minus_log_softmax_at_the_label(rng):
    logits = rng.normal(scale=3.0, size=(20, 4))
    labels = rng.integers(0, 4, size=20)
    losses = cross_entropy(logits, labels)
    assert losses.shape == (20,)
    np.testing.assert_allclose(losses, -np.log(softmax(logits)[np.arange(20), labels]), rtol=1e-12)
    assert np.all(losses >= 0)


def test_cross_entropy_equals_the_one_hot_formula(rng):
    logits = rng.normal(scale=3.0, size=(20, 4))
    labels = rng.integers(0, 4, size=20)
    one_hot_labels = one_hot(labels, 4)
    np.testing.assert_allclose(
        cross_entropy(logits, labels), -(one_hot_labels * np.log(softmax(logits))).sum(axis=1), rtol=1e-12
    )
    np.testing.assert_allclose(
        cross_entropy(logits, labels), -(one_hot_labels * log_softmax(logits)).sum(axis=1), rtol=1e-12
    )


def test_cross_entropy_is_finite_where_softmax_rounds_to_zero():
    logits = np.array([[0.0, 800.0]])
    assert softmax(logits)[0, 0] == 0.0
    with np.errstate(divide="ignore"):
        assert np.isinf(-np.log(softmax(logits)[0, 0]))
    np.testing.assert_array_equal(cross_entropy(logits, [0]), [800.0])


# --- infinite and nan logits: the answers of scipy.special, without warnings -------------

INF = np.inf
NON_FINITE_ROWS = np.array(
    [
        [INF, 1.0, -2.0],  # one +inf: logsumexp +inf
        [INF, INF, 0.0],  # two +inf
        [INF, -INF, 3.0],  # +inf and -inf
        [-INF, -INF, -INF],  # only -inf: logsumexp -inf, no distribution
        [-INF, 0.0, 1.0],  # -inf among finite logits: a class of probability 0
        [np.nan, 0.0, 1.0],  # nan spreads over its row
        [0.5, -1.0, 2.0],  # finite, for comparison
    ]
)


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (logsumexp, lambda o: scipy.special.logsumexp(o, axis=1)),
        (log_softmax, lambda o: scipy.special.log_softmax(o, axis=1)),
        (softmax, lambda o: scipy.special.softmax(o, axis=1)),
    ],
)
def test_non_finite_logits_give_the_answers_of_scipy(ours, theirs, dtype):
    logits = NON_FINITE_ROWS.astype(dtype)
    with np.errstate(all="ignore"):  # scipy may warn; ours must not (filterwarnings)
        expected = theirs(logits)
    np.testing.assert_allclose(ours(logits), expected, rtol=4 * np.finfo(dtype).eps, equal_nan=True)


def test_logsumexp_of_infinite_rows_is_infinite():
    np.testing.assert_array_equal(logsumexp(NON_FINITE_ROWS[:5]), [INF, INF, INF, -INF, np.log(np.e + 1)])


@pytest.mark.filterwarnings("error")
def test_cross_entropy_of_non_finite_logits_is_minus_log_softmax_at_the_label():
    rows = np.repeat(NON_FINITE_ROWS, 3, axis=0)
    labels = np.tile([0, 1, 2], NON_FINITE_ROWS.shape[0])
    with np.errstate(all="ignore"):
        expected = -scipy.special.log_softmax(rows, axis=1)[np.arange(rows.shape[0]), labels]
    np.testing.assert_allclose(cross_entropy(rows, labels), expected, rtol=1e-15, equal_nan=True)
    # The label's class has probability 0 beside a +inf logit: the loss is +inf, not nan.
    np.testing.assert_array_equal(cross_entropy([[INF, 1.0], [-INF, 0.0]], [1, 0]), [INF, INF])


@pytest.mark.filterwarnings("error")
def test_the_gradient_is_nan_exactly_where_softmax_is():
    grad = cross_entropy_grad(NON_FINITE_ROWS, np.zeros(NON_FINITE_ROWS.shape[0], dtype=int))
    np.testing.assert_array_equal(np.isnan(grad).any(axis=1), np.isnan(softmax(NON_FINITE_ROWS)).any(axis=1))
    np.testing.assert_allclose(grad[4:7:2].sum(axis=1), 0.0, atol=1e-15)  # the masked row and the finite row


def test_cross_entropy_accepts_labels_as_a_list_or_whole_floats():
    logits = np.array([[1.0, 2.0], [3.0, 0.0]])
    np.testing.assert_array_equal(cross_entropy(logits, [1, 0]), cross_entropy(logits, np.array([1.0, 0.0])))


# --- gradients against central finite differences (float64) ------------------------------


def test_cross_entropy_grad_matches_central_differences(rng):
    logits = rng.normal(scale=2.0, size=(5, 4))
    labels = rng.integers(0, 4, size=5)
    numerical = numerical_gradient(lambda point: cross_entropy(point, labels).mean(), logits)
    analytic = cross_entropy_grad(logits, labels)
    assert relative_error(analytic, numerical) < 1e-6
    np.testing.assert_allclose(analytic.sum(axis=1), 0.0, atol=1e-15)


def test_loss_and_gradients_match_central_differences(rng):
    features = rng.normal(size=(12, 4))
    weights = rng.normal(scale=0.5, size=(4, 3))
    bias = rng.normal(size=3)
    labels = rng.integers(0, 3, size=12)
    loss, grad_weights, grad_bias = loss_and_gradients(features, labels, weights, bias)
    np.testing.assert_allclose(loss, cross_entropy(features @ weights + bias, labels).mean(), rtol=1e-14)

    def loss_of_weights(point):
        return loss_and_gradients(features, labels, point, bias)[0]

    def loss_of_bias(point):
        return loss_and_gradients(features, labels, weights, point)[0]

    assert grad_weights.shape == (4, 3) and grad_bias.shape == (3,)
    assert relative_error(grad_weights, numerical_gradient(loss_of_weights, weights)) < 1e-6
    assert relative_error(grad_bias, numerical_gradient(loss_of_bias, bias)) < 1e-6


def test_loss_and_gradients_match_a_loop_over_examples(rng):
    features = rng.normal(size=(9, 2))
    weights = rng.normal(size=(2, 4))
    bias = rng.normal(size=4)
    labels = rng.integers(0, 4, size=9)
    _, grad_weights, grad_bias = loss_and_gradients(features.tolist(), labels.tolist(), weights, bias)
    expected_weights, expected_bias = np.zeros((2, 4)), np.zeros(4)
    for x, label in zip(features, labels):
        error = softmax((x @ weights + bias)[None, :])[0] - one_hot([label], 4)[0]
        expected_weights += np.outer(x, error) / len(labels)
        expected_bias += error / len(labels)
    np.testing.assert_allclose(grad_weights, expected_weights, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(grad_bias, expected_bias, rtol=1e-12, atol=1e-15)


def test_linear_broadcasts_the_bias_to_every_row(rng):
    features, weights, bias = rng.normal(size=(3, 2)), rng.normal(size=(2, 4)), rng.normal(size=4)
    logits = linear(features, weights, bias)
    for row in range(3):
        np.testing.assert_allclose(logits[row], features[row] @ weights + bias, rtol=1e-14)


# --- errors that say what is wrong ------------------------------------------------------


@pytest.mark.parametrize("function", FUNCTIONS_OF_LOGITS)
@pytest.mark.parametrize("shape", [(3,), (2, 3, 4), ()])
def test_logits_that_are_not_2d_raise_naming_the_shape(function, shape):
    with pytest.raises(ValueError, match=r"2-D") as error:
        function(np.zeros(shape))
    assert str(shape) in str(error.value)


@pytest.mark.parametrize("function", FUNCTIONS_OF_LOGITS)
def test_logits_without_columns_raise(function):
    with pytest.raises(ValueError, match=r"\(4, 0\)"):
        function(np.zeros((4, 0)))


@pytest.mark.parametrize("function", [cross_entropy, cross_entropy_grad])
def test_label_count_mismatch_raises_naming_both_shapes(function):
    with pytest.raises(ValueError) as error:
        function(np.zeros((4, 3)), [0, 1, 2])
    assert "(4, 3)" in str(error.value) and "(3,)" in str(error.value)


@pytest.mark.parametrize("function", [cross_entropy, cross_entropy_grad])
def test_two_dimensional_labels_raise_naming_the_shape(function):
    with pytest.raises(ValueError, match=r"1-D.*\(4, 1\)"):
        function(np.zeros((4, 3)), np.zeros((4, 1), dtype=int))


@pytest.mark.parametrize("function", [cross_entropy, cross_entropy_grad])
@pytest.mark.parametrize("labels, bad, position", [([0, 1, 3, 0], 3, 2), ([-1, 0, 1, 2], -1, 0)])
def test_labels_out_of_range_raise_naming_value_and_position(function, labels, bad, position):
    with pytest.raises(ValueError, match=rf"expected labels in \[0, 3\), got {bad} at position {position}"):
        function(np.zeros((4, 3)), labels)


def test_non_integer_labels_raise():
    with pytest.raises(ValueError, match="whole numbers"):
        cross_entropy(np.zeros((2, 3)), [0.5, 1.0])


def test_gradient_of_no_examples_raises():
    with pytest.raises(ValueError, match=r"logits must hold at least one example, got shape \(0, 3\)"):
        cross_entropy_grad(np.zeros((0, 3)), [])
    with pytest.raises(ValueError, match="at least one example"):
        loss_and_gradients(np.zeros((0, 2)), [], np.zeros((2, 3)), np.zeros(3))


@pytest.mark.parametrize(
    "shapes",
    [((5, 4), (3, 3), (3,)), ((5, 4), (4, 3), (2,)), ((4,), (4, 3), (3,)), ((5, 4), (4, 3), (1, 3))],
)
def test_linear_and_loss_and_gradients_raise_naming_all_three_shapes(shapes):
    features, weights, bias = (np.zeros(shape) for shape in shapes)
    for call in (
        lambda: linear(features, weights, bias),
        lambda: loss_and_gradients(features, np.zeros(5, dtype=int), weights, bias),
    ):
        with pytest.raises(ValueError) as error:
            call()
        for shape in shapes:
            assert str(shape) in str(error.value)


def test_loss_and_gradients_labels_mismatch_raises():
    with pytest.raises(ValueError, match="got 4 labels for 5 examples"):
        loss_and_gradients(np.zeros((5, 2)), [0, 1, 2, 0], np.zeros((2, 3)), np.zeros(3))


def test_every_public_function_documents_shapes():
    for function in [*FUNCTIONS_OF_LOGITS, cross_entropy, cross_entropy_grad, linear, loss_and_gradients]:
        assert "shape" in inspect.getdoc(function), function.__name__


# --- weight decay: the penalised objective of a full-batch solver -------------


def _problem(n=103, d=5, q=4):
    rng = np.random.default_rng(11)
    return rng.normal(size=(n, d)), rng.integers(0, q, size=n), rng.normal(scale=0.3, size=(d, q)), rng.normal(size=q)


@pytest.mark.parametrize("weight_decay", [0.0, 0.3])
def test_weight_decay_adds_the_penalty_and_its_gradient(weight_decay):
    features, labels, weights, bias = _problem()
    loss, grad_w, grad_b = loss_and_gradients(features, labels, weights, bias)
    value, objective_w, objective_b = loss_and_gradients(features, labels, weights, bias, weight_decay=weight_decay)
    assert value == pytest.approx(loss + weight_decay / 2 * np.sum(weights**2), rel=1e-13)
    np.testing.assert_allclose(objective_w, grad_w + weight_decay * weights, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(objective_b, grad_b, rtol=1e-12, atol=1e-15)


def test_penalised_gradient_matches_finite_differences():
    features, labels, weights, bias = _problem(n=30, d=3, q=3)
    numeric = numerical_gradient(lambda w: loss_and_gradients(features, labels, w, bias, weight_decay=0.2)[0], weights)
    assert relative_error(loss_and_gradients(features, labels, weights, bias, weight_decay=0.2)[1], numeric) < 1e-8


def test_float32_features_with_float64_parameters_give_float64_close_to_float64():
    features, labels, weights, bias = _problem()
    value32, grad32, _ = loss_and_gradients(features.astype(np.float32), labels, weights, bias, weight_decay=0.1)
    value64, grad64, _ = loss_and_gradients(features, labels, weights, bias, weight_decay=0.1)
    assert grad32.dtype == np.float64
    assert value32 == pytest.approx(value64, rel=1e-6)
    np.testing.assert_allclose(grad32, grad64, rtol=1e-4, atol=1e-6)


def test_a_negative_or_non_numeric_penalty_raises():
    features, labels, weights, bias = _problem()
    with pytest.raises(ValueError, match="^weight_decay must be in"):
        loss_and_gradients(features, labels, weights, bias, weight_decay=-1.0)
    with pytest.raises(TypeError, match="^weight_decay must be a real number"):
        loss_and_gradients(features, labels, weights, bias, weight_decay="0.1")


def test_predict_is_the_class_of_the_largest_logit_and_the_one_train_and_geometry_use(rng):
    from softmax_course import geometry, train

    features, weights, bias = rng.normal(size=(50, 3)), rng.normal(size=(3, 4)), rng.normal(size=4)
    expected = np.argmax(features @ weights + bias, axis=1)
    np.testing.assert_array_equal(predict(features, weights, bias), expected)
    assert predict(features, weights, bias).dtype == np.int64
    assert predict([[0.0], [1.0]], [[1.0, 1.0]], [0.0, 0.0]).tolist() == [0, 0]  # ties: the smallest class
    assert train.predict is predict and geometry.predict is predict
    with pytest.raises(ValueError, match=r"X \(50, 3\), W \(4, 4\)"):
        predict(features, np.zeros((4, 4)), bias)
