"""The keyboard path: every Tab stop shows where it is, in light and in dark mode (WCAG 2.4.7).

Needs a built book (see browser_book.py). Chapter 7 (a long chapter: formulas, code cells, hidden
code, exercises and solutions) and the chapter of the weight explorer (its ten sliders) are walked
with the Tab key from the top of the page, at desktop width, until focus comes back round or
leaves the page. At each stop the screen (the viewport) is captured with focus and again without
it (blurred): the two must differ, or a keyboard reader could not see where they are. (The whole
screen, not a box around the element: the theme draws some rings on a parent, around a whole
collapsed block, or on a child, around a toggle's icon.) Also checked at each stop: the element is not a
formula (formulas hold nothing to operate: they are out of the tab order), and it is on screen (not under the
sticky header).

Screenshots of the stops that look the same with and without focus go to $KEYBOARD_SCREENSHOTS,
else <build>/screenshots/keyboard/.
"""

import base64
import os
import pathlib
import re

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from browser_book import (
    BUILT,
    HTML_DIR,
    NO_TRANSITIONS_JS,
    NOT_BUILT_MESSAGE,
    PAGES,
    REPORTS,
    set_viewport,
    wait_until_ready,
)

MODES = ["light", "dark"]
MOST_STOPS = 600
SHOTS = pathlib.Path(os.environ.get("KEYBOARD_SCREENSHOTS") or HTML_DIR.parent / "screenshots" / "keyboard")


def walked_pages():
    """Chapter 7, and the page of the weight explorer (found in the built HTML)."""
    pages = [page for page in PAGES if page.startswith("notebooks/07_")]
    for page in PAGES:
        if page.startswith("notebooks/") and 'data-figure="weights"' in (HTML_DIR / page).read_text(encoding="utf-8"):
            pages.append(page)
            break
    return pages


WALKED = walked_pages() if BUILT else []

SET_MODE_JS = (
    NO_TRANSITIONS_JS
    + """
document.documentElement.dataset.mode = arguments[0];
document.documentElement.dataset.theme = arguments[0];
"""
)

# The focused element: what it is, where it is (the area a focus ring may take around it), and
# whether the sticky header covers it.
ACTIVE_JS = r"""
const el = document.activeElement;
if (!el || el === document.body || el === document.documentElement) return null;
const rect = el.getBoundingClientRect();
const header = document.querySelector(".bd-header");
const headerBottom = header && getComputedStyle(header).position === "sticky" && !header.contains(el)
  ? header.getBoundingClientRect().bottom : 0;
const text = (el.getAttribute("aria-label") || el.textContent || el.getAttribute("title") || "")
  .replace(/\s+/g, " ").trim();
return {
  tag: el.tagName.toLowerCase(), type: el.type || "", cls: (typeof el.className === "string" ? el.className : ""),
  text: text.slice(0, 50),
  // A wide display formula's scrolling box may be a stop (_ext/wide_formulas.js), as may an equation number's link.
  formula: !!el.closest(".math, .katex") && !el.matches("a.headerlink")
    && !(el.matches(".katex-display") && el.scrollWidth > el.clientWidth + 1),
  slider: el.matches("input[type=range]"),
  onScreen: rect.bottom > 0 && rect.top < window.innerHeight && rect.right > 0 && rect.left < window.innerWidth,
  covered: rect.bottom <= headerBottom + 2,
  key: el.id || (el.tagName + ":" + text.slice(0, 30) + ":" + Math.round(rect.top + window.scrollY)),
};
"""


def capture(driver):
    """The viewport as PNG bytes (the same pixels give the same bytes)."""
    return base64.b64decode(
        driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "optimizeForSpeed": True})["data"]
    )


def describe(stop):
    return f"<{stop['tag']}{' ' + stop['type'] if stop['type'] else ''}> {stop['text']!r} (.{stop['cls'][:40]})"


