"""Tests of softmax_course.calibration: reliability bins, ECE, temperature NLL and its fit, the diagram."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from softmax_course import calibration
from softmax_course import softmax as sm


def make_logits(n=400, q=5, scale=2.0, seed=0):
    """Logits where the true class gets a head start of ``scale``: informative, not separable."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, q, size=n)
    logits = rng.normal(scale=scale, size=(n, q))
    logits[np.arange(n), labels] += scale
    return logits, labels


# --- reliability_bins and expected_calibration_error --------------------------


def test_bins_count_every_example_once_and_average_inside_the_bin():
    probabilities = np.array([[0.95, 0.05], [0.9, 0.1], [0.4, 0.6], [0.5, 0.5]])
    labels = np.array([0, 1, 1, 0])
    bins = calibration.reliability_bins(probabilities, labels, num_bins=2)
    np.testing.assert_array_equal(bins["edges"], [0.0, 0.5, 1.0])
    np.testing.assert_array_equal(bins["count"], [1, 3])  # 0.5 falls in (0, 0.5]
    np.testing.assert_allclose(bins["confidence"], [0.5, (0.95 + 0.9 + 0.6) / 3])
    np.testing.assert_allclose(bins["accuracy"], [1.0, 2 / 3])


def test_empty_bins_are_nan_and_ignored_by_the_ece():
    probabilities = np.array([[0.9, 0.1], [0.9, 0.1]])
    bins = calibration.reliability_bins(probabilities, [0, 1], num_bins=10)
    assert np.isnan(bins["accuracy"][0]) and np.isnan(bins["confidence"][0])
    assert bins["count"].sum() == 2
    assert calibration.expected_calibration_error(probabilities, [0, 1], num_bins=10) == pytest.approx(0.4)


def test_ece_is_zero_when_confidence_matches_accuracy_and_one_when_sure_and_wrong():
    # Confidence 0.75, right in three of four examples: calibrated.
    probabilities = np.tile([0.75, 0.25], (4, 1))
    assert calibration.expected_calibration_error(probabilities, [0, 0, 0, 1]) == pytest.approx(0.0)
    sure = np.tile([1.0, 0.0], (3, 1))
    assert calibration.expected_calibration_error(sure, [1, 1, 1]) == pytest.approx(1.0)


def test_ece_matches_a_loop_over_the_bins():
    logits, labels = make_logits()
    probabilities = sm.softmax(logits)
    confidence, correct = probabilities.max(axis=1), probabilities.argmax(axis=1) == labels
    expected = 0.0
    for low, high in zip(np.linspace(0, 1, 16)[:-1], np.linspace(0, 1, 16)[1:]):
        inside = (confidence > low) & (confidence <= high)
        if inside.any():
            expected += inside.mean() * abs(correct[inside].mean() - confidence[inside].mean())
    assert calibration.expected_calibration_error(probabilities, labels) == pytest.approx(expected)


@pytest.mark.parametrize(
    "probabilities, labels, num_bins, message",
    [
        (np.ones(3) / 3, [0], 15, "2-D"),
        (np.ones((2, 3)) / 3, [0, 1, 2], 15, "one label per row"),
        (np.ones((2, 3)) / 3, [0, 3], 15, "expected labels in"),
        (np.ones((2, 3)) / 3, [0, 1], 0, "num_bins must be >= 1"),
        (np.ones((0, 3)), [], 15, "at least one example"),
    ],
)
def test_bins_refuse_what_does_not_fit(probabilities, labels, num_bins, message):
    with pytest.raises(ValueError, match=message):
        calibration.reliability_bins(probabilities, labels, num_bins)


def test_num_bins_must_be_an_integer():
    with pytest.raises(TypeError, match="num_bins"):
        calibration.reliability_bins(np.ones((2, 3)) / 3, [0, 1], 2.5)


# --- temperature_nll ----------------------------------------------------------


def test_temperature_one_is_the_mean_cross_entropy():
    logits, labels = make_logits()
    nll, _ = calibration.temperature_nll(logits, labels, 1.0)
    assert nll == pytest.approx(sm.cross_entropy(logits, labels).mean(), rel=1e-12)


@pytest.mark.parametrize("temperature", [0.3, 1.0, 4.0])
def test_derivative_matches_central_differences(temperature):
    logits, labels = make_logits()
    h = 1e-6 * temperature
    up, _ = calibration.temperature_nll(logits, labels, temperature + h)
    down, _ = calibration.temperature_nll(logits, labels, temperature - h)
    _, derivative = calibration.temperature_nll(logits, labels, temperature)
    assert derivative == pytest.approx((up - down) / (2 * h), rel=1e-6, abs=1e-9)


