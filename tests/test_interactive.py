"""Tests of softmax_course.interactive: what each figure displays, its data and its input checks.

The browser step (tests/browser/test_interactive.py) checks the drawn figures on the built pages.
"""

import json
import re

import numpy as np
import pytest

from softmax_course import interactive
from softmax_course.calibration import expected_calibration_error, reliability_bins
from softmax_course.geometry import REGION_COLORS, region_grid
from softmax_course.softmax import softmax

NAMES = ["setosa", "versicolor", "virginica"]
FEATURES = ["petal length", "petal width"]


@pytest.fixture
def book_mode(monkeypatch):
    """As in the book build: the page serves the library."""
    monkeypatch.setenv(interactive.LIBRARY_ENV, "book")


def points(n=30, seed=0):
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 3
    centres = np.array([[-1.0, -1.0], [0.0, 0.5], [1.0, 1.0]])
    return centres[labels] + 0.3 * rng.normal(size=(n, 2)), labels


def snapshots(count=4):
    rng = np.random.default_rng(1)
    return [
        {"step": 10 * i, "weights": rng.normal(size=(2, 3)) * i, "bias": rng.normal(size=3), "loss": 1.1 / (i + 1)}
        for i in range(count)
    ]


def runs():
    epochs = np.arange(1, 6)
    return {
        str(lr): {"epoch": epochs, "train_loss": 1 / (lr * epochs + 1), "valid_accuracy": 1 - 1 / (lr * epochs + 2)}
        for lr in (0.01, 0.1, 1.0)
    }


def calibration_data(n=500, seed=2):
    rng = np.random.default_rng(seed)
    logits = 3 * rng.normal(size=(n, 4))
    labels = np.array([rng.choice(4, p=p) for p in softmax(logits / 2)])
    return softmax(logits), softmax(logits / 2), labels


def all_figures():
    features, labels = points()
    before, after, calibration_labels = calibration_data()
    return [
        interactive.temperature_explorer([2.0, 1.0, 0.1], NAMES),
        interactive.regions_over_training(features, labels, snapshots(), feature_names=FEATURES, class_names=NAMES),
        interactive.weight_explorer(
            features, labels, np.eye(2, 3), np.zeros(3), feature_names=FEATURES, class_names=NAMES
        ),
        interactive.curves_by_setting(runs(), setting_name="learning rate"),
        interactive.reliability_before_after(before, after, calibration_labels, temperature=2.0),
    ]


def bundle(figure):
    data, metadata = figure._repr_mimebundle_()
    return data, metadata


def spec_of(html):
    match = re.search(r'<script type="application/json" class="sci-spec">(.*?)</script>', html, re.S)
    return json.loads(match.group(1).replace("<\\/", "</"))


# --------------------------------------------------------------------------- the display bundle


def test_every_figure_displays_html_png_and_text(book_mode):
    for figure in all_figures():
        data, metadata = bundle(figure)
        assert set(data) == {"text/html", "image/png", "text/plain"}, figure.kind
        assert data["image/png"][:8] == b"\x89PNG\r\n\x1a\n", figure.kind
        assert data["text/plain"] == figure.alt and len(figure.alt) > 30
        assert metadata["image/png"]["alt"] == figure.alt
        html = data["text/html"]
        assert f'aria-label="{figure.alt}"' in html or 'aria-label="' in html
        assert "<figcaption>" in html and len(figure.description) > 60
        assert 'class="sci-static" src="data:image/png;base64,' in html  # the PNG where scripts do not run
        assert html.count("<script") == 1  # the spec (JSON): the book serves the runtime and the drawing script
        assert figure.controls, figure.kind


def test_book_html_loads_nothing_and_inlines_no_library(book_mode):
    for figure in all_figures():
        html = bundle(figure)[0]["text/html"]
        assert not re.search(r"https?://(?!vega\.github\.io/schema)", html.replace("http://www.w3.org", "")), (
            figure.kind
        )
        assert "src=" not in html.replace('src="data:image/png', "")
        assert "window.vega" not in html and "mathjax" not in html.lower()
        assert len(html) < 80_000, f"{figure.kind}: {len(html)} characters"


def test_outside_the_book_the_library_comes_inline_or_from_a_pinned_cdn(monkeypatch):
    figure = interactive.temperature_explorer([1.0, 0.0], ["a", "b"])
    monkeypatch.setenv(interactive.LIBRARY_ENV, "cdn")
    html = figure.to_html()
    # The spec is compiled already: Vega's runtime is all the page needs, then the drawing script.
    assert f"https://cdn.jsdelivr.net/npm/vega@{interactive.CDN_VERSIONS['vega']}" in html
    assert "vega-lite@" not in html and interactive.script().strip()[-20:] in html
    monkeypatch.delenv(interactive.LIBRARY_ENV)
    html = figure.to_html()
    assert "window.vegaEmbed=" in html and "cdn.jsdelivr" not in html
    assert "</script" not in html.split("<script>", 2)[1].split("</script>")[0]


