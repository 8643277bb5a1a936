"""The book reuses the nbval run's execution: what notebooks/conftest.py stores is what executing would give.

The notebooks step runs `pytest --nbval-lax notebooks --execution-cache PATH`; the book build
(`execute_notebooks: cache`) then takes each chapter's outputs from PATH instead of running it again.
Here a small notebook with each kind of output (streams, a display updated in place, a result, stderr)
goes through the same nbval run, and what lands in the cache is compared with what nbclient, the
executor the book build uses otherwise, makes of the same notebook. A notebook with a failing cell
must not be cached at all, so the book would execute it and fail as it should.
"""

import shutil
import subprocess
import sys

import nbclient
import nbformat
import pytest
from jupyter_cache import get_cache

from run_tests import ROOT

CELLS = [
    'print("one")\nprint("two")',
    'from IPython.display import display\nhandle = display("first", display_id=True)\nhandle.update("last")',
    "21 * 2",
    'import sys\nprint("to stderr", file=sys.stderr)\nprint("to stdout")',
    "x = 1  # no output",
]


def notebook(cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# A chapter")] + [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def run_nbval(tmp_path, nb):
    shutil.copy(ROOT / "notebooks" / "conftest.py", tmp_path / "conftest.py")
    nbformat.write(nb, tmp_path / "chapter.ipynb")
    cache = tmp_path / "cache"
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax", "chapter.ipynb"]
    completed = subprocess.run(
        [*command, "--execution-cache", str(cache), "--rootdir", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return completed, get_cache(str(cache))


def outputs(nb):
    return [(cell.execution_count, cell.outputs) for cell in nb.cells if cell.cell_type == "code"]


def test_the_cached_notebook_holds_what_executing_it_gives(tmp_path):
    nb = notebook(CELLS)
    completed, cache = run_nbval(tmp_path, nb)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    _, cached = cache.merge_match_into_notebook(nbformat.read(tmp_path / "chapter.ipynb", as_version=4))
    executed = nbclient.NotebookClient(nbformat.reads(nbformat.writes(nb), as_version=4), kernel_name="python3")
    executed.execute(cwd=str(tmp_path))
    assert outputs(cached) == outputs(executed.nb)
    # Spelled out, so a change on both sides cannot pass unnoticed:
    first, display, result, mixed, silent = [cell.outputs for cell in cached.cells if cell.cell_type == "code"]
    assert [o.text for o in first] == ["one\ntwo\n"]
    assert [o.data["text/plain"] for o in display] == ["'last'"]  # the display after its update
    assert result[0].output_type == "execute_result" and result[0].data["text/plain"] == "42"
    assert {(o.name, o.text) for o in mixed} == {("stderr", "to stderr\n"), ("stdout", "to stdout\n")}
    assert silent == []
    assert cached.metadata["language_info"]["name"] == "python"


def test_a_notebook_with_a_failing_cell_is_not_cached(tmp_path):
    completed, cache = run_nbval(tmp_path, notebook([*CELLS[:2], "raise ValueError('a broken chapter')", *CELLS[2:]]))
    assert completed.returncode == 1, completed.stdout + completed.stderr
    with pytest.raises(KeyError):
        cache.match_cache_notebook(nbformat.read(tmp_path / "chapter.ipynb", as_version=4))


def test_the_figures_are_made_as_the_book_build_makes_them(tmp_path):
    """The book's interactive figures refer to the runtime the book serves; nbval's kernel must make them so too."""
    from softmax_course import interactive

    completed, cache = run_nbval(tmp_path, notebook([f"import os\nprint(os.environ.get({interactive.LIBRARY_ENV!r}))"]))
    assert completed.returncode == 0, completed.stdout + completed.stderr
    _, cached = cache.merge_match_into_notebook(nbformat.read(tmp_path / "chapter.ipynb", as_version=4))
    assert cached.cells[1].outputs[0].text == "book\n"
