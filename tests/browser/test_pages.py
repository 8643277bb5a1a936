"""The built book as readers see it: every page opened in headless Chromium.

Needs a built book (`make test-book`); $BOOK_HTML_DIR overrides _build/html.
Each check runs once per page (the page itself is loaded once, see browser_book.py):

- math:    every formula rendered when the book was built (KaTeX's HTML, with MathML for screen
           readers), no math engine loaded in the browser, no formula a tab stop, no raw TeX left
           in the text, no error box;
- images:  every image loads and has alt text (a file name or path is not alt text);
- links:   every link to the book itself leads to a built file, and its #anchor exists there;
- console: no error in the browser console;
- phone:   at 390 px nothing runs off the side of the page (wide equations, code and
           tables scroll inside their own box);
- chapter pages (notebooks/*): an "Open in Colab" link into the repository named in
  _config.yml, to this chapter's notebook or its generated edition, a download link to a
  notebook of the same name, and the figures the notebook makes.
"""

import pathlib
import re
import time
import urllib.parse

import pytest

from browser_book import BUILT, HTML_DIR, NOT_BUILT_MESSAGE, PAGES, ROOT, read_json, repository, toc_files

CHAPTERS = [page for page in PAGES if page.startswith("notebooks/")]
IMAGE_FILE = re.compile(r"\S*\.(png|jpe?g|gif|svg|webp|bmp)", re.IGNORECASE)


def test_book_is_built():
    assert BUILT, NOT_BUILT_MESSAGE
    assert PAGES, f"no pages found in {HTML_DIR}"


def test_every_toc_entry_was_built():
    if not BUILT:
        pytest.fail(NOT_BUILT_MESSAGE, pytrace=False)
    missing = [name for name in toc_files() if not (HTML_DIR / f"{name}.html").is_file()]
    assert not missing, f"listed in _toc.yml but not built: {missing}"


def test_root_page_is_the_landing_page(book):
    """The site's root serves the landing page itself: no redirect, no second round trip (issue 18)."""
    book.driver.get(book.base_url)
    landed = book.driver.current_url
    title, heading = book.driver.execute_script(
        "return [document.title, (document.querySelector('main h1') || {}).textContent || ''];"
    )
    problems = console_problems(book.driver.get_log("browser"))
    assert landed == book.base_url, f"the site's root sent the reader on to {landed}"
    book.driver.get(book.url(PAGES[0]))
    assert book.driver.execute_script("return document.title;") == title, "the root page is not the landing page"
    assert heading.strip(), "the root page has no heading"
    assert not problems, "\n".join(problems)


