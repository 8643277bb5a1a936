"""The nbval run of the chapters (`pytest --nbval-lax notebooks`) also grades the plausible answers.

With `--execution-cache PATH`, the run also keeps what it executed: a second client of nbval's kernel hears
every output the kernel publishes, and each chapter whose cells all pass is stored, with those outputs, in the
jupyter-cache at PATH. The book build (`execute_notebooks: cache` in _config.yml) takes the chapters from there
instead of executing them a second time.

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
import os
import pathlib
import queue
import time

import jupyter_client
import nbformat
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


def pytest_addoption(parser):
    parser.addoption(
        "--execution-cache",
        metavar="PATH",
        help="store each chapter whose cells all pass, with this run's outputs, in the jupyter-cache at PATH",
    )


def pytest_configure(config):
    if config.getoption("execution_cache") and not hasattr(config, "workerinput"):
        # Made once, before pytest-xdist's workers start, so that they only ever add to it.
        from jupyter_cache import get_cache

        get_cache(config.getoption("execution_cache")).list_cache_records()
    if config.getoption("execution_cache"):
        # The outputs are the book's: its interactive figures are made as the book build makes them
        # (_ext/interactive_figures.py), referring to the runtime the book serves instead of carrying it.
        from softmax_course import interactive

        os.environ[interactive.LIBRARY_ENV] = "book"


class Recorder:
    """A second client of nbval's kernel: it hears every message the kernel publishes on iopub."""

    def __init__(self, kernel):
        # A client of its own session: one sharing nbval's would take the replies meant for nbval.
        self.client = jupyter_client.BlockingKernelClient()
        self.client.load_connection_info(kernel.km.get_connection_info())
        self.client.start_channels(shell=True, iopub=True, stdin=False, hb=False)
        self.outputs, self.counts, self.displays = {}, {}, {}
        self.failed, self.start = False, time.monotonic()
        for _ in range(30):  # a subscriber hears nothing until it is connected: wait until it hears its own request
            try:
                reply = self.barrier(timeout=1)
                break
            except queue.Empty:
                continue
        else:
            raise RuntimeError("the recording client never heard the kernel")
        self.language_info = reply["content"]["language_info"]

    def barrier(self, timeout=TIMEOUT):
        """Every message the kernel published before now: those before the idle status of a request of ours."""
        msg_id = self.client.kernel_info()
        messages = []
        while True:
            message = self.client.get_iopub_msg(timeout=timeout)
            idle = message["msg_type"] == "status" and message["content"]["execution_state"] == "idle"
            if idle and message["parent_header"].get("msg_id") == msg_id:
                self.pending = messages
                return self.client.get_shell_msg(timeout=timeout)
            messages.append(message)

    def record(self, index, source):
        """Keep the outputs of code cell ``index``: the last run of ``source`` (graded answers run it first)."""
        self.barrier()
        runs = {}
        for message in self.pending:
            runs.setdefault(message["parent_header"].get("msg_id"), []).append(message)
        ours = [
            run
            for run in runs.values()
            if any(m["msg_type"] == "execute_input" and m["content"]["code"] == source for m in run)
        ]
        outputs = self.outputs[index] = []
        for message in ours[-1]:
            kind, content = message["msg_type"], message["content"]
            if kind in ("stream", "display_data", "execute_result", "error"):
                output = nbformat.v4.output_from_msg(message)
                if kind == "stream" and outputs and outputs[-1].get("name") == output.name:
                    outputs[-1].text += output.text  # as nbclient joins a stream
                    continue
                outputs.append(output)
                display_id = content.get("transient", {}).get("display_id")
                if display_id:
                    self.displays.setdefault(display_id, []).append(output)
            elif kind == "update_display_data":
                for output in self.displays.get(content.get("transient", {}).get("display_id"), []):
                    output.data, output.metadata = content["data"], content["metadata"]
            elif kind == "clear_output":
                outputs.clear()

    def store(self, path, cache_path):
        """Put the executed notebook into the jupyter-cache, as myst-nb's cache mode would after executing it."""
        from jupyter_cache import get_cache
        from jupyter_cache.base import CacheBundleIn

        notebook = nbformat.read(path, as_version=4)
        code = [i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code"]
        if sorted(self.outputs) != list(range(len(code))):  # nbval numbers the code cells from 0
            return
        for count, index in enumerate(code, start=1):
            notebook.cells[index].outputs, notebook.cells[index].execution_count = self.outputs[count - 1], count
            for output in self.outputs[count - 1]:
                if output.output_type == "execute_result":
                    output.execution_count = count
        notebook.metadata["language_info"] = self.language_info
        seconds = time.monotonic() - self.start
        bundle = CacheBundleIn(notebook, str(path), data={"execution_seconds": seconds})
        get_cache(cache_path).cache_notebook_bundle(bundle, check_validity=False, overwrite=True)


RECORDERS = {}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    cell = getattr(item, "cell", None)
    recording = cell is not None and item.config.getoption("execution_cache")
    if recording and item.parent not in RECORDERS:
        RECORDERS[item.parent] = Recorder(item.parent.kernel)
    problems = grade_answers(item) if cell is not None and nbgrader(cell).get("grade") else []
    try:
        result = yield  # nbval runs the test cell as written
        assert not problems, "\n".join(problems)
    except BaseException:
        if recording:
            RECORDERS[item.parent].failed = True
        raise
    if recording:
        RECORDERS[item.parent].record(item.cell_num, cell.source)
    return result


def pytest_runtest_teardown(item, nextitem):
    recorder = RECORDERS.get(item.parent)
    if recorder is None or (nextitem is not None and nextitem.parent is item.parent):
        return
    del RECORDERS[item.parent]
    if not recorder.failed:
        recorder.store(pathlib.Path(str(item.parent.fspath)), item.config.getoption("execution_cache"))
    recorder.client.stop_channels()
