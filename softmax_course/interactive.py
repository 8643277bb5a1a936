"""Interactive figures of the course: one Vega-Lite spec each, drawn by Vega in the page, a PNG of it elsewhere.

Each function returns an :class:`InteractiveFigure`; as the last expression of a cell it displays
itself with three representations, all from the figure's one Vega-Lite spec:

- ``text/html``: the chart with its controls (native HTML sliders and radio buttons, with visible
  labels, operable from the keyboard), a status line that says what the control shows now, a
  ``<figcaption>`` that says what moving it shows, and the PNG as an ``<img>`` until the chart is
  drawn. The spec is compiled to a Vega spec when the figure is made (``vl-convert-python``, offline),
  so the page needs only Vega's runtime and ``interactive.js``, not Vega-Lite or vega-embed;
- ``image/png``: the default state, rendered from the same spec by ``vl-convert-python`` (the PDF,
  the editions and any viewer without JavaScript);
- ``text/plain``: the text alternative.

Where the runtime comes from:

- in the book, ``_ext/interactive_figures.py`` sets ``$SOFTMAX_COURSE_VEGA=book`` for the executing
  kernels and serves Vega's runtime (0.5 MB) with ``interactive.js`` as
  ``_static/softmax-course-vega.js`` on the pages that have a figure, fetched when a figure comes
  near: nothing is inlined per figure and nothing is fetched from outside;
- elsewhere (JupyterLab, Colab, VS Code), each figure carries vl-convert's offline bundle when
  ``vl-convert-python`` is installed, else loads the pinned runtime from jsDelivr
  (``$SOFTMAX_COURSE_VEGA=cdn`` forces that; without vl-convert the spec is compiled in the
  browser by Vega-Lite, and there is no PNG).

The script and the style sheet are package data (``interactive.js``, ``interactive.css``).
"""

import base64
import functools
import hashlib
import html
import importlib.resources
import io
import itertools
import json
import numbers
import os
import re

import numpy as np

from softmax_course import geometry
from softmax_course._checks import as_model_data, check_scalar
from softmax_course.softmax import cross_entropy, softmax

#: Environment variable: "book" (the page serves the runtime), "cdn", or unset (inline when possible).
LIBRARY_ENV = "SOFTMAX_COURSE_VEGA"
#: The file the book serves from its ``_static`` folder: Vega's runtime (npm's vega, pinned in
#: package-lock.json), then :func:`script`.
STATIC_NAME = "softmax-course-vega.js"
#: The versions loaded from jsDelivr when the runtime can be neither served nor inlined (vl-convert 1.9's).
CDN_VERSIONS = {"vega": "6.2.0", "vega-lite": "6.4.1"}
#: Class colours and point shapes: the chapters' own (softmax_course.geometry), so that a class has one
#: colour on a page; then Okabe and Ito's palette for the other marks.
COLORS = geometry.REGION_COLORS
SHAPES = ("circle", "square", "triangle-up", "diamond", "triangle-down", "cross")
ACCENT = ("#0072B2", "#E69F00", "#D55E00")
#: Decision-region raster: GRID x GRID cells, computed in the browser from the weights.
GRID = 60
#: Chart width in CSS pixels: with its axes it fits a 390 px phone.
WIDTH = 280
#: The PNG's pixels per CSS pixel: sharp enough for the PDF, light enough for the page.
PNG_SCALE = 1.5


def _asset(name):
    return importlib.resources.files("softmax_course").joinpath(name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=None)
def script():
    """``interactive.js``: draws every figure of the page not drawn yet, once ``window.vega`` is there."""
    return _asset("interactive.js")


@functools.lru_cache(maxsize=None)
def style():
    """``interactive.css``: the figures' own style sheet."""
    return _asset("interactive.css")


@functools.lru_cache(maxsize=1)
def javascript_library():
    """What a figure carries outside the book: vl-convert's offline bundle of vega-embed, then :func:`script`.

    The bundle (vega, vega-lite and vega-embed, 0.9 MB; vl-convert 1.9 exposes ``vegaEmbed`` but
    not ``vega`` itself) is wrapped so that it declares no global name but the ones it assigns. The
    book serves Vega's runtime alone instead (``_ext/interactive_figures.py``). Raises ImportError
    without vl-convert-python.
    """
    import vl_convert

    return "(function () {\n" + vl_convert.javascript_bundle() + "\n})();\n" + script()


def _library_html(compiled):
    """What a figure's HTML carries to get drawn: nothing in the book, else the runtime inline or from the CDN.

    Returns (attributes of the figure element, HTML after the spec).
    """
    mode = os.environ.get(LIBRARY_ENV, "")
    if mode == "book":
        return "", ""
    if mode != "cdn" and compiled:  # without vl-convert the browser needs Vega-Lite too: from the CDN
        try:
            return "", "<script>" + _script_safe(javascript_library()) + "</script>"
        except ImportError:
            pass
    names = ["vega"] if compiled else ["vega", "vega-lite"]
    urls = [f"https://cdn.jsdelivr.net/npm/{name}@{CDN_VERSIONS[name]}" for name in names]
    return f" data-sci-cdn='{html.escape(json.dumps(urls))}'", "<script>" + _script_safe(script()) + "</script>"


