"""Run every chapter's reader edition with nbval in Colab-like environments (Python 3.13 and 3.12, numpy 2).

Usage: python tools/colab_env.py [--serial] [--rebuild] [--only NAME] [--freeze] [--prepare] [--editions DIR]

For each environment of ENVS this
1. finds the interpreter (see find_python: an override variable such as
   COLAB_PYTHON313, then pyenv, then PATH); a missing one fails the run with a
   message saying how to install it;
2. builds a virtual environment in .venvs/NAME holding Colab's versions of the
   packages the course uses plus the test tooling, all pinned in
   tools/colab-requirements-X.Y.txt, installed with uv from its cache of unpacked
   wheels (torch's CUDA libraries are unpacked once). The environment is reused while its stamp
   file (.venvs/NAME/colab-spec.json) matches the interpreter and that file;
3. installs exactly what the notebooks' Colab setup cell installs
   (_ext/colab_setup.pip_installs), with the course package built from a copy
   of the local checkout instead of the repository URL, as pip would from git;
   then checks that this left Colab's own packages (numpy, matplotlib, ...)
   untouched, i.e. that Colab needs no runtime restart;
4. runs `python -m pytest -q -p no:cacheprovider --nbval-lax --nbval-current-env EDITIONS` on the
   chapters' *reader edition* (what Colab's button opens), which the HTML build writes
   (_ext/course_editions.py): EDITIONS is _build/html/editions/reader/ (--editions to change; `make book` first).

The environments run side by side (--serial: one after the other); their
output lines are prefixed with the environment's name. The last lines give one
result per environment; the exit code is 1 when any failed.

--prepare does steps 1-2 only, so the test command can build the environments
while the chapters run, before the book exists.

--freeze rebuilds the requirement files from the top-level pins in ENVS (after a
deliberate change of Colab's versions) instead of testing.
"""

