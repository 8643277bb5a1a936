"""The interactive figures (softmax_course.interactive) on the built pages, in headless Chromium.

Needs a built book (see browser_book.py); $BOOK_HTML_DIR overrides _build/html. For every
figure on every page that has one (found in the built HTML):

- it renders: Vega drew an SVG with marks and a non-empty plot area, the static PNG
  stand-in is hidden, the figure has its text alternative (aria-label and figcaption);
- every control has a visible label; moving it from the keyboard (arrow key) and by a scripted
  event (a new value and its input/change event) changes what is drawn (the SVG) and the status line;
- nothing is fetched from outside the book (scripts, styles, fonts, images), and the
  runtime is served by the book (never from a CDN, never inlined in the page; Vega alone, with no
  Vega-Lite compiler and no vega-embed), only once a figure comes near the screen;
- the weight explorer says its loss and accuracy in a live region after each move, and its
  label follows;
- the browser console stays clean.

What the pages weigh is test_page_weight.py's.

Screenshots of each figure before and after moving each control go to
$INTERACTIVE_SCREENSHOTS, else <build>/screenshots/interactive/ (next to the HTML directory).
"""

import hashlib
import os
import pathlib
import re
import time

import pytest

import browser_book
from browser_book import BUILT, HTML_DIR, NOT_BUILT_MESSAGE, PAGES, REPORTS

# serve, start_chromium, set_viewport, WIDTHS, wait_until_ready, book_pages: in browser_book itself,
# or (earlier layout) in tools/screenshots.py, which browser_book imports.
screenshots = getattr(browser_book, "screenshots", browser_book)

MARKER = 'class="softmax-course-interactive"'
FIGURE_ID = re.compile(r'<figure class="softmax-course-interactive" id="([^"]+)"')
LIBRARY = "softmax-course-vega.js"
SHOTS = pathlib.Path(os.environ.get("INTERACTIVE_SCREENSHOTS") or HTML_DIR.parent / "screenshots" / "interactive")


def figures_on_pages():
    """[(page, figure id)] of every interactive figure in the built HTML."""
    found = []
    for page in PAGES:
        text = (HTML_DIR / page).read_text(encoding="utf-8", errors="replace")
        if MARKER in text:
            found += [(page, figure_id) for figure_id in FIGURE_ID.findall(text)]
    return found


FIGURES = figures_on_pages() if BUILT else []
FIGURE_PAGES = sorted({page for page, _ in FIGURES})

# What is drawn, and how the figure presents itself.
STATE_JS = """
const fig = document.getElementById(arguments[0]);
const svg = fig.querySelector(".sci-view svg");
const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
const visible = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
const drawnMarks = "g.mark-rect path, g.mark-symbol path, g.mark-line path, g.mark-text text";
const marks = svg ? svg.querySelectorAll(drawnMarks).length : 0;
const controls = Array.from(fig.querySelectorAll(".vega-bind")).map((bind) => {
  const name = bind.querySelector(".vega-bind-name");
  const inputs = Array.from(bind.querySelectorAll("input"));
  return {
    label: name ? name.textContent.trim() : "",
    labelVisible: visible(name),
    type: inputs.length ? inputs[0].type : "",
    name: inputs.length ? inputs[0].name : "",
    radioLabels: inputs.filter((i) => i.type === "radio").map((i) => {
      const label = i.closest("label") || fig.querySelector('label[for="' + i.id + '"]');
      return label && visible(label) ? label.textContent.trim() : "";
    }),
  };
});
return {
  drawn: svg ? svg.outerHTML : "",
  width: box.width, height: box.height, marks: marks,
  staticHidden: fig.querySelector(".sci-static").hidden,
  ariaLabel: fig.getAttribute("aria-label") || "",
  caption: (fig.querySelector("figcaption") || {}).textContent || "",
  status: (fig.querySelector(".sci-status") || {}).textContent || "",
  controls: controls,
};
"""

# A scripted move: the range to another value (its minimum, else its maximum), or the next radio button.
SCRIPTED_MOVE_JS = """
const fig = document.getElementById(arguments[0]);
const inputs = Array.from(fig.querySelectorAll(".vega-bind")[arguments[1]].querySelectorAll("input"));
if (inputs[0].type === "range") {
  const input = inputs[0];
  input.value = (Number(input.value) !== Number(input.min)) ? input.min : input.max;
  input.dispatchEvent(new Event("input", {bubbles: true}));
  input.dispatchEvent(new Event("change", {bubbles: true}));
  return input.value;
}
const now = inputs.findIndex((i) => i.checked);
const next = inputs[(now + 1) % inputs.length];
next.click();
return next.value;
"""

