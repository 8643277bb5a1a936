"""Tests of softmax_course.diagrams: the fully connected layer diagram of chapter 2."""

import itertools

import matplotlib

matplotlib.use("Agg")  # no display needed; must precede the pyplot import

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402

from softmax_course.diagrams import draw_dense_layer  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def nodes(ax, gid):
    return [patch for patch in ax.patches if patch.get_gid() == gid]


def edge_collection(ax):
    found = [artist for artist in ax.collections if artist.get_gid() == "edges"]
    assert len(found) == 1
    assert isinstance(found[0], LineCollection)
    return found[0]


def texts(ax):
    return [text.get_text() for text in ax.texts]


def nearest(point, centres):
    distances = [np.hypot(point[0] - x, point[1] - y) for x, y in centres]
    return int(np.argmin(distances))


@pytest.mark.parametrize("d, q", [(1, 1), (4, 3), (2, 5), (7, 2), (np.int64(3), np.int32(2))])
def test_draws_d_plus_q_nodes_and_d_times_q_edges(d, q):
    ax = draw_dense_layer(d, q)
    assert len(nodes(ax, "input-node")) == d
    assert len(nodes(ax, "output-node")) == q
    assert len(edge_collection(ax).get_segments()) == d * q


@pytest.mark.parametrize("d, q", [(4, 3), (3, 5)])
def test_every_input_joins_every_output_exactly_once(d, q):
    ax = draw_dense_layer(d, q)
    inputs = [patch.center for patch in nodes(ax, "input-node")]
    outputs = [patch.center for patch in nodes(ax, "output-node")]
    pairs = [
        (nearest(segment[0], inputs), nearest(segment[1], outputs)) for segment in edge_collection(ax).get_segments()
    ]
    assert sorted(pairs) == list(itertools.product(range(d), range(q)))
    # Edges end on the rims of the circles, not inside them.
    radius = nodes(ax, "input-node")[0].radius
    for (i, j), segment in zip(pairs, edge_collection(ax).get_segments()):
        assert np.hypot(*(segment[0] - np.asarray(inputs[i]))) == pytest.approx(radius)
        assert np.hypot(*(segment[1] - np.asarray(outputs[j]))) == pytest.approx(radius)


def test_nodes_are_marked_in_math_numbering_from_one():
    labels = texts(draw_dense_layer(4, 3))
    for name in ["$x_{1}$", "$x_{4}$", "$o_{1}$", "$o_{3}$"]:
        assert name in labels
    assert "$x_{0}$" not in labels and "$o_{4}$" not in labels


def test_title_states_the_sizes():
    assert draw_dense_layer(4, 3).get_title() == "Fully connected layer: 4 inputs, 3 outputs, 12 weights"


def test_draws_into_the_given_axes_and_returns_it():
    figure, (left, right) = plt.subplots(1, 2)
    assert draw_dense_layer(2, 2, ax=right) is right
    assert len(nodes(right, "input-node")) == 2
    assert not left.patches and not left.collections
    assert len(plt.get_fignums()) == 1


def test_creates_a_figure_when_no_axes_given():
    before = len(plt.get_fignums())
    ax = draw_dense_layer(2, 3)
    assert len(plt.get_fignums()) == before + 1
    width, height = ax.figure.get_size_inches()
    assert width <= 8 and height <= 8


def test_writes_the_given_labels_next_to_the_nodes():
    ax = draw_dense_layer(2, 3, input_labels=["height", "width"], output_labels=("a", "b", "c"))
    for label in ["height", "width", "a", "b", "c"]:
        assert label in texts(ax)


def test_highlight_marks_the_edges_into_one_output_and_labels_their_weights():
    d, q, j = 4, 3, 1
    ax = draw_dense_layer(d, q, highlight_output=j)
    widths = np.broadcast_to(edge_collection(ax).get_linewidths(), (d * q,))
    thick = [k for k, width in enumerate(widths) if width > 1.0]
    # Segments run in the order (input i, output j) -> i * q + j.
    assert thick == [i * q + j for i in range(d)]
    for i in range(d):
        assert f"$w_{{{i + 1}{j + 1}}}$" in texts(ax)


def test_no_highlight_draws_all_edges_alike():
    widths = np.broadcast_to(edge_collection(draw_dense_layer(3, 2)).get_linewidths(), (6,))
    assert len(set(widths)) == 1


@pytest.mark.parametrize("bad", [0, -1])
@pytest.mark.parametrize("which", ["num_inputs", "num_outputs"])
def test_rejects_sizes_below_one(bad, which):
    sizes = {"num_inputs": 3, "num_outputs": 2, which: bad}
    with pytest.raises(ValueError, match=f"{which} must be >= 1, got {bad}"):
        draw_dense_layer(**sizes)


@pytest.mark.parametrize("bad", [2.5, 3.0, "3", None, True])
@pytest.mark.parametrize("which", ["num_inputs", "num_outputs"])
def test_rejects_sizes_that_are_not_integers(bad, which):
    sizes = {"num_inputs": 3, "num_outputs": 2, which: bad}
    with pytest.raises(TypeError, match=f"{which} must be an integer"):
        draw_dense_layer(**sizes)


def test_rejects_label_lists_of_the_wrong_length():
    with pytest.raises(ValueError, match="input_labels has 2 entries, but the layer has 3 nodes"):
        draw_dense_layer(3, 2, input_labels=["a", "b"])
    with pytest.raises(ValueError, match="output_labels has 3 entries, but the layer has 2 nodes"):
        draw_dense_layer(3, 2, output_labels=["a", "b", "c"])
    with pytest.raises(TypeError, match="single string"):
        draw_dense_layer(3, 2, output_labels="ab")


@pytest.mark.parametrize("bad", [-1, 3, 10])
def test_rejects_a_highlight_outside_the_outputs(bad):
    with pytest.raises(ValueError, match=r"highlight_output must be in \[0, 3\)"):
        draw_dense_layer(4, 3, highlight_output=bad)


def test_rejects_a_highlight_that_is_not_an_integer():
    with pytest.raises(TypeError, match="highlight_output must be an integer"):
        draw_dense_layer(4, 3, highlight_output=1.0)