def _script_safe(text):
    """JavaScript ``text`` safe inside a <script> element: no closing tag, no HTML comment opener.

    Only those two are escaped (a regular expression literal such as ``/</g`` must stay intact).
    """
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE).replace("<!--", "<\\!--")


def _json_safe(text):
    """JSON ``text`` safe inside a <script> element (``<\\/`` is JSON's own escape of ``</``)."""
    return text.replace("</", "<\\/").replace("<!--", "<\\u0021--")


def _compile(spec):
    """(Vega spec, PNG bytes) of a Vega-Lite ``spec``, or (None, None) without vl-convert-python."""
    try:
        import vl_convert
    except ImportError:
        return None, None
    vega = vl_convert.vegalite_to_vega(spec)
    vega.pop("$schema", None)
    return vega, _small_png(vl_convert.vegalite_to_png(spec, scale=PNG_SCALE))


def _small_png(png):
    """The same picture in at most 256 colours, optimized: a tenth of vl-convert's bytes for a flat chart."""
    from PIL import Image  # matplotlib's dependency

    with Image.open(io.BytesIO(png)) as image:
        flat = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    flat.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


class InteractiveFigure:
    """A figure that displays itself from one Vega-Lite spec: HTML (chart and controls), a PNG, text.

    Attributes: ``spec`` (the Vega-Lite spec, a dict: the only drawing), ``vega`` (it compiled to
    Vega, or None without vl-convert-python), ``png`` (its default state as PNG bytes, or None
    likewise), ``status`` ({param: {value: text}}, said in the status line when the control takes
    that value), ``values`` ({param: {value: text}}, shown next to a slider instead of its raw value;
    else 3 significant digits), ``controls`` (names of the bound params), ``alt`` (text alternative),
    ``description`` (what moving the controls shows), ``live`` (None, or {"mark": a text mark's Vega
    name, "label": the start of the figure's label, "text": the mark's text in the default state}:
    after each move the mark's text is said in the status line, a polite live region, and the
    figure's label becomes label + text).
    """

    _count = itertools.count()

    def __init__(self, spec, *, alt, description, status=None, values=None, kind="figure", live=None):
        self.spec = spec
        self.live = live
        self.values = values or {}
        self.alt = alt
        self.description = description
        self.status = status or {}
        self.kind = kind
        self.controls = [param["name"] for param in spec.get("params", []) if "bind" in param]
        self.vega, self.png = _compile(spec)
        digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode("utf-8")).hexdigest()[:8]
        self._base_id = f"sci-{kind}-{digest}"
        self.id = f"{self._base_id}-{next(self._count)}"

    def to_html(self):
        """The figure as an HTML fragment (the runtime included as :func:`_library_html` says).

        Each call gets a new element id (``self.id``), so a figure displayed twice draws twice.
        """
        self.id = f"{self._base_id}-{next(self._count)}"
        info = {"status": self.status, "values": self.values, "controls": self.controls}
        info.update({"vega": self.vega} if self.vega is not None else {"spec": self.spec})
        if self.live:
            info["live"] = self.live
        info = json.dumps(info, allow_nan=False, separators=(",", ":"))
        alt = html.escape(self.alt)
        first_status = ""
        for name, texts in self.status.items():
            first_status = texts.get(str(_param_value(self.spec, name)), "")
            break
        if self.live:
            first_status = self.live["text"]
        picture = ""
        if self.png is not None:
            png = base64.b64encode(self.png).decode("ascii")
            picture = f'<img class="sci-static" src="data:image/png;base64,{png}" alt="{alt}">'
        attributes, scripts = _library_html(self.vega is not None)
        return (
            f'<figure class="softmax-course-interactive" id="{self.id}" data-figure="{self.kind}" '
            f'aria-label="{alt}"{attributes}>'
            f"<style>{style()}</style>"
            f'<div class="sci-view"></div>'
            f'<p class="sci-status" aria-live="polite">{html.escape(first_status)}</p>'
            f"{picture}"
            f"<figcaption>{html.escape(self.description)}</figcaption>"
            f'<script type="application/json" class="sci-spec">{_json_safe(info)}</script>'
            f"{scripts}"
            "</figure>"
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"text/html": self.to_html(), "text/plain": self.alt}
        if self.png is None:
            return data, {}
        return {**data, "image/png": self.png}, {"image/png": {"alt": self.alt}}

    def __repr__(self):
        return f"<InteractiveFigure {self.kind}: {self.alt}>"


def _param_value(spec, name):
    for param in spec.get("params", []):
        if param["name"] == name:
            return param.get("value")
    raise KeyError(name)


def _config():
    return {
        "background": "#ffffff",
        "view": {"stroke": None},
        "font": "sans-serif",
        "axis": {"labelFontSize": 12, "titleFontSize": 12},
        "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom", "direction": "horizontal"},
        "title": {"fontSize": 13, "anchor": "start"},
    }