# Everything the page fetched or asks for, to check that it all comes from the book.
REQUESTS_JS = """
const urls = performance.getEntriesByType("resource").map((e) => e.name);
document.querySelectorAll("script[src]").forEach((s) => urls.push(s.src));
document.querySelectorAll("link[href]").forEach((l) => { if (l.rel !== "canonical") urls.push(l.href); });
document.querySelectorAll("img[src], iframe[src], source[src]").forEach((e) => urls.push(e.src));
for (const sheet of Array.from(document.styleSheets)) {
  let rules;
  try { rules = sheet.cssRules; } catch (error) { urls.push("unreadable stylesheet " + sheet.href); continue; }
  for (const rule of Array.from(rules)) {
    if (rule.type === CSSRule.FONT_FACE_RULE) {
      const found = rule.style.getPropertyValue("src").match(/url\\(["']?([^"')]+)/g) || [];
      found.forEach((u) => urls.push(new URL(u.replace(/^url\\(["']?/, ""), sheet.href || location.href).href));
    }
  }
}
return urls;
"""


def wait_for_figures(driver, timeout=30):
    return browser_book.draw_figures(driver, timeout)


def signature(drawn):
    return hashlib.sha256(drawn.encode("utf-8")).hexdigest()[:16]


def state_after_event(driver, figure_id, before, timeout=5):
    """The figure's state once its drawing differs from ``before`` (Vega redraws asynchronously), or at the timeout."""
    deadline = time.monotonic() + timeout
    while True:
        state = driver.execute_script(STATE_JS, figure_id)
        if signature(state["drawn"]) != signature(before["drawn"]) or time.monotonic() > deadline:
            time.sleep(0.05)  # let the status line, drawn after the marks, catch up
            return driver.execute_script(STATE_JS, figure_id)
        time.sleep(0.05)


# The theme's sticky header would cover the figure in its screenshot: hidden while it is taken.
HIDE_STICKY_JS = """
const hidden = [];
for (const el of document.querySelectorAll("body *")) {
  const position = getComputedStyle(el).position;
  if ((position === "sticky" || position === "fixed") && !el.closest("figure.softmax-course-interactive")) {
    hidden.push([el, el.style.visibility]);
    el.style.visibility = "hidden";
  }
}
window.softmaxCourseHidden = hidden;
document.getElementById(arguments[0]).scrollIntoView({block: "start"});
"""
SHOW_STICKY_JS = "(window.softmaxCourseHidden || []).forEach(([el, v]) => { el.style.visibility = v; });"


