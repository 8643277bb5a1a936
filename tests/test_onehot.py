"""Unit tests of softmax_course.onehot: encoding labels as one-hot rows and decoding scores."""

import numpy as np
import pytest

from softmax_course.onehot import decode, one_hot


@pytest.fixture
def rng():
    return np.random.default_rng(20240501)


def test_one_hot_has_a_single_one_per_row_in_the_label_column(rng):
    labels = rng.integers(0, 5, size=40)
    encoded = one_hot(labels, 5)
    assert encoded.shape == (40, 5)
    assert set(np.unique(encoded)) <= {0.0, 1.0}
    np.testing.assert_array_equal(encoded.sum(axis=1), np.ones(40))
    for row, label in enumerate(labels):
        assert encoded[row, label] == 1.0


@pytest.mark.parametrize("num_classes", [1, 2, 3, 10])
def test_decode_undoes_one_hot(rng, num_classes):
    labels = rng.integers(0, num_classes, size=25)
    decoded = decode(one_hot(labels, num_classes))
    assert decoded.dtype == np.int64
    np.testing.assert_array_equal(decoded, labels)


def test_column_sums_count_the_classes(rng):
    labels = rng.integers(0, 4, size=100)
    np.testing.assert_array_equal(one_hot(labels, 4).sum(axis=0), np.bincount(labels, minlength=4))


def test_dtype_default_and_choice():
    assert one_hot([0, 1], 2).dtype == np.float64
    assert one_hot([0, 1], 2, dtype=np.float32).dtype == np.float32
    assert one_hot([0, 1], 2, dtype=np.int64).dtype == np.int64


def test_whole_number_floats_are_accepted_as_labels():
    np.testing.assert_array_equal(one_hot(np.array([2.0, 0.0]), 3), one_hot([2, 0], 3))


def test_no_labels_give_an_empty_matrix_with_q_columns():
    assert one_hot([], 3).shape == (0, 3)


@pytest.mark.parametrize("labels, bad, position", [([0, 1, 3], 3, 2), ([0, -1, 1], -1, 1), ([7], 7, 0)])
def test_labels_out_of_range_raise_naming_value_and_position(labels, bad, position):
    with pytest.raises(ValueError, match=rf"expected labels in \[0, 3\), got {bad} at position {position}"):
        one_hot(labels, 3)


def test_non_integer_labels_raise():
    with pytest.raises(ValueError, match="whole numbers"):
        one_hot([0.0, 1.5], 3)


def test_two_dimensional_labels_raise_naming_the_shape():
    with pytest.raises(ValueError, match=r"1-D.*\(2, 2\)"):
        one_hot([[0, 1], [1, 0]], 2)


@pytest.mark.parametrize("num_classes", [0, -2])
def test_a_number_of_classes_below_one_raises_value_error(num_classes):
    with pytest.raises(ValueError, match=f"num_classes must be >= 1, got {num_classes}"):
        one_hot([0], num_classes)


@pytest.mark.parametrize("num_classes", [2.5, 3.0, "3", None, True])
def test_a_number_of_classes_that_is_not_an_integer_raises_type_error(num_classes):
    with pytest.raises(TypeError, match="num_classes must be an integer"):
        one_hot([0], num_classes)


def test_a_numpy_integer_is_a_number_of_classes():
    np.testing.assert_array_equal(one_hot([1], np.int64(2)), [[0.0, 1.0]])


def test_decode_takes_the_largest_score_and_breaks_ties_to_the_smallest_index():
    scores = np.array([[0.1, 10.0, 1.0], [2.0, 2.0, -1.0], [-5.0, -3.0, -3.0]])
    np.testing.assert_array_equal(decode(scores), [1, 0, 1])


def test_decode_is_the_same_for_logits_and_their_softmax(rng):
    logits = rng.normal(scale=3.0, size=(30, 6))
    exps = np.exp(logits)
    np.testing.assert_array_equal(decode(logits), decode(exps / exps.sum(axis=1, keepdims=True)))


@pytest.mark.parametrize("shape", [(3,), (2, 0), (2, 3, 4)])
def test_decode_rejects_scores_that_are_not_n_by_q(shape):
    with pytest.raises(ValueError) as error:
        decode(np.zeros(shape))
    assert str(shape) in str(error.value)