import argparse
import dataclasses
import fcntl
import hashlib
import importlib.util
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _load(path):
    """A module by its file path, without putting its folder on sys.path."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


colab_setup = _load(ROOT / "_ext" / "colab_setup.py")  # what the setup cell installs, as the build writes it

VENVS = ROOT / ".venvs"
UV = pathlib.Path(sys.executable).parent / "uv"
TOOLS = ROOT / "tools"
STAMP_NAME = "colab-spec.json"
# Test tooling, the same in every environment (not part of Colab's image except
# requests, which Colab has and mxnet needs since it is installed --no-deps).
TOOLING = ["nbval==0.11.0", "pytest", "ipykernel", "requests"]
NBVAL = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax", "--nbval-current-env"]
# The notebooks tested: the reader edition, as Colab opens it (the HTML build writes it, _ext/course_editions.py).
EDITIONS = ROOT / "_build" / "html" / "editions" / "reader"
# Not copied when the course package is built from the checkout: what a
# `git clone` would not hold either.
COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", ".venvs", "_build", ".test-logs", ".pytest_cache", "__pycache__", "*.egg-info", "build"
)


@dataclasses.dataclass(frozen=True)
class ColabEnv:
    name: str
    python: str  # "3.13"
    colab: tuple  # Colab's versions of the packages the course imports
    note: str = ""

    @property
    def requirements(self):
        return TOOLS / f"colab-requirements-{self.python}.txt"

    @property
    def path(self):
        return VENVS / self.name

    @property
    def bin(self):
        return self.path / "bin"


ENVS = [
    ColabEnv(
        "colab-3.13",
        "3.13",
        # torch: the newest upgrade Colab was asked for (googlecolab/colabtools issue 6093, 2026-09-03). It needs
        # setuptools >= 77.0.3, so Colab's setuptools moved with it: the one torch brings is taken.
        ("numpy==2.1.3", "matplotlib==3.10.0", "scikit-learn==1.6.1", "torch==2.14.0"),
        "Colab today",
    ),
    ColabEnv(
        "colab-3.12",
        "3.12",
        # Colab's earlier image; it always had scikit-learn, at 1.6.1 too.
        # torch: the upgrade before (googlecolab/colabtools issue 6053, 2026-07-09).
        ("numpy==2.0.2", "matplotlib==3.10.0", "scikit-learn==1.6.1", "torch==2.13.0"),
        "Colab's earlier image",
    ),
]


def shown(path):
    """``path`` relative to the checkout when it is inside it, for messages."""
    path = pathlib.Path(path)
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


class Failure(Exception):
    """A step failed; the message says which and what to do."""


# --------------------------------------------------------------------------- interpreters


def interpreter_version(path):
    """The "X.Y.Z" of the Python at ``path``, or None when it does not run (e.g. a refusing pyenv shim)."""
    try:
        result = subprocess.run(
            [str(path), "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    version = result.stdout.strip()
    return version if result.returncode == 0 and re.fullmatch(r"\d+\.\d+\.\d+", version) else None


def pyenv_root():
    root = os.environ.get("PYENV_ROOT")
    if root:
        return pathlib.Path(root)
    pyenv = shutil.which("pyenv")
    if pyenv:
        result = subprocess.run([pyenv, "root"], capture_output=True, text=True)
        if result.returncode == 0 and result.stdout.strip():
            return pathlib.Path(result.stdout.strip())
    default = pathlib.Path.home() / ".pyenv"
    return default if default.is_dir() else None


def candidate_interpreters(minor):
    """Paths that may hold a Python ``minor`` ("3.13"), most specific first."""
    variable = "COLAB_PYTHON" + minor.replace(".", "")
    if os.environ.get(variable):
        return [pathlib.Path(os.environ[variable])], variable
    candidates = []
    root = pyenv_root()
    if root:
        versions = sorted(
            (root / "versions").glob(f"{minor}.*"),
            key=lambda p: [int(x) if x.isdigit() else -1 for x in p.name.split(".")],
            reverse=True,
        )
        candidates += [
            v / "bin" / f"python{minor}" for v in versions if re.fullmatch(rf"{re.escape(minor)}\.\d+", v.name)
        ]
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        path = pathlib.Path(directory) / f"python{minor}"
        if path.is_file() and os.access(path, os.X_OK):
            candidates.append(path)
    return candidates, variable


def find_python(minor):
    """An interpreter for Python ``minor`` that runs, as (path, "X.Y.Z").

    Looks at $COLAB_PYTHON313 (for "3.13"; the only place looked at when set),
    then $(pyenv root)/versions/3.13.*/bin/python3.13 (newest first), then
    python3.13 on PATH. Each candidate is run once: a pyenv shim that refuses
    does not count.

    Raises Failure naming what was tried and how to install one.
    """
    candidates, variable = candidate_interpreters(minor)
    for path in candidates:
        version = interpreter_version(path)
        if version and version.rsplit(".", 1)[0] == minor:
            return path, version
    tried = ", ".join(str(p) for p in candidates) or "nothing found"
    raise Failure(
        f"no working Python {minor} (tried: {tried}). Install one, e.g. `pyenv install {minor}` "
        f"or your system's python{minor} package with its venv module, or point {variable} at its interpreter."
    )


# --------------------------------------------------------------------------- running commands


class Printer:
    """Prints lines with a prefix, whole lines at a time across threads."""

    lock = threading.Lock()

    def __init__(self, prefix):
        self.prefix = prefix

    def __call__(self, line):
        with self.lock:
            print(f"[{self.prefix}] {line}", flush=True)


def run(command, say, cwd=ROOT, env=None, check=True):
    """Run ``command``, passing each output line to ``say``; return the exit code."""
    say("$ " + " ".join(str(part) for part in command))
    start = time.monotonic()
    process = subprocess.Popen(
        [str(part) for part in command],
        cwd=cwd,
        env=env or command_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    )
    for line in process.stdout:
        line = line.rstrip("\n")
        # pip's complaints about this machine's local package mirror: noise.
        if "is ignored: it is neither a file nor a directory" in line:
            continue
        say(line)
    code = process.wait()
    say(f"  ({time.monotonic() - start:.1f} s, exit code {code})")
    if check and code != 0:
        raise Failure(f"command failed with exit code {code}: {' '.join(str(p) for p in command)}")
    return code


def command_env():
    env = dict(os.environ)
    for name in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYENV_VERSION"):
        env.pop(name, None)
    env.setdefault("PYTHONHASHSEED", "0")
    # Two environments may run side by side on two cores: one thread each.
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(name, "1")
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


# --------------------------------------------------------------------------- building


def read_requirements(path):
    if not path.exists():
        raise Failure(f"{shown(path)} is missing: run `python tools/colab_env.py --freeze`")
    return path.read_text()


def spec_of(env, interpreter, version):
    requirements = read_requirements(env.requirements)
    return {
        "python": version,
        "interpreter": str(interpreter),
        "requirements": env.requirements.name,
        "requirements_sha256": hashlib.sha256(requirements.encode()).hexdigest(),
    }


def create_venv(env, interpreter, say):
    if env.path.exists():
        shutil.rmtree(env.path)
    # The interpreter's own pip, not upgraded: the same pip on every rebuild.
    run([interpreter, "-m", "venv", env.path], say)


def build_base(env, interpreter, version, say, rebuild):
    """Create or reuse the environment with Colab's packages; True when (re)built."""
    spec = spec_of(env, interpreter, version)
    stamp = env.path / STAMP_NAME
    if not rebuild and stamp.exists() and (env.bin / "python").exists():
        try:
            if json.loads(stamp.read_text()) == spec:
                say(f"reusing {shown(env.path)} (same interpreter and {env.requirements.name})")
                return False
        except json.JSONDecodeError:
            pass
    say(f"building {shown(env.path)} with Python {version} ({interpreter})")
    stamp.unlink(missing_ok=True)
    create_venv(env, interpreter, say)
    # uv (pinned in requirements.txt) installs Colab's packages: it keeps one unpacked copy of each wheel in its
    # cache and hard-links it into every environment, so torch's CUDA libraries (about 5 GB) are unpacked once
    # for both environments and for every later rebuild. pip installs what the setup cell installs (see below).
    run(
        [
            UV,
            "pip",
            "install",
            "--quiet",
            "--python",
            env.bin / "python",
            "--only-binary",
            ":all:",
            "-r",
            env.requirements,
        ],
        say,
    )
    stamp.write_text(json.dumps(spec, indent=1) + "\n")
    return True


