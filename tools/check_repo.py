"""Check the repository's rules: notebooks stored clean, the table of contents complete.

Usage: python tools/check_repo.py

Fails (exit 1), listing every problem, when
- a notebook carries outputs or execution counts;
- a notebook or a page in book/ is missing from _toc.yml, or a _toc.yml entry has no file;
- a notebook's Colab setup cell is missing or stale (see stamp_setup_cells.py).
"""

import json
import pathlib
import sys

import yaml

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import stamp_setup_cells  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
PAGE_SUFFIXES = (".md", ".ipynb")


def toc_entries(toc):
    """Every file named in a jb-book _toc.yml, without suffix, in reading order."""
    entries = [toc["root"]]

    def walk(items):
        for item in items:
            if "file" in item:
                entries.append(item["file"])
            walk(item.get("chapters", []))
            walk(item.get("sections", []))

    walk(toc.get("parts", []))
    walk(toc.get("chapters", []))
    return entries


def problems_with_outputs(path):
    """Name the code cells of the notebook at ``path`` that carry outputs or execution counts."""
    cells = json.loads(path.read_text())["cells"]
    dirty = [
        i
        for i, cell in enumerate(cells)
        if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count"))
    ]
    if dirty:
        yield f"{path.name}: code cells {dirty} carry outputs or execution counts (strip them)"


def problems_with_toc(root=ROOT):
    """Entries of root/_toc.yml with no file, and pages under root that _toc.yml does not list."""
    entries = toc_entries(yaml.safe_load((root / "_toc.yml").read_text()))
    for entry in entries:
        if not any((root / (entry + suffix)).exists() for suffix in PAGE_SUFFIXES):
            yield f"_toc.yml lists {entry}, but no {entry}.md or {entry}.ipynb exists"
    pages = sorted(root.glob("notebooks/*.ipynb")) + sorted(root.glob("book/*.md"))
    listed = set(entries)
    for page in pages:
        if page.relative_to(root).with_suffix("").as_posix() not in listed:
            yield f"{page.relative_to(root)} is not listed in _toc.yml"


def problems():
    yield from problems_with_toc()
    for path in sorted(ROOT.glob("notebooks/*.ipynb")):
        yield from problems_with_outputs(path)
        if not stamp_setup_cells.stamp(path, check=True):
            yield f"{path.relative_to(ROOT)}: Colab setup cell missing or stale (run `make stamp`)"


def main():
    found = list(problems())
    for problem in found:
        print(problem)
    print(f"repository check: {len(found)} problem(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