def _names(names, count, what):
    names = [str(name) for name in names]
    if len(names) != count:
        raise ValueError(f"expected {count} {what}, got {len(names)}: {names}")
    if len(set(names)) != count:
        raise ValueError(f"{what} must be distinct, got {names}")
    return names


def _finite(array, name):
    array = np.asarray(array, dtype=np.float64)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got {array}")
    return array


# --------------------------------------------------------------------------- temperature


def temperature_explorer(logits, class_names, temperatures=None):
    """Probabilities of fixed ``logits`` (q,) as bars, with a log-scale slider over the temperature T.

    ``temperatures``: increasing positive values, default ``np.geomspace(0.05, 20, 61)``; T = 1 is the
    default state. The largest probability is shown as T changes, from 1 (small T) down to 1/q (large T).

    The slider moves over the positions of ``temperatures`` (so a geometric grid is a log scale);
    ``figure.spec["vconcat"][0]["data"]["values"]`` holds ``softmax(logits / T)`` for every T (rows
    k, T, class, p). Raises
    ValueError for logits that are not a finite 1-D array of at least two values, class names that do
    not match them, or temperatures that are not positive, finite and increasing.
    """
    logits = _finite(logits, "logits")
    if logits.ndim != 1 or logits.size < 2:
        raise ValueError(f"logits must be a 1-D array (q,) with q >= 2, got shape {logits.shape}")
    names = _names(class_names, logits.size, "class names")
    if temperatures is None:
        temperatures = np.geomspace(0.05, 20, 61)
    temperatures = _finite(temperatures, "temperatures")
    if temperatures.ndim != 1 or temperatures.size < 2:
        raise ValueError(f"temperatures must be a 1-D array of at least two values, got shape {temperatures.shape}")
    if np.any(temperatures <= 0) or np.any(np.diff(temperatures) <= 0):
        raise ValueError(f"temperatures must be positive and increasing, got {temperatures}")
    probabilities = softmax(logits[None, :] / temperatures[:, None])
    largest = probabilities.max(axis=1)
    start = int(np.argmin(np.abs(np.log(temperatures))))
    texts = {
        str(k): (
            f"T = {t:.3g}: largest probability {largest[k]:.3f} ({names[int(probabilities[k].argmax())]}), "
            f"at least 1/{logits.size} = {1 / logits.size:.3f}"
        )
        for k, t in enumerate(temperatures)
    }
    rows = [
        {"k": k, "T": float(t), "class": names[j], "order": j, "p": float(probabilities[k, j])}
        for k, t in enumerate(temperatures)
        for j in range(logits.size)
    ]
    curve = [{"k": k, "T": float(t), "P": float(largest[k])} for k, t in enumerate(temperatures)]
    x_class = {"field": "class", "type": "nominal", "sort": names, "title": None, "axis": {"labelAngle": 0}}
    bars = {
        "data": {"values": rows},
        "transform": [{"filter": "datum.k == k"}],
        "height": 180,
        "width": WIDTH,
        # One title with an expression per spec: vega-lite 6.4 fails on two in sibling views.
        "title": {
            "text": {
                "expr": "'T = ' + format(temperatures[k], '.3~g') + ': largest probability '"
                " + format(largest[k], '.3f')"
            }
        },
        "layer": [
            {
                "mark": {"type": "bar", "color": ACCENT[0]},
                "encoding": {
                    "x": x_class,
                    "y": {"field": "p", "type": "quantitative", "scale": {"domain": [0, 1]}, "title": "probability"},
                },
            },
            {
                "mark": {"type": "text", "dy": -7, "fontSize": 12},
                "encoding": {
                    "x": x_class,
                    "y": {"field": "p", "type": "quantitative"},
                    "text": {"field": "p", "type": "quantitative", "format": ".2f"},
                },
            },
        ],
    }
    line = {
        "data": {"values": curve},
        "height": 110,
        "width": WIDTH,
        "title": "largest probability of softmax(o / T) against T",
        "layer": [
            {
                "mark": {"type": "line", "color": ACCENT[1]},
                "encoding": {
                    "x": {
                        "field": "T",
                        "type": "quantitative",
                        "title": "temperature T (log scale)",
                        "scale": {
                            "type": "log",
                            "nice": False,
                            "domain": [float(temperatures[0]), float(temperatures[-1])],
                        },
                    },
                    "y": {
                        "field": "P",
                        "type": "quantitative",
                        "title": "largest probability",
                        "scale": {"domain": [0, 1]},
                    },
                },
            },
            {
                "transform": [{"filter": "datum.k == k"}],
                "mark": {"type": "point", "filled": True, "size": 80, "color": ACCENT[2]},
                "encoding": {"x": {"field": "T", "type": "quantitative"}, "y": {"field": "P", "type": "quantitative"}},
            },
        ],
    }
    spec = {
        "description": "Bars of softmax(o / T) for fixed logits; a slider sets the temperature T.",
        "params": [
            {
                "name": "k",
                "value": start,
                "bind": {
                    "input": "range",
                    "min": 0,
                    "max": len(temperatures) - 1,
                    "step": 1,
                    "name": "temperature T (log scale)",
                },
            },
            {"name": "temperatures", "value": [float(t) for t in temperatures]},
            {"name": "largest", "value": [float(p) for p in largest]},
        ],
        "vconcat": [bars, line],
        "config": _config(),
    }
    alt = (
        f"Bars of the softmax probabilities of the logits {np.array2string(logits, precision=2)} for "
        f"{', '.join(names)} at T = {temperatures[start]:.3g}, and the largest probability against the temperature."
    )
    description = (
        "Moving the temperature slider to the left (small T) puts almost all probability on the largest "
        "logit, and the largest probability rises towards 1; moving it to the right (large T) flattens the bars "
        f"towards 1/{logits.size} each. Arrow keys move the slider one step."
    )
    values = {"k": {str(k): f"T = {t:.3g}" for k, t in enumerate(temperatures)}}
    return InteractiveFigure(
        spec, alt=alt, description=description, status={"k": texts}, values=values, kind="temperature"
    )


