"""The PDF edition of the book (`make pdf`), read back with pdftotext.

Run by the "pdf" step of tools/run_tests.py right after `make pdf`, with
$BOOK_LATEX_DIR naming the LaTeX build (_build/pdf/_build/latex there) and $BOOK_HTML_DIR the HTML
build it is compared with (default: the html folder beside the LaTeX one); without $BOOK_LATEX_DIR these
tests are skipped, since the unit step runs before any PDF exists. By hand:

    make pdf && BOOK_LATEX_DIR=_build/latex .venv/bin/python -m pytest -q tests/test_pdf.py

Checks: every page of _toc.yml has its title in the PDF; every chapter has as many
numbered exercises and solutions as its source has exercise and solution
directives, numbered as on the chapter's HTML page; every bibliography entry is there; no raw MyST markup ({glue}, :::,
directive names), no nbgrader marker, no ANSI escape code and no placeholder of an
output LaTeX cannot show (HTML, SVG-only figures); xelatex reported no missing glyph.
"""

import functools
import json
import os
import pathlib
import re
import shutil
import subprocess

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
LATEX_DIR = os.environ.get("BOOK_LATEX_DIR")
pytestmark = pytest.mark.skipif(
    not LATEX_DIR, reason="run by the pdf step (make pdf, then BOOK_LATEX_DIR=_build/latex pytest tests/test_pdf.py)"
)

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
TARGET = CONFIG["latex"]["latex_documents"]["targetname"]
EXERCISE = re.compile(r"[:`]{3,}\{exercise\}")
SOLUTION = re.compile(r"[:`]{3,}\{solution(?:-start)?\}")
# Text that must never reach a reader of the PDF: MyST/Sphinx markup left unparsed,
# nbgrader markers, ANSI colour codes from cell output, and the text/plain stand-ins
# that appear when an output has no PDF-friendly form (HTML widgets, SVG-only figures).
FORBIDDEN = {
    "glue role or directive": re.compile(r"\{glue"),
    "colon fence": re.compile(r":::"),
    "backtick fence": re.compile(r"```"),
    "MyST role or directive": re.compile(
        r"\{(?:exercise|solution|solution-start|solution-end|cite|ref|numref|eq|doc|math|prf:\w+)\}"
    ),
    # a marker line in code (prose may name the markers, as the teaching page does)
    "nbgrader marker": re.compile(r"^\s*### (?:BEGIN|END) (?:SOLUTION|HIDDEN TESTS)\s*$", re.MULTILINE),
    "ANSI escape code": re.compile(r"\x1b\[|\[(?:[0-9]{1,3};)*[0-9]{1,3}m(?=\S)"),
    "HTML output shown as text": re.compile(r"<IPython\.core\.display\.\w+ object>|<div[ >]|<script"),
    "figure shown as text": re.compile(r"<Figure size \d+x\d+ with \d+ Axes>"),
    "object repr instead of a figure": re.compile(r"<\w+(?:\.\w+)+ object at 0x[0-9a-f]+>"),
}


def normalize(text):
    """Case-folded text with every run of whitespace (and soft hyphen) made one space."""
    return re.sub(r"\s+", " ", text.replace("\u00ad", "")).casefold().strip()


@functools.lru_cache(maxsize=None)
def pdf_text():
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext not found: install Debian's poppler-utils", pytrace=False)
    pdf = pathlib.Path(LATEX_DIR) / TARGET.replace(".tex", ".pdf")
    if not pdf.is_file():
        pytest.fail(f"no PDF at {pdf}: run `make pdf` first", pytrace=False)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def toc_parts():
    """[(numbered, [[file, section file, ...], ...]), ...]: the parts of _toc.yml, a list of files per chapter."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [
        (
            bool(part.get("numbered")),
            [
                [entry["file"]] + [section["file"] for section in entry.get("sections", [])]
                for entry in part["chapters"]
            ],
        )
        for part in toc["parts"]
    ]


def source_text(name):
    """The Markdown of a page: the .md file, or the markdown cells of the notebook."""
    path = ROOT / name
    for suffix in (".md", ".ipynb"):
        candidate = path.with_suffix(suffix)
        if candidate.is_file():
            if suffix == ".md":
                return candidate.read_text(encoding="utf-8")
            cells = json.loads(candidate.read_text(encoding="utf-8"))["cells"]
            return "\n\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")
    raise FileNotFoundError(f"{name} (.md or .ipynb) listed in _toc.yml")


def title_of(name):
    """The page's first-level heading, without math and inline markup (the part a PDF shows as text)."""
    match = re.search(r"^# (.+)$", source_text(name), re.MULTILINE)
    assert match, f"{name}: no '# title' heading"
    title = match.group(1).split("$")[0]
    return re.sub(r"[*_`]", "", title).strip(" :,")


def numbered_chapters():
    """{chapter number in the PDF: file} for the chapters of the numbered parts."""
    chapters = [files for numbered, chapters in toc_parts() if numbered for files in chapters]
    return {number: files for number, files in enumerate(chapters, start=1)}


