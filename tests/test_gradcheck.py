"""Unit tests of softmax_course.gradcheck: central differences and the relative error."""

import numpy as np
import pytest

from softmax_course.gradcheck import numerical_gradient, relative_error


def test_central_differences_are_exact_for_a_quadratic():
    matrix = np.array([[2.0, 1.0], [1.0, 3.0]])
    theta = np.array([0.5, -1.5])
    # f = theta^T A theta / 2 has gradient A theta; central differences of a quadratic have no truncation error.
    gradient = numerical_gradient(lambda t: 0.5 * t @ matrix @ t, theta)
    np.testing.assert_allclose(gradient, matrix @ theta, rtol=1e-9)


def test_the_shape_of_theta_is_kept_and_theta_is_not_changed():
    theta = np.arange(6.0).reshape(2, 3)
    before = theta.copy()
    gradient = numerical_gradient(lambda t: np.sum(np.sin(t)), theta)
    assert gradient.shape == (2, 3) and gradient.dtype == np.float64
    np.testing.assert_array_equal(theta, before)
    np.testing.assert_allclose(gradient, np.cos(theta), rtol=1e-8)


def test_integer_and_list_points_become_float64():
    gradient = numerical_gradient(lambda t: float(np.sum(t**3)), [1, 2])
    np.testing.assert_allclose(gradient, [3.0, 12.0], rtol=1e-8)


def test_a_zero_dimensional_point_has_one_entry():
    assert numerical_gradient(lambda t: float(t) ** 2, 3.0) == pytest.approx(6.0)


def test_the_error_is_second_order_in_h():
    def f(t):
        return float(np.exp(t[0]))

    errors = [abs(numerical_gradient(f, [0.0], h=h)[0] - 1.0) for h in (1e-2, 1e-3)]
    assert 50 < errors[0] / errors[1] < 200  # h / 10 divides the error by about 100


@pytest.mark.parametrize(
    ("h", "error"), [(0.0, ValueError), (-1e-5, ValueError), (np.nan, ValueError), ("1e-5", TypeError)]
)
def test_a_step_that_is_not_positive_raises(h, error):
    with pytest.raises(error, match="h must be"):
        numerical_gradient(np.sum, [1.0], h=h)


def test_relative_error_is_symmetric_and_scale_free():
    first, second = np.array([1.0, 2.0, 2.0]), np.array([1.0, 2.0, 2.3])
    expected = 0.3 / np.linalg.norm(second)
    assert relative_error(first, second) == relative_error(second, first) == pytest.approx(expected)
    assert relative_error(1e6 * first, 1e6 * second) == pytest.approx(relative_error(first, second))
    assert isinstance(relative_error(first, second), float)


def test_relative_error_of_two_zero_arrays_is_zero():
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(np.zeros(3), np.ones(3)) == 1.0


def test_relative_error_names_both_shapes_when_they_differ():
    with pytest.raises(ValueError, match=r"\(2,\) and \(3,\)"):
        relative_error(np.zeros(2), np.zeros(3))
