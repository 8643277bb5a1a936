"""Unit tests of softmax_course.geometry."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from softmax_course import geometry, softmax  # noqa: E402


@pytest.fixture
def model():
    rng = np.random.default_rng(0)
    return rng.normal(size=(2, 3)), rng.normal(size=3)


def test_pairwise_boundary_equal_probabilities(model):
    W, b = model
    normal, offset = geometry.pairwise_boundary(W, b, 0, 2)
    np.testing.assert_allclose(normal, W[:, 0] - W[:, 2])
    # points on the hyperplane: x = x0 + t * (direction orthogonal to the normal)
    x0 = -offset * normal / (normal @ normal)
    along = np.array([-normal[1], normal[0]])
    points = x0 + np.linspace(-3, 3, 7)[:, None] * along
    P = softmax.softmax(points @ W + b)
    np.testing.assert_allclose(P[:, 0], P[:, 2], rtol=1e-10)


def test_boundary_segment_on_line_and_in_box(model):
    W, b = model
    seg = geometry.boundary_segment(W, b, 0, 1, (-10, 10), (-10, 10))
    normal, offset = geometry.pairwise_boundary(W, b, 0, 1)
    assert seg.shape == (2, 2)
    np.testing.assert_allclose(seg @ normal + offset, 0.0, atol=1e-9)
    assert np.all(np.abs(seg) <= 10 + 1e-12)


def test_boundary_segment_vertical_and_missing():
    W = np.array([[1.0, 0.0], [0.0, 0.0]])  # boundary x_1 = 0.5 (vertical)
    b = np.array([-0.5, 0.0])
    seg = geometry.boundary_segment(W, b, 0, 1, (0, 1), (0, 2))
    np.testing.assert_allclose(sorted(seg[:, 0]), [0.5, 0.5])
    np.testing.assert_allclose(sorted(seg[:, 1]), [0.0, 2.0])
    assert geometry.boundary_segment(W, b, 0, 1, (2, 3), (0, 1)) is None
    assert geometry.boundary_segment(np.zeros((2, 2)), np.zeros(2), 0, 1, (0, 1), (0, 1)) is None


def test_region_grid_layout():
    x1, x2, points = geometry.region_grid(np.array([[0.0, 1.0], [2.0, 3.0]]), num=5, pad=1.0)
    assert points.shape == (25, 2)
    np.testing.assert_allclose([x1[0], x1[-1], x2[0], x2[-1]], [-1, 3, 0, 4])
    np.testing.assert_allclose(points[1 * 5 + 3], [x1[3], x2[1]])


def test_plot_regions_draws_three_lines(model):
    W, b = model
    X = np.random.default_rng(2).normal(size=(30, 2))
    fig, ax = plt.subplots()
    geometry.plot_regions(
        X,
        geometry.predict(X, W, b),
        W,
        b,
        ax=ax,
        feature_names=("a", "b"),
        class_names=("x", "y", "z"),
        num=50,
        pad=5.0,
    )
    assert len(ax.images) == 1 and len(ax.lines) <= 3 and ax.get_xlabel() == "a"
    plt.close(fig)


def test_one_vs_rest_shapes_and_independence():
    rng = np.random.default_rng(3)
    X = np.vstack([rng.normal(loc=c, size=(20, 2)) for c in ((0, 0), (5, 0), (0, 5))])
    labels = np.repeat([0, 1, 2], 20)
    W, b = geometry.fit_one_vs_rest(X, labels)
    assert W.shape == (2, 3) and b.shape == (3,)
    assert np.mean(geometry.predict(X, W, b) == labels) > 0.9
    P = geometry.sigmoid(X @ W + b)
    assert not np.allclose(P.sum(axis=1), 1.0)  # independent questions, not one distribution


def test_sigmoid_stable():
    np.testing.assert_allclose(geometry.sigmoid([-1000.0, 0.0, 1000.0]), [0.0, 0.5, 1.0])
    np.testing.assert_allclose(geometry.sigmoid([2.0]), [1 / (1 + np.exp(-2.0))])


def test_unstandardize_same_logits():
    rng = np.random.default_rng(4)
    X = rng.normal(loc=3.0, scale=2.0, size=(20, 3))
    mean, std = X.mean(axis=0), X.std(axis=0)
    W, b = rng.normal(size=(3, 4)), rng.normal(size=4)
    W_raw, b_raw = geometry.unstandardize(W, b, mean, std)
    np.testing.assert_allclose(X @ W_raw + b_raw, (X - mean) / std @ W + b, atol=1e-12)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: geometry.unstandardize(np.zeros((2, 3)), np.zeros(3), np.zeros(2), np.array([1.0, 0.0])), "std"),
        (lambda: geometry.pairwise_boundary(np.zeros((2, 3)), np.zeros(3), 1, 1), "two different classes"),
        (lambda: geometry.pairwise_boundary(np.zeros((2, 3)), np.zeros(3), 0, 3), r"in \[0, 3\)"),
        (lambda: geometry.pairwise_boundary(np.zeros((2, 3)), np.zeros(2), 0, 1), "b \\(2,\\)"),
        (lambda: geometry.boundary_segment(np.zeros((3, 2)), np.zeros(2), 0, 1, (0, 1), (0, 1)), "d = 2"),
        (lambda: geometry.region_grid(np.zeros((3, 3))), r"\(n, 2\)"),
        (lambda: geometry.fit_one_vs_rest(np.zeros((2, 2)), [0, 2]), "class 1 has none"),
    ],
)
def test_errors_name_the_problem(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: geometry.pairwise_boundary(np.zeros((2, 3)), np.zeros(3), 0, 1.0), "class k must be an integer"),
        (lambda: geometry.pairwise_boundary(np.zeros((2, 3)), np.zeros(3), "0", 1), "class j must be an integer"),
        (lambda: geometry.region_grid(np.zeros((3, 2)), num=2.5), "num must be an integer"),
        (lambda: geometry.region_grid(np.zeros((3, 2)), pad="1"), "pad must be a real number"),
    ],
)
def test_a_wrong_type_raises_type_error_naming_the_argument(call, match):
    with pytest.raises(TypeError, match=match):
        call()


def test_an_empty_set_has_no_grid():
    with pytest.raises(ValueError, match="features must hold at least one example"):
        geometry.region_grid(np.zeros((0, 2)))


def test_plot_regions_takes_data_then_parameters_and_draws_its_own_axes_when_none_is_given(model):
    import matplotlib.pyplot as plt

    W, b = model
    X = np.random.default_rng(3).normal(size=(20, 2))
    ax = geometry.plot_regions(X, geometry.predict(X, W, b), W, b, feature_names=("a", "b"), class_names="xyz", num=20)
    assert len(ax.images) == 1 and ax.get_ylabel() == "b"
    plt.close(ax.figure)
