"""The course's figures: a live training-progress plot, image grids, confusion matrix, weight templates.

Every function returns the matplotlib figure it drew (made with pyplot, so a
notebook cell ending in ``plt.show()`` shows it) and raises ``ValueError``, naming
the shapes it got, when its arguments do not fit.

:class:`ProgressPlot` is the exception: it draws only inside a Jupyter (or
Colab) kernel, where it keeps one figure up to date, and does nothing at all in
a plain Python run.
"""

import io
import math
import numbers
import time

import numpy as np

from softmax_course._checks import check_scalar

MAX_WIDTH = 5.8
"""Widest figure, in inches, that the grids here draw: under 600 px at 100 dpi.

A phone's text column is about 360 px wide, so such a figure is shown at 60 % of
its size or more, where 10 pt text is still about 8 px tall.
"""

TITLE_SIZES = (11, 10)
"""Font sizes (pt) tried for the panel titles of a grid, largest first; the last is the smallest used."""


def _title_size(titles, width):
    """The largest of TITLE_SIZES at which every line of every title fits in ``width`` inches."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    measure = TextToPath()
    lines = {line for title in titles for line in str(title).split("\n")}
    for size in TITLE_SIZES:
        font = FontProperties(size=size)
        widest = max(measure.get_text_width_height_descent(line, font, ismath=False)[0] for line in lines)
        if widest <= 0.92 * width * 72:  # points; leaves a small gap between neighbours
            return size
    return TITLE_SIZES[-1]


def _pyplot():
    import matplotlib.pyplot as plt

    return plt


def _in_kernel():
    """True inside a Jupyter or Colab kernel (an IPython shell with a kernel), False elsewhere."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class ProgressPlot:
    """Loss and accuracy per epoch, drawn live in Jupyter and Colab as one figure updated in place.

    In a kernel, the first :meth:`update` displays a figure and later ones
    replace it (IPython's ``display(..., display_id=True)`` and
    ``handle.update(...)``), so a notebook keeps exactly one output: the figure
    after the last epoch, which is what the HTML book shows. To keep the cost of
    drawing small next to fast epochs, the figure is redrawn at most once every
    ``min_interval`` seconds, and always for the last epoch (and by
    :meth:`finish`). Outside a kernel (a plain ``python`` run, a test) nothing is
    drawn or printed; the values are still recorded.

    The figure has two panels sharing the epoch axis: the training loss above,
    the training accuracy and the validation accuracy below. It is a ``matplotlib.figure.Figure``
    never registered with pyplot, so ``plt.show()`` does not show it a second time.

    Parameters
    ----------
    num_epochs : int >= 1
        Fixes the horizontal axis, so the plot does not rescale as it grows.
    title : str, default "Training progress"
    min_interval : float >= 0, default 1.0
        Seconds between two redraws; 0 redraws after every epoch.
    valid_label : str, default "validation accuracy"
        The legend of the validation curve.

    Attributes
    ----------
    epochs, train_loss, train_accuracy, valid_accuracy : list
        The values passed to :meth:`update` so far.
    live : bool
        Whether this runs in a kernel and draws.

    Raises
    ------
    ValueError
        If ``num_epochs`` is below 1 or ``min_interval`` is negative.
    TypeError
        If ``num_epochs`` is not an integer or ``min_interval`` not a number.
    """

    def __init__(self, num_epochs, title="Training progress", *, min_interval=1.0, valid_label="validation accuracy"):
        self.num_epochs = int(check_scalar(num_epochs, "num_epochs", numbers.Integral, min_val=1))
        self.title = title
        self.min_interval = float(check_scalar(min_interval, "min_interval", numbers.Real, min_val=0))
        self.valid_label = valid_label
        self.epochs, self.train_loss, self.train_accuracy, self.valid_accuracy = [], [], [], []
        self.live = _in_kernel()
        self._handle = None
        self._figure = None
        self._last_draw = None
        self._drawn_epochs = 0

    def update(self, epoch, *, train_loss, train_accuracy, valid_accuracy=None):
        """Record one epoch's figures and, in a kernel, redraw the plot (see ``min_interval``).

        Parameters
        ----------
        epoch : int
            The epoch just finished, counted from 1, in ``[1, num_epochs]``.
        train_loss : float
            Mean training loss of the epoch.
        train_accuracy : float
            Training accuracy of the epoch, in [0, 1].
        valid_accuracy : float, optional
            Accuracy on the validation set after the epoch, in [0, 1]; ``None`` leaves a gap.

        Raises
        ------
        ValueError
            If ``epoch`` is outside ``[1, num_epochs]``.
        TypeError
            If ``epoch`` is not an integer.
        """
        check_scalar(epoch, "epoch", numbers.Integral, min_val=1, max_val=self.num_epochs)
        self.epochs.append(int(epoch))
        self.train_loss.append(float(train_loss))
        self.train_accuracy.append(float(train_accuracy))
        self.valid_accuracy.append(np.nan if valid_accuracy is None else float(valid_accuracy))
        if not self.live:
            return
        due = self._last_draw is None or time.monotonic() - self._last_draw >= self.min_interval
        if due or epoch == self.num_epochs:
            self._show()

    def finish(self):
        """Draw the last recorded epoch if it is not drawn yet (in a kernel); nothing else."""
        if self.live and self.epochs and self._drawn_epochs != len(self.epochs):
            self._show()

    def figure(self):
        """The progress figure of the epochs recorded so far (a matplotlib Figure, not registered with pyplot).

        The same Figure object is returned, brought up to date, on every call;
        save it with ``figure.savefig(...)``.
        """
        if self._figure is None:
            self._figure = self._build()
        figure, lines = self._figure
        values = (self.train_loss, self.train_accuracy, self.valid_accuracy)
        for line, ys in zip(lines, values):
            line.set_data(self.epochs, ys)
        for axes in figure.axes:
            axes.relim()
            axes.autoscale_view(scalex=False)
        return figure

    def _build(self):
        from matplotlib.figure import Figure
        from matplotlib.ticker import MaxNLocator

        figure = Figure(figsize=(6, 5), dpi=100)
        figure.subplots_adjust(left=0.13, right=0.97, top=0.93, bottom=0.1, hspace=0.08)
        loss_axes, accuracy_axes = figure.subplots(2, 1, sharex=True)
        (loss_line,) = loss_axes.plot([], [], "o-", color="C0", label="train loss")
        loss_axes.set_ylabel("cross-entropy loss")
        loss_axes.legend(loc="upper right")
        loss_axes.set_title(self.title)
        (train_line,) = accuracy_axes.plot([], [], "o-", color="C1", label="train accuracy")
        (valid_line,) = accuracy_axes.plot([], [], "s--", color="C2", label=self.valid_label)
        accuracy_axes.set_ylabel("accuracy")
        accuracy_axes.set_xlabel("epoch")
        accuracy_axes.legend(loc="lower right")
        accuracy_axes.set_xlim(0.5, self.num_epochs + 0.5)
        accuracy_axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        for axes in (loss_axes, accuracy_axes):
            axes.grid(True, alpha=0.3)
        return figure, (loss_line, train_line, valid_line)

    def _show(self):
        from IPython.display import Image, display

        buffer = io.BytesIO()
        self.figure().savefig(buffer, format="png")
        image = Image(data=buffer.getvalue(), format="png")
        if self._handle is None:
            self._handle = display(image, display_id=True)
        else:
            self._handle.update(image)
        self._last_draw = time.monotonic()
        self._drawn_epochs = len(self.epochs)


