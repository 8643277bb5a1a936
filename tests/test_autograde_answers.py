"""The autograded exercises grade the machine learning: right answers pass, plausible wrong ones fail.

For every chapter, tests/answers/NN_name.py holds, for each coding exercise (by its nbgrader id,
``ex-NN-name``), at least two right answers written differently from the worked solution and at
least three plausible wrong ones, each a piece of Python that defines the exercise's function.
The chapter runs once in a kernel, top to bottom. At each graded test cell, every answer in turn
replaces the student's function and the whole test cell runs, hidden tests included, as
``nbgrader autograde`` runs it; then the worked solution is put back and the chapter goes on.
A right answer must pass, a wrong one must fail.
"""

import ast
import importlib.util
import pathlib

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parent.parent
ANSWERS = ROOT / "tests" / "answers"
CHAPTERS = sorted(path.stem for path in (ROOT / "notebooks").glob("*.ipynb"))
MIN_RIGHT, MIN_WRONG = 2, 3


def answers_of(chapter):
    path = ANSWERS / f"{chapter}.py"
    spec = importlib.util.spec_from_file_location(f"answers_{chapter}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ANSWERS


def graded(cell):
    return cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade")


def solution(cell):
    return cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution")


def defined_names(cell):
    """The functions a solution cell defines: each answer starts without them."""
    return [node.name for node in ast.parse(cell.source).body if isinstance(node, ast.FunctionDef)]


def error_of(cell):
    errors = [output for output in cell.outputs if output.get("output_type") == "error"]
    return f"{errors[0]['ename']}: {errors[0]['evalue']}"[:300] if errors else None


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_right_answers_pass_and_wrong_answers_fail(chapter):
    notebook = nbformat.read(ROOT / "notebooks" / f"{chapter}.ipynb", as_version=4)
    exercises = {cell.metadata["nbgrader"]["grade_id"].removesuffix("-tests") for cell in notebook.cells if graded(cell)}
    answers = answers_of(chapter)
    assert set(answers) == exercises, f"answers for {sorted(answers)}, exercises {sorted(exercises)}"
    for exercise, kinds in answers.items():
        assert len(kinds["right"]) >= MIN_RIGHT and len(kinds["wrong"]) >= MIN_WRONG, exercise

    client = NotebookClient(notebook, timeout=300, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(ROOT / "notebooks")}})
    problems, last_solution = [], None
    solutions = {cell.metadata["nbgrader"]["grade_id"]: cell for cell in notebook.cells if solution(cell)}
    with client.setup_kernel():
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            if graded(cell):
                exercise = cell.metadata["nbgrader"]["grade_id"].removesuffix("-tests")
                for kind, expected in (("right", None), ("wrong", "an error")):
                    for name, source in answers[exercise][kind].items():
                        forget = "".join(f"globals().pop({n!r}, None)\n" for n in defined_names(solutions[exercise]))
                        trial = nbformat.v4.new_code_cell(forget + source + "\n")
                        client.execute_cell(trial, index)
                        if error_of(trial):
                            problems.append(f"{exercise} {kind} answer {name!r} does not run: {error_of(trial)}")
                            continue
                        test = nbformat.v4.new_code_cell(cell.source)
                        client.execute_cell(test, index)
                        failed = error_of(test)
                        if kind == "right" and failed:
                            problems.append(f"{exercise}: right answer {name!r} fails: {failed}")
                        if kind == "wrong" and not failed:
                            problems.append(f"{exercise}: wrong answer {name!r} passes")
                if last_solution is not None:  # the worked solution back in place, then the test cell as written
                    client.execute_cell(nbformat.v4.new_code_cell(last_solution.source), index)
            client.execute_cell(cell, index)
            if error_of(cell):
                problems.append(f"cell {index} of the chapter fails: {error_of(cell)}")
                break
            if solution(cell):
                last_solution = cell
    assert not problems, "\n".join(problems)
