"""Run every check of the course and end with one summary line.

Usage: python tools/run_tests.py [STEP ...]   (default: all steps, in order)

Each step is one command. Its output goes to .test-logs/STEP.log; a step that
fails has the end of its log printed. Steps in the same lane run one after the
other; the two lanes run side by side, since this is a 2-core machine and most
steps use one core. The last line is "summary: N passed, N failed".
"""

import os
import pathlib
import subprocess
import sys
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
LOGS = ROOT / ".test-logs"
PYTHON = sys.executable
BIN = pathlib.Path(PYTHON).parent

STEPS = {
    # The same two commands as `make check`; the last prints the course's shape and holds it to its budgets.
    "repository": [
        "bash",
        "-c",
        f"{BIN}/nbstripout --verify --keep-id notebooks/*.ipynb && {PYTHON} tools/course_stats.py --check",
    ],
    "unit": [
        PYTHON,
        "-m",
        "pytest",
        "-q",
        "tests",
        "--ignore=tests/browser",
        "--ignore=tests/test_editions.py",
        "--ignore=tests/test_pdf.py",
    ],
    "notebooks": [PYTHON, "-m", "pytest", "-q", "--nbval-lax", "notebooks"],
    # The HTML build writes the chapter editions too (_ext/course_editions.py).
    "book": ["bash", "-c", f"rm -rf _build && {BIN}/jupyter-book build . -W -n --keep-going"],
    # The chapter editions that the book step writes (tests/test_editions.py; nbgrader autograde).
    "editions": [PYTHON, "-m", "pytest", "-q", "tests/test_editions.py"],
    # The PDF from the book step's environment (no notebook runs again), copied into the site, then read back.
    "pdf": [
        "bash",
        "-c",
        f"make --no-print-directory pdf && BOOK_LATEX_DIR=_build/latex {PYTHON} -m pytest -q tests/test_pdf.py",
    ],
    "browser": [PYTHON, "-m", "pytest", "-q", "tests/browser"],
    "colab": [PYTHON, "tools/colab_env.py"],
}
# The browser and editions tests read the book that the "book" step builds, so they share a lane;
# "colab" runs the reader edition the book step writes, so it waits for the book (AFTER_BOOK).
LANES = [["repository", "unit", "notebooks", "colab"], ["book", "pdf", "editions", "browser"]]
AFTER_BOOK = {"colab"}
BOOK_DONE = threading.Event()


def run_step(name, results, lock):
    LOGS.mkdir(exist_ok=True)
    log_path = LOGS / f"{name}.log"
    start = time.monotonic()
    with open(log_path, "w") as log:
        code = subprocess.call(STEPS[name], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=step_env())
    seconds = time.monotonic() - start
    with lock:
        results[name] = (code, seconds)
        status = "passed" if code == 0 else f"FAILED (exit {code})"
        print(f"{name:<12} {status:<18} {seconds:7.1f} s   log: {log_path.relative_to(ROOT)}", flush=True)
        if code != 0:
            lines = log_path.read_text(errors="replace").splitlines()
            print("\n".join(f"    | {line}" for line in lines[-60:]), flush=True)


def step_env():
    env = dict(os.environ)
    env.setdefault("PYTHONHASHSEED", "0")
    # Two lanes share two cores: one BLAS thread each avoids oversubscription.
    env.setdefault("OMP_NUM_THREADS", "1")
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    env.setdefault("MKL_NUM_THREADS", "1")
    return env


def run_lane(steps, results, lock):
    for name in steps:
        if name in AFTER_BOOK:
            BOOK_DONE.wait()
            if results.get("book", (0,))[0] != 0:
                break
        run_step(name, results, lock)
        if name == "book":
            BOOK_DONE.set()
            if results[name][0] != 0:
                break


def main(argv):
    unknown = [name for name in argv if name not in STEPS]
    if unknown:
        print(f"unknown step(s) {unknown}; choose from {list(STEPS)}")
        return 2
    wanted = set(argv or STEPS)
    if "book" not in wanted:
        BOOK_DONE.set()
    lanes = [[name for name in lane if name in wanted] for lane in LANES]
    results, lock = {}, threading.Lock()
    start = time.monotonic()
    threads = [threading.Thread(target=run_lane, args=(lane, results, lock)) for lane in lanes if lane]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    skipped = sorted(wanted - set(results))
    if skipped:
        print(f"not run, since the book did not build: {', '.join(skipped)}")
    passed = sum(1 for code, _ in results.values() if code == 0)
    failed = len(wanted) - passed
    print(f"total time {time.monotonic() - start:.0f} s")
    print(f"summary: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