def test_root_page_is_a_document():
    """index.html has a language, a title, an icon that was built, no refresh, and names its usual address."""
    if not BUILT:
        pytest.fail(NOT_BUILT_MESSAGE, pytrace=False)
    root = (HTML_DIR / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<html[^>]* lang="[a-z]{2}', root), "index.html has no <html lang>"
    assert re.search(r"<title>[^<]+</title>", root), "index.html has no <title>"
    assert "http-equiv" not in root.lower(), "index.html still refreshes to another page"
    icon = re.search(r'<link rel="icon" href="([^"]+)"', root)
    assert icon, "index.html names no icon"
    assert (HTML_DIR / icon[1].split("?")[0]).is_file(), f"index.html names the icon {icon[1]}, which was not built"
    canonical = f'<link rel="canonical" href="{urllib.parse.quote(PAGES[0])}"'
    assert canonical in root, f"index.html does not name {PAGES[0]} as its canonical address"


def test_search_page_finds_a_word(book):
    """The search page (not a page of the book, but where the search field sends the reader) works."""
    driver = book.driver
    driver.get(book.url("search.html?q=softmax"))
    found, summary = 0, ""
    for _ in range(150):  # until Sphinx's search says it has finished ("Search finished, found N pages ...")
        summary = driver.execute_script("return (document.querySelector('.search-summary') || {}).textContent || '';")
        if re.search(r"\d", summary):
            break
        time.sleep(0.1)
    found = driver.execute_script("return document.querySelectorAll('#search-results li').length;")
    problems = console_problems(driver.get_log("browser"))
    assert not problems, "search.html:\n" + "\n".join(problems)
    assert found >= 5, f"searching for 'softmax' found {found} pages ({summary!r})"


@pytest.mark.parametrize("page", PAGES)
def test_math(book, page):
    report = book.visit(page)
    problems = []
    problems += [f"a math engine is loaded in the browser: {src}" for src in report["mathScripts"]]
    problems += [f"a math engine runs in the browser: window.{name}" for name in report["mathEngine"]]
    problems += [f"not rendered at build time: {text!r}" for text in report["untypeset"]]
    problems += [f"math error: {text}" for text in report["mathErrors"]]
    if report["mathWithoutMathML"]:
        problems.append(f"{report['mathWithoutMathML']} formulas carry no MathML for screen readers")
    if report["mathTabStops"]:
        problems.append(f"{report['mathTabStops']} formulas are tab stops (they hold nothing to operate)")
    problems += [f"raw TeX in the text: {text!r}" for text in report["rawTex"]]
    assert not problems, f"{page}:\n" + listing(problems)


def listing(problems, most=12):
    """The distinct problems, one a line, at most `most` of them."""
    problems = list(dict.fromkeys(problems))
    more = f"\n... and {len(problems) - most} more" if len(problems) > most else ""
    return "\n".join(problems[:most]) + more


def alt_text_problem(image):
    alt = image["alt"]
    if alt is None:
        return "no alt attribute"
    alt = alt.strip()
    if not alt:
        return "empty alt text"
    name = urllib.parse.unquote(pathlib.PurePosixPath(urllib.parse.urlsplit(image["url"]).path).name)
    if alt in (image["src"], image["url"], name) or IMAGE_FILE.fullmatch(alt) or ("/" in alt and " " not in alt):
        return (
            f"alt text is a file name ({alt!r}); notebook figures take theirs from the cell metadata mystnb.image.alt"
        )
    return None


@pytest.mark.parametrize("page", PAGES)
def test_images(book, page):
    report = book.visit(page)
    problems = []
    for image in report["images"]:
        if image["naturalWidth"] == 0:
            problems.append(f"{image['src']}: did not load (natural width 0)")
        why = alt_text_problem(image)
        if why:
            problems.append(f"{image['src']}: {why}")
    assert not problems, f"{page}:\n" + listing(problems)


def link_problem(book, href):
    """Why an absolute URL to the served book leads nowhere, or None."""
    url = urllib.parse.urlsplit(href)
    path = urllib.parse.unquote(url.path).lstrip("/")
    target = HTML_DIR / path
    if target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        return f"no such file {path or '/'}"
    fragment = urllib.parse.unquote(url.fragment)
    if fragment and target.suffix == ".html" and fragment not in book.ids(target):
        return f"no id {fragment!r} in {target.relative_to(HTML_DIR)}"
    return None


@pytest.mark.parametrize("page", PAGES)
def test_links(book, page):
    report = book.visit(page)
    origin = urllib.parse.urlsplit(book.base_url).netloc
    problems = []
    for link in report["links"]:
        url = urllib.parse.urlsplit(link["href"])
        if url.scheme not in ("http", "https") or url.netloc != origin:
            continue  # other sites are not checked (no network); the Colab link is, below
        why = link_problem(book, link["href"])
        if why:
            problems.append(f"link {link['raw']!r} ({link['text']!r}): {why}")
    assert not problems, f"{page}:\n" + listing(problems)


def console_problems(entries):
    problems = []
    for entry in entries:
        message = entry.get("message", "")
        if entry.get("level") == "SEVERE":
            problems.append(f"{entry.get('level')}: {message}")
    return problems


@pytest.mark.parametrize("page", PAGES)
def test_console(book, page):
    problems = console_problems(book.visit(page)["console"])
    assert not problems, f"{page}:\n" + listing(problems)


@pytest.mark.parametrize("page", PAGES)
def test_phone_width(book, page):
    phone = book.visit(page)["phone"]
    assert not phone["offenders"], (
        f"{page} at {phone['width']} px wide: these run off the page instead of scrolling in their own box:\n"
        + "\n".join(phone["offenders"])
    )
    assert phone["pageScrollWidth"] <= phone["width"] + 1, (
        f"{page} scrolls sideways at {phone['width']} px (scroll width {phone['pageScrollWidth']} px)"
    )


@pytest.mark.parametrize("page", CHAPTERS)
def test_chapter_buttons(book, page):
    # The notebook the buttons deliver is the chapter's own file, or an edition generated from it
    # (_ext/course_editions.py): either in the repository (a branch's checkout) or published with the site.
    report = book.visit(page)
    name = pathlib.PurePosixPath(page).with_suffix(".ipynb").name
    owner_repo, _ = repository()
    colab_prefix = f"https://colab.research.google.com/github/{owner_repo}/blob/"
    problems = []
    colab = [href for href in report["launchLinks"] if href.startswith(colab_prefix) and href.endswith("/" + name)]
    if not colab:
        wanted = f"{colab_prefix}BRANCH/.../{name}"
        problems.append(f"no 'Open in Colab' link {wanted} (launch links: {report['launchLinks']})")
    else:
        target = colab[0][len(colab_prefix) :].split("/", 1)[1]  # after the branch
        if not ((ROOT / target).is_file() or (HTML_DIR / target).is_file()):
            problems.append(f"the Colab link points at {target}, in neither the repository nor the built site")
    if not report["launchMenuVisible"]:
        problems.append("the launch (rocket) button is not visible")
    downloads = [href for href in report["downloadLinks"] if href.endswith("/" + name)]
    if not downloads:
        problems.append(f"no download link to a {name} (download links: {report['downloadLinks']})")
    elif link_problem(book, downloads[0]):
        problems.append(f"download link leads nowhere: {link_problem(book, downloads[0])}")
    else:
        path = urllib.parse.unquote(urllib.parse.urlsplit(downloads[0]).path).lstrip("/")
        source = read_json(HTML_DIR / path)
        if source.get("nbformat") != 4 or not source.get("cells"):
            problems.append(f"{path} is not a notebook")
    if not report["downloadMenuVisible"]:
        problems.append("the download button is not visible")
    assert not problems, f"{page}:\n" + listing(problems)


REMOVED_OUTPUT_TAGS = {"remove-output", "remove-cell", "remove_output", "remove_cell"}
PLOTS = re.compile(r"\bplt\.(show|figure|subplots?|imshow|plot)\(|\.savefig\(")


def expected_figures(page):
    """(figures the executed notebook shows, whether its code draws with matplotlib)."""
    notebook = page[: -len(".html")] + ".ipynb"
    executed = HTML_DIR.parent / "jupyter_execute" / notebook
    source = executed if executed.is_file() else ROOT / notebook
    if not source.is_file():
        return 0, False
    cells = [cell for cell in read_json(source)["cells"] if cell["cell_type"] == "code"]
    code = "\n".join("".join(cell["source"]) for cell in cells)
    shown = 0
    for cell in cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & REMOVED_OUTPUT_TAGS:
            continue
        shown += sum(
            1 for output in cell.get("outputs", []) if any(mime.startswith("image/") for mime in output.get("data", {}))
        )
    return shown, bool(PLOTS.search(code))


@pytest.mark.parametrize("page", CHAPTERS)
def test_chapter_figures(book, page):
    report = book.visit(page)
    shown, draws = expected_figures(page)
    if draws:
        assert report["outputImages"] >= max(shown, 1), (
            f"{page}: its code draws with matplotlib, the executed notebook has {shown} figure(s), "
            f"the page shows {report['outputImages']} image(s) in its outputs"
        )
    else:
        assert report["outputImages"] >= shown, f"{page}: {shown} figure outputs, {report['outputImages']} shown"
