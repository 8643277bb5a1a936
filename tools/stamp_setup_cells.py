"""Write (or, with --check, verify) the Colab setup cell at the top of every notebook.

Usage: python tools/stamp_setup_cells.py [--check] [NOTEBOOK ...]   (default: every notebook)

The setup cell is the first code cell, tagged ``colab-setup``. It is rendered
from tools/colab_setup.py and the repository URL in _config.yml. With --check,
nothing is written and the exit code is 1 when any notebook's cell is missing or
stale.
"""

import json
import os
import pathlib
import sys
import tempfile

import colab_setup


def expected_cell(notebook):
    cell = {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {"tags": [colab_setup.SETUP_TAG, "hide-input"]},
        "outputs": [],
        "source": colab_setup.setup_cell_source(
            colab_setup.notebook_needs_mxnet(notebook), colab_setup.notebook_imports(notebook, "torch")
        ).splitlines(keepends=True),
    }
    if (notebook["nbformat"], notebook["nbformat_minor"]) >= (4, 5):
        cell["id"] = "colab-setup"  # a fixed id keeps re-stamping free of diffs
    return cell


def first_code_index(cells):
    return next((i for i, cell in enumerate(cells) if cell["cell_type"] == "code"), None)


def is_setup_cell(cell):
    return colab_setup.SETUP_TAG in cell.get("metadata", {}).get("tags", [])


def stamp(path, check):
    """Return True when the notebook at ``path`` already had the current setup cell.

    Current means: exactly one cell is tagged ``colab-setup``, it is the first
    code cell, and it equals :func:`expected_cell`. Otherwise (unless ``check``)
    the notebook is rewritten: a setup cell in first-code position is replaced;
    misplaced or duplicate ones are removed and a fresh one is inserted right
    after the title cell.
    """
    notebook = json.loads(path.read_text())
    cells = notebook["cells"]
    wanted = expected_cell(notebook)
    index = first_code_index(cells)
    tagged = [i for i, cell in enumerate(cells) if is_setup_cell(cell)]
    if tagged == [index] and cells[index] == wanted:
        return True
    if check:
        return False
    if tagged == [index]:
        cells[index] = wanted
    else:
        for i in reversed(tagged):
            del cells[i]
        # Right after the title and objectives: the first markdown cell.
        position = 1 if cells and cells[0]["cell_type"] == "markdown" else 0
        cells.insert(position, wanted)
    write_atomically(path, json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")
    return False


def write_atomically(path, text):
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(handle, "w") as stream:
        stream.write(text)
    os.replace(temporary, path)


def main(argv):
    check = "--check" in argv
    paths = [pathlib.Path(arg).resolve() for arg in argv if arg != "--check"]
    paths = paths or sorted((colab_setup.ROOT / "notebooks").glob("*.ipynb"))
    stale = [path for path in paths if not stamp(path, check)]
    for path in stale:
        verb = "has a missing or stale Colab setup cell" if check else "stamped"
        shown = path.relative_to(colab_setup.ROOT) if path.is_relative_to(colab_setup.ROOT) else path
        print(f"{shown}: {verb}")
    if check and stale:
        print("Run `make stamp` to regenerate the setup cells.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
