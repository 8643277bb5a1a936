"""Diagrams of the course drawn in code with matplotlib (chapter 2).

The figures are drawn, not pasted in as images, so that they follow the
chapter's numbers: change ``d`` or ``q`` and the picture changes with them.
"""

import numbers

import matplotlib.pyplot as plt
from matplotlib.collections import LineCollection
from matplotlib.patches import Circle

from softmax_course._checks import check_scalar

NODE_RADIUS = 0.32
"""Radius of a node, in units of the vertical distance between two nodes."""
LAYER_GAP = 4.0
"""Horizontal distance between the input and the output column."""
EDGE_COLOR = "0.6"
HIGHLIGHT_COLOR = "tab:orange"
INPUT_COLOR = "#dbe9f6"
OUTPUT_COLOR = "#fde2c8"


def _check_labels(labels, count, name):
    """Return ``labels`` as a list of ``count`` strings, or None when not given."""
    if labels is None:
        return None
    if isinstance(labels, str):
        raise TypeError(f"{name} must be a sequence of {count} strings, got the single string {labels!r}")
    labels = [str(label) for label in labels]
    if len(labels) != count:
        raise ValueError(f"{name} has {len(labels)} entries, but the layer has {count} nodes: give one label per node")
    return labels


def _column(count):
    """Vertical positions of ``count`` nodes, first node on top, centred on 0."""
    return [(count - 1) / 2 - k for k in range(count)]


def _edge(start, end):
    """The segment between two node centres, shortened to run from rim to rim."""
    (x0, y0), (x1, y1) = start, end
    length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    return [
        (x0 + NODE_RADIUS * ux, y0 + NODE_RADIUS * uy),
        (x1 - NODE_RADIUS * ux, y1 - NODE_RADIUS * uy),
    ]


def draw_dense_layer(
    num_inputs,
    num_outputs,
    ax=None,
    input_labels=None,
    output_labels=None,
    highlight_output=None,
):
    """Draw a fully connected layer: every input node joined to every output node.

    Input node ``i`` is drawn as a circle marked ``x_i`` (left column, ``x_1`` on
    top), output node ``j`` as a circle marked ``o_j`` (right column), and each of
    the ``num_inputs * num_outputs`` edges stands for one weight ``w_ij``. Nodes
    are numbered from 1 in the picture, as in the course's math.

    Meant for small layers (a few nodes per column), where the picture is legible.

    Parameters
    ----------
    num_inputs : int
        The number of inputs ``d`` (>= 1).
    num_outputs : int
        The number of outputs ``q`` (>= 1).
    ax : matplotlib.axes.Axes, optional
        Where to draw. A new figure of about 6 x 4 inches is created when omitted.
    input_labels : sequence of ``num_inputs`` str, optional
        Names written to the left of the input nodes (e.g. feature names).
    output_labels : sequence of ``num_outputs`` str, optional
        Names written to the right of the output nodes (e.g. class names).
    highlight_output : int, optional
        Index in ``[0, num_outputs)`` (code numbering, from 0) of an output whose
        ``num_inputs`` incoming edges are drawn thick, coloured and labelled with
        their weights ``w_ij`` (math numbering, from 1): the column ``j`` of ``W``.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into. Its artists carry gids for inspection: circles
        ``"input-node"`` and ``"output-node"``, and one LineCollection ``"edges"``
        holding the ``num_inputs * num_outputs`` segments, in the order
        (input 1, output 1), (input 1, output 2), ...

    Raises
    ------
    TypeError
        If a size is not an integer, or a label argument is a single string.
    ValueError
        If a size is below 1, a label sequence has the wrong length, or
        ``highlight_output`` is outside ``[0, num_outputs)``.
    """
    d = int(check_scalar(num_inputs, "num_inputs", numbers.Integral, min_val=1))
    q = int(check_scalar(num_outputs, "num_outputs", numbers.Integral, min_val=1))
    input_labels = _check_labels(input_labels, d, "input_labels")
    output_labels = _check_labels(output_labels, q, "output_labels")
    if highlight_output is not None:
        # Outputs are numbered from 0 in code: the range is [0, q).
        check_scalar(
            highlight_output, "highlight_output", numbers.Integral, min_val=0, max_val=q, include_boundaries="left"
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))

    inputs = [(0.0, y) for y in _column(d)]
    outputs = [(LAYER_GAP, y) for y in _column(q)]

    segments, colors, widths = [], [], []
    for i, start in enumerate(inputs):
        for j, end in enumerate(outputs):
            segments.append(_edge(start, end))
            chosen = j == highlight_output
            colors.append(HIGHLIGHT_COLOR if chosen else EDGE_COLOR)
            widths.append(2.5 if chosen else 1.0)
    edges = LineCollection(segments, colors=colors, linewidths=widths, zorder=1)
    edges.set_gid("edges")
    ax.add_collection(edges)

    _draw_nodes(ax, inputs, "x", INPUT_COLOR, "input-node", input_labels, side="left")
    _draw_nodes(ax, outputs, "o", OUTPUT_COLOR, "output-node", output_labels, side="right")

    if highlight_output is not None:
        j = highlight_output
        for i, start in enumerate(inputs):
            # Label each highlighted edge a quarter of the way from its input,
            # where the edges into one output are still well apart.
            (x0, y0), (x1, y1) = _edge(start, outputs[j])
            ax.text(
                x0 + 0.3 * (x1 - x0),
                y0 + 0.3 * (y1 - y0),
                f"$w_{{{i + 1}{j + 1}}}$",
                ha="center",
                va="center",
                fontsize=10,
                color="black",
                zorder=5,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": HIGHLIGHT_COLOR},
            )

    top = max(d, q) / 2
    ax.text(0.0, top + 0.15, "input layer", ha="center", va="bottom", fontsize=10)
    ax.text(LAYER_GAP, top + 0.15, "output layer", ha="center", va="bottom", fontsize=10)
    left = -1.0 - (2.0 if input_labels is not None else 0.0)
    right = LAYER_GAP + 1.0 + (2.0 if output_labels is not None else 0.0)
    ax.set_xlim(left, right)
    ax.set_ylim(-top - 0.2, top + 0.7)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(f"Fully connected layer: {d} inputs, {q} outputs, {d * q} weights")
    return ax


def _draw_nodes(ax, centres, symbol, color, gid, labels, side):
    """Draw one layer's circles, named symbol_1, symbol_2, ..., with optional labels on the outer side."""
    # A label left of its node ends at the node; one to the right starts there.
    offset, align = (-(NODE_RADIUS + 0.12), "right") if side == "left" else (NODE_RADIUS + 0.12, "left")
    for k, centre in enumerate(centres):
        node = Circle(centre, NODE_RADIUS, facecolor=color, edgecolor="black", zorder=3)
        node.set_gid(gid)
        ax.add_patch(node)
        ax.text(*centre, f"${symbol}_{{{k + 1}}}$", ha="center", va="center", fontsize=12, zorder=4)
        if labels is not None:
            ax.text(centre[0] + offset, centre[1], labels[k], ha=align, va="center", fontsize=10)
