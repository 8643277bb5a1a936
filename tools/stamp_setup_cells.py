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

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import colab_setup  # noqa: E402


def expected_cell(notebook):
    cell = {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {"tags": [colab_setup.SETUP_TAG, "hide-input"]},
        "outputs": [],
        "source": colab_setup.setup_cell_source(colab_setup.notebook_needs_mxnet(notebook)).splitlines(
            keepends=True
        ),
    }
    if (notebook["nbformat"], notebook["nbformat_minor"]) >= (4, 5):
        cell["id"] = "colab-setup"  # a fixed id keeps re-stamping free of diffs
    return cell


def first_code_index(cells):
    return next((i for i, cell in enumerate(cells) if cell["cell_type"] == "code"), None)


def stamp(path, check):
    """Return True when the notebook at ``path`` already had the current setup cell."""
    notebook = json.loads(path.read_text())
    cells = notebook["cells"]
    wanted = expected_cell(notebook)
    index = first_code_index(cells)
    has_setup = index is not None and colab_setup.SETUP_TAG in cells[index]["metadata"].get("tags", [])
    if has_setup and cells[index] == wanted:
        return True
    if check:
        return False
    if has_setup:
        cells[index] = wanted
    else:
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
        print(f"{path.relative_to(colab_setup.ROOT)}: {verb}")
    if check and stale:
        print("Run `make stamp` to regenerate the setup cells.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