def _check_images(images):
    images = np.asarray(images)
    if images.ndim != 3 or images.shape[0] == 0:
        raise ValueError(f"images must be a 3-D array (n, height, width) with n >= 1, got shape {images.shape}")
    return images


def image_grid(images, titles=None, num_cols=5, *, cmap="gray_r", title_colors=None, suptitle=None):
    """Draw images in a grid, each with an optional title.

    All images share one grey scale (from the smallest to the largest pixel
    value of the set), so brightness compares across panels.

    Parameters
    ----------
    images : array-like, shape (n, height, width)
        For example Fashion-MNIST images, (n, 28, 28) uint8 or float in [0, 1].
    titles : sequence of n str, optional
        One title per image (short: about 12 characters per line reads at phone width).
        Drawn at 11 pt, or 10 pt when a line would not fit above its image.
    num_cols : int >= 1, default 5
        Images per row; the number of rows follows. The figure is at most
        :data:`MAX_WIDTH` inches wide (images up to 1.5 inches), so that a phone
        does not shrink it much: 5 per row or fewer keeps the titles legible there.
    cmap : str, default "gray_r"
        Colormap; the default draws ink dark on white.
    title_colors : sequence of n colors, optional
        One color per title (for example red for mistakes).
    suptitle : str, optional
        A title above the grid.

    Returns
    -------
    matplotlib.figure.Figure
        ``rows * num_cols`` axes; the ones past ``n`` are hidden.

    Raises
    ------
    ValueError
        If ``images`` is not (n, height, width), or ``titles`` or ``title_colors``
        do not have n entries, or ``num_cols`` is below 1.
    TypeError
        If ``num_cols`` is not an integer.
    """
    images = _check_images(images)
    count = images.shape[0]
    check_scalar(num_cols, "num_cols", numbers.Integral, min_val=1)
    for name, values in (("titles", titles), ("title_colors", title_colors)):
        if values is not None and len(values) != count:
            raise ValueError(f"got {len(values)} {name} for {count} images of shape {images.shape}")
    num_cols = min(int(num_cols), count)
    num_rows = math.ceil(count / num_cols)
    title_lines = 0 if titles is None else max(str(title).count("\n") + 1 for title in titles)
    panel = min(1.5, MAX_WIDTH / num_cols)
    title_size = _title_size(titles, panel) if titles is not None else TITLE_SIZES[-1]
    height = num_rows * (panel + 0.024 * title_size * title_lines) + (0.4 if suptitle else 0.0)
    plt = _pyplot()
    figure, axes = plt.subplots(
        num_rows, num_cols, figsize=(panel * num_cols, height), squeeze=False, layout="constrained"
    )
    low, high = float(images.min()), float(images.max())
    for index, ax in enumerate(axes.flat):
        ax.axis("off")
        if index >= count:
            continue
        ax.imshow(images[index], cmap=cmap, vmin=low, vmax=high)
        if titles is not None:
            color = title_colors[index] if title_colors is not None else "black"
            ax.set_title(str(titles[index]), fontsize=title_size, color=color)
    if suptitle:
        figure.suptitle(suptitle)
    return figure