def test_every_page_title_is_in_the_pdf():
    text = normalize(pdf_text())
    missing = [
        f"{name}: {title_of(name)!r}"
        for _, chapters in toc_parts()
        for files in chapters
        for name in files
        if normalize(title_of(name)) not in text
    ]
    root = yaml.safe_load((ROOT / "_toc.yml").read_text())["root"]
    if normalize(title_of(root)) not in text:
        missing.append(f"{root}: {title_of(root)!r}")
    assert not missing, "titles not found in the PDF:\n" + "\n".join(missing)


def web_exercise_numbers(name):
    """The exercise numbers ("9.3") of chapter ``name``'s HTML page, in page order."""
    from bs4 import BeautifulSoup

    page = pathlib.Path(os.environ.get("BOOK_HTML_DIR") or pathlib.Path(LATEX_DIR).parent / "html") / f"{name}.html"
    if not page.is_file():
        pytest.fail(f"{page} missing: the pdf step runs after the book step (make book)", pytrace=False)
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [
        box.select_one(".caption-number").get_text().strip().removeprefix("Exercise").strip()
        for box in soup.select("div.exercise")
        if box.select_one(".caption-number")
    ]


def test_every_chapter_has_its_exercises_and_solutions_numbered_as_on_the_web():
    text = pdf_text()
    problems = []
    for number, files in numbered_chapters().items():
        name = files[0]
        source = "\n\n".join(source_text(file) for file in files)
        wanted_exercises, wanted_solutions = len(EXERCISE.findall(source)), len(SOLUTION.findall(source))
        exercises = re.findall(rf"^Exercise ({number}\.[\d.]+)$", text, re.MULTILINE)
        solutions = re.findall(rf"^Solution to Exercise ({number}\.[\d.]+)$", text, re.MULTILINE)
        if (len(exercises), len(solutions)) != (wanted_exercises, wanted_solutions):
            problems.append(
                f"chapter {number} ({name}): {len(exercises)} exercises and {len(solutions)} solutions "
                f"in the PDF, {wanted_exercises} and {wanted_solutions} in the source"
            )
        web = [number for file in files for number in web_exercise_numbers(file)]
        if exercises != web:
            problems.append(f"chapter {number} ({name}): the PDF numbers its exercises {exercises}, the web {web}")
        if sorted(set(solutions) - set(exercises)):
            problems.append(
                f"chapter {number} ({name}): solutions to no exercise {sorted(set(solutions) - set(exercises))}"
            )
    assert sum(len(EXERCISE.findall(source_text(file))) for files in numbered_chapters().values() for file in files) > 0
    assert not problems, "\n".join(problems)


def bib_titles():
    bib = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    titles = re.findall(r"^\s*title\s*=\s*[{\"](.+?)[}\"]\s*,?\s*$", bib, re.MULTILINE | re.IGNORECASE)
    return [re.sub(r"[{}\\]", "", title) for title in titles]


def test_bibliography_is_in_the_pdf():
    text = normalize(pdf_text())
    titles = bib_titles()
    assert titles, "no titles read from book/references.bib"
    # The first five words: enough to identify an entry, short enough not to straddle a line-end hyphen.
    missing = [title for title in titles if normalize(" ".join(title.split()[:5])) not in text]
    assert not missing, "bibliography entries missing from the PDF:\n" + "\n".join(missing)


@pytest.mark.parametrize("what", list(FORBIDDEN))
def test_no_raw_markup_or_escape_codes(what):
    text = pdf_text()
    hits = [text[max(0, m.start() - 50) : m.end() + 50].replace("\n", " ") for m in FORBIDDEN[what].finditer(text)]
    assert not hits, f"{what} in the PDF ({len(hits)}x), e.g.:\n" + "\n".join(hits[:5])


def test_no_missing_glyph_in_the_log():
    log = pathlib.Path(LATEX_DIR) / TARGET.replace(".tex", ".log")
    assert log.is_file(), f"no xelatex log at {log}"
    missing = sorted(
        set(
            re.findall(
                r"Missing character: There is no (.+?) in font (.+?)!",
                log.read_text(encoding="utf-8", errors="replace"),
            )
        )
    )
    assert not missing, "glyphs the fonts lack (they are blank in the PDF):\n" + "\n".join(
        f"{char} in {font}" for char, font in missing
    )


def test_nothing_runs_past_the_foot_or_the_edge_of_a_page():
    """No page is overfull by more than a hair: a code cell through the footer, a table off the paper's edge."""
    log = (pathlib.Path(LATEX_DIR) / TARGET.replace(".tex", ".log")).read_text(encoding="utf-8", errors="replace")
    overfull = [
        (kind, float(points), where.strip())
        for kind, points, where in re.findall(r"Overfull \\([hv])box \(([\d.]+)pt too (?:wide|high)\)([^\n]*)", log)
    ]
    too_much = [
        f"\\{kind}box {points}pt {where}" for kind, points, where in overfull if points > (20.0 if kind == "h" else 4.0)
    ]
    assert not too_much, "overfull boxes in the PDF (see the .tex at those lines):\n" + "\n".join(too_much)
