"""Tests of softmax_course.plot: progress display, image grid, confusion matrix, weight templates."""

import os
import subprocess
import sys
import textwrap

import matplotlib

matplotlib.use("Agg")  # no display needed; must precede the pyplot import

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from softmax_course import plot  # noqa: E402

NAMES = [f"class {j}" for j in range(10)]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def image_count(figure):
    return sum(len(ax.images) for ax in figure.axes)


def saved_width_px(figure):
    """Width of the PNG a notebook shows (100 dpi, bbox_inches="tight", as the inline backend saves it)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return Image.open(buffer).width


# --- ProgressPlot -------------------------------------------------------------


def test_progress_plot_draws_and_prints_nothing_in_plain_python():
    script = textwrap.dedent(
        """
        import matplotlib.pyplot as plt
        from softmax_course.plot import ProgressPlot
        progress = ProgressPlot(3, title="t")
        for epoch in (1, 2, 3):
            progress.update(epoch, train_loss=1.0 / epoch, train_accuracy=0.5, valid_accuracy=0.4)
        progress.finish()
        assert not progress.live
        assert progress.train_loss == [1.0, 0.5, 1.0 / 3]
        assert plt.get_fignums() == [], plt.get_fignums()
        """
    )
    env = {**os.environ, "MPLBACKEND": "Agg"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == ""


def test_progress_plot_records_values_but_stays_silent_under_pytest(capsys):
    progress = plot.ProgressPlot(2)
    progress.update(1, train_loss=0.9, train_accuracy=0.6, valid_accuracy=0.55)
    progress.update(2, train_loss=0.7, train_accuracy=0.7)
    assert not progress.live
    assert progress.epochs == [1, 2]
    assert progress.valid_accuracy[0] == 0.55 and np.isnan(progress.valid_accuracy[1])
    assert plt.get_fignums() == []
    assert capsys.readouterr() == ("", "")


class FakeHandle:
    def __init__(self, log):
        self.log = log

    def update(self, obj):
        self.log.append(("update", obj))


@pytest.fixture
def fake_kernel(monkeypatch):
    """Pretend to run in a Jupyter kernel; return the log of display calls."""
    import IPython
    import IPython.display

    log = []

    class FakeShell:
        kernel = object()

    def fake_display(obj, display_id=False):
        assert display_id is True
        log.append(("display", obj))
        return FakeHandle(log)

    monkeypatch.setattr(IPython, "get_ipython", lambda: FakeShell())
    monkeypatch.setattr(IPython.display, "display", fake_display)
    return log


def test_progress_plot_in_a_kernel_displays_once_then_updates_in_place(fake_kernel):
    import IPython.display

    progress = plot.ProgressPlot(3, min_interval=0)
    assert progress.live
    for epoch in (1, 2, 3):
        progress.update(epoch, train_loss=1.0 / epoch, train_accuracy=0.5 + 0.1 * epoch, valid_accuracy=0.5)
    progress.finish()
    assert [kind for kind, _ in fake_kernel] == ["display", "update", "update"]
    assert all(isinstance(obj, IPython.display.Image) for _, obj in fake_kernel)
    assert fake_kernel[-1][1].data[:8] == b"\x89PNG\r\n\x1a\n"
    assert plt.get_fignums() == []  # no pyplot figure left behind to be shown twice


def test_progress_plot_throttles_redraws_but_always_draws_the_last_epoch(fake_kernel):
    progress = plot.ProgressPlot(4, min_interval=3600)
    for epoch in (1, 2, 3, 4):
        progress.update(epoch, train_loss=1.0, train_accuracy=0.5, valid_accuracy=0.5)
    assert [kind for kind, _ in fake_kernel] == ["display", "update"]  # epochs 1 and 4
    line = progress.figure().axes[0].lines[0]
    assert list(line.get_xdata()) == [1, 2, 3, 4]


def test_progress_plot_finish_draws_an_undrawn_last_epoch(fake_kernel):
    progress = plot.ProgressPlot(10, min_interval=3600)
    progress.update(1, train_loss=1.0, train_accuracy=0.5)
    progress.update(2, train_loss=0.9, train_accuracy=0.6)  # training stopped early
    progress.finish()
    progress.finish()  # a second finish draws nothing more
    assert [kind for kind, _ in fake_kernel] == ["display", "update"]


def test_progress_figure_has_two_labelled_panels_with_legends():
    progress = plot.ProgressPlot(4, title="Softmax regression")
    for epoch in (1, 2):
        progress.update(epoch, train_loss=0.8 / epoch, train_accuracy=0.7, valid_accuracy=0.68)
    figure = progress.figure()
    loss_axes, accuracy_axes = figure.axes
    assert loss_axes.get_title() == "Softmax regression"
    assert loss_axes.get_ylabel() and accuracy_axes.get_ylabel() == "accuracy"
    assert accuracy_axes.get_xlabel() == "epoch"
    assert [t.get_text() for t in accuracy_axes.get_legend().get_texts()] == ["train accuracy", "validation accuracy"]
    test_run = plot.ProgressPlot(4, valid_label="test accuracy")
    test_run.update(1, train_loss=0.8, train_accuracy=0.7, valid_accuracy=0.68)
    assert test_run.figure().axes[1].get_legend().get_texts()[1].get_text() == "test accuracy"
    assert accuracy_axes.get_xlim() == (0.5, 4.5)
    assert plt.get_fignums() == []


@pytest.mark.parametrize("bad, error", [(0, ValueError), (-1, ValueError), (2.0, TypeError), (True, TypeError)])
def test_progress_plot_rejects_bad_epoch_counts(bad, error):
    with pytest.raises(error, match="^num_epochs must be"):
        plot.ProgressPlot(bad)


def test_progress_plot_rejects_epoch_out_of_range():
    progress = plot.ProgressPlot(2)
    with pytest.raises(ValueError, match=r"^epoch must be in \[1, 2\], got 3"):
        progress.update(3, train_loss=1.0, train_accuracy=0.5)
    with pytest.raises(ValueError, match="min_interval"):
        plot.ProgressPlot(2, min_interval=-1)


# --- image_grid ---------------------------------------------------------------


def test_image_grid_draws_one_image_per_title_and_hides_spare_axes():
    images = np.random.default_rng(0).integers(0, 256, size=(7, 28, 28), dtype=np.uint8)
    titles = [f"item {i}" for i in range(7)]
    figure = plot.image_grid(images, titles, num_cols=4, title_colors=["red"] * 7, suptitle="Seven")
    assert len(figure.axes) == 8
    assert image_count(figure) == 7
    assert [ax.get_title() for ax in figure.axes[:7]] == titles
    assert not figure.axes[7].images
    assert figure.get_figwidth() <= 8


def test_image_grid_without_titles_and_with_more_columns_than_images():
    figure = plot.image_grid(np.zeros((2, 5, 5)), num_cols=10)
    assert len(figure.axes) == 2 and image_count(figure) == 2


def test_image_grid_accepts_titles_as_an_array():
    figure = plot.image_grid(np.zeros((3, 28, 28), dtype=np.uint8), np.array(["a", "b", "c"]), num_cols=3)
    assert [ax.get_title() for ax in figure.axes] == ["a", "b", "c"]


def test_image_grid_rejects_wrong_shapes_naming_them():
    with pytest.raises(ValueError, match=r"\(n, height, width\) with n >= 1, got shape \(5, 784\)"):
        plot.image_grid(np.zeros((5, 784)))
    with pytest.raises(ValueError, match=r"got 2 titles for 3 images of shape \(3, 28, 28\)"):
        plot.image_grid(np.zeros((3, 28, 28)), ["a", "b"])
    with pytest.raises(ValueError, match="^num_cols must be >= 1, got 0"):
        plot.image_grid(np.zeros((3, 28, 28)), num_cols=0)


FASHION = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


@pytest.mark.parametrize("num_cols", [3, 4, 5, 6])
def test_image_grid_fits_a_phone_with_titles_of_at_least_10_pt(num_cols):
    # A phone's column is ~360 px: a figure under 600 px is shown at 60 % or more.
    titles = [f"{k}: {name}" for k, name in enumerate(FASHION)]
    figure = plot.image_grid(np.zeros((10, 28, 28)), titles, num_cols=num_cols, suptitle="Ten")
    assert figure.get_figwidth() <= plot.MAX_WIDTH
    assert saved_width_px(figure) <= 600
    sizes = {ax.title.get_fontsize() for ax in figure.axes[:10]}
    assert len(sizes) == 1 and min(sizes) >= 10


def test_image_grid_titles_are_larger_when_they_fit():
    short = plot.image_grid(np.zeros((10, 28, 28)), FASHION, num_cols=5)
    long = plot.image_grid(np.zeros((10, 28, 28)), ["a much longer title here"] * 10, num_cols=5)
    assert short.axes[0].title.get_fontsize() == 11
    assert long.axes[0].title.get_fontsize() == 10


# --- confusion matrix -----------------------------------------------------------


def test_confusion_matrix_plot_labels_counts_and_axes():
    matrix = np.array([[5, 1, 0], [0, 3, 2], [1, 0, 4]])
    figure = plot.plot_confusion_matrix(matrix, ["a", "b", "c"])
    (ax,) = figure.axes
    assert image_count(figure) == 1
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
    texts = sorted(int(t.get_text()) for t in ax.texts)
    assert texts == sorted(int(v) for v in matrix.ravel() if v)  # zeros left blank


def test_confusion_matrix_of_ten_classes_fits_a_phone_with_counts_of_at_least_10_pt():
    matrix = np.full((10, 10), 100) + 800 * np.eye(10, dtype=int)
    figure = plot.plot_confusion_matrix(matrix, FASHION)
    assert saved_width_px(figure) <= 600
    assert min(t.get_fontsize() for t in figure.axes[0].texts) >= 10


def test_confusion_matrix_plot_into_given_axes():
    figure, axes = plt.subplots(1, 2)
    returned = plot.plot_confusion_matrix(np.eye(2, dtype=int), ["x", "y"], ax=axes[1])
    assert returned is figure and len(axes[1].images) == 1 and not axes[0].images


def test_confusion_matrix_plot_rejects_wrong_shapes():
    with pytest.raises(ValueError, match=r"square array \(q, q\), got shape \(2, 3\)"):
        plot.plot_confusion_matrix(np.zeros((2, 3)), ["a", "b"])
    with pytest.raises(ValueError, match=r"got 2 class names for a matrix of shape \(3, 3\)"):
        plot.plot_confusion_matrix(np.zeros((3, 3)), ["a", "b"])


# --- weight templates ---------------------------------------------------------


def test_weight_templates_draw_ten_images_centred_at_zero_with_a_colorbar():
    weights = np.random.default_rng(0).normal(size=(784, 10))
    figure = plot.plot_weight_templates(weights, NAMES)
    assert image_count(figure) == 10
    assert len(figure.axes) == 11  # ten panels and the colorbar
    image = figure.axes[0].images[0]
    low, high = image.get_clim()
    assert low == -high == -np.abs(weights).max()
    assert image.get_array().shape == (28, 28)
    np.testing.assert_array_equal(image.get_array(), weights[:, 0].reshape(28, 28))
    assert [ax.get_title() for ax in figure.axes[:10]] == NAMES


def test_weight_templates_fit_a_phone_with_titles_of_at_least_10_pt():
    figure = plot.plot_weight_templates(np.random.default_rng(1).normal(size=(784, 10)), FASHION)
    assert figure.get_figwidth() <= plot.MAX_WIDTH
    assert saved_width_px(figure) <= 600
    assert min(ax.title.get_fontsize() for ax in figure.axes[:10]) >= 10


def test_weight_templates_reject_wrong_shapes_naming_them():
    with pytest.raises(ValueError, match=r"weights of shape \(783, 10\): d = 783 is not a square"):
        plot.plot_weight_templates(np.zeros((783, 10)), NAMES)
    with pytest.raises(ValueError, match=r"got 9 class names for weights of shape \(784, 10\)"):
        plot.plot_weight_templates(np.zeros((784, 10)), NAMES[:9])
    with pytest.raises(ValueError, match=r"2-D array \(d, q\), got shape \(784,\)"):
        plot.plot_weight_templates(np.zeros(784), NAMES)
    with pytest.raises(ValueError, match=r"do not fit images of shape \(20, 20\)"):
        plot.plot_weight_templates(np.zeros((784, 10)), NAMES, image_shape=(20, 20))