def copy_checkout(destination):
    """Copy the course checkout as a fresh `git clone` would hold it."""
    shutil.copytree(ROOT, destination, ignore=COPY_IGNORE, symlinks=True)
    return destination


def installed_versions(env, names):
    code = "import importlib.metadata as m, json, sys\nprint(json.dumps({n: m.version(n) for n in sys.argv[1:]}))"
    result = subprocess.run(
        [str(env.bin / "python"), "-c", code, *names], capture_output=True, text=True, env=command_env()
    )
    if result.returncode != 0:
        raise Failure(f"could not read installed versions: {result.stderr.strip()}")
    return json.loads(result.stdout)


def install_like_colab(env, say):
    """Install what the setup cell installs in Colab, the course package from the checkout."""
    python = env.bin / "python"
    # A reused environment holds last run's copy of the package: start as Colab does, without it.
    run([python, "-m", "pip", "uninstall", "--quiet", "--yes", "softmax-course"], say, check=False)
    pinned = dict(requirement.split("==") for requirement in env.colab)
    with tempfile.TemporaryDirectory(prefix=f"{env.name}-checkout-") as scratch:
        checkout = copy_checkout(pathlib.Path(scratch) / "softmax-regression")
        for args in colab_setup.pip_installs(needs_mxnet=True, package_spec=str(checkout)):
            # The same command as the setup cell's pip_install(*args).
            run([python, "-m", "pip", "install", "--quiet", *args], say)
    after = installed_versions(env, list(pinned))
    changed = {name: (pinned[name], after[name]) for name in pinned if after[name] != pinned[name]}
    if changed:
        raise Failure(
            "the setup cell's installs changed Colab's own packages (Colab would need a runtime restart): "
            + ", ".join(f"{name} {old} -> {new}" for name, (old, new) in changed.items())
        )
    # The kernel must import the installed copy, not the checkout.
    where = subprocess.run(
        [str(python), "-c", "import softmax_course; print(softmax_course.__file__)"],
        cwd=ROOT / "notebooks",
        capture_output=True,
        text=True,
        env=command_env(),
    )
    if where.returncode != 0 or str(env.path) not in where.stdout:
        raise Failure(f"softmax_course is not imported from {env.path}: {where.stdout.strip()} {where.stderr.strip()}")
    say(f"softmax_course installed at {where.stdout.strip()}; Colab's packages unchanged: {after}")


@dataclasses.dataclass
class Result:
    env: ColabEnv
    ok: bool = False
    message: str = ""
    python: str = "?"
    built: bool = False
    env_seconds: float = 0.0
    nbval_seconds: float = 0.0
    prepared_only: bool = False

    def line(self):
        status = "passed" if self.ok else "FAILED"
        how = "built" if self.built else "reused"
        timing = f"env {self.env_seconds:.0f} s ({how}), " + (
            "no notebook run" if self.prepared_only else f"nbval {self.nbval_seconds:.0f} s"
        )
        text = f"{self.env.name}: {status} (Python {self.python}, {', '.join(self.env.colab)}; {timing})"
        return text + (f": {self.message}" if self.message else "")


