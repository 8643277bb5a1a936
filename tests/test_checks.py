"""The shared argument checker: TypeError for a wrong type, ValueError for a value out of range."""

import math
import numbers

import numpy as np
import pytest

from softmax_course._checks import (
    as_float_matrix,
    as_matrix_and_labels,
    as_model_data,
    check_nonempty,
    check_nonnegative,
    check_scalar,
)


@pytest.mark.parametrize("value", [1, 7, np.int64(3), np.uint8(200)])
def test_a_positive_integer_passes_unchanged(value):
    assert check_scalar(value, "batch_size", numbers.Integral, min_val=1) is value


@pytest.mark.parametrize("value", [2.5, 3.0, "3", None, True, np.bool_(True), [1]])
def test_a_value_of_the_wrong_type_raises_type_error_naming_it(value):
    with pytest.raises(TypeError, match=r"batch_size must be an integer, got .* of type"):
        check_scalar(value, "batch_size", numbers.Integral, min_val=1)


def test_bool_passes_only_when_named():
    assert check_scalar(True, "flag", (bool, numbers.Integral)) is True


@pytest.mark.parametrize("value", [0, -3])
def test_a_value_below_the_minimum_raises_value_error_naming_it(value):
    with pytest.raises(ValueError, match=f"batch_size must be >= 1, got {value}"):
        check_scalar(value, "batch_size", numbers.Integral, min_val=1)


@pytest.mark.parametrize(
    ("boundaries", "inside", "outside", "wanted"),
    [
        ("both", [0, 3], [-1, 4], r"in \[0, 3\]"),
        ("left", [0, 2], [-1, 3], r"in \[0, 3\)"),
        ("right", [1, 3], [0, 4], r"in \(0, 3\]"),
        ("neither", [1, 2], [0, 3], r"in \(0, 3\)"),
    ],
)
def test_include_boundaries_decides_which_bounds_belong(boundaries, inside, outside, wanted):
    for value in inside:
        check_scalar(value, "k", numbers.Integral, min_val=0, max_val=3, include_boundaries=boundaries)
    for value in outside:
        with pytest.raises(ValueError, match=f"k must be {wanted}, got {value}"):
            check_scalar(value, "k", numbers.Integral, min_val=0, max_val=3, include_boundaries=boundaries)


def test_one_sided_bounds_name_their_comparison():
    with pytest.raises(ValueError, match="rate must be > 0, got 0"):
        check_scalar(0.0, "rate", numbers.Real, min_val=0, include_boundaries="neither")
    with pytest.raises(ValueError, match="p must be <= 1, got 1.5"):
        check_scalar(1.5, "p", numbers.Real, max_val=1)
    with pytest.raises(ValueError, match="p must be < 1, got 1"):
        check_scalar(1, "p", numbers.Real, max_val=1, include_boundaries="neither")


@pytest.mark.parametrize("value", [math.nan, math.inf, np.float32("nan")])
def test_a_finite_number_is_asked_for_with_an_open_infinite_bound(value):
    with pytest.raises(ValueError, match=r"learning_rate must be in \[0, inf\)"):
        check_scalar(value, "learning_rate", numbers.Real, min_val=0, max_val=math.inf, include_boundaries="left")


def test_nan_passes_only_an_unbounded_check():
    assert math.isnan(check_scalar(math.nan, "x", numbers.Real))
    with pytest.raises(ValueError, match="x must be >= 0, got nan"):
        check_scalar(math.nan, "x", numbers.Real, min_val=0)


def test_reals_accept_integers_and_numpy_floats():
    for value in (1, 0.5, np.float32(0.5), np.float64(2.0)):
        check_scalar(value, "scale", numbers.Real, min_val=0)


def test_the_type_message_lists_every_accepted_type():
    with pytest.raises(TypeError, match="seed must be an integer or None, got 'a' of type str"):
        check_scalar("a", "seed", (numbers.Integral, type(None)))


def test_an_unknown_include_boundaries_is_refused():
    with pytest.raises(ValueError, match="include_boundaries must be"):
        check_scalar(1, "k", numbers.Integral, min_val=0, include_boundaries="open")