def plot_confusion_matrix(matrix, class_names, ax=None, *, title="Confusion matrix"):
    """Draw a confusion matrix: rows are true classes, columns predicted classes.

    Each cell is shaded by its share of its row (so the diagonal shows the
    per-class accuracy) and labelled with its count; zero counts are left blank.

    Parameters
    ----------
    matrix : array-like of int, shape (q, q)
        Counts, as returned by :func:`softmax_course.train.confusion_matrix`.
    class_names : sequence of q str
    ax : matplotlib Axes, optional
        Where to draw; by default a new (5.6, 5.4) inch figure, under 600 px wide.
    title : str, default "Confusion matrix"

    Returns
    -------
    matplotlib.figure.Figure
        The figure holding the axes.

    Raises
    ------
    ValueError
        If ``matrix`` is not square or ``class_names`` does not have q entries.
    """
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.shape[0] == 0:
        raise ValueError(f"matrix must be a square array (q, q), got shape {matrix.shape}")
    num_classes = matrix.shape[0]
    if len(class_names) != num_classes:
        raise ValueError(f"got {len(class_names)} class names for a matrix of shape {matrix.shape}")
    if ax is None:
        figure, ax = _pyplot().subplots(figsize=(5.6, 5.4), layout="constrained")
    else:
        figure = ax.figure
    totals = matrix.sum(axis=1, keepdims=True)
    shares = matrix / np.where(totals > 0, totals, 1)
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    size = 11 if num_classes > 6 else 12
    for row in range(num_classes):
        for col in range(num_classes):
            if matrix[row, col]:
                color = "white" if shares[row, col] > 0.5 else "black"
                ax.text(col, row, f"{matrix[row, col]}", ha="center", va="center", fontsize=size, color=color)
    ticks = np.arange(num_classes)
    ax.set_xticks(ticks)
    ax.set_xticklabels(class_names, rotation=45, ha="right", rotation_mode="anchor")
    ax.set_yticks(ticks)
    ax.set_yticklabels(class_names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(title)
    return figure


def plot_weight_templates(weights, class_names, *, image_shape=None, num_cols=5, title=None):
    """Draw each column of ``W`` as an image: what each class's score rewards and penalises.

    Column ``j`` of ``W`` holds the weights from every pixel to the score of class
    ``j``; reshaped to the image's shape it shows where ink raises (red) or lowers
    (blue) that score. All panels share one colour scale centred at 0, shown by
    one colorbar.

    Parameters
    ----------
    weights : array-like, shape (d, q)
        ``d`` must be ``height * width`` (784 = 28 * 28 for Fashion-MNIST).
    class_names : sequence of q str
    image_shape : (int, int), optional
        ``(height, width)``; by default square, ``sqrt(d)`` on a side.
    num_cols : int >= 1, default 5
        Panels per row. The figure is at most :data:`MAX_WIDTH` inches wide (with
        the colorbar), and the class names are drawn at 11 pt, or 10 pt if too long.
    title : str, optional
        Defaults to a sentence naming the colours.

    Returns
    -------
    matplotlib.figure.Figure
        ``rows * num_cols`` image axes (the ones past q hidden) and one colorbar axes.

    Raises
    ------
    ValueError
        If ``weights`` is not 2-D, ``d`` does not fit ``image_shape`` (or is not a
        square number), or ``class_names`` does not have q entries.
    """
    weights = np.asarray(weights, dtype=np.float64)
    if weights.ndim != 2 or 0 in weights.shape:
        raise ValueError(f"weights must be a 2-D array (d, q), got shape {weights.shape}")
    num_features, num_classes = weights.shape
    if image_shape is None:
        side = math.isqrt(num_features)
        if side * side != num_features:
            raise ValueError(
                f"weights of shape {weights.shape}: d = {num_features} is not a square number; "
                "pass image_shape=(height, width)"
            )
        image_shape = (side, side)
    if image_shape[0] * image_shape[1] != num_features:
        raise ValueError(f"weights of shape {weights.shape} do not fit images of shape {tuple(image_shape)}")
    if len(class_names) != num_classes:
        raise ValueError(f"got {len(class_names)} class names for weights of shape {weights.shape}")
    check_scalar(num_cols, "num_cols", numbers.Integral, min_val=1)
    num_cols = min(int(num_cols), num_classes)
    num_rows = math.ceil(num_classes / num_cols)
    panel = min(1.5, (MAX_WIDTH - 0.9) / num_cols)  # 0.9 in for the colorbar
    title_size = _title_size(class_names, panel)
    plt = _pyplot()
    figure, axes = plt.subplots(
        num_rows,
        num_cols,
        figsize=(panel * num_cols + 0.9, num_rows * (panel + 0.025 * title_size) + 0.5),
        squeeze=False,
        layout="constrained",
    )
    limit = float(np.abs(weights).max()) or 1.0
    image = None
    for index, ax in enumerate(axes.flat):
        ax.axis("off")
        if index >= num_classes:
            continue
        image = ax.imshow(weights[:, index].reshape(image_shape), cmap="RdBu_r", vmin=-limit, vmax=limit)
        ax.set_title(str(class_names[index]), fontsize=title_size)
    colorbar = figure.colorbar(image, ax=axes, shrink=0.8)
    colorbar.set_label("weight")
    figure.suptitle(title or "Class weights: red raises the score, blue lowers it")
    return figure
