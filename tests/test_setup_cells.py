"""The Colab setup cell: made by the build from _config.yml, first in every edition, doing exactly what is tested.

_ext/colab_setup.py holds the template and the list of installs; the HTML build puts the cell into every edition
(_ext/course_editions.py, checked on the built editions by tests/test_editions.py); noxfile.py installs the
same list into the Colab-like test environments.
"""

import importlib.util
import pathlib
import subprocess
import sys
import types

import nbformat
import pytest

import colab_setup

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SPEC = "softmax-course @ git+https://example.org/course@0123abc"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def test_no_notebook_carries_a_setup_cell_of_its_own(path):
    """The cell has one home, the build: a copy in a notebook would go stale."""
    cells = nbformat.read(path, as_version=4).cells
    assert not [cell for cell in cells if colab_setup.SETUP_TAG in cell.metadata.get("tags", [])]


def notebook_with(*sources, minor=5):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title\n\nimport mxnet")])
    notebook.nbformat_minor = minor
    notebook.cells += [nbformat.v4.new_code_cell(source) for source in sources]
    return notebook


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
def test_mxnet_is_installed_exactly_where_it_is_imported(sources, expected):
    assert colab_setup.notebook_imports(notebook_with(*sources), "mxnet") is expected
    assert ("mxnet==1.9.1" in colab_setup.setup_cell(notebook_with(*sources), SPEC).source) is expected


def test_the_setup_cell_itself_does_not_count_as_importing_mxnet():
    notebook = notebook_with("import numpy")
    notebook.cells.insert(1, colab_setup.setup_cell(notebook_with("import mxnet"), SPEC))
    assert not colab_setup.notebook_imports(notebook, "mxnet")


def test_the_cell_is_tagged_folded_and_has_a_fixed_id_where_the_format_has_ids():
    cell = colab_setup.setup_cell(notebook_with("x = 1"), SPEC)
    assert cell.metadata["tags"] == [colab_setup.SETUP_TAG, "hide-input"] and cell.id == colab_setup.SETUP_TAG
    assert f'"{SPEC}"' in cell.source
    assert "id" not in colab_setup.setup_cell(notebook_with("x = 1", minor=4), SPEC)


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
    assert run_cell(colab_setup.setup_cell_source(needs_mxnet, False, SPEC), monkeypatch, in_colab=False) == []
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("needs_mxnet, needs_torch", [(False, False), (True, False), (False, True)])
def test_outside_colab_without_the_package_the_cell_says_in_one_line_what_to_install(
    needs_mxnet, needs_torch, monkeypatch, capsys
):
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "softmax_course" else real_find_spec(name, *a)
    )
    assert run_cell(colab_setup.setup_cell_source(needs_mxnet, needs_torch, SPEC), monkeypatch, in_colab=False) == []
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 1 and f'pip install "{SPEC}"' in printed[0]
    assert ("--no-deps mxnet==1.9.1" in printed[0]) is needs_mxnet
    assert (" torch" in printed[0]) is needs_torch


@pytest.mark.parametrize("needs_mxnet", [False, True])
def test_in_colab_the_cell_runs_exactly_the_listed_installs(needs_mxnet, monkeypatch):
    calls = run_cell(colab_setup.setup_cell_source(needs_mxnet, False, SPEC), monkeypatch, in_colab=True)
    expected = [
        [sys.executable, "-m", "pip", "install", "--quiet", *args]
        for args in colab_setup.pip_installs(needs_mxnet, SPEC)
    ]
    assert [command for command, _ in calls] == expected
    assert all(kwargs.get("check") is True for _, kwargs in calls)  # a failed install stops the cell
