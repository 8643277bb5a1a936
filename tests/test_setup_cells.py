"""The notebooks' Colab setup cells: current, generated from one template, doing exactly what is tested.

tools/colab_setup.py holds the template and the list of installs; tools/stamp_setup_cells.py writes
the cells; tools/colab_env.py installs the same list into the Colab-like test environments.
"""

import importlib.util
import json
import pathlib
import subprocess
import sys
import types

import nbformat
import pytest
import yaml

import colab_setup
import stamp_setup_cells

ROOT = pathlib.Path(__file__).resolve().parent.parent

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def test_every_notebook_has_the_current_setup_cell(path):
    assert stamp_setup_cells.stamp(path, check=True), (
        f"{path.name}: the Colab setup cell is missing, misplaced or stale; run `make stamp`"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def test_mxnet_is_installed_exactly_where_it_is_imported(path):
    notebook = json.loads(path.read_text())
    setup = next(cell for cell in notebook["cells"] if stamp_setup_cells.is_setup_cell(cell))
    imports_mxnet = any(
        cell["cell_type"] == "code"
        and not stamp_setup_cells.is_setup_cell(cell)
        and any(
            line.lstrip().startswith(("import mxnet", "from mxnet")) for line in "".join(cell["source"]).splitlines()
        )
        for cell in notebook["cells"]
    )
    assert ("mxnet==1.9.1" in "".join(setup["source"])) == imports_mxnet


def notebook_with(*sources):
    cells = [{"cell_type": "markdown", "metadata": {}, "source": "# Title\n\nimport mxnet"}]
    cells += [{"cell_type": "code", "metadata": {}, "source": source} for source in sources]
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}


@pytest.mark.parametrize(
    "sources, expected",
    [
        (["import numpy as np"], False),
        (["import numpy as np", "import mxnet as mx"], True),
        (["from mxnet import autograd, nd"], True),
        ([["x = 1\n", "from mxnet.gluon import nn\n"]], True),
        ([], False),  # a mention in markdown does not count
    ],
)
def test_notebook_needs_mxnet(sources, expected):
    assert colab_setup.notebook_needs_mxnet(notebook_with(*sources)) is expected


def test_the_setup_cell_itself_does_not_count_as_importing_mxnet():
    notebook = notebook_with("import numpy")
    notebook["cells"].insert(1, stamp_setup_cells.expected_cell(notebook_with("import mxnet")))
    assert not colab_setup.notebook_needs_mxnet(notebook)


def test_the_package_comes_from_the_repository_in_config():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    url, branch = config["repository"]["url"], config["repository"].get("branch", "main")
    assert colab_setup.course_package_spec() == f"softmax-course @ git+{url}@{branch}"
    assert f"git+{url}@{branch}" in colab_setup.setup_cell_source(needs_mxnet=False)


def test_mxnet_is_installed_without_its_dependencies():
    # mxnet 1.9.1 declares numpy < 2: with its dependencies, pip would downgrade Colab's numpy.
    assert colab_setup.pip_installs(True, "pkg") == [["pkg"], ["--no-deps", "mxnet==1.9.1"]]
    assert colab_setup.pip_installs(False, "pkg") == [["pkg"]]


def run_cell(source, monkeypatch, in_colab):
    calls = []

    def fake_run(command, **kwargs):
        calls.append((list(command), kwargs))
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(subprocess, "run", fake_run)
    if in_colab:
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    exec(compile(source, "<setup cell>", "exec"), {})
    return calls


@pytest.mark.parametrize("needs_mxnet", [False, True])
def test_outside_colab_with_the_package_installed_the_cell_does_nothing(needs_mxnet, monkeypatch, capsys):
    assert run_cell(colab_setup.setup_cell_source(needs_mxnet), monkeypatch, in_colab=False) == []
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("needs_mxnet, needs_torch", [(False, False), (True, False), (False, True)])
def test_outside_colab_without_the_package_the_cell_says_in_one_line_what_to_install(
    needs_mxnet, needs_torch, monkeypatch, capsys
):
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "softmax_course" else real_find_spec(name, *a)
    )
    assert run_cell(colab_setup.setup_cell_source(needs_mxnet, needs_torch), monkeypatch, in_colab=False) == []
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 1 and f'pip install "{colab_setup.course_package_spec()}"' in printed[0]
    assert ("--no-deps mxnet==1.9.1" in printed[0]) is needs_mxnet
    assert (" torch" in printed[0]) is needs_torch


@pytest.mark.parametrize("needs_mxnet", [False, True])
def test_in_colab_the_cell_runs_exactly_the_listed_installs(needs_mxnet, monkeypatch):
    calls = run_cell(colab_setup.setup_cell_source(needs_mxnet), monkeypatch, in_colab=True)
    expected = [
        [sys.executable, "-m", "pip", "install", "--quiet", *args]
        for args in colab_setup.pip_installs(needs_mxnet, colab_setup.course_package_spec())
    ]
    assert [command for command, _ in calls] == expected
    assert all(kwargs.get("check") is True for _, kwargs in calls)  # a failed install stops the cell


def write(path, cells):
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for index, cell in enumerate(notebook.cells):
        cell.id = f"c{index}"
    nbformat.write(notebook, path)
    return path


def cells_of(path):
    return json.loads(path.read_text())["cells"]


def test_stamp_inserts_after_the_title_then_leaves_the_notebook_alone(tmp_path):
    path = write(
        tmp_path / "nb.ipynb", [nbformat.v4.new_markdown_cell("# T"), nbformat.v4.new_code_cell("import mxnet")]
    )
    assert stamp_setup_cells.stamp(path, check=True) is False
    assert len(cells_of(path)) == 2  # --check writes nothing
    assert stamp_setup_cells.stamp(path, check=False) is False
    cells = cells_of(path)
    assert [cell["cell_type"] for cell in cells] == ["markdown", "code", "code"]
    assert cells[1]["id"] == "colab-setup" and "mxnet==1.9.1" in "".join(cells[1]["source"])
    before = path.read_text()
    assert stamp_setup_cells.stamp(path, check=False) is True
    assert stamp_setup_cells.stamp(path, check=True) is True
    assert path.read_text() == before


def test_stamp_replaces_a_stale_cell_and_drops_misplaced_ones(tmp_path):
    path = write(tmp_path / "nb.ipynb", [nbformat.v4.new_markdown_cell("# T"), nbformat.v4.new_code_cell("x = 1")])
    stamp_setup_cells.stamp(path, check=False)
    notebook = json.loads(path.read_text())
    notebook["cells"][1]["source"] = ["# an old version of the cell\n"]
    notebook["cells"].insert(0, dict(notebook["cells"][1], id="dup"))  # a misplaced copy above the title
    path.write_text(json.dumps(notebook))
    assert stamp_setup_cells.stamp(path, check=True) is False
    stamp_setup_cells.stamp(path, check=False)
    cells = cells_of(path)
    assert [stamp_setup_cells.is_setup_cell(cell) for cell in cells] == [False, True, False]
    assert cells[1] == stamp_setup_cells.expected_cell(json.loads(path.read_text()))
    assert "mxnet" not in "".join(cells[1]["source"])


def test_check_command_fails_on_a_stale_notebook(tmp_path, capsys):
    path = write(tmp_path / "nb.ipynb", [nbformat.v4.new_markdown_cell("# T"), nbformat.v4.new_code_cell("x = 1")])
    assert stamp_setup_cells.main(["--check", str(path)]) == 1
    assert "make stamp" in capsys.readouterr().out
    assert stamp_setup_cells.main([str(path)]) == 0
    assert stamp_setup_cells.main(["--check", str(path)]) == 0