# --------------------------------------------------------------------------- decision regions


def _check_points(features, labels, weights, bias):
    """X (n, 2) finite, n >= 1, and y (n,) in [0, q), against the plane's model W (2, q), b (q,) (_checks)."""
    return as_model_data(_finite(features, "features"), labels, weights, bias)


def _check_model(weights, bias, where):
    """W (2, q) with q >= 2 and b (q,), finite: a linear classifier of points in the plane."""
    weights = _finite(weights, f"weights{where}")
    bias = _finite(bias, f"bias{where}")
    if weights.ndim != 2 or weights.shape[0] != 2 or weights.shape[1] < 2:
        raise ValueError(f"weights{where} must have shape (2, q) with q >= 2, got {weights.shape}")
    if bias.shape != (weights.shape[1],):
        raise ValueError(
            f"bias{where} must have shape ({weights.shape[1]},) to match weights {weights.shape}, got {bias.shape}"
        )
    return weights, bias


def _region_layers(features, labels, names, feature_names, logit_exprs):
    """Layers: the raster (class of argmax of the logits, computed in the browser), then the points."""
    q = len(names)
    if q > len(COLORS):
        raise ValueError(f"decision regions are drawn for at most {len(COLORS)} classes, got {q}")
    x1, x2, _ = geometry.region_grid(features, num=GRID)  # the chapters' grid: 0.5 around the points
    x1, x2 = x1.tolist(), x2.tolist()
    d1, d2 = x1[1] - x1[0], x2[1] - x2[0]
    argmax = "0"
    calc = [{"calculate": expr, "as": f"o{j}"} for j, expr in enumerate(logit_exprs("datum.x1", "datum.x2"))]
    # argmax over o0..o{q-1}, first index on ties (as numpy)
    best = "datum.o0"
    for j in range(1, q):
        argmax = f"(datum.o{j} > {best} ? {j} : {argmax})"
        best = f"max({best}, datum.o{j})"
    color = {"field": "class", "type": "nominal", "scale": {"domain": names, "range": list(COLORS[:q])}, "title": None}
    raster = {
        "data": {"sequence": {"start": 0, "stop": GRID * GRID, "as": "cell"}},
        "transform": [
            {"calculate": f"{x1[0]!r} + {d1!r} * (datum.cell % {GRID})", "as": "x1"},
            {"calculate": f"{x2[0]!r} + {d2!r} * floor(datum.cell / {GRID})", "as": "x2"},
            {"calculate": f"datum.x1 - {d1 / 2!r}", "as": "x1a"},
            {"calculate": f"datum.x1 + {d1 / 2!r}", "as": "x1b"},
            {"calculate": f"datum.x2 - {d2 / 2!r}", "as": "x2a"},
            {"calculate": f"datum.x2 + {d2 / 2!r}", "as": "x2b"},
            *calc,
            {"calculate": argmax, "as": "c"},
            {"calculate": f"{json.dumps(names)}[datum.c]", "as": "class"},
        ],
        "mark": {"type": "rect", "opacity": 0.35, "aria": False},
        "encoding": {
            "x": {
                "field": "x1a",
                "type": "quantitative",
                "scale": {"domain": [x1[0] - d1 / 2, x1[-1] + d1 / 2], "nice": False, "zero": False},
                "title": feature_names[0],
            },
            "x2": {"field": "x1b"},
            "y": {
                "field": "x2a",
                "type": "quantitative",
                "scale": {"domain": [x2[0] - d2 / 2, x2[-1] + d2 / 2], "nice": False, "zero": False},
                "title": feature_names[1],
            },
            "y2": {"field": "x2b"},
            "color": color,
        },
    }
    points = {
        "data": {
            "values": [{"x1": float(a), "x2": float(b), "class": names[int(c)]} for (a, b), c in zip(features, labels)]
        },
        "mark": {"type": "point", "filled": True, "size": 30, "stroke": "white", "strokeWidth": 0.5, "opacity": 0.9},
        "encoding": {
            "x": {"field": "x1", "type": "quantitative"},
            "y": {"field": "x2", "type": "quantitative"},
            "color": color,
            "shape": {
                "field": "class",
                "type": "nominal",
                "scale": {"domain": names, "range": list(SHAPES[:q])},
                "title": None,
            },
        },
    }
    return [raster, points]