def test_temperature_nll_does_not_overflow_on_large_logits():
    logits = np.array([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 0.0]], dtype=np.float32)
    nll, derivative = calibration.temperature_nll(logits, [0, 0], 0.5)
    assert np.isfinite(nll) and np.isfinite(derivative)
    assert nll == pytest.approx(0.5 * 2000.0)  # the second example pays 1000 / 0.5


@pytest.mark.parametrize("temperature", [0.0, -1.0, np.inf, np.nan])
def test_temperature_must_be_a_positive_finite_number(temperature):
    logits, labels = make_logits(n=10)
    with pytest.raises(ValueError, match="temperature must be in"):
        calibration.temperature_nll(logits, labels, temperature)


@pytest.mark.parametrize("temperature", [True, "1", None])
def test_temperature_must_be_a_number(temperature):
    logits, labels = make_logits(n=10)
    with pytest.raises(TypeError, match="temperature"):
        calibration.temperature_nll(logits, labels, temperature)


def test_fit_settings_are_checked():
    logits, labels = make_logits(n=10)
    with pytest.raises(ValueError, match="rtol"):
        calibration.fit_temperature(logits, labels, rtol=0.0)
    with pytest.raises(TypeError, match="max_iter"):
        calibration.fit_temperature(logits, labels, max_iter=2.5)
    with pytest.raises(ValueError, match="did not converge"):
        calibration.fit_temperature(logits, labels, max_iter=1)


# --- fit_temperature ----------------------------------------------------------


@pytest.mark.parametrize("scale", [0.1, 1.0, 10.0])
def test_fit_is_a_stationary_point_and_matches_a_bounded_scalar_search(scale):
    scipy_optimize = pytest.importorskip("scipy.optimize")
    logits, labels = make_logits(scale=scale)
    temperature = calibration.fit_temperature(logits, labels)
    _, derivative = calibration.temperature_nll(logits, labels, temperature)
    assert abs(derivative) < 1e-8 / temperature

    def nll_of_log_t(log_t):
        return calibration.temperature_nll(logits, labels, np.exp(log_t))[0]

    found = scipy_optimize.minimize_scalar(nll_of_log_t, bounds=(-10, 10), method="bounded", options={"xatol": 1e-10})
    assert temperature == pytest.approx(np.exp(found.x), rel=1e-6)


def test_scaling_the_logits_scales_the_fitted_temperature():
    logits, labels = make_logits()
    temperature = calibration.fit_temperature(logits, labels)
    assert calibration.fit_temperature(3.0 * logits, labels) == pytest.approx(3.0 * temperature, rel=1e-8)


def test_fitted_temperature_keeps_every_prediction_and_lowers_the_nll():
    logits, labels = make_logits(seed=1)
    temperature = calibration.fit_temperature(logits, labels)
    np.testing.assert_array_equal((logits / temperature).argmax(axis=1), logits.argmax(axis=1))
    for other in (0.5 * temperature, 2.0 * temperature, 1.0):
        assert (
            calibration.temperature_nll(logits, labels, temperature)[0]
            <= (calibration.temperature_nll(logits, labels, other)[0])
        )


def test_fit_refuses_separable_and_uninformative_logits():
    with pytest.raises(ValueError, match="T = 0"):
        calibration.fit_temperature(np.array([[2.0, 0.0], [0.0, 1.0]]), [0, 1])
    with pytest.raises(ValueError, match="infinity"):
        calibration.fit_temperature(np.array([[2.0, 0.0], [0.0, 1.0]]), [1, 0])


# --- plot_reliability ---------------------------------------------------------


def test_plot_draws_one_bar_per_full_bin_and_names_the_ece():
    import matplotlib.pyplot as plt

    logits, labels = make_logits()
    probabilities = sm.softmax(logits)
    ax = calibration.plot_reliability(probabilities, labels, num_bins=10, title="test")
    full = int(np.count_nonzero(calibration.reliability_bins(probabilities, labels, 10)["count"]))
    assert len(ax.patches) == 2 * full  # accuracy bars and gap bars
    ece = calibration.expected_calibration_error(probabilities, labels, 10)
    assert ax.get_title() == f"test\nECE = {ece:.3f}"
    assert {text.get_text() for text in ax.get_legend().get_texts()} == {"accuracy", "gap to confidence", "calibrated"}
    plt.close(ax.figure)
    bare = calibration.plot_reliability(probabilities, labels, legend=False)
    assert bare.get_legend() is None
    plt.close(bare.figure)


def test_plot_draws_into_a_given_axes():
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2)
    logits, labels = make_logits()
    assert calibration.plot_reliability(sm.softmax(logits), labels, ax=right) is right
    assert not left.patches
    plt.close(fig)
