"""The nbval run of the chapters (`pytest --nbval-lax notebooks`) also grades the plausible answers.

tests/answers/NN_name.py holds, for each coding exercise of chapter NN_name (by its nbgrader id), right
answers written differently from the worked solution and plausible wrong ones. When nbval reaches a graded
test cell, each answer in turn replaces the student's function in nbval's own kernel and the whole test cell
runs, hidden tests included, as `nbgrader autograde` runs it. A right answer must pass and a wrong one fail;
then the worked solution is put back and nbval runs the test cell as written. So each chapter executes once
for both checks. tests/test_autograde_answers.py checks, without running anything, that every exercise has
enough answers.
"""

import ast
import importlib.util
import pathlib

import pytest

ANSWERS = pathlib.Path(__file__).resolve().parent.parent / "tests" / "answers"
TIMEOUT = 300  # seconds per answer or test run


def nbgrader(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def answers_of(chapter):
    spec = importlib.util.spec_from_file_location(f"answers_{chapter}", ANSWERS / f"{chapter}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ANSWERS


def run(kernel, source):
    """Execute ``source`` in nbval's kernel; "ename: evalue" of its error, or None."""
    reply = kernel.kc.execute_interactive(source, timeout=TIMEOUT, output_hook=lambda message: None)
    content = reply["content"]
    return f"{content['ename']}: {content['evalue']}"[:300] if content["status"] == "error" else None


def grade_answers(item):
    """Problems found grading every answer to the exercise whose test cell ``item`` is."""
    notebook, chapter = item.parent.nb, pathlib.Path(str(item.parent.fspath)).stem
    exercise = nbgrader(item.cell)["grade_id"].removesuffix("-tests")
    solution = next(cell for cell in notebook.cells if nbgrader(cell).get("grade_id") == exercise)
    names = [node.name for node in ast.parse(solution.source).body if isinstance(node, ast.FunctionDef)]
    forget = "".join(f"globals().pop({name!r}, None)\n" for name in names)
    kernel, problems = item.parent.kernel, []
    for kind in ("right", "wrong"):
        for name, source in answers_of(chapter)[exercise][kind].items():
            error = run(kernel, forget + source)
            if error:
                problems.append(f"{exercise}: {kind} answer {name!r} does not run: {error}")
                continue
            failed = run(kernel, item.cell.source)
            if kind == "right" and failed:
                problems.append(f"{exercise}: right answer {name!r} fails: {failed}")
            if kind == "wrong" and not failed:
                problems.append(f"{exercise}: wrong answer {name!r} passes")
    error = run(kernel, forget + solution.source)  # the worked solution back in place
    if error:
        problems.append(f"{exercise}: the worked solution does not run again: {error}")
    return problems


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    cell = getattr(item, "cell", None)
    problems = grade_answers(item) if cell is not None and nbgrader(cell).get("grade") else []
    result = yield  # nbval runs the test cell as written
    assert not problems, "\n".join(problems)
    return result