def regions_over_training(features, labels, snapshots, *, feature_names, class_names):
    """Decision regions of a 2-feature classifier, with a slider over training steps.

    ``features`` (n, 2) and ``labels`` (n,) are the points drawn (data first, as everywhere in the package).
    ``snapshots``: sequence of dicts with ``step`` (int), ``weights`` (2, q), ``bias`` (q,) and ``loss``
    (float, the training loss at that step); the last snapshot is the default state.

    The regions (a 60 x 60 raster, the class of the largest logit) are computed in the browser from
    the snapshot's weights, so the page carries only the weights. Below them, the loss against the
    step marks the chosen snapshot. Raises ValueError for an empty or malformed snapshot sequence,
    steps that do not increase, or points and labels that do not fit.
    """
    snapshots = list(snapshots)
    if not snapshots:
        raise ValueError("snapshots must hold at least one snapshot")
    checked = []
    for i, snap in enumerate(snapshots):
        missing = {"step", "weights", "bias", "loss"} - set(snap)
        if missing:
            raise ValueError(f"snapshot {i} lacks {sorted(missing)}")
        weights, bias = _check_model(snap["weights"], snap["bias"], f" of snapshot {i}")
        checked.append((int(snap["step"]), weights, bias, float(_finite(snap["loss"], f"loss of snapshot {i}"))))
    q = checked[0][1].shape[1]
    if any(w.shape[1] != q for _, w, _, _ in checked):
        raise ValueError("every snapshot must have the same number of classes")
    steps = [s for s, _, _, _ in checked]
    if any(b <= a for a, b in zip(steps, steps[1:])):
        raise ValueError(f"snapshot steps must increase, got {steps}")
    names = _names(class_names, q, "class names")
    feature_names = _names(feature_names, 2, "feature names")
    features, labels = _check_points(features, labels, checked[-1][1], checked[-1][2])
    start = len(checked) - 1
    snaps = [{"step": s, "W": w.tolist(), "b": b.tolist(), "loss": loss} for s, w, b, loss in checked]

    def logits(x1, x2):
        return [f"snaps[k].W[0][{j}] * {x1} + snaps[k].W[1][{j}] * {x2} + snaps[k].b[{j}]" for j in range(q)]

    regions = {
        "width": WIDTH,
        "height": WIDTH,
        "title": {"text": {"expr": "'step ' + snaps[k].step + ': training loss ' + format(snaps[k].loss, '.3f')"}},
        "layer": _region_layers(features, labels, names, feature_names, logits),
    }
    loss = {
        "width": WIDTH,
        "height": 90,
        "data": {"values": [{"k": i, "step": s, "loss": l} for i, (s, _, _, l) in enumerate(checked)]},
        "layer": [
            {
                "mark": {"type": "line", "color": "#555", "point": True},
                "encoding": {
                    "x": {"field": "step", "type": "quantitative", "title": "training step"},
                    "y": {"field": "loss", "type": "quantitative", "title": "loss", "scale": {"zero": True}},
                },
            },
            {
                "transform": [{"filter": "datum.k == k"}],
                "mark": {"type": "point", "filled": True, "size": 90, "color": ACCENT[2]},
                "encoding": {
                    "x": {"field": "step", "type": "quantitative"},
                    "y": {"field": "loss", "type": "quantitative"},
                },
            },
        ],
    }
    spec = {
        "description": "Decision regions and training points; a slider chooses the training step.",
        "params": [
            {
                "name": "k",
                "value": start,
                "bind": {"input": "range", "min": 0, "max": len(checked) - 1, "step": 1, "name": "training snapshot"},
            },
            {"name": "snaps", "value": snaps},
        ],
        "vconcat": [regions, loss],
        "config": _config(),
    }
    texts = {
        str(i): f"snapshot {i + 1} of {len(checked)}: step {s}, training loss {l:.3f}"
        for i, (s, _, _, l) in enumerate(checked)
    }
    step = checked[start][0]
    alt = (
        f"Decision regions of the classifier after {step} training steps over {feature_names[0]} and "
        f"{feature_names[1]}, with the {len(labels)} training points of {', '.join(names)}; below, the loss by step."
    )
    description = (
        "Moving the slider steps through the recorded snapshots of training, from the first to the last (shown "
        "first): the regions are redrawn from the weights of that step, so one sees the boundaries turn and shift, "
        "and the marked point on the loss curve below shows that step's training loss. Arrow keys move the "
        "slider one snapshot."
    )
    values = {"k": {str(i): f"step {s}" for i, (s, _, _, _) in enumerate(checked)}}
    return InteractiveFigure(
        spec, alt=alt, description=description, status={"k": texts}, values=values, kind="regions-training"
    )