def shoot(driver, figure_id, name):
    """A screenshot of the figure (its controls and caption included) as SHOTS/<name>.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    driver.execute_script(HIDE_STICKY_JS, figure_id)
    try:
        driver.find_element("id", figure_id).screenshot(str(path))
    finally:
        driver.execute_script(SHOW_STICKY_JS)
    return path


def open_page(book, page):
    driver = book.driver
    # Desktop width, tall enough for a whole figure with its controls in one screenshot.
    screenshots.set_viewport(driver, screenshots.WIDTHS["desktop"][0], 1400)
    driver.get(book.url(page))
    screenshots.wait_until_ready(driver)
    return wait_for_figures(driver)


def drain_console(driver):
    """This page's console messages (read now, so that they are not put on another page's account)."""
    return [entry for entry in driver.get_log("browser") if "favicon.ico" not in entry.get("message", "")]


def test_interactive_figures_found():
    if not BUILT:
        pytest.fail(NOT_BUILT_MESSAGE, pytrace=False)
    if not FIGURES:
        pytest.skip(f"no page of {HTML_DIR} has an interactive figure yet")


@pytest.mark.parametrize("page,figure_id", FIGURES)
def test_figure_renders_and_moves(book, page, figure_id):
    driver = book.driver
    state = open_page(book, page)
    assert figure_id not in state["failed"], f"{page}: figure {figure_id} failed to draw (see the console)"
    before = driver.execute_script(STATE_JS, figure_id)
    problems = []
    if not before["drawn"] or before["width"] < 100 or before["height"] < 100 or before["marks"] == 0:
        problems.append(f"empty plot area: {before['width']}x{before['height']} px, {before['marks']} marks")
    if not before["staticHidden"]:
        problems.append("the static PNG stand-in is still shown next to the drawn figure")
    if len(before["ariaLabel"]) < 20 or len(before["caption"]) < 40:
        problems.append(f"no text alternative: aria-label {before['ariaLabel']!r}, caption {before['caption']!r}")
    if not before["controls"]:
        problems.append("no control")
    for control in before["controls"]:
        if not control["label"] or not control["labelVisible"]:
            problems.append(f"control {control['name']!r} has no visible label")
        if control["type"] == "radio" and not all(control["radioLabels"]):
            problems.append(f"radio buttons of {control['name']!r} lack visible labels: {control['radioLabels']}")
    assert not problems, f"{page} {figure_id}:\n" + "\n".join(problems)
    shoot(driver, figure_id, f"{figure_id}_0_default")

    from selenium.webdriver.common.keys import Keys

    for index, control in enumerate(before["controls"]):
        # Keyboard: an arrow key on the control (the checked radio button, or the slider).
        start = driver.execute_script(STATE_JS, figure_id)
        selector = f"#{figure_id} .vega-bind:nth-of-type({index + 1}) input"
        inputs = driver.find_elements("css selector", selector)
        target = next((i for i in inputs if i.is_selected()), inputs[0]) if control["type"] == "radio" else inputs[0]
        key = (
            Keys.ARROW_RIGHT
            if control["type"] == "radio"
            else (Keys.ARROW_LEFT if target.get_attribute("value") != target.get_attribute("min") else Keys.ARROW_RIGHT)
        )
        target.send_keys(key)
        keyed = state_after_event(driver, figure_id, start)
        assert signature(keyed["drawn"]) != signature(start["drawn"]), (
            f"{page} {figure_id}: the arrow key on {control['label']!r} changed nothing drawn"
        )
        # The weight explorer's status line says the loss, which one step may leave unchanged at three
        # decimals: test_weight_explorer_says_loss_and_accuracy moves it until it changes.
        if start["status"] and not figure_id.startswith("sci-weights-"):
            assert keyed["status"] != start["status"], f"{page} {figure_id}: the status line did not follow the key"
        shoot(driver, figure_id, f"{figure_id}_{index + 1}_{control['name']}_key")
        # Scripted event.
        value = driver.execute_script(SCRIPTED_MOVE_JS, figure_id, index)
        moved = state_after_event(driver, figure_id, keyed)
        assert signature(moved["drawn"]) != signature(keyed["drawn"]), (
            f"{page} {figure_id}: setting {control['label']!r} to {value} by a scripted event changed nothing drawn"
        )
        shoot(driver, figure_id, f"{figure_id}_{index + 1}_{control['name']}_script")
    console = [e for e in drain_console(driver) if e.get("level") in ("SEVERE", "WARNING")]
    assert not console, f"{page}: console:\n" + "\n".join(e["message"] for e in console)


@pytest.mark.parametrize("page", FIGURE_PAGES)
def test_figure_page_stays_in_the_book(book, page):
    driver = book.driver
    open_page(book, page)
    urls = driver.execute_script(REQUESTS_JS)
    outside = sorted({u for u in urls if not u.startswith(book.base_url) and not u.startswith(("data:", "blob:"))})
    assert not outside, f"{page} fetches from outside the book:\n" + "\n".join(outside)
    library = [u for u in urls if u.split("?")[0].endswith("/_static/" + LIBRARY)]
    assert library, f"{page} has interactive figures but does not load _static/{LIBRARY}"
    served = (HTML_DIR / "_static" / LIBRARY).read_text(encoding="utf-8")
    # Vega's runtime alone (0.51 MB) and the drawing script: with Vega-Lite and vega-embed it was 0.9 MB.
    assert served.startswith("/* vega ") and len(served.encode("utf-8")) < 600_000, (
        f"_static/{LIBRARY} should be Vega's runtime alone with the drawing script: {served[:80]!r}"
    )
    html = (HTML_DIR / page).read_text(encoding="utf-8", errors="replace")
    assert "window.vegaEmbed=" not in html and "cdn.jsdelivr" not in html and '"$schema"' not in html, (
        f"{page} carries a copy of the library or a CDN loader: build the book with _ext/interactive_figures.py"
    )
    drain_console(driver)


def test_figures_outside_the_book_render_offline(book, tmp_path, monkeypatch):
    """As in JupyterLab or VS Code with no network: each output carries the library (vl-convert)."""
    from softmax_course import interactive

    monkeypatch.delenv(interactive.LIBRARY_ENV, raising=False)
    figures = [
        interactive.temperature_explorer([2.0, 1.0, 0.1], ["a", "b", "c"]),
        interactive.curves_by_setting(
            {
                "0.1": {"epoch": [1, 2, 3], "train_loss": [1.0, 0.8, 0.7], "valid_accuracy": [0.5, 0.6, 0.7]},
                "1.0": {"epoch": [1, 2, 3], "train_loss": [0.9, 0.5, 0.4], "valid_accuracy": [0.6, 0.8, 0.85]},
            },
            setting_name="learning rate",
        ),
    ]
    page = tmp_path / "outputs.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
        + "".join(f"<div class='output'>{figure.to_html()}</div>" for figure in figures)
        + "</body></html>",
        encoding="utf-8",
    )
    driver = book.driver
    driver.get(page.as_uri())
    state = wait_for_figures(driver)
    assert not state["pending"] and not state["failed"], state
    for figure in figures:
        drawn = driver.execute_script(STATE_JS, figure.id)
        assert drawn["marks"] > 0 and drawn["staticHidden"], figure.kind
        driver.execute_script(SCRIPTED_MOVE_JS, figure.id, 0)
        assert signature(state_after_event(driver, figure.id, drawn)["drawn"]) != signature(drawn["drawn"])
    urls = driver.execute_script(REQUESTS_JS)
    assert all(u.startswith(("file:", "data:", "blob:")) for u in urls), urls
    console = [e for e in drain_console(driver) if e.get("level") in ("SEVERE", "WARNING")]
    assert not console, console


LIBRARY_REQUESTED_JS = """
return {
  requested: performance.getEntriesByType("resource")
    .some((e) => e.name.split("?")[0].endsWith("/_static/" + arguments[0])),
  firstFigureTop: Math.min(...Array.from(document.querySelectorAll("figure.softmax-course-interactive"))
    .map((f) => f.getBoundingClientRect().top + window.scrollY)),
  screen: window.innerHeight,
};
"""


@pytest.mark.parametrize("page", FIGURE_PAGES)
def test_library_loads_when_a_figure_comes_near(book, page):
    """The 0.5 MB runtime is fetched once the reader scrolls near a figure, not with the page (issue 18)."""
    driver = book.driver
    screenshots.set_viewport(driver, *screenshots.WIDTHS["phone"], mobile=True)
    try:
        driver.get(book.url(page))
        screenshots.wait_until_ready(driver)
        time.sleep(0.3)
        at_load = driver.execute_script(LIBRARY_REQUESTED_JS, LIBRARY)
        # The loader looks one screen ahead: a figure that starts lower waits for the reader.
        if at_load["firstFigureTop"] > 2 * at_load["screen"]:
            assert not at_load["requested"], (
                f"{page} fetches {LIBRARY} with the page, its first figure {at_load['firstFigureTop']:.0f} px down"
            )
        state = wait_for_figures(driver)
        assert not state["pending"] and not state["failed"], f"{page}: figures not drawn once in view: {state}"
        assert driver.execute_script(LIBRARY_REQUESTED_JS, LIBRARY)["requested"]
    finally:
        screenshots.set_viewport(driver, *screenshots.WIDTHS["desktop"])
    drain_console(driver)


WEIGHT_FIGURES = [(page, figure_id) for page, figure_id in FIGURES if figure_id.startswith("sci-weights-")]
SUMMARY = re.compile(r"cross-entropy \d+\.\d{3}, accuracy \d+\.\d%")

LIVE_JS = """
const fig = document.getElementById(arguments[0]);
const live = fig.querySelector("[aria-live]");
const drawn = fig.querySelector(".sci-view svg .live_marks text");
return {
  live: live ? live.textContent.trim() : null,
  politeness: live ? live.getAttribute("aria-live") : null,
  label: fig.getAttribute("aria-label") || "",
  drawn: drawn ? drawn.textContent.trim() : null,
};
"""


def test_weight_explorer_found():
    if not BUILT:
        pytest.fail(NOT_BUILT_MESSAGE, pytrace=False)
    assert WEIGHT_FIGURES, 'no weight explorer (data-figure="weights") in the built book'


@pytest.mark.parametrize("page,figure_id", WEIGHT_FIGURES)
def test_weight_explorer_says_loss_and_accuracy(book, page, figure_id):
    """After each move of a slider, the live region says the new loss and accuracy, and the label follows."""
    from selenium.webdriver.common.keys import Keys

    driver = book.driver
    open_page(book, page)
    start = driver.execute_script(LIVE_JS, figure_id)
    assert start["politeness"] == "polite", f"{figure_id}: no polite live region ({start})"
    assert SUMMARY.fullmatch(start["live"] or ""), f"{figure_id}: the live region says {start['live']!r}"
    assert start["live"] == start["drawn"], f"{figure_id}: says {start['live']!r}, draws {start['drawn']!r}"
    assert start["label"].endswith(start["live"] + "."), f"{figure_id}: label {start['label']!r}"
    sliders = driver.find_elements("css selector", f"#{figure_id} input[type=range]")
    assert len(sliders) >= 6, f"{figure_id}: {len(sliders)} sliders"
    said = [start["live"]]
    for slider in sliders[:3] + sliders[-1:]:
        before = driver.execute_script(LIVE_JS, figure_id)
        for _ in range(8):  # a few steps, until the loss changes at its third decimal
            slider.send_keys(Keys.ARROW_RIGHT)
            after = driver.execute_script(LIVE_JS, figure_id)
            for _ in range(40):
                if after["live"] == after["drawn"] and after["label"].endswith(after["live"] + "."):
                    break
                time.sleep(0.05)
                after = driver.execute_script(LIVE_JS, figure_id)
            if after["live"] != before["live"]:
                break
        name = slider.get_attribute("name")
        assert after["live"] != before["live"], f"{figure_id}: eight steps of {name} said nothing new"
        assert SUMMARY.fullmatch(after["live"]), f"{figure_id}: the live region says {after['live']!r}"
        assert after["live"] == after["drawn"], f"{figure_id}: says {after['live']!r}, draws {after['drawn']!r}"
        assert after["label"].endswith(after["live"] + "."), f"{figure_id}: the label stayed {after['label']!r}"
        said.append(after["live"])
    REPORTS.append((f"Weight explorer {figure_id}: what its live region said, move after move", "\n".join(said)))
    drain_console(driver)


FIT_JS = """
return {
  page: document.documentElement.scrollWidth,
  width: document.documentElement.clientWidth,
  charts: Array.from(document.querySelectorAll("figure.softmax-course-interactive")).map((fig) => {
    const view = fig.querySelector(".sci-view");
    const svg = view && view.querySelector("svg");
    return {id: fig.id, chart: svg ? Math.round(svg.getBoundingClientRect().width) : 0,
            box: view ? view.clientWidth : 0, scrolls: view ? view.scrollWidth > view.clientWidth + 1 : false};
  }),
};
"""


@pytest.mark.parametrize("page", FIGURE_PAGES)
def test_charts_fit_a_320_px_screen(book, page):
    """On the narrowest phone, each chart fits its box: no sideways scrolling, in the figure or the page."""
    driver = book.driver
    screenshots.set_viewport(driver, 320, 700, mobile=True)
    try:
        driver.get(book.url(page))
        screenshots.wait_until_ready(driver)
        state = wait_for_figures(driver)
        assert not state["pending"] and not state["failed"], f"{page}: figures not drawn: {state}"
        fit = driver.execute_script(FIT_JS)
    finally:
        screenshots.set_viewport(driver, *screenshots.WIDTHS["desktop"])
    problems = [
        f"{c['id']}: chart {c['chart']} px wide in a {c['box']} px box"
        for c in fit["charts"]
        if c["chart"] == 0 or c["chart"] > c["box"] + 1 or c["scrolls"]
    ]
    if fit["page"] > fit["width"] + 1:
        problems.append(f"the page scrolls sideways ({fit['page']} px in {fit['width']} px)")
    assert not problems, f"{page} at 320 px:\n" + "\n".join(problems)
    drain_console(driver)
