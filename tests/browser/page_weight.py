"""What a first visit to a page transfers, measured through the Chrome DevTools Protocol.

A page is opened in a fresh headless Chromium at phone size (390 x 844, as a reader on a phone),
with the cache off, served by the test's plain static server (no compression, as GitHub Pages
would not be asked to do). Every response's ``encodedDataLength`` (the bytes on the wire, headers
included) is added up twice:

- ``load``: what the page fetches until it is ready (the load event, fonts and images in view);
- ``read``: what it has fetched once the reader has scrolled to the end and every interactive
  figure has been in view and is drawn (lazy images, the figures' runtime, fonts used further
  down); ``library`` is the figures' runtime's share of it, ``figures`` how many were drawn.

    BOOK_HTML_DIR=/path/to/_build/html python tests/browser/page_weight.py [PAGE ...]

prints the table for every page (or the pages named) without pytest.
"""

import collections
import contextlib
import json
import shutil
import sys
import tempfile
import time

import browser_book as harness

# The budgets of issue 18, in bytes as a plain static server sends them (1 MB = 10^6 B).
CHAPTER_BUDGET = 1_500_000
TEXT_PAGE_BUDGET = 800_000
PHONE = (390, 844)
# The interactive figures' runtime (Vega's, and the drawing script), loaded once a figure comes near.
LIBRARY = "softmax-course-vega.js"


def budget(page):
    """The most a first visit to ``page`` may transfer: chapters 1.5 MB, text-only pages 0.8 MB."""
    return CHAPTER_BUDGET if page.startswith("notebooks/") else TEXT_PAGE_BUDGET


@contextlib.contextmanager
def start_measuring_chromium():
    """Headless Chromium with the network events of the DevTools protocol in its performance log."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="book-weight-")
    options = webdriver.ChromeOptions()
    options.binary_location = harness.CHROMIUM
    for flag in harness.CHROMIUM_FLAGS + [f"--user-data-dir={profile}", f"--window-size={PHONE[0]},{PHONE[1]}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    options.add_experimental_option("perfLoggingPrefs", {"enableNetwork": True, "enablePage": False})
    driver = webdriver.Chrome(options=options, service=Service(harness.CHROMEDRIVER))
    try:
        driver.set_page_load_timeout(30)
        driver.set_script_timeout(30)
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
        harness.set_viewport(driver, *PHONE, mobile=True)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


class Transfers:
    """The responses seen in the performance log so far: {request id: (url, type, bytes)}."""

    def __init__(self):
        self.urls, self.types, self.sizes = {}, {}, {}

    def read(self, driver):
        """Reads the log; returns how many network events it held."""
        entries = driver.get_log("performance")
        for entry in entries:
            message = json.loads(entry["message"])["message"]
            method, params = message.get("method"), message.get("params", {})
            if method == "Network.requestWillBeSent":
                self.urls[params["requestId"]] = params["request"]["url"]
            elif method == "Network.responseReceived":
                self.types[params["requestId"]] = params.get("type", "Other")
            elif method == "Network.loadingFinished":
                self.sizes[params["requestId"]] = params.get("encodedDataLength", 0)
        return len(entries)

    def total(self):
        return sum(self.sizes.values())

    def requests(self):
        return len(self.sizes)

    def by_type(self):
        kinds = collections.Counter()
        for request, size in self.sizes.items():
            kinds[self.types.get(request, "Other")] += size
        return kinds

    def largest(self, count=5):
        ranked = sorted(self.sizes.items(), key=lambda item: -item[1])[:count]
        return [(self.urls.get(request, "?").rsplit("/", 1)[-1].split("?")[0], size) for request, size in ranked]


SCROLL_JS = """
window.scrollBy(0, Math.round(window.innerHeight * 0.8));
return window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2;
"""


def settle(driver, transfers, quiet=0.6, most=15.0):
    """Read the log until no network event came for ``quiet`` seconds (or ``most`` seconds passed)."""
    deadline = time.monotonic() + most
    last = time.monotonic()
    while time.monotonic() < deadline:
        if transfers.read(driver):
            last = time.monotonic()
        elif time.monotonic() - last >= quiet:
            return
        time.sleep(0.1)


def measure(driver, url):
    """{'load': bytes, 'read': bytes, 'requests': n, 'types': Counter, 'largest': [...]} of a first visit."""
    driver.get("about:blank")
    driver.get_log("performance")  # forget earlier pages
    transfers = Transfers()
    driver.get(url)
    harness.wait_until_ready(driver)
    settle(driver, transfers)
    load = transfers.total()
    for _ in range(400):  # scroll to the end, a screen at a time, as a reader would
        at_end = driver.execute_script(SCROLL_JS)
        time.sleep(0.08)
        transfers.read(driver)
        if at_end:
            break
    figures = harness.draw_figures(driver)
    settle(driver, transfers)
    library = sum(
        size
        for request, size in transfers.sizes.items()
        if transfers.urls.get(request, "").split("?")[0].endswith("/" + LIBRARY)
    )
    return {
        "load": load,
        "read": transfers.total(),
        "requests": transfers.requests(),
        "library": library,
        "figures": figures["drawn"],
        "figures_total": figures["total"],
        "types": transfers.by_type(),
        "largest": transfers.largest(),
        "urls": [transfers.urls.get(request, "?") for request in transfers.sizes],
    }


def table(rows):
    """The measured figures as a text table, one page a line."""
    lines = [
        f"{'page':<40} {'at load':>10} {'read':>10} {'library':>8} {'figs':>4} {'budget':>10} {'req':>4}  "
        f"{'scripts':>9} {'css':>8} {'fonts':>8} {'images':>8} {'html':>8}"
    ]
    for page, m in rows:
        t = m["types"]
        over = "  OVER" if max(m["load"], m["read"]) > budget(page) else ""
        lines.append(
            f"{page:<40} {m['load']:>10,} {m['read']:>10,} {m['library']:>8,} {m['figures']:>4} {budget(page):>10,} "
            f"{m['requests']:>4}  "
            f"{t['Script']:>9,} {t['Stylesheet']:>8,} {t['Font']:>8,} {t['Image']:>8,} {t['Document']:>8,}" + over
        )
    return "\n".join(lines)


def main(pages):
    html_dir = harness.html_dir_from_env()
    pages = pages or harness.book_pages(html_dir)
    rows = []
    with harness.serve(html_dir) as base_url, start_measuring_chromium() as driver:
        for page in pages:
            rows.append((page, measure(driver, base_url + page)))
    print(table(rows))
    if "-v" in sys.argv:
        for page, m in rows:
            print(page, ", ".join(f"{name} {size:,}" for name, size in m["largest"]))
    return 0


if __name__ == "__main__":
    sys.exit(main([arg for arg in sys.argv[1:] if not arg.startswith("-")]))