def weight_explorer(features, labels, weights, bias, *, feature_names, class_names):
    """Decision regions of ``weights`` (2, q) and ``bias`` (q,) over the points ``features`` (n, 2), ``labels``
    (n,), with a control per weight and bias entry that changes it and redraws the regions (as in CS231n's
    linear-classifier demo). Default: the given values.

    One slider per entry (``w11`` ... ``w2q``, ``b1`` ... ``bq``: math counts from 1), each over
    the given value plus or minus a span that scales with the largest entry; the regions, the mean
    cross-entropy and the accuracy on the points are computed in the browser as a slider moves.
    Raises ValueError for shapes that do not fit or points and labels that do not.
    """
    weights, bias = _check_model(weights, bias, "")
    q = weights.shape[1]
    names = _names(class_names, q, "class names")
    feature_names = _names(feature_names, 2, "feature names")
    features, labels = _check_points(features, labels, weights, bias)
    scale = float(max(1.0, np.abs(np.concatenate([weights.ravel(), bias])).max()))
    span, step = 2 * scale, float(f"{scale / 50:.1g}")

    def slider(name, value, label):
        value = float(value)
        bind = {"input": "range", "min": round(value - span, 6), "max": round(value + span, 6), "step": step}
        return {"name": name, "value": value, "bind": {**bind, "name": label}}

    params = [
        slider(f"w{l + 1}{j + 1}", weights[l, j], f"w{l + 1}{j + 1} ({feature_names[l]} → {names[j]})")
        for l in range(2)
        for j in range(q)
    ]
    params += [slider(f"b{j + 1}", bias[j], f"b{j + 1} ({names[j]})") for j in range(q)]

    def logits(x1, x2):
        return [f"w1{j + 1} * {x1} + w2{j + 1} * {x2} + b{j + 1}" for j in range(q)]

    layers = _region_layers(features, labels, names, feature_names, logits)
    # Loss and accuracy on the points, as the weights move.
    o = logits("datum.x1", "datum.x2")
    lse_max = "max(" + ", ".join(f"datum.o{j}" for j in range(q)) + ")"
    lse = f"datum.m + log({' + '.join(f'exp(datum.o{j} - datum.m)' for j in range(q))})"
    true_logit = " : ".join(f"datum.y == {j} ? datum.o{j}" for j in range(q - 1)) + f" : datum.o{q - 1}"
    pred = layers[0]["transform"][-2]["calculate"]
    layers[1]["data"]["values"] = [dict(v, y=int(c)) for v, c in zip(layers[1]["data"]["values"], labels)]
    summary = {
        "data": layers[1]["data"],
        "transform": [
            *({"calculate": e, "as": f"o{j}"} for j, e in enumerate(o)),
            {"calculate": lse_max, "as": "m"},
            {"calculate": f"{lse} - ({true_logit})", "as": "nll"},
            {"calculate": f"({pred}) == datum.y ? 1 : 0", "as": "right"},
            {
                "aggregate": [
                    {"op": "mean", "field": "nll", "as": "loss"},
                    {"op": "mean", "field": "right", "as": "accuracy"},
                ]
            },
            {
                "calculate": "'cross-entropy ' + format(datum.loss, '.3f')"
                " + ', accuracy ' + format(datum.accuracy, '.1%')",
                "as": "text",
            },
        ],
        "name": "live",  # its marks are "live_marks": read after each move (InteractiveFigure.live)
        "mark": {"type": "text", "align": "left", "baseline": "bottom", "dy": -6, "fontSize": 13, "fontWeight": "bold"},
        "encoding": {"text": {"field": "text"}, "x": {"value": 0}, "y": {"value": 0}},
    }
    spec = {
        "description": "Decision regions of a linear classifier; one slider per weight and bias.",
        "params": params,
        "width": WIDTH,
        "height": WIDTH,
        "layer": [*layers, summary],
        "config": _config(),
    }
    scores = features @ weights + bias
    loss = float(cross_entropy(scores, labels).mean())
    accuracy = float(np.mean(scores.argmax(axis=1) == labels))
    summary_text = f"cross-entropy {loss:.3f}, accuracy {accuracy:.1%}"
    label = (
        f"Decision regions of a linear classifier over {feature_names[0]} and {feature_names[1]} with "
        f"the points of {', '.join(names)}; "
    )
    alt = f"{label}{summary_text}."
    description = (
        f"Each slider changes one weight or bias. Raising w1j or w2j tilts the boundaries of class j towards "
        f"larger {feature_names[0]} or {feature_names[1]}, raising bj moves them outwards so class j claims "
        "more of the plane; the cross-entropy and the accuracy above the plot follow. Moving one feature's weights "
        "(or the biases) of every class by the same amount changes nothing: softmax sees only differences between "
        "classes. Arrow keys move a slider one step."
    )
    live = {"mark": "live_marks", "label": label, "text": summary_text}
    return InteractiveFigure(spec, alt=alt, description=description, kind="weights", live=live)


