"""What a reader's phone downloads for each page, against the budgets of issue 18.

Every page is opened once in its own headless Chromium (page_weight.py: phone size, cache off,
the plain static server, bytes counted by the DevTools protocol), then read to the end. A chapter
(notebooks/*) may transfer at most 1.5 MB, a text-only page 0.8 MB:

- at load (the first visit, as the issue and Lighthouse measure it);
- read to the end: scrolled to the bottom with every interactive figure brought into view and
  drawn, so everything counts: lazy images, fonts further down, and the figures' runtime (Vega's
  alone, 0.5 MB, fetched once a figure comes near; the specs are compiled when the notebooks run).

The table of what each page weighs, at load and read to the end, is printed after the run.
"""

import re

import pytest

import page_weight
from browser_book import BUILT, HTML_DIR, NOT_BUILT_MESSAGE, PAGES, REPORTS, serve

# What no page may load any more (issue 18): Font Awesome's script and its whole webfonts (the cut
# ones, *.used.woff, a few KB, are fine), a math engine, Sphinx's search index outside the search page.
NEVER = re.compile(
    r"fontawesome\.js|fa-(solid|brands|regular)-\d+\.(woff2|ttf)|mathjax|katex(\.min)?\.js|searchindex\.js"
)


@pytest.fixture(scope="module")
def weights():
    if not BUILT:
        pytest.fail(NOT_BUILT_MESSAGE, pytrace=False)
    measured = {}
    with serve(HTML_DIR) as base_url, page_weight.start_measuring_chromium() as driver:

        def get(page):
            if page not in measured:
                measured[page] = page_weight.measure(driver, base_url + page)
            return measured[page]

        yield get
    rows = [(page, measured[page]) for page in PAGES if page in measured]
    REPORTS.append(
        ("Bytes transferred per page (phone, cache off; 'read' = scrolled to the end)", page_weight.table(rows))
    )


def largest(measured):
    return ", ".join(f"{name} {size:,}" for name, size in measured["largest"])


@pytest.mark.parametrize("page", PAGES)
def test_first_visit_within_budget(weights, page):
    measured = weights(page)
    budget = page_weight.budget(page)
    assert measured["requests"] > 1 and measured["load"] > 10_000, f"{page}: nothing measured ({measured})"
    assert measured["load"] <= budget, (
        f"{page} transfers {measured['load']:,} B at load, over its budget of {budget:,} B; "
        f"largest: {largest(measured)}"
    )


@pytest.mark.parametrize("page", PAGES)
def test_read_to_the_end_within_budget(weights, page):
    """Read to the end, every figure drawn, the figures' runtime included (see above)."""
    measured = weights(page)
    library = measured["library"]
    budget = page_weight.budget(page)
    assert measured["figures"] == measured["figures_total"], (
        f"{page}: {measured['figures']} of {measured['figures_total']} interactive figures drawn once in view"
    )
    if measured["figures"]:
        assert library > 100_000, f"{page} drew its figures without fetching the runtime? ({library:,} B)"
    assert measured["read"] <= budget, (
        f"{page} transfers {measured['read']:,} B read to the end ({library:,} B of it the figures' runtime), "
        f"over its budget of {budget:,} B; largest: {largest(measured)}"
    )


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_nothing_it_does_not_use(weights, page):
    loaded = [url for url in weights(page)["urls"] if NEVER.search(url)]
    assert not loaded, f"{page} loads " + ", ".join(loaded)