def test_env(env, rebuild, editions=EDITIONS, prepare=False):
    say = Printer(env.name)
    result = Result(env)
    # One run at a time per environment: a second `make test-colab` waits here.
    with open(VENVS / f"{env.name}.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say("waiting for another run that uses this environment")
            fcntl.flock(lock, fcntl.LOCK_EX)
        return _test_env(env, rebuild, say, result, editions, prepare)


def _test_env(env, rebuild, say, result, editions=EDITIONS, prepare=False):
    start = time.monotonic()
    try:
        notebooks = sorted(pathlib.Path(editions).glob("*.ipynb"))
        if not notebooks and not prepare:
            raise Failure(f"no reader-edition notebooks in {shown(editions)}: build the book first (`make book`)")
        interpreter, result.python = find_python(env.python)
        result.built = build_base(env, interpreter, result.python, say, rebuild)
        if prepare:  # the environment only, before the book is built
            result.env_seconds, result.ok, result.prepared_only = time.monotonic() - start, True, True
            return result
        install_like_colab(env, say)
        result.env_seconds = time.monotonic() - start
        start = time.monotonic()
        code = run([env.bin / "python", *NBVAL, *notebooks], say, check=False)
        result.nbval_seconds = time.monotonic() - start
        result.ok = code == 0
        if not result.ok:
            result.message = f"nbval exit code {code}"
    except Failure as failure:
        result.env_seconds = result.env_seconds or time.monotonic() - start
        result.message = str(failure)
        say("ERROR: " + result.message)
    return result


# --------------------------------------------------------------------------- freezing


def freeze(env):
    """Rewrite env.requirements from Colab's versions and the tooling, resolved today."""
    say = Printer(env.name)
    interpreter, version = find_python(env.python)
    with tempfile.TemporaryDirectory(prefix=f"{env.name}-freeze-") as scratch:
        venv = pathlib.Path(scratch) / "venv"
        run([interpreter, "-m", "venv", venv], say)
        run(
            [venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--only-binary=:all:", *env.colab, *TOOLING],
            say,
        )
        frozen = subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "freeze", "--all"], capture_output=True, text=True, check=True
        ).stdout
    lines = sorted(
        (line for line in frozen.splitlines() if line and not line.startswith(("pip==", "-e "))), key=str.lower
    )
    header = [
        f"# {env.name}: Google Colab's versions ({env.note}: Python {env.python}, {', '.join(env.colab)})",
        f"# plus the test tooling ({', '.join(TOOLING)}), resolved with Python {version}.",
        "# Generated by `python tools/colab_env.py --freeze`; edit ENVS in tools/colab_env.py, not this file.",
    ]
    env.requirements.write_text("\n".join(header + lines) + "\n")
    say(f"wrote {shown(env.requirements)} ({len(lines)} packages)")


# --------------------------------------------------------------------------- main


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serial", action="store_true", help="one environment after the other")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the environments even when current")
    parser.add_argument("--only", choices=[env.name for env in ENVS], action="append", help="just this environment")
    parser.add_argument("--freeze", action="store_true", help="regenerate tools/colab-requirements-*.txt")
    parser.add_argument("--prepare", action="store_true", help="build or check the environments only (no book needed)")
    parser.add_argument("--editions", type=pathlib.Path, default=EDITIONS, help="the reader-edition notebooks to test")
    args = parser.parse_args(argv)
    envs = [env for env in ENVS if not args.only or env.name in args.only]
    if args.freeze:
        for env in envs:
            freeze(env)
        return 0
    VENVS.mkdir(exist_ok=True)
    start = time.monotonic()
    results = {}

    def work(env):
        results[env.name] = test_env(env, args.rebuild, args.editions.resolve(), args.prepare)

    if args.serial or len(envs) == 1:
        for env in envs:
            work(env)
    else:
        threads = [threading.Thread(target=work, args=(env,)) for env in envs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    print(f"Colab-like environments, {time.monotonic() - start:.0f} s in all:")
    for env in envs:
        print(results[env.name].line())
    return 0 if all(results[env.name].ok for env in envs) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