# --------------------------------------------------------------------------- curves


def curves_by_setting(runs, *, setting_name, metrics=("train_loss", "valid_accuracy")):
    """Training curves for several settings (e.g. learning rates), one shown at a time, chosen with buttons.

    ``runs``: dict from a setting's label (str) to a dict with ``epoch`` (sequence of int) and one sequence
    per name in ``metrics``. The first run is the default state.

    Radio buttons choose the setting; its curves are drawn in colour, the other settings' in light grey
    for comparison, and every curve is named at its last epoch. The static picture draws every setting in
    its own colour and line style, with a legend. Raises ValueError for no runs, a run that lacks a
    metric, or sequences whose lengths differ from its epochs.
    """
    if not runs:
        raise ValueError("runs must hold at least one setting")
    metrics = [str(m) for m in metrics]
    if not metrics:
        raise ValueError("metrics must name at least one metric")
    labels = [str(label) for label in runs]
    if len(set(labels)) != len(labels):
        raise ValueError(f"setting labels must be distinct as text, got {labels}")
    rows = []
    for label, run in zip(labels, runs.values()):
        missing = {"epoch", *metrics} - set(run)
        if missing:
            raise ValueError(f"run {label!r} lacks {sorted(missing)}")
        epoch = _finite(run["epoch"], f"epoch of run {label!r}")
        for metric in metrics:
            values = np.asarray(run[metric], dtype=np.float64)
            if values.shape != epoch.shape or epoch.ndim != 1:
                raise ValueError(f"run {label!r}: {metric} has shape {values.shape}, its epochs {epoch.shape}")
            rows += [
                {"setting": label, "metric": metric, "epoch": float(e), "value": float(v) if np.isfinite(v) else None}
                for e, v in zip(epoch, values)
            ]
    charts = []
    for metric in metrics:
        charts.append(
            {
                "width": WIDTH,
                "height": 130,
                "layer": [
                    {
                        "transform": [{"filter": f"datum.metric == {json.dumps(metric)} && datum.setting != setting"}],
                        "mark": {"type": "line", "color": "#c8c8c8", "strokeWidth": 1},
                        "encoding": {
                            "x": {"field": "epoch", "type": "quantitative", "title": "epoch"},
                            "y": {"field": "value", "type": "quantitative", "title": metric},
                            "detail": {"field": "setting"},
                        },
                    },
                    {
                        "transform": [{"filter": f"datum.metric == {json.dumps(metric)} && datum.setting == setting"}],
                        "mark": {"type": "line", "color": ACCENT[0], "strokeWidth": 2.5, "point": True},
                        "encoding": {
                            "x": {"field": "epoch", "type": "quantitative"},
                            "y": {"field": "value", "type": "quantitative"},
                        },
                    },
                    # Each curve's name at its last epoch, so that the grey ones can be told apart.
                    {
                        "transform": [
                            {"filter": f"datum.metric == {json.dumps(metric)} && isValid(datum.value)"},
                            {"joinaggregate": [{"op": "max", "field": "epoch", "as": "last"}], "groupby": ["setting"]},
                            {"filter": "datum.epoch == datum.last"},
                        ],
                        "mark": {"type": "text", "align": "right", "dx": -4, "dy": -8, "fontSize": 11},
                        "encoding": {
                            "x": {"field": "epoch", "type": "quantitative"},
                            "y": {"field": "value", "type": "quantitative"},
                            "text": {"field": "setting"},
                        },
                    },
                ],
            }
        )
    spec = {
        "description": f"Training curves for several values of {setting_name}; buttons choose the one drawn in colour.",
        "data": {"name": "curves", "values": rows},
        "params": [
            {"name": "setting", "value": labels[0], "bind": {"input": "radio", "options": labels, "name": setting_name}}
        ],
        "title": {"text": {"expr": f"{json.dumps(str(setting_name) + ' = ')} + setting"}},
        "vconcat": charts,
        "config": _config(),
    }
    texts = {label: f"{setting_name} = {label}: its curves in colour, the other settings in grey" for label in labels}
    alt = (
        f"{' and '.join(metrics)} against the epoch, one curve for each value of {setting_name} "
        f"({', '.join(labels)}), each named."
    )
    description = (
        f"The buttons choose a value of {setting_name}: its curves are drawn in colour over the others in grey, "
        "so one can see which values learn fast, which slowly and which diverge. Arrow keys move between the buttons."
    )
    return InteractiveFigure(spec, alt=alt, description=description, status={"setting": texts}, kind="curves")


# --------------------------------------------------------------------------- calibration