def test_without_vl_convert_the_browser_compiles_vega_lite(monkeypatch):
    """Where vl-convert-python is missing: the Vega-Lite spec, compiled in the page, and no picture."""
    monkeypatch.setattr(interactive, "_compile", lambda spec: (None, None))
    monkeypatch.delenv(interactive.LIBRARY_ENV, raising=False)
    figure = interactive.temperature_explorer([1.0, 0.0], ["a", "b"])
    data, metadata = figure._repr_mimebundle_()
    assert set(data) == {"text/html", "text/plain"} and metadata == {}
    assert spec_of(data["text/html"])["spec"] == json.loads(json.dumps(figure.spec))
    for name, version in interactive.CDN_VERSIONS.items():
        assert f"https://cdn.jsdelivr.net/npm/{name}@{version}" in data["text/html"]


def test_javascript_library_carries_the_runtime_offline_and_the_drawing_script():
    library = interactive.javascript_library()
    assert "window.vegaEmbed=" in library and library.endswith(interactive.script())
    assert "cdn.jsdelivr" not in library.replace(interactive.script(), "") and "mathjax" not in library.lower()


def test_script_and_style_are_package_data():
    import importlib.resources

    package = importlib.resources.files("softmax_course")
    assert interactive.script() == package.joinpath("interactive.js").read_text(encoding="utf-8")
    assert interactive.style() == package.joinpath("interactive.css").read_text(encoding="utf-8")
    html = interactive.temperature_explorer([1.0, 0.0], ["a", "b"]).to_html()
    assert f"<style>{interactive.style()}</style>" in html


def test_picture_is_the_spec_rendered():
    """One source: the PNG is the Vega-Lite spec's default state, drawn by vl-convert, not a twin."""
    import io

    import vl_convert
    from PIL import Image

    for figure in all_figures():
        rendered = interactive._small_png(vl_convert.vegalite_to_png(figure.spec, scale=interactive.PNG_SCALE))
        assert figure.png == rendered, figure.kind
        with Image.open(io.BytesIO(figure.png)) as image:
            # As wide as the chart at PNG_SCALE (its axes and labels around it), on white.
            assert image.width >= interactive.WIDTH * interactive.PNG_SCALE, figure.kind
            assert image.convert("RGB").getpixel((1, 1)) == (255, 255, 255), figure.kind


def test_html_spec_round_trips_and_ids_are_distinct(book_mode):
    figures = all_figures()
    for figure in figures:
        assert spec_of(figure.to_html())["vega"] == json.loads(json.dumps(figure.vega))
    assert len({figure.id for figure in figures}) == len(figures)
    again = [re.search(r'id="(sci-[^"]+)"', figures[0].to_html()).group(1) for _ in range(2)]
    assert again[0] != again[1]  # the same figure displayed twice draws twice


# --------------------------------------------------------------------------- the data of each figure


def test_temperature_data_are_softmax_of_scaled_logits():
    logits = np.array([3.0, 1.0, -2.0])
    temperatures = np.geomspace(0.05, 20, 61)
    figure = interactive.temperature_explorer(logits, NAMES)
    rows = figure.spec["vconcat"][0]["data"]["values"]
    p = np.array([row["p"] for row in rows]).reshape(61, 3)
    np.testing.assert_allclose([row["T"] for row in rows[::3]], temperatures)
    np.testing.assert_allclose(p, softmax(logits[None] / temperatures[:, None]), rtol=1e-12)
    slider = figure.spec["params"][0]
    assert slider["bind"]["input"] == "range" and (slider["bind"]["min"], slider["bind"]["max"]) == (0, 60)
    assert temperatures[slider["value"]] == pytest.approx(1.0)  # the default state is T = 1
    largest = [row["P"] for row in figure.spec["vconcat"][1]["data"]["values"]]
    np.testing.assert_allclose(largest, p.max(axis=1))
    assert np.all(np.diff(largest) <= 0) and largest[0] > 0.999 and largest[-1] > 1 / 3
    assert "T = 1" in figure.status["k"][str(slider["value"])]


def test_regions_carry_weights_not_rasters_and_default_to_the_last_snapshot():
    features, labels = points()
    snaps = snapshots(5)
    figure = interactive.regions_over_training(features, labels, snaps, feature_names=FEATURES, class_names=NAMES)
    params = {p["name"]: p for p in figure.spec["params"]}
    assert params["k"]["value"] == 4 and params["k"]["bind"]["max"] == 4
    np.testing.assert_allclose(params["snaps"]["value"][2]["W"], snaps[2]["weights"])
    raster = figure.spec["vconcat"][0]["layer"][0]
    assert raster["data"]["sequence"]["stop"] == interactive.GRID**2 == 3600
    assert len(json.dumps(figure.spec)) < 40_000


