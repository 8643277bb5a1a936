"""The shape of the course in numbers: words, cell narration, visible assertions, autograded exercises.

Usage: python tools/course_stats.py [--check] [--ref GIT_REV]

Prints one row per chapter of _toc.yml and a total row. With --check, exits 1 when a total breaks a budget
(the limits of the core-path issue); with --ref, reads the notebooks as they were at that git revision.

What is counted (markdown words are whitespace-separated tokens of markdown cells, math included):
- core: words of a core-path chapter (a part whose caption starts with "Core path") outside its
  "## Going further: ..." sections and outside "## Exercises";
- optional: words of "## Going further" sections, and every word outside "## Exercises" of the other chapters;
- exercises: words from the "## Exercises" heading to the end of the chapter;
- signposts: cell narration in markdown ("the next cell", "the cell below", "the following cell", ...);
- "check": the words check, checks, checked, checking in markdown;
- asserts: lines with an assert statement or an `assert_*(` call in code cells that the book shows, that is not
  tagged remove-cell, remove-input, hide-input or hide-cell;
- graded: autograded test cells (nbgrader grade: true); "error" are those that require an exception
  (an `except ...Error` or `raises(`), "wording" those that also look at its message.
"""

import argparse
import json
import pathlib
import re
import subprocess
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent

# The core-path issue's limits. The book of 2026-12-01 (`--ref 4fcb980`) had 38,569 words, 175 "check(s)" by the
# issue's count (195 by this one) and 640 visible assert lines by this count (685 by the issue's): the stricter wins.
BUDGETS = {
    "core": 18_000,
    "words": 30_000,
    "signposts": 13,
    "check": 175 // 4,
    "asserts": 640 // 3,
}
MIN_GRADED_PER_CHAPTER = 2
MAX_ERROR_SHARE = 0.25

SIGNPOST = re.compile(
    r"\b(?:the|this) (?:next|following|previous) cell\b|\bthe cells? (?:below|above)\b"
    r"|\bthe cell (?:after|before)\b|\bcell that follows\b",
    re.I,
)
CHECK = re.compile(r"\bcheck(?:s|ed|ing)?\b", re.I)
ASSERT = re.compile(r"^\s*assert\b|\bassert_\w*\(")
HIDDEN_TAGS = {"remove-cell", "remove-input", "hide-input", "hide-cell"}
ERROR_TEST = re.compile(r"except\s*\(?\s*\w*(?:Error|Exception)|raises\(")
WORDING_TEST = re.compile(r"str\((?:error|err|exc|e)\)|match=")
SECTION = re.compile(r"^## (.*)$", re.M)


def source(cell):
    text = cell["source"]
    return "".join(text) if isinstance(text, list) else text


def chapters(toc):
    """[(notebook file, is_core, is_alternative)] for the chapters of the numbered parts, in reading order.

    A chapter whose notebooks are its sections (chapter 10: one version per framework) is read in one of them:
    the first counts, and the others are alternatives, shown but left out of the word totals.
    """
    found = []
    for part in toc["parts"]:
        if not part.get("numbered"):
            continue
        core = str(part.get("caption", "")).lower().startswith("core path")
        for entry in part["chapters"]:
            versions = [section["file"] for section in entry.get("sections", [])] or [entry["file"]]
            found += [(name, core, i > 0) for i, name in enumerate(versions)]
    return found


def read(path, ref):
    if ref is None:
        return (ROOT / path).read_text()
    return subprocess.run(["git", "show", f"{ref}:{path}"], cwd=ROOT, check=True, capture_output=True, text=True).stdout


def split_words(markdown, core):
    """(core, optional, exercise) word counts of a chapter's markdown, section by section."""
    counts = {"core": 0, "optional": 0, "exercises": 0}
    kind = "core" if core else "optional"
    position = 0
    for match in list(SECTION.finditer(markdown)) + [None]:
        end = match.start() if match else len(markdown)
        counts[kind] += len(markdown[position:end].split())
        if match is None:
            break
        title = match.group(1).strip().lower()
        if title.startswith("exercises"):
            kind = "exercises"
        elif kind != "exercises":
            kind = "optional" if (title.startswith("going further") or not core) else "core"
        position = match.start()
    return counts


