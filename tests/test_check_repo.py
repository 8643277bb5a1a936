"""The repository's rules, each checked by the standard tool that does it.

- Notebooks are stored clean (no outputs, no execution counts): ``nbstripout --verify``
  (pinned in requirements.txt; ``--keep-id`` because the cell ids are stable on purpose).
- Every page is in _toc.yml and every _toc.yml entry has a file: Sphinx itself warns
  ("document isn't included in any toctree", "toctree contains reference to nonexisting
  document") once _config.yml sets ``only_build_toc_files: false``, and the strict build
  (-W) fails on the warning.
- The Colab setup cells are current: tests/test_setup_cells.py.
"""

import pathlib
import subprocess
import sys

import nbformat
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = pathlib.Path(sys.executable).parent
NBSTRIPOUT = [str(BIN / "nbstripout"), "--verify", "--keep-id"]


def write_notebook(path, execution_count=None, outputs=()):
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("1 + 1", id="stable-id")
    cell.execution_count = execution_count
    cell.outputs = list(outputs)
    notebook.cells = [nbformat.v4.new_markdown_cell("Text.", id="c1"), cell]
    nbformat.write(notebook, path)
    return path


def nbstripout_verify(*paths):
    return subprocess.run([*NBSTRIPOUT, *map(str, paths)], capture_output=True, text=True)


def test_every_committed_notebook_is_stored_clean():
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks, "no notebooks found"
    result = nbstripout_verify(*notebooks)
    assert result.returncode == 0, (
        f"notebooks stored with outputs or execution counts:\n{result.stdout}"
        "clean them with: .venv/bin/nbstripout --keep-id notebooks/NN_name.ipynb"
    )


DIRT = {
    "execution-count": {"execution_count": 1},
    "stream-output": {"outputs": [nbformat.v4.new_output("stream", name="stdout", text="2\n")]},
    "result-output": {"outputs": [nbformat.v4.new_output("execute_result", {"text/plain": "2"})]},
}


def test_outputs_and_counts_are_reported_and_a_clean_notebook_passes(tmp_path):
    # One run for all cases (nbstripout takes seconds to start).
    clean = write_notebook(tmp_path / "clean.ipynb")  # its own cell ids are not dirt (--keep-id)
    dirty = [write_notebook(tmp_path / f"{name}.ipynb", **dirt) for name, dirt in DIRT.items()]
    before = {path: path.read_bytes() for path in [clean, *dirty]}
    result = nbstripout_verify(clean, *dirty)
    assert result.returncode == 1
    reported = {line.rsplit("/", 1)[-1] for line in result.stdout.splitlines() if "would have stripped" in line}
    assert reported == {path.name for path in dirty}
    assert all(path.read_bytes() == content for path, content in before.items()), "--verify changes nothing"


# ---------------------------------------------------------------- the table of contents


def config():
    return yaml.safe_load((ROOT / "_config.yml").read_text())


def test_the_book_builds_every_page_so_sphinx_checks_the_toc():
    assert config()["only_build_toc_files"] is False
    excluded = set(config()["exclude_patterns"])
    for directory in ("tests", "tools", "softmax_course", "node_modules", "_build"):
        assert f"{directory}/**" in excluded, f"{directory}/ would be built as pages of the book"


def test_sphinx_reports_a_stray_page_and_a_missing_entry(tmp_path):
    (tmp_path / "book").mkdir()
    for name in ("intro", "listed", "stray"):
        (tmp_path / "book" / f"{name}.md").write_text(f"# {name.title()}\n")
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: book/intro\nchapters:\n  - file: book/listed\n  - file: book/missing\n"
    )
    only_toc = str(config()["only_build_toc_files"]).lower()
    (tmp_path / "_config.yml").write_text(
        f"title: t\nonly_build_toc_files: {only_toc}\nexecute:\n  execute_notebooks: 'off'\n"
    )
    build = subprocess.run(
        [str(BIN / "jupyter-book"), "build", str(tmp_path), "-W", "-n", "--keep-going"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    log = build.stdout + build.stderr
    assert build.returncode != 0
    assert "stray.md: WARNING: document isn't included in any toctree" in log
    assert "toctree contains reference to nonexisting document 'book/missing'" in log
