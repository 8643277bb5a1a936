"""The browser test's machinery: the built book served on 127.0.0.1 and one headless Chromium.

Every page is opened once (`book.visit(page)`, cached), and everything the checks need
is collected on that one visit: the desktop view (1280 px) and the phone view (390 px).
The built HTML is $BOOK_HTML_DIR, else _build/html of the repository; the table of
contents it was built from is $BOOK_TOC, else _toc.yml (for a private build with --toc).

The tests own this module; screenshots.py, beside it, borrows `serve`, `start_chromium`,
`set_viewport`, `WIDTHS`, `book_pages` and `wait_until_ready` from it, never the reverse.
"""

import contextlib
import functools
import html.parser
import http.server
import json
import os
import pathlib
import shutil
import tempfile
import threading
import time
import urllib.parse

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
# Flags that keep Chromium offline and quiet (no first-run, sync, update or QUIC traffic).
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--disable-dev-shm-usage",
    "--force-device-scale-factor=1",
]
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
# Built files that are not pages of the book (index.html is: the landing page, served at the root).
NOT_PAGES = {"search.html", "genindex.html", "py-modindex.html"}


def html_dir_from_env():
    """The built HTML directory: $BOOK_HTML_DIR, else _build/html of the repository."""
    return pathlib.Path(os.environ.get("BOOK_HTML_DIR") or ROOT / "_build" / "html").resolve()


def toc_files(toc_path=None):
    """The documents the table of contents lists, in reading order ('book/intro', ...).

    Read with sphinx-external-toc, the parser Jupyter Book itself uses; the table is
    $BOOK_TOC, else _toc.yml of the repository, unless ``toc_path`` is given.
    """
    from sphinx_external_toc.api import FileItem
    from sphinx_external_toc.parsing import parse_toc_yaml

    site_map = parse_toc_yaml(toc_path or os.environ.get("BOOK_TOC") or ROOT / "_toc.yml")

    def walk(docname):
        yield docname
        for subtree in site_map[docname].subtrees:
            for item in subtree.items:
                if isinstance(item, FileItem):  # not a glob or a URL
                    yield from walk(str(item))

    return [_without_suffix(name) for name in walk(site_map.root.docname)]


def _without_suffix(docname):
    """'notebooks/a.ipynb' -> 'notebooks/a': a table may name a file with or without its suffix."""
    for suffix in (".md", ".ipynb", ".rst"):
        docname = docname.removesuffix(suffix)
    return docname


def book_pages(html_dir, toc_path=None):
    """Every page of the built book ('book/intro.html', ...): reading order first, then the rest sorted.

    A page is any .html file of the build except the search page, the general
    index and the theme's and Sphinx's own folders; index.html (the landing page at
    the site's root) comes last.
    """
    html_dir = pathlib.Path(html_dir)
    built = sorted(
        path.relative_to(html_dir).as_posix()
        for path in html_dir.rglob("*.html")
        if not path.relative_to(html_dir).parts[0].startswith("_")
        and path.relative_to(html_dir).as_posix() not in NOT_PAGES
    )
    from sphinx_external_toc.parsing import MalformedError

    try:
        order = [name + ".html" for name in toc_files(toc_path)]
    except (OSError, MalformedError):  # no usable table: sorted order only
        order = []
    first = [page for page in order if page in built]
    return first + [page for page in built if page not in first]