def reliability_before_after(probabilities_before, probabilities_after, labels, *, temperature, num_bins=15):
    """Reliability diagram (accuracy against confidence per bin) before and after temperature scaling,
    switched with buttons; ``probabilities_*`` (n, q), ``labels`` (n,). Default state: after (the static
    picture, in Jupyter and the PDF, shows the calibrated model; a chapter draws the diagram before on its own).
    Bins come from :func:`softmax_course.calibration.reliability_bins`.

    Drawn as :func:`softmax_course.calibration.plot_reliability` draws one diagram, in its colours:
    each bin is a bar from its lower to its upper edge, as high as its accuracy, with its gap to the
    mean confidence outlined in red; the dashed diagonal is perfect calibration and the title gives
    the state and its expected calibration error (ECE). Empty bins are not drawn.
    Raises ValueError (from the calibration module) for probabilities and labels that do not fit, and
    for a temperature that is not positive and finite.
    """
    from softmax_course.calibration import expected_calibration_error, reliability_bins

    temperature = float(
        check_scalar(temperature, "temperature", numbers.Real, min_val=0, max_val=np.inf, include_boundaries="neither")
    )
    states = {"before": np.asarray(probabilities_before), "after": np.asarray(probabilities_after)}
    if states["before"].shape != states["after"].shape:
        raise ValueError(
            f"probabilities before {states['before'].shape} and after {states['after'].shape} must have the same shape"
        )
    rows, ece = [], {}
    for state, probabilities in states.items():
        bins = reliability_bins(probabilities, labels, num_bins)
        ece[state] = expected_calibration_error(probabilities, labels, num_bins)
        for s in range(len(bins["count"])):
            if bins["count"][s] == 0:
                continue
            rows.append(
                {
                    "state": state,
                    "low": float(bins["edges"][s]),
                    "high": float(bins["edges"][s + 1]),
                    "count": int(bins["count"][s]),
                    "confidence": float(bins["confidence"][s]),
                    "accuracy": float(bins["accuracy"][s]),
                    "zero": 0.0,
                }
            )
    options = ["before", "after"]
    button_labels = ["before temperature scaling", f"after (T = {temperature:.3g})"]
    axis = {"scale": {"domain": [0, 1]}}
    spec = {
        "description": "Reliability diagram; buttons switch between before and after temperature scaling.",
        "data": {"values": rows},
        "params": [
            {
                "name": "state",
                "value": "after",
                "bind": {"input": "radio", "options": options, "labels": button_labels, "name": "probabilities"},
            },
            {"name": "ece", "value": ece},
        ],
        "width": WIDTH,
        "height": WIDTH,
        # The state in the title too: the static picture (Jupyter, the PDF) has no buttons to show it.
        "title": {"text": {"expr": "state + ' temperature scaling: ECE ' + format(ece[state], '.4f')"}},
        "layer": [
            {
                "transform": [{"filter": "datum.state == state"}],
                "mark": {"type": "rect", "color": "#1f77b4", "stroke": "white", "strokeWidth": 0.5},
                "encoding": {
                    "x": {"field": "low", "type": "quantitative", "title": "confidence", **axis},
                    "x2": {"field": "high"},
                    "y": {"field": "accuracy", "type": "quantitative", "title": "accuracy in the bin", **axis},
                    "y2": {"field": "zero"},
                    "tooltip": [
                        {"field": "count", "title": "examples"},
                        {"field": "confidence", "format": ".3f"},
                        {"field": "accuracy", "format": ".3f"},
                    ],
                },
            },
            # The gap from the accuracy to the mean confidence, outlined in red (hatched in the chapter's
            # own diagram, calibration.plot_reliability, whose colours these are).
            {
                "transform": [{"filter": "datum.state == state"}],
                "mark": {"type": "rect", "color": "#d62728", "fillOpacity": 0.15, "stroke": "#d62728"},
                "encoding": {
                    "x": {"field": "low", "type": "quantitative"},
                    "x2": {"field": "high"},
                    "y": {"field": "accuracy", "type": "quantitative"},
                    "y2": {"field": "confidence"},
                },
            },
            {
                "data": {"values": [{"a": 0}, {"a": 1}]},
                "mark": {"type": "line", "strokeDash": [4, 3], "color": "#000", "strokeWidth": 1},
                "encoding": {"x": {"field": "a", "type": "quantitative"}, "y": {"field": "a", "type": "quantitative"}},
            },
        ],
        "config": _config(),
    }
    texts = {
        "before": f"before temperature scaling: expected calibration error {ece['before']:.4f}",
        "after": f"after temperature scaling with T = {temperature:.3g}: expected calibration error {ece['after']:.4f}",
    }
    alt = (
        f"Reliability diagram after temperature scaling with T = {temperature:.3g}: accuracy against confidence in "
        f"{num_bins} bins, with the diagonal of perfect calibration; expected calibration error {ece['after']:.4f}."
    )
    description = (
        "The buttons switch between the probabilities after temperature scaling (shown first) and before it: "
        "bars below the diagonal are overconfident bins, bars above it underconfident ones, and the red boxes are "
        f"the gaps to the confidence; with T = {temperature:.3g} "
        f"the expected calibration error goes from {ece['before']:.4f} to {ece['after']:.4f}. "
        "Arrow keys move between the buttons."
    )
    return InteractiveFigure(spec, alt=alt, description=description, status={"state": texts}, kind="reliability")
