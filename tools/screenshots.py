"""Screenshot every page of the built book at desktop and phone widths.

Usage: python tools/screenshots.py [HTML_DIR]   (default: $BOOK_HTML_DIR or _build/html;
       pages in the order of $BOOK_TOC or _toc.yml)

Writes NN_<page>_desktop.png (1280 px wide) and NN_<page>_phone.png (390 px wide),
both of the full page height, into _build/screenshots/ (next to the HTML
directory), numbered in reading order, and prints their paths, then the notebook
figures a phone shrinks so much that their text may be illegible. Build the book
first (`make book`).

The book is served on 127.0.0.1 and opened in headless Chromium (Debian's
`chromium` and `chromium-driver`), started with a fresh profile and without
Chromium's own traffic (updates, sync, first-run). The browser test
(tests/browser) uses the same helpers: `serve`, `start_chromium`, `set_viewport`,
`book_pages`, `wait_until_ready`.
"""

import contextlib
import functools
import http.server
import os
import pathlib
import shutil
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_HTML_DIR = ROOT / "_build" / "html"
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
# Built files that are not pages of the book.
NOT_PAGES = {"search.html", "genindex.html", "index.html", "py-modindex.html"}


def html_dir_from_env():
    """The built HTML directory: $BOOK_HTML_DIR, else _build/html of the repository."""
    return pathlib.Path(os.environ.get("BOOK_HTML_DIR") or DEFAULT_HTML_DIR).resolve()


def toc_path_from_env():
    """The table of contents the book was built from: $BOOK_TOC, else _toc.yml of the repository."""
    return pathlib.Path(os.environ.get("BOOK_TOC") or ROOT / "_toc.yml")


def toc_files(toc_path=None):
    """The documents the table of contents lists, in reading order ('book/intro', ...)."""
    import yaml

    from check_repo import toc_entries

    toc = yaml.safe_load((pathlib.Path(toc_path) if toc_path else toc_path_from_env()).read_text())
    return [str(pathlib.PurePosixPath(name).with_suffix("")) for name in toc_entries(toc)]


def book_pages(html_dir, toc_path=None):
    """Every page of the built book ('book/intro.html', ...): reading order first, then the rest sorted.

    A page is any .html file of the build except the search page, the general
    index, the root redirect and the theme's and Sphinx's own folders.
    """
    html_dir = pathlib.Path(html_dir)
    built = sorted(
        path.relative_to(html_dir).as_posix()
        for path in html_dir.rglob("*.html")
        if not path.relative_to(html_dir).parts[0].startswith("_")
        and path.relative_to(html_dir).as_posix() not in NOT_PAGES
    )
    try:
        order = [name + ".html" for name in toc_files(toc_path)]
    except (OSError, KeyError, ImportError):
        order = []
    first = [page for page in order if page in built]
    return first + [page for page in built if page not in first]


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


# Resolves when the page is ready to be looked at: MathJax has finished its first
# typesetting (or failed), every image has loaded or failed, and the fonts are in.
# Calls back with {"mathjax": "none" | "ok" | "<why it failed>"}.
WAIT_UNTIL_READY_JS = r"""
const done = arguments[arguments.length - 1];
(async () => {
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  let mathjax = "none";
  const wantsMathJax = document.querySelector(".math") !== null
    || Array.from(document.scripts).some((s) => /mathjax/i.test(s.src));
  if (wantsMathJax) {
    const start = Date.now();
    // tex-chtml.js is a deferred script: by the load event it has run (or failed to load).
    while (!(window.MathJax && MathJax.startup && MathJax.startup.promise) && Date.now() - start < 5000) {
      await sleep(25);
    }
    if (!(window.MathJax && MathJax.startup && MathJax.startup.promise)) {
      mathjax = "MathJax did not load (is _static/mathjax in the build?)";
    } else {
      try { await MathJax.startup.promise; mathjax = "ok"; }
      catch (error) { mathjax = "MathJax startup promise rejected: " + error; }
    }
  }
  const images = Array.from(document.images);
  images.forEach((img) => { if (img.loading === "lazy") img.loading = "eager"; });
  await Promise.all(images.map((img) => img.decode().catch(() => null)));
  if (document.fonts && document.fonts.ready) await document.fonts.ready;
  return { mathjax };
})().then(done, (error) => done({ mathjax: "error while waiting: " + error }));
"""


def wait_until_ready(driver):
    """Wait for MathJax, images and fonts of the current page; returns {'mathjax': 'none' | 'ok' | reason}."""
    return driver.execute_async_script(WAIT_UNTIL_READY_JS)


NO_TRANSITIONS_JS = """
if (!document.getElementById("no-transitions")) {
  const style = document.createElement("style");
  style.id = "no-transitions";
  style.textContent = "*, *::before, *::after { transition: none !important; animation: none !important; }";
  document.head.appendChild(style);
}
"""


def full_page_png(driver, path, width, height, mobile):
    """Save a screenshot of the whole page (not just the viewport) at the given viewport width."""
    import base64

    # No transitions: a full-page capture resizes the page, and the theme would be
    # caught half-way through sliding its sidebar.
    driver.execute_script(NO_TRANSITIONS_JS)
    set_viewport(driver, width, height, mobile)
    time.sleep(0.1)  # let the layout settle after the resize
    content = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "optimizeForSpeed": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": content["height"], "scale": 1},
        },
    )
    pathlib.Path(path).write_bytes(base64.b64decode(shot["data"]))


# A notebook figure is drawn at 100 dpi: 10 pt text is 14 px tall at full size, and
# about 8 px when the figure is squeezed to SHRUNK of its width on a phone.
SHRUNK = 0.55
SHRUNK_FIGURES_JS = f"""
return Array.from(document.querySelectorAll(".cell_output img, .output img"))
  .filter((img) => img.naturalWidth > 0 && img.getBoundingClientRect().width < {SHRUNK} * img.naturalWidth)
  .map((img) => Math.round(100 * img.getBoundingClientRect().width / img.naturalWidth) + "% of "
    + img.naturalWidth + " px: " + (img.getAttribute("alt") || img.getAttribute("src")).slice(0, 70));
"""


def main(argv):
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    html_dir = pathlib.Path(argv[0]).resolve() if argv else html_dir_from_env()
    if not (html_dir / "index.html").exists():
        print(f"no built book at {html_dir}: build it first (`make book`)")
        return 1
    out_dir = html_dir.parent / "screenshots"
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    pages = book_pages(html_dir)
    start = time.monotonic()
    written, shrunk = [], []
    with serve(html_dir) as base, start_chromium() as driver:
        for number, page in enumerate(pages, start=1):
            driver.get(base + page)
            wait_until_ready(driver)
            stem = f"{number:02d}_" + page[: -len(".html")].replace("/", "_")
            for name, (width, height) in WIDTHS.items():
                path = out_dir / f"{stem}_{name}.png"
                full_page_png(driver, path, width, height, mobile=(name == "phone"))
                written.append(path)
            shrunk += [f"{page}: {figure}" for figure in driver.execute_script(SHRUNK_FIGURES_JS)]
            set_viewport(driver, *WIDTHS["desktop"])
    for path in written:
        print(path)
    print(f"{len(written)} screenshots of {len(pages)} pages in {time.monotonic() - start:.1f} s")
    if shrunk:
        print(f"figures shown on a phone at less than {SHRUNK:.0%} of their size (is their text still legible?):")
        print("\n".join("  " + line for line in shrunk))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