def repository():
    """('owner/name', branch) of the repository named in _config.yml (the Colab links' target)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]
    owner_repo = urllib.parse.urlsplit(config["url"]).path.strip("/").removesuffix(".git")
    return owner_repo, config.get("branch", "main")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # no access log on stderr
        pass


@contextlib.contextmanager
def serve(directory):
    """Serve `directory` on 127.0.0.1 at a free port, in a thread; yields the base URL ('http://127.0.0.1:PORT/')."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def start_chromium(width=1280, height=800):
    """Headless Chromium driven by Selenium, with a fresh profile and no background traffic; yields the driver.

    Console messages are collected (driver.get_log('browser')). Raises a RuntimeError
    naming the package to install when Chromium or chromedriver is missing.
    """
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not os.path.exists(path):
            raise RuntimeError(f"{path} not found: install the Debian package {package} (apt-get install {package})")
    profile = tempfile.mkdtemp(prefix="book-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS + [f"--user-data-dir={profile}", f"--window-size={width},{height}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # An explicit driver path: selenium-manager never runs (it would try to download a driver).
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        driver.set_page_load_timeout(30)
        driver.set_script_timeout(30)
        set_viewport(driver, width, height)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def set_viewport(driver, width, height, mobile=False):
    """Emulate a viewport of width x height CSS pixels (reliable in headless mode, unlike window sizes)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
    )


# Resolves when the page is ready to be looked at: every image has loaded or failed (lazy ones
# are loaded now) and the fonts are in. The math is part of the page as built
# (_ext/prerendered_math.py): nothing typesets it in the browser. Calls back with {"images": n}.
WAIT_UNTIL_READY_JS = r"""
const done = arguments[arguments.length - 1];
(async () => {
  const images = Array.from(document.images);
  images.forEach((img) => { if (img.loading === "lazy") img.loading = "eager"; });
  await Promise.all(images.map((img) => img.decode().catch(() => null)));
  if (document.fonts && document.fonts.ready) await document.fonts.ready;
  return { images: images.length };
})().then(done, (error) => done({ error: "error while waiting: " + error }));
"""


# Transitions and animations off, so that what a screenshot or a colour check reads is final.
NO_TRANSITIONS_JS = """
if (!document.getElementById("no-transitions")) {
  const style = document.createElement("style");
  style.id = "no-transitions";
  style.textContent = "*, *::before, *::after { transition: none !important; animation: none !important; }";
  document.head.appendChild(style);
}
"""


def wait_until_ready(driver):
    """Wait for the images and fonts of the current page; returns {'images': n} or {'error': why}."""
    return driver.execute_async_script(WAIT_UNTIL_READY_JS)


# The interactive figures draw once their runtime has come, which it does when a figure comes near
# the screen (_ext/interactive_figures.js): each figure not drawn yet is brought into view in turn.
DRAW_FIGURES_JS = """
const figures = Array.from(document.querySelectorAll("figure.softmax-course-interactive"));
const pending = figures.filter((f) => !f.matches(".sci-ready, .sci-failed"));
if (pending.length) pending[0].scrollIntoView({block: "center"});
return {total: figures.length, pending: pending.length, drawn: figures.filter((f) => f.matches(".sci-ready")).length,
        failed: figures.filter((f) => f.matches(".sci-failed")).map((f) => f.id)};
"""


def draw_figures(driver, timeout=30.0):
    """Scroll each interactive figure of the page into view until all are drawn (or failed), then back
    to the top; returns {'total', 'pending', 'drawn', 'failed': [ids]}."""
    deadline = time.monotonic() + timeout
    while True:
        state = driver.execute_script(DRAW_FIGURES_JS)
        if not state["pending"] or time.monotonic() > deadline:
            if state["total"]:
                driver.execute_script("window.scrollTo(0, 0);")
            return state
        time.sleep(0.1)


# Tables of measured figures that tests add as they go ([(title, text)]); conftest.py prints them
# at the end of the run, after pytest's own summary.
REPORTS = []

HTML_DIR = html_dir_from_env()
BUILT = (HTML_DIR / "index.html").is_file()
PAGES = book_pages(HTML_DIR) if BUILT else []
NOT_BUILT_MESSAGE = (
    f"no built book at {HTML_DIR}: build it first (`make test-book` or `make book`), "
    "or point BOOK_HTML_DIR at a built _build/html"
)


# Collects, on the loaded page, everything the checks look at (desktop view).
COLLECT_JS = r"""
const report = {};
// Math: every .math element holds KaTeX's output, written when the book was built; no error
// box (KaTeX's own or prerendered_math's), no math engine loaded, no formula a tab stop.
const mathElements = Array.from(document.querySelectorAll(".math"));
report.mathElements = mathElements.length;
report.mathScripts = Array.from(document.scripts).map((s) => s.src)
  .filter((src) => /mathjax|\/katex[^/]*\.js|auto-render/i.test(src));
report.mathEngine = ["MathJax", "katex", "renderMathInElement"].filter((name) => name in window);
report.untypeset = mathElements
  .filter((el) => !el.querySelector(".katex"))
  .map((el) => el.textContent.trim().slice(0, 120));
report.mathErrors = Array.from(document.querySelectorAll(".katex-error, .math-error")).map(
  (el) => (el.getAttribute("title") || "") + " " + el.textContent.slice(0, 120));
report.mathWithoutMathML = mathElements.filter((el) => !el.querySelector(".katex-mathml math")).length;
// A tab stop in a formula is a formula the keyboard lands on for nothing; allowed are an equation
// number's link, and the box of a display formula too wide for its column (it scrolls sideways).
const wide = (el) => el.matches(".katex-display") && el.scrollWidth > el.clientWidth + 1;
report.mathTabStops = mathElements.filter((math) => [math, ...math.querySelectorAll("*")].some(
  (el) => el.tabIndex >= 0 && (el.hasAttribute("tabindex") || el.matches("a[href], button, input"))
    && !el.matches("a.headerlink") && !wide(el))).length;
// Raw TeX in the text a reader sees (code, scripts and the rendered math excluded).
const SKIP = "pre, code, kbd, samp, script, style, textarea, noscript, .katex, .highlight";
const PATTERNS = [
  /\$\$/, /\\\(|\\\)|\\\[|\\\]/, /\\(?:begin|end)\{/, /\\[A-Za-z]{2,}/,
  /(?:^|[^\\$])\$[^$\s][^$]*[\\^_{}][^$]*\$/,
];
report.rawTex = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const parent = node.parentElement;
  if (!parent || parent.closest(SKIP)) continue;
  const text = node.nodeValue;
  for (const pattern of PATTERNS) {
    const match = pattern.exec(text);
    if (match) {
      const at = match.index;
      report.rawTex.push(text.slice(Math.max(0, at - 40), at + 60).replace(/\s+/g, " ").trim());
      break;
    }
  }
}
// Images.
report.images = Array.from(document.images).map((img) => ({
  src: img.getAttribute("src"),
  url: img.currentSrc || img.src,
  alt: img.getAttribute("alt"),
  naturalWidth: img.naturalWidth,
  inOutput: img.closest(".cell_output, .output") !== null,
}));
// Links (resolved by the browser) and the page's ids.
report.links = Array.from(document.querySelectorAll("a[href]")).map((a) => ({
  href: a.href, raw: a.getAttribute("href"), text: a.textContent.replace(/\s+/g, " ").trim().slice(0, 60),
}));
// Launch and download buttons (notebook pages).
const visible = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
report.launchMenuVisible = visible(document.querySelector(".dropdown-launch-buttons > button"));
report.downloadMenuVisible = visible(document.querySelector(".dropdown-download-buttons > button"));
report.launchLinks = Array.from(document.querySelectorAll(".dropdown-launch-buttons a[href]")).map((a) => a.href);
report.downloadLinks = Array.from(document.querySelectorAll(".dropdown-download-buttons a[href]")).map((a) => a.href);
report.outputImages = document.querySelectorAll(".cell_output img, .output img").length;
return report;
"""

# At the current (phone) width: does anything stick out of the viewport without being
# inside a scroller of its own (a code block, an equation, a table)? A scroller that
# holds the page title is the page itself, which must not scroll sideways.
OVERFLOW_JS = r"""
const width = document.documentElement.clientWidth;
const title = document.querySelector("main h1") || document.querySelector("h1");
const describe = (el) => {
  const named = typeof el.className === "string" && el.className.trim();
  const cls = named ? "." + el.className.trim().split(/\s+/).join(".") : "";
  return el.tagName.toLowerCase() + cls + " '" + (el.textContent || "").replace(/\s+/g, " ").trim().slice(0, 50) + "'";
};
const cache = new Map();
const insideLocalScroller = (el) => {
  const chain = [];
  let answer = false;
  for (let a = el.parentElement; a; a = a.parentElement) {
    if (cache.has(a)) { answer = cache.get(a); break; }
    chain.push(a);
    const overflow = getComputedStyle(a).overflowX;
    if (overflow !== "visible") { answer = !(title && a.contains(title)); cache.set(a, answer); break; }
  }
  chain.forEach((a) => cache.set(a, answer));
  return answer;
};
const offenders = [];
const flagged = new Set();
const scope = document.querySelector("main") || document.body;
for (const el of scope.querySelectorAll("*")) {
  const rect = el.getBoundingClientRect();
  if (rect.width === 0 || rect.right <= width + 1) continue;
  if (getComputedStyle(el).position === "fixed") continue;
  if (el.parentElement && flagged.has(el.parentElement)) { flagged.add(el); continue; }
  if (insideLocalScroller(el)) continue;
  flagged.add(el);
  offenders.push(describe(el) + " reaches x=" + Math.round(rect.right) + " px");
}
return {
  width: width,
  pageScrollWidth: document.documentElement.scrollWidth,
  offenders: offenders.slice(0, 10),
};
"""


class Book:
    """The served book in one browser; `visit(page)` opens a page once and returns what was seen."""

    def __init__(self, base_url, driver):
        self.base_url = base_url
        self.driver = driver
        self._reports = {}
        self._ids = {}
        self._last_page = None

    def url(self, page):
        return self.base_url + page

    def visit(self, page):
        if page not in self._reports:
            self._reports[page] = self._visit(page)
        return self._reports[page]

    def _visit(self, page):
        driver = self.driver
        late = driver.get_log("browser")  # what the previous page logged after its visit ended
        if self._last_page is not None:
            self._reports[self._last_page]["console"] += late
        self._last_page = page
        set_viewport(driver, *WIDTHS["desktop"])
        start = time.monotonic()
        driver.get(self.url(page))
        report = {"page": page, "ready": wait_until_ready(driver)}
        report.update(driver.execute_script(COLLECT_JS))
        set_viewport(driver, *WIDTHS["phone"], mobile=True)
        report["phone"] = driver.execute_script(OVERFLOW_JS)
        set_viewport(driver, *WIDTHS["desktop"])
        time.sleep(0.05)  # late console messages (fonts, async scripts) of this page
        report["console"] = driver.get_log("browser")
        # Forget what the page stored (the theme keeps its light/dark mode in localStorage):
        # every page is then opened as on a reader's first visit.
        driver.execute_script("localStorage.clear(); sessionStorage.clear();")
        report["seconds"] = time.monotonic() - start
        return report

    def ids(self, html_file):
        """The id (and a[name]) values of a built HTML file, as written by the build."""
        html_file = pathlib.Path(html_file)
        if html_file not in self._ids:
            collector = _IdCollector()
            collector.feed(html_file.read_text(encoding="utf-8", errors="replace"))
            self._ids[html_file] = collector.ids
        return self._ids[html_file]


class _IdCollector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and (name == "id" or (name == "name" and tag == "a")):
                self.ids.add(value)


@pytest.fixture(scope="session")
def book():
    if not BUILT:
        pytest.fail(NOT_BUILT_MESSAGE, pytrace=False)
    with serve(HTML_DIR) as base_url, start_chromium() as driver:
        yield Book(base_url, driver)


def read_json(path):
    return json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
