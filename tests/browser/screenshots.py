"""Screenshot every page of the built book at desktop and phone widths.

Usage: python tests/browser/screenshots.py [HTML_DIR]   (default: $BOOK_HTML_DIR or _build/html;
       pages in the order of $BOOK_TOC or _toc.yml)

Writes NN_<page>_desktop.png (1280 px wide) and NN_<page>_phone.png (390 px wide),
both of the full page height, into _build/screenshots/ (next to the HTML
directory), numbered in reading order, and prints their paths, then the notebook
figures a phone shrinks so much that their text may be illegible. Build the book
first (`make book`).

The book is served and opened in headless Chromium exactly as the browser test
does it, with the same machinery (browser_book.py, beside this file: `serve`,
`start_chromium`, `set_viewport`, `book_pages`, `wait_until_ready`). It is the
browser test's look at the pages for a person rather than a check, so it lives
with that test.
"""

import base64
import pathlib
import shutil
import sys
import time

from browser_book import (  # tests/browser/browser_book.py, beside this file
    NO_TRANSITIONS_JS,
    WIDTHS,
    book_pages,
    html_dir_from_env,
    serve,
    set_viewport,
    start_chromium,
    wait_until_ready,
)


def full_page_png(driver, path, width, height, mobile):
    """Save a screenshot of the whole page (not just the viewport) at the given viewport width."""
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
  // an image that is not displayed (an interactive figure's static stand-in, once drawn) is not shrunk
  .filter((img) => img.naturalWidth > 0 && img.getClientRects().length > 0
    && img.getBoundingClientRect().width < {SHRUNK} * img.naturalWidth)
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