def marks(scenegraph, name):
    """The items of the mark called ``name`` in a Vega scenegraph."""
    stack = [scenegraph]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("name") == name:
                return node["items"]
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    raise KeyError(name)


def test_regions_and_summary_drawn_by_vega_match_numpy():
    """Vega itself (vl-convert runs the same engine as the page) draws numpy's argmax in every cell,
    and the cross-entropy and accuracy that numpy computes."""
    import vl_convert

    features, labels = points()
    weights, bias = np.array([[1.0, -2.0, 0.5], [0.3, 1.0, -1.0]]), np.array([0.1, 0.0, -0.2])
    figure = interactive.weight_explorer(features, labels, weights, bias, feature_names=FEATURES, class_names=NAMES)
    scenegraph = vl_convert.vega_to_scenegraph(figure.vega)  # the compiled spec, as the page draws it
    cells = marks(scenegraph, "layer_0_marks")
    assert len(cells) == interactive.GRID**2
    x1, x2, _ = region_grid(features, num=interactive.GRID)  # the chapters' grid
    grid = np.stack(np.meshgrid(x1, x2), axis=-1).reshape(-1, 2)  # cell = row * GRID + column, as in the spec
    expected = np.argmax(grid @ weights + bias, axis=1)
    drawn = np.array([interactive.COLORS.index(cell["fill"]) for cell in cells])
    np.testing.assert_array_equal(drawn, expected)
    scores = features @ weights + bias
    log_p = scores - scores.max(1, keepdims=True)
    log_p -= np.log(np.exp(log_p).sum(1, keepdims=True))
    loss, accuracy = -log_p[np.arange(len(labels)), labels].mean(), np.mean(scores.argmax(1) == labels)
    assert marks(scenegraph, "live_marks")[0]["text"] == f"cross-entropy {loss:.3f}, accuracy {accuracy:.1%}"


def test_every_spec_compiles_to_vega_and_draws():
    import vl_convert

    for figure in all_figures():
        assert figure.vega["signals"] and figure.vega["marks"], figure.kind
        assert vl_convert.vega_to_scenegraph(figure.vega)["width"] > 0, figure.kind


def test_weight_explorer_has_one_labelled_slider_per_entry_around_its_value():
    features, labels = points()
    weights, bias = np.arange(6.0).reshape(2, 3) - 2, np.array([0.5, -0.5, 0.0])
    figure = interactive.weight_explorer(features, labels, weights, bias, feature_names=FEATURES, class_names=NAMES)
    assert figure.controls == ["w11", "w12", "w13", "w21", "w22", "w23", "b1", "b2", "b3"]
    for param, value in zip(figure.spec["params"], [*weights.ravel(), *bias]):
        bind = param["bind"]
        assert param["value"] == value and bind["min"] < value < bind["max"] and bind["input"] == "range"
        assert param["name"] in bind["name"]


def test_curves_rows_and_buttons():
    figure = interactive.curves_by_setting(runs(), setting_name="learning rate")
    param = figure.spec["params"][0]
    assert param["bind"]["input"] == "radio" and param["bind"]["options"] == ["0.01", "0.1", "1.0"]
    assert param["value"] == "0.01"
    rows = figure.spec["data"]["values"]
    assert len(rows) == 3 * 2 * 5
    picked = [r["value"] for r in rows if r["setting"] == "0.1" and r["metric"] == "train_loss"]
    np.testing.assert_allclose(picked, runs()["0.1"]["train_loss"])


def test_reliability_bins_come_from_the_calibration_module():
    before, after, labels = calibration_data()
    figure = interactive.reliability_before_after(before, after, labels, temperature=2.0, num_bins=10)
    rows = figure.spec["data"]["values"]
    for state, probabilities in (("before", before), ("after", after)):
        bins = reliability_bins(probabilities, labels, 10)
        full = bins["count"] > 0
        mine = [r for r in rows if r["state"] == state]
        np.testing.assert_allclose([r["accuracy"] for r in mine], bins["accuracy"][full])
        np.testing.assert_array_equal([r["count"] for r in mine], bins["count"][full])
        ece = figure.spec["params"][1]["value"][state]
        assert ece == pytest.approx(expected_calibration_error(probabilities, labels, 10))
    assert figure.spec["params"][0]["value"] == "after"  # the static picture shows the calibrated model


