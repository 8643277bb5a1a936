"""Interactive figures of the course (JavaScript, served from the book; a static PNG where JS cannot run).

PLACEHOLDER: these signatures are the contract the chapters call; the bodies
here draw only the static default state with matplotlib. The interactive
implementation replaces them, keeping every signature.
"""

import numpy as np

from softmax_course.softmax import softmax


def _figure(title):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.6))
    ax.set_title(title)
    plt.close(fig)
    return fig, ax


def temperature_explorer(logits, class_names, temperatures=None):
    """Probabilities of fixed ``logits`` (q,) as bars, with a log-scale slider over the temperature T.

    ``temperatures``: increasing positive values, default ``np.geomspace(0.05, 20, 61)``; T = 1 is the
    default state. The entropy of the probabilities is shown as T changes.
    """
    logits = np.asarray(logits, dtype=np.float64)
    fig, ax = _figure("softmax(o / T) at T = 1")
    ax.bar(list(class_names), softmax(logits[None])[0])
    ax.set_ylabel("probability")
    return fig


def regions_over_training(snapshots, features, labels, *, feature_names, class_names):
    """Decision regions of a 2-feature classifier, with a slider over training steps.

    ``snapshots``: sequence of dicts with ``step`` (int), ``weights`` (2, q), ``bias`` (q,) and ``loss``
    (float, the training loss at that step); the last snapshot is the default state.
    ``features`` (n, 2) and ``labels`` (n,) are the points drawn.
    """
    fig, ax = _figure(f"decision regions at step {snapshots[-1]['step']}")
    ax.scatter(features[:, 0], features[:, 1], c=labels, s=10)
    ax.set_xlabel(feature_names[0])
    ax.set_ylabel(feature_names[1])
    return fig


def weight_explorer(weights, bias, features, labels, *, feature_names, class_names):
    """Decision regions of ``weights`` (2, q) and ``bias`` (q,), with a control per weight and bias entry
    that changes it and redraws the regions (as in CS231n's linear-classifier demo). Default: the given values.
    """
    fig, ax = _figure("decision regions (move a weight)")
    ax.scatter(features[:, 0], features[:, 1], c=labels, s=10)
    ax.set_xlabel(feature_names[0])
    ax.set_ylabel(feature_names[1])
    return fig


def curves_by_setting(runs, *, setting_name, metrics=("train_loss", "valid_accuracy")):
    """Training curves for several settings (e.g. learning rates), one shown at a time, chosen with buttons.

    ``runs``: dict from a setting's label (str) to a dict with ``epoch`` (sequence of int) and one sequence
    per name in ``metrics``. The first run is the default state.
    """
    label, run = next(iter(runs.items()))
    fig, ax = _figure(f"{setting_name} = {label}")
    for metric in metrics:
        ax.plot(run["epoch"], run[metric], label=metric)
    ax.set_xlabel("epoch")
    ax.legend()
    return fig


def reliability_before_after(probabilities_before, probabilities_after, labels, *, temperature, num_bins=15):
    """Reliability diagram (accuracy against confidence per bin) before and after temperature scaling,
    switched with buttons; ``probabilities_*`` (n, q), ``labels`` (n,). Default state: before.
    Bins come from :func:`softmax_course.calibration.reliability_bins`.
    """
    from softmax_course.calibration import reliability_bins

    bins = reliability_bins(probabilities_before, labels, num_bins)
    fig, ax = _figure("reliability before temperature scaling")
    ax.plot(bins["confidence"], bins["accuracy"], "o-")
    ax.plot([0, 1], [0, 1], "--")
    ax.set_xlabel("confidence")
    ax.set_ylabel("accuracy")
    return fig
