"""The browser test's machinery: the built book served on 127.0.0.1 and one headless Chromium.

Every page is opened once (`book.visit(page)`, cached), and everything the checks need
is collected on that one visit: the desktop view (1280 px) and the phone view (390 px).
The built HTML is $BOOK_HTML_DIR, else _build/html of the repository; the table of
contents it was built from is $BOOK_TOC, else _toc.yml (for a private build with --toc).
"""

import html.parser
import json
import pathlib
import sys
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import screenshots  # noqa: E402  (tools/screenshots.py: serve, start_chromium, book_pages, wait_until_ready)

HTML_DIR = screenshots.html_dir_from_env()
BUILT = (HTML_DIR / "index.html").is_file()
PAGES = screenshots.book_pages(HTML_DIR) if BUILT else []
NOT_BUILT_MESSAGE = (
    f"no built book at {HTML_DIR}: build it first (`make test-book` or `make book`), "
    "or point BOOK_HTML_DIR at a built _build/html"
)

# Collects, on the loaded page, everything the checks look at (desktop view).
COLLECT_JS = r"""
const report = {};
// Math: every .math element must hold MathJax output; MathJax's own list of typeset
// expressions tells us about errors (merror) and undefined macros (shown in red by
// the noundefined package instead of raising an error).
const mathElements = Array.from(document.querySelectorAll(".math"));
report.mathElements = mathElements.length;
report.mathjaxScripts = Array.from(document.scripts).map((s) => s.src).filter((src) => /mathjax/i.test(src));
report.untypeset = mathElements
  .filter((el) => !el.querySelector("mjx-container"))
  .map((el) => el.textContent.trim().slice(0, 120));
report.mathErrors = Array.from(document.querySelectorAll("mjx-merror")).map(
  (el) => el.getAttribute("data-mjx-error") || el.textContent.slice(0, 120));
report.undefinedMacros = [];
if (window.MathJax && MathJax.startup && MathJax.startup.document) {
  for (const item of MathJax.startup.document.math) {
    if (!item.root || !item.root.walkTree) continue;
    item.root.walkTree((node) => {
      if (node.kind === "merror") {
        report.mathErrors.push("merror in: " + String(item.math).slice(0, 120));
      } else if (node.kind === "mtext" && node.attributes && node.attributes.get("mathcolor") === "red") {
        const text = node.childNodes.map((child) => child.text || "").join("");
        if (text.startsWith("\\")) report.undefinedMacros.push(text + " in: " + String(item.math).slice(0, 120));
      }
    });
  }
}
// Raw TeX in the text a reader sees (code, scripts and MathJax's own output excluded).
const SKIP = "pre, code, kbd, samp, script, style, textarea, noscript, mjx-container, .highlight";
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
  const cls = (typeof el.className === "string" && el.className.trim()) ? "." + el.className.trim().split(/\s+/).join(".") : "";
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
        screenshots.set_viewport(driver, *screenshots.WIDTHS["desktop"])
        start = time.monotonic()
        driver.get(self.url(page))
        report = {"page": page, "mathjax": screenshots.wait_until_ready(driver)["mathjax"]}
        report.update(driver.execute_script(COLLECT_JS))
        screenshots.set_viewport(driver, *screenshots.WIDTHS["phone"], mobile=True)
        report["phone"] = driver.execute_script(OVERFLOW_JS)
        screenshots.set_viewport(driver, *screenshots.WIDTHS["desktop"])
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
    with screenshots.serve(HTML_DIR) as base_url, screenshots.start_chromium() as driver:
        yield Book(base_url, driver)


def read_json(path):
    return json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