def test_a_matrix_and_its_labels_are_checked_against_each_other():
    values, labels = as_matrix_and_labels([[1, 2], [3, 4]], [1.0, 0.0], "probabilities")
    assert values.dtype == np.float64 and labels.dtype == np.int64
    mismatch = r"one label per row of probabilities: .* \(2, 2\), labels have shape \(3,\)"
    with pytest.raises(ValueError, match=mismatch):
        as_matrix_and_labels(np.ones((2, 2)), [0, 1, 0], "probabilities")
    no_classes = r"probabilities must have at least one column \(q >= 1\), got shape \(2, 0\)"
    with pytest.raises(ValueError, match=no_classes):
        as_matrix_and_labels(np.ones((2, 0)), [0, 1], "probabilities")
    with pytest.raises(ValueError, match=r"expected labels in \[0, 2\), got 2 at position 1"):
        as_matrix_and_labels(np.ones((2, 2)), [0, 2], "probabilities")


def test_float32_keeps_its_dtype_and_a_matrix_must_be_2d():
    assert as_float_matrix(np.ones((1, 1), np.float32), "x").dtype == np.float32
    with pytest.raises(ValueError, match=r"x must be a 2-D array \(n, q\), got shape \(3,\)"):
        as_float_matrix(np.ones(3), "x")


@pytest.mark.parametrize("value", [0, 0.0, 2, np.float32(0.5), 1e300])
def test_a_finite_number_at_least_zero_passes_as_a_float(value):
    result = check_nonnegative(value, "weight_decay")
    assert isinstance(result, float) and result == float(value)


@pytest.mark.parametrize("value", [-0.1, math.inf, math.nan])
def test_a_negative_or_infinite_or_nan_rate_raises_value_error_naming_it(value):
    with pytest.raises(ValueError, match=r"^weight_decay must be in \[0, inf\)"):
        check_nonnegative(value, "weight_decay")


@pytest.mark.parametrize("value", ["0.1", None, True, [0.1]])
def test_a_rate_of_the_wrong_type_raises_type_error_naming_it(value):
    with pytest.raises(TypeError, match="^margin must be a real number"):
        check_nonnegative(value, "margin")


def test_an_empty_set_raises_naming_it_and_its_shape():
    assert check_nonempty(np.zeros((1, 3)), "logits").shape == (1, 3)
    with pytest.raises(ValueError, match=r"^logits must hold at least one example, got shape \(0, 3\)"):
        check_nonempty(np.zeros((0, 3)), "logits")
    with pytest.raises(ValueError, match=r"^probabilities must hold at least one example"):
        as_matrix_and_labels(np.zeros((0, 3)), [], "probabilities", nonempty=True)
    assert as_matrix_and_labels(np.zeros((0, 3)), [], "logits")[0].shape == (0, 3)


def test_model_data_checks_features_and_labels_against_the_parameters():
    weights, bias = np.zeros((2, 3)), np.zeros(3)
    features, labels = as_model_data([[1, 2], [3, 4]], [2, 0], weights, bias)
    assert features.dtype == np.float64 and labels.dtype == np.int64 and labels.tolist() == [2, 0]
    assert as_model_data(np.ones((2, 2), np.float32), [0, 1], weights, bias)[0].dtype == np.float32
    with pytest.raises(ValueError, match=r"X \(2, 3\), W \(2, 3\), b \(3,\)"):
        as_model_data(np.zeros((2, 3)), [0, 1], weights, bias)
    with pytest.raises(ValueError, match=r"expected labels in \[0, 3\), got 3 at position 1"):
        as_model_data(np.zeros((2, 2)), [0, 3], weights, bias)
    with pytest.raises(ValueError, match="got 1 labels for 2 examples"):
        as_model_data(np.zeros((2, 2)), [0], weights, bias)
    with pytest.raises(ValueError, match="features must hold at least one example"):
        as_model_data(np.zeros((0, 2)), [], weights, bias)