def test_the_static_reliability_picture_says_which_state_it_shows():
    import vl_convert

    before, after, labels = calibration_data()
    figure = interactive.reliability_before_after(before, after, labels, temperature=2.0)
    svg = vl_convert.vegalite_to_svg(figure.spec)
    ece = expected_calibration_error(after, labels)
    assert f"after temperature scaling: ECE {ece:.4f}" in svg


# --------------------------------------------------------------------------- input checks


def explore(features, labels, weights, bias, class_names=NAMES):
    return interactive.weight_explorer(features, labels, weights, bias, feature_names=FEATURES, class_names=class_names)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: interactive.temperature_explorer([1.0], ["a"]), "q >= 2"),
        (lambda: interactive.temperature_explorer([1.0, np.nan], ["a", "b"]), "finite"),
        (lambda: interactive.temperature_explorer([1.0, 2.0], ["a"]), "expected 2 class names"),
        (lambda: interactive.temperature_explorer([1.0, 2.0], ["a", "a"]), "distinct"),
        (lambda: interactive.temperature_explorer([1.0, 2.0], ["a", "b"], [1.0, 0.5]), "increasing"),
        (lambda: interactive.temperature_explorer([1.0, 2.0], ["a", "b"], [0.0, 1.0]), "positive"),
        (
            lambda: interactive.regions_over_training(*points(), [], feature_names=FEATURES, class_names=NAMES),
            "at least one",
        ),
        (
            lambda: interactive.regions_over_training(
                *points(), [{"step": 0, "weights": np.zeros((2, 3))}], feature_names=FEATURES, class_names=NAMES
            ),
            "lacks",
        ),
        (
            lambda: interactive.regions_over_training(
                *points(), snapshots()[::-1], feature_names=FEATURES, class_names=NAMES
            ),
            "increase",
        ),
        (lambda: explore(*points(), np.zeros((3, 3)), np.zeros(3)), r"shape \(2, q\)"),
        (lambda: explore(*points(), np.zeros((2, 3)), np.zeros(2)), "bias"),
        (lambda: explore(points()[0], points()[1] + 3, np.zeros((2, 3)), np.zeros(3)), "expected labels in"),
        (
            lambda: explore(np.zeros((5, 3)), np.zeros(5, int), np.zeros((2, 3)), np.zeros(3)),
            r"expected X \(n, d\), W \(d, q\) and b \(q,\), got X \(5, 3\)",
        ),
        (lambda: explore(np.zeros((0, 2)), np.zeros(0, int), np.zeros((2, 3)), np.zeros(3)), "at least one example"),
        (lambda: interactive.curves_by_setting({}, setting_name="lr"), "at least one"),
        (lambda: interactive.curves_by_setting({"a": {"epoch": [1, 2]}}, setting_name="lr"), "lacks"),
        (
            lambda: interactive.curves_by_setting(
                {"a": {"epoch": [1, 2], "train_loss": [1.0], "valid_accuracy": [1, 2]}}, setting_name="lr"
            ),
            "shape",
        ),
        (lambda: interactive.reliability_before_after(*calibration_data(), temperature=0.0), "temperature"),
        (lambda: interactive.reliability_before_after(*calibration_data(), temperature=np.inf), "temperature"),
        (
            lambda: explore(points()[0], points()[1], np.zeros((2, 7)), np.zeros(7), class_names="abcdefg"),
            "at most 6 classes",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("temperature", ["2", True, None])
def test_temperature_of_the_wrong_type_is_refused(temperature):
    with pytest.raises(TypeError, match="temperature"):
        interactive.reliability_before_after(*calibration_data(), temperature=temperature)


def test_region_classes_have_the_chapters_colours():
    """A class has one colour on a page: the interactive figures use softmax_course.geometry's."""
    features, labels = points()
    figure = interactive.weight_explorer(
        features, labels, np.eye(2, 3), np.zeros(3), feature_names=FEATURES, class_names=NAMES
    )
    scale = figure.spec["layer"][0]["encoding"]["color"]["scale"]
    assert scale == {"domain": NAMES, "range": list(REGION_COLORS[:3])}


def test_signatures_are_the_chapters_contract():
    import inspect

    expected = {
        "temperature_explorer": "(logits, class_names, temperatures=None)",
        "regions_over_training": "(features, labels, snapshots, *, feature_names, class_names)",
        "weight_explorer": "(features, labels, weights, bias, *, feature_names, class_names)",
        "curves_by_setting": "(runs, *, setting_name, metrics=('train_loss', 'valid_accuracy'))",
        "reliability_before_after": "(probabilities_before, probabilities_after, labels, *, temperature, num_bins=15)",
    }
    for name, signature in expected.items():
        assert str(inspect.signature(getattr(interactive, name))) == signature