def walk(driver, url, mode):
    """Tab through the page; returns the stops, each with 'changed' (focus visible on screen)."""
    set_viewport(driver, 1280, 800)
    driver.get(url)
    wait_until_ready(driver)
    driver.execute_script(SET_MODE_JS, mode)
    driver.execute_script("window.scrollTo(0, 0); document.activeElement && document.activeElement.blur();")
    stops, seen = [], set()
    actions = ActionChains(driver)
    for _ in range(MOST_STOPS):
        actions.send_keys(Keys.TAB).perform()
        stop = driver.execute_script(ACTIVE_JS)
        if stop is None or stop["key"] in seen:
            break
        seen.add(stop["key"])
        if not stop["onScreen"]:
            stop["changed"] = False
        else:
            focused = capture(driver)
            driver.execute_script(
                "window.softmaxCourseFocused = document.activeElement; document.activeElement.blur();"
            )
            blurred = capture(driver)
            driver.execute_script("window.softmaxCourseFocused.focus({preventScroll: true});")
            stop["changed"] = focused != blurred
            if not stop["changed"]:
                SHOTS.mkdir(parents=True, exist_ok=True)
                name = f"{url.rsplit('/', 1)[-1]}_{mode}_{len(stops)}_{stop['text'][:20]}"
                name = re.sub(r"[^A-Za-z0-9]+", "_", name)
                (SHOTS / f"{name}.png").write_bytes(focused)
        stops.append(stop)
    driver.execute_script("localStorage.clear(); sessionStorage.clear();")
    return stops


@pytest.fixture(scope="module")
def walks(book):
    done = {}

    def get(page, mode):
        if (page, mode) not in done:
            done[page, mode] = walk(book.driver, book.url(page), mode)
        return done[page, mode]

    yield get
    rows = [f"{'page':<44} {'mode':<6} {'stops':>5} {'formulas':>8} {'sliders':>7} {'unchanged':>9} {'covered':>7}"]
    for (page, mode), stops in done.items():
        rows.append(
            f"{page:<44} {mode:<6} {len(stops):>5} {sum(s['formula'] for s in stops):>8} "
            f"{sum(s['slider'] for s in stops):>7} {sum(not s['changed'] for s in stops):>9} "
            f"{sum(s['covered'] for s in stops):>7}"
        )
    REPORTS.append(("Tab walk (each stop captured with and without focus)", "\n".join(rows)))
    book.driver.get_log("browser")


def test_walked_pages_found():
    if not BUILT:
        pytest.fail(NOT_BUILT_MESSAGE, pytrace=False)
    assert len(WALKED) == 2, f"expected chapter 7 and the weight explorer's chapter, found {WALKED}"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("page", WALKED)
def test_every_tab_stop_shows_focus(walks, page, mode):
    stops = walks(page, mode)
    assert len(stops) >= 20, f"{page}: only {len(stops)} tab stops (the walk ended early)"
    problems = [f"stop {i + 1}: a formula is a tab stop: {describe(s)}" for i, s in enumerate(stops) if s["formula"]]
    problems += [f"stop {i + 1}: under the sticky header: {describe(s)}" for i, s in enumerate(stops) if s["covered"]]
    problems += [
        f"stop {i + 1}: the screen looks the same with and without focus: {describe(s)}"
        for i, s in enumerate(stops)
        if not s["changed"]
    ]
    assert not problems, f"{page} ({mode} mode), {len(stops)} stops:\n" + "\n".join(problems[:25])


@pytest.mark.parametrize("page", WALKED)
def test_sliders_are_reached_early(walks, page):
    """The figure's sliders are in the walk; on chapter 7 (no figure) the walk reaches the end of the page."""
    stops = walks(page, "light")
    sliders = [i for i, s in enumerate(stops) if s["slider"]]
    html = (HTML_DIR / page).read_text(encoding="utf-8")
    if 'data-figure="weights"' in html:
        assert len(sliders) >= 6, f"{page}: {len(sliders)} sliders in the tab order"
    else:
        assert stops[-1]["tag"] in ("a", "button"), f"{page}: the walk ended on {describe(stops[-1])}"
