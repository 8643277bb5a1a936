"""The repository rules of tools/check_repo.py catch what they claim to catch."""

import json
import pathlib
import sys

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import check_repo  # noqa: E402


def write_notebook(path, with_output):
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("1 + 1", id="only")
    if with_output:
        cell.execution_count = 1
        cell.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=1)]
    notebook.cells = [cell]
    nbformat.write(notebook, path)


@pytest.fixture
def book(tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "book" / "intro.md").write_text("# Intro\n")
    write_notebook(tmp_path / "notebooks" / "01_first.ipynb", with_output=False)
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: book/intro\nparts:\n  - caption: Part\n    chapters:\n"
        "      - file: notebooks/01_first\n"
    )
    return tmp_path


def test_a_complete_toc_has_no_problems(book):
    assert list(check_repo.problems_with_toc(book)) == []


def test_a_page_missing_from_the_toc_is_reported(book):
    (book / "book" / "stray.md").write_text("# Stray\n")
    assert list(check_repo.problems_with_toc(book)) == ["book/stray.md is not listed in _toc.yml"]


def test_a_toc_entry_without_a_file_is_reported(book):
    (book / "notebooks" / "01_first.ipynb").unlink()
    problems = list(check_repo.problems_with_toc(book))
    assert problems == ["_toc.yml lists notebooks/01_first, but no notebooks/01_first.md or notebooks/01_first.ipynb exists"]


def test_a_notebook_with_outputs_is_reported(tmp_path):
    path = tmp_path / "dirty.ipynb"
    write_notebook(path, with_output=True)
    assert list(check_repo.problems_with_outputs(path)) == [
        "dirty.ipynb: code cells [0] carry outputs or execution counts (strip them)"
    ]


def test_a_clean_notebook_passes(tmp_path):
    path = tmp_path / "clean.ipynb"
    write_notebook(path, with_output=False)
    assert list(check_repo.problems_with_outputs(path)) == []


def test_toc_entries_walks_parts_chapters_and_sections():
    toc = {
        "root": "intro",
        "parts": [{"chapters": [{"file": "a", "sections": [{"file": "a1"}]}, {"file": "b"}]}],
    }
    assert sorted(check_repo.toc_entries(toc)) == ["a", "a1", "b", "intro"]


def test_every_committed_notebook_is_stored_clean():
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks, "no notebooks found"
    for path in notebooks:
        assert list(check_repo.problems_with_outputs(path)) == []
        json.loads(path.read_text())
