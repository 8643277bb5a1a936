"""Accessibility of every page, in light and in dark mode, checked with axe-core.

axe-core (the rule engine behind most accessibility checkers) comes from the npm
registry, pinned in package.json/package-lock.json (`npm ci`, or
`make node_modules/axe-core/axe.min.js`), and is injected into each served page with
Selenium. Every rule axe enables runs: WCAG 2.0 to 2.2, levels A and AA, and axe's best
practices (its AAA and experimental rules are off unless asked for); a page passes when
axe finds no violation of any impact, minor and moderate included, in light and in dark
mode (issue 18). Nothing is disabled. The interactive figures are drawn first (each brought into
view), so that axe checks their charts and controls too.
Each page is also checked for requests that fail (a 404 for a favicon, a style
sheet or a script shows in the console as "Failed to load resource").

    BOOK_HTML_DIR=/path/to/_build/html python tests/browser/test_accessibility.py

prints the counts per page and mode (serious/critical, and all impacts) without pytest;
with -v, the violations themselves.
"""

import collections
import sys
import time

import pytest

import browser_book as harness  # serve, start_chromium, wait_until_ready, PAGES
from browser_book import BUILT, NO_TRANSITIONS_JS, NOT_BUILT_MESSAGE, PAGES, ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"
BLOCKING = {"serious", "critical"}
MODES = ["light", "dark"]

RUN_AXE_JS = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ["violations"]})
  .then((results) => done({
    version: axe.version,
    violations: results.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: (n.failureSummary || "").slice(0, 300)})),
    })),
  }))
  .catch((error) => done({error: String(error)}));
"""

# The theme's own switch (pydata-sphinx-theme): data-mode is the reader's choice,
# data-theme what is shown. Transitions off, so colours are final when axe reads them.
SET_MODE_JS = (
    NO_TRANSITIONS_JS
    + """
document.documentElement.dataset.mode = arguments[0];
document.documentElement.dataset.theme = arguments[0];
"""
)


def axe_source():
    if not AXE.is_file():
        pytest.fail(
            f"{AXE} missing: run `npm ci` (or `make {AXE.relative_to(ROOT)}`) at the repository root", pytrace=False
        )
    return AXE.read_text(encoding="utf-8")


def failed_requests(entries):
    return [entry["message"] for entry in entries if "Failed to load resource" in entry.get("message", "")]


def audit(driver, url, source):
    """Open url once and run axe in each mode; returns ({mode: axe result}, failed requests logged while loading)."""
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get(url)
    harness.wait_until_ready(driver)
    harness.draw_figures(driver)  # the interactive figures as a reader sees them: drawn, with their controls
    driver.execute_script(source)
    results = {}
    for mode in MODES:
        driver.execute_script(SET_MODE_JS, mode)
        time.sleep(0.05)
        results[mode] = driver.execute_async_script(RUN_AXE_JS)
    failures = failed_requests(driver.get_log("browser"))
    driver.execute_script("localStorage.clear(); sessionStorage.clear();")
    return results, failures


def blocking(result):
    return [v for v in result.get("violations", []) if v["impact"] in BLOCKING]


def describe(violations):
    lines = []
    for v in violations:
        lines.append(f"{v['impact']}: {v['id']} ({v['help']}), {len(v['nodes'])}x")
        lines += [
            f"    {node['target']}: {node['summary'].splitlines()[-1] if node['summary'] else ''}"
            for node in v["nodes"][:3]
        ]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def audits(book):
    """Runs lazily, once a page: get(page, mode) -> (axe result in that mode, failed requests)."""
    source = axe_source()
    cache = {}

    def get(page, mode):
        if page not in cache:
            cache[page] = audit(book.driver, book.url(page), source)
        results, failures = cache[page]
        return results[mode], failures

    yield get
    book.driver.get_log("browser")  # leave no log of these visits to the next test module


def test_axe_is_the_pinned_version(audits):
    result, _ = audits(PAGES[0], "light")
    assert "error" not in result, result.get("error")
    assert result["version"] == AXE_VERSION, f"axe-core {result['version']}, package-lock.json pins {AXE_VERSION}"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("page", PAGES)
def test_no_violation(audits, page, mode):
    result, _ = audits(page, mode)
    assert "error" not in result, f"axe failed on {page}: {result.get('error')}"
    found = result["violations"]
    assert not found, f"{page} ({mode} mode), every axe rule:\n{describe(found)}"


@pytest.mark.parametrize("page", PAGES)
def test_no_failed_request(audits, page):
    _, failures = audits(page, "light")
    assert not failures, f"{page} requests what the server does not have:\n" + "\n".join(failures)


def main():
    if not BUILT:
        print(NOT_BUILT_MESSAGE)
        return 1
    source = axe_source()
    html_dir = harness.html_dir_from_env()
    totals = collections.Counter()
    with harness.serve(html_dir) as base_url, harness.start_chromium() as driver:
        print(f"{'page':<48} {'light':>13} {'dark':>13}   (serious+critical / all)")
        for page in PAGES:
            row = []
            results, failed = audit(driver, base_url + page, source)
            for mode in MODES:
                result = results[mode]
                if "error" in result:
                    row.append("error")
                    continue
                nodes = lambda vs: sum(len(v["nodes"]) for v in vs)  # noqa: E731
                serious, every = nodes(blocking(result)), nodes(result["violations"])
                totals[mode, "serious"] += serious
                totals[mode, "pages"] += serious > 0
                row.append(f"{serious:>5} / {every:<5}")
                if every and "-v" in sys.argv:
                    print(describe(result["violations"]))
            print(f"{page:<48} {row[0]:>13} {row[1]:>13}" + (f"   failed: {failed}" if failed else ""))
        for mode in MODES:
            print(f"{mode}: {totals[mode, 'serious']} serious/critical on {totals[mode, 'pages']} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
