"""Every autograded exercise has the plausible answers that the nbval run grades.

For every chapter, tests/answers/NN_name.py holds, for each coding exercise (by its nbgrader id,
``ex-NN-name``), at least two right answers written differently from the worked solution and at
least three plausible wrong ones, each a piece of Python that defines the exercise's function.
notebooks/conftest.py grades them while nbval runs the chapter (the "notebooks" step): right answers
must pass the whole test cell, hidden tests included, and wrong ones fail it. This file checks, without
running a chapter, that the answers are there for exactly the chapter's exercises and define its functions.
"""

import ast
import importlib.util
import pathlib

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
ANSWERS = ROOT / "tests" / "answers"
CHAPTERS = sorted(path.stem for path in (ROOT / "notebooks").glob("*.ipynb"))
MIN_RIGHT, MIN_WRONG = 2, 3


def answers_of(chapter):
    spec = importlib.util.spec_from_file_location(f"answers_{chapter}", ANSWERS / f"{chapter}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ANSWERS


def defined_functions(source):
    return {node.name for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)}


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_exercise_has_right_and_wrong_answers_defining_its_function(chapter):
    notebook = nbformat.read(ROOT / "notebooks" / f"{chapter}.ipynb", as_version=4)
    solutions = {
        cell.metadata["nbgrader"]["grade_id"]: cell
        for cell in notebook.cells
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution")
    }
    graded = {
        cell.metadata["nbgrader"]["grade_id"].removesuffix("-tests")
        for cell in notebook.cells
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade")
    }
    answers = answers_of(chapter)
    assert set(answers) == graded == set(solutions), f"answers {sorted(answers)}, exercises {sorted(graded)}"
    for exercise, kinds in answers.items():
        assert len(kinds["right"]) >= MIN_RIGHT and len(kinds["wrong"]) >= MIN_WRONG, exercise
        wanted = defined_functions(solutions[exercise].source)
        for kind, sources in kinds.items():
            for name, source in sources.items():
                assert wanted <= defined_functions(source), f"{exercise} {kind} answer {name!r} defines no {wanted}"