def chapter_stats(notebook, core):
    cells = notebook["cells"]
    markdown = "\n\n".join(source(c) for c in cells if c["cell_type"] == "markdown")
    row = split_words(markdown, core)
    row["signposts"] = len(SIGNPOST.findall(markdown))
    row["check"] = len(CHECK.findall(markdown))
    row["asserts"] = row["graded"] = row["error"] = row["wording"] = 0
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        text = source(cell)
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
            row["graded"] += 1
            if ERROR_TEST.search(text):
                row["error"] += 1
                row["wording"] += bool(WORDING_TEST.search(text))
        if HIDDEN_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            continue
        row["asserts"] += sum(1 for line in text.splitlines() if ASSERT.search(line.split("#", 1)[0]))
    return row


WORD_COLUMNS = {"core", "optional", "exercises"}
COLUMNS = ["core", "optional", "exercises", "signposts", "check", "asserts", "graded", "error", "wording"]
WORDS_PER_MINUTE = 120  # reading mathematics with its code: the landing page's reading times


def reading_minutes(row):
    """Minutes to read a chapter's prose (core and optional, exercises not included), rounded up to 5."""
    minutes = (row["core"] + row["optional"]) / WORDS_PER_MINUTE
    return 5 * max(1, -(-int(round(minutes)) // 5))


def book_rows(ref=None):
    """[(chapter file name, "core", "optional" or "alt", counts)] in reading order ("alt": see chapters)."""
    toc = yaml.safe_load(read("_toc.yml", ref))
    return [
        (
            pathlib.PurePosixPath(name).name,
            "alt" if alternative else "core" if core else "optional",
            chapter_stats(json.loads(read(f"{name}.ipynb", ref)), core),
        )
        for name, core, alternative in chapters(toc)
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a total breaks a budget")
    parser.add_argument("--ref", help="read the notebooks at this git revision")
    args = parser.parse_args(argv)

    rows = book_rows(args.ref)

    # Words count one reader's path (one version of chapter 10); the other measures count every notebook.
    total = {
        column: sum(row[column] for _, path, row in rows if path != "alt" or column not in WORD_COLUMNS)
        for column in COLUMNS
    }
    words = total["core"] + total["optional"] + total["exercises"]
    print(f"{'chapter':<28} {'path':<8} " + " ".join(f"{c:>9}" for c in COLUMNS) + "   reading")
    for name, path, row in rows:
        print(
            f"{name:<28} {path:<8} " + " ".join(f"{row[c]:>9}" for c in COLUMNS) + f"   {reading_minutes(row):>4} min"
        )
    print(f"{'total':<28} {'':<8} " + " ".join(f"{total[c]:>9}" for c in COLUMNS))
    print(
        f"all words {words}; graded exercises {total['graded']}, of which grade an error {total['error']}, "
        f"look at its wording {total['wording']}"
    )

    problems = []
    for key, limit in BUDGETS.items():
        value = words if key == "words" else total[key]
        status = "ok" if value <= limit else "OVER"
        print(f"budget {key:<10} {value:>7} <= {limit:<7} {status}")
        if value > limit:
            problems.append(f"{key}: {value} > {limit}")
    few = [name for name, _, row in rows if row["graded"] < MIN_GRADED_PER_CHAPTER]
    if few:
        problems.append(f"fewer than {MIN_GRADED_PER_CHAPTER} autograded exercises: {', '.join(few)}")
    if total["graded"] and total["error"] > MAX_ERROR_SHARE * total["graded"]:
        problems.append(
            f"{total['error']} of {total['graded']} autograded exercises grade an error (at most a quarter)"
        )
    if total["wording"]:
        problems.append(f"{total['wording']} autograded exercises look at an error message's wording")
    for problem in problems:
        print(f"problem: {problem}")
    return 1 if (args.check and problems) else 0


if __name__ == "__main__":
    sys.exit(main())
