"""Run every check of the course and end with one summary line.

Usage: python tools/run_tests.py [STEP ...]   (default: all steps)

Each step is one command. Its output goes to .test-logs/STEP.log; a step that
fails has the end of its log printed. A step starts as soon as the steps it
needs have passed, so independent steps run side by side on this 2-core
machine. The chain notebooks -> book, which every later step waits for, has
the cores first: the steps beside it run niced (NICED), and the unit step waits
for the notebooks, to run beside the book build, which uses one core. The last line is "summary: N passed, N failed".

The chapters execute once for the reference environment: the notebooks step
(nbval) stores what it executed in the jupyter-cache that the book build reads
(`execute_notebooks: cache`), so the strict build renders those outputs
instead of running every chapter again, and so does the LaTeX build of the pdf
step. Run without the notebooks step (`make test-book`), the build folder is
emptied first and the book build executes every chapter itself.
"""

import os
import pathlib
import subprocess
import sys
import threading
import time

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
LOGS = ROOT / ".test-logs"
PYTHON = sys.executable
BIN = pathlib.Path(PYTHON).parent
CACHE = yaml.safe_load((ROOT / "_config.yml").read_text())["execute"]["cache"]


def step(*command, needs=(), after=()):
    """A step: its command, the steps it needs to have passed, and those it merely waits for (to share the cores)."""
    return {"command": list(command), "needs": set(needs), "after": set(after)}


STEPS = {
    # The same commands as `make check`; the last prints the course's shape and holds it to its budgets.
    "repository": step(
        "bash",
        "-c",
        f"{BIN}/nbstripout --verify --keep-id notebooks/*.ipynb && {BIN}/ruff format --check . && {BIN}/ruff check ."
        f" && {PYTHON} tools/course_stats.py --check",
    ),
    "unit": step(
        PYTHON,
        "-m",
        "pytest",
        "-q",
        "tests",
        "--ignore=tests/browser",
        "--ignore=tests/test_editions.py",
        "--ignore=tests/test_pdf.py",
        after=["notebooks"],
    ),
    # nbval runs every cell (and grades the plausible answers), two chapters at a time (pytest-xdist, a chapter's
    # cells in one kernel), in a build folder started afresh; it keeps what it executed for the book and the PDF.
    "notebooks": step(
        "bash",
        "-c",
        f"rm -rf _build && {PYTHON} -m pytest -q -n 2 --dist loadfile --nbval-lax notebooks --execution-cache {CACHE}",
    ),
    # The strict build (any warning fails) from the notebooks step's outputs; it writes the chapter editions too
    # (_ext/course_editions.py).
    "book": step(f"{BIN}/jupyter-book", "build", ".", "-W", "-n", "--keep-going", needs=["notebooks"]),
    # The PDF from the same outputs (no notebook runs again), in a folder of its own (its Sphinx environment is not
    # the HTML build's); copied into the site, then read back and compared with the HTML pages.
    "pdf": step(
        "bash",
        "-c",
        "make --no-print-directory pdf PDF_OUT=_build/pdf"
        f" && BOOK_LATEX_DIR=_build/pdf/_build/latex BOOK_HTML_DIR=_build/html {PYTHON} -m pytest -q tests/test_pdf.py",
        needs=["book"],
    ),
    # The chapter editions that the book step writes (tests/test_editions.py; nbgrader autograde).
    "editions": step(PYTHON, "-m", "pytest", "-q", "tests/test_editions.py", needs=["book"]),
    # The built pages in headless Chromium, and the reader editions in JupyterLab ...
    "browser": step(
        PYTHON, "-m", "pytest", "-q", "tests/browser", "--ignore=tests/browser/test_keyboard.py", needs=["book"]
    ),
    # ... and, beside them, the keyboard path (every Tab stop captured with and without focus).
    "keyboard": step(PYTHON, "-m", "pytest", "-q", "tests/browser/test_keyboard.py", needs=["book"]),
    # The Colab-like environments (noxfile.py) are built, or found current, while the chapters run ...
    "environments": step(f"{BIN}/nox", "-s", "colab", "--install-only"),
    # ... and each runs the reader editions that the book step writes, the two side by side.
    "colab-3.13": step(f"{BIN}/nox", "-s", "colab-3.13", needs=["book", "environments"]),
    "colab-3.12": step(f"{BIN}/nox", "-s", "colab-3.12", needs=["book", "environments"]),
}
# Niced: the steps that run beside the chain notebooks -> book. After the book every step runs at normal priority.
NICED = {"repository", "unit", "environments"}


def run_step(name, results, lock, started):
    LOGS.mkdir(exist_ok=True)
    log_path = LOGS / f"{name}.log"
    start = time.monotonic()
    with open(log_path, "w") as log:
        command = ["nice", "-n", "5", *STEPS[name]["command"]] if name in NICED else STEPS[name]["command"]
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=step_env())
        try:
            # wait4 gives the step's own CPU time (its processes and all they waited for), while others run beside it.
            _, wait_status, usage = os.wait4(process.pid, 0)
        except BaseException:  # interrupted: the step does not run on without us
            process.kill()
            raise
        code = process.returncode = os.waitstatus_to_exitcode(wait_status)
    seconds = time.monotonic() - start
    cpu = usage.ru_utime + usage.ru_stime
    with lock:
        results[name] = (code, seconds)
        status = "passed" if code == 0 else f"FAILED (exit {code})"
        print(
            f"{name:<12} {status:<18} {time.monotonic() - started:6.0f} s (end) {seconds:7.1f} s {cpu:7.1f} s CPU"
            f"   log: {log_path.relative_to(ROOT)}",
            flush=True,
        )
        if code != 0:
            lines = log_path.read_text(errors="replace").splitlines()
            print("\n".join(f"    | {line}" for line in lines[-60:]), flush=True)


def step_env():
    env = dict(os.environ)
    env.setdefault("PYTHONHASHSEED", "0")
    # The steps share two cores: one BLAS thread each avoids oversubscription.
    env.setdefault("OMP_NUM_THREADS", "1")
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    env.setdefault("MKL_NUM_THREADS", "1")
    return env


def main(argv):
    unknown = [name for name in argv if name not in STEPS]
    if unknown:
        print(f"unknown step(s) {unknown}; choose from {list(STEPS)}")
        return 2
    wanted = [name for name in STEPS if not argv or name in argv]
    if "book" in wanted and "notebooks" not in wanted:
        # No outputs of an earlier run: the book build executes every chapter. (The pdf step alone reads the book's
        # HTML and the cache as the last run left them.)
        subprocess.call(["rm", "-rf", "_build"], cwd=ROOT)
    results, lock = {}, threading.Lock()
    start = time.monotonic()

    def run_when_ready(name):
        for need in (STEPS[name]["needs"] | STEPS[name]["after"]) & set(wanted):
            done[need].wait()
        if all(results.get(need, (1,))[0] == 0 for need in STEPS[name]["needs"] & set(wanted)):
            run_step(name, results, lock, start)
        done[name].set()

    done = {name: threading.Event() for name in wanted}
    threads = [threading.Thread(target=run_when_ready, args=(name,)) for name in wanted]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    skipped = [name for name in wanted if name not in results]
    if skipped:
        print(f"not run, since a step they need failed: {', '.join(skipped)}")
    passed = sum(1 for code, _ in results.values() if code == 0)
    failed = len(wanted) - passed
    print(f"total time {time.monotonic() - start:.0f} s")
    print(f"summary: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
