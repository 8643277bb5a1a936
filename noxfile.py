"""The Colab-like environments (nox): every chapter's reader edition under nbval with Google Colab's versions.

    nox -s colab                   # both environments (`make test` runs them side by side, one step each)
    nox -s colab-3.13              # one of them
    nox -s colab --install-only    # build them, or find them current, without running anything
    nox -s freeze                  # rewrite tools/colab-requirements-X.Y.txt after Colab changes versions

Each environment (in .venvs/) holds exactly the packages of tools/colab-requirements-X.Y.txt: Colab's versions of
what the course imports (COLAB) and the test tooling, installed by uv from its cache. Then pip installs what the
chapters' Colab setup cell installs (_ext/colab_setup.py), the course package built from a copy of this checkout
instead of the repository's URL, and the session checks that Colab's own packages are unchanged (Colab would need
no runtime restart). Last, nbval runs the reader editions that the HTML build writes (`make book` first).

The interpreters are found by nox: on PATH, or through pyenv (.python-version names the versions the course uses).
"""

import importlib.util
import json
import pathlib
import shutil
import tempfile

import nox

ROOT = pathlib.Path(__file__).resolve().parent
EDITIONS = ROOT / "_build" / "html" / "editions" / "reader"
# Colab's versions of the packages the course imports (its own dependencies tqdm and platformdirs included), per
# Python version of Colab's images. numpy, matplotlib, scikit-learn, tqdm and platformdirs (and pip, below) are those
# of Colab's published pip freeze (googlecolab/backend-info, pip-freeze.txt): commit a724079 of 2026-08-19, "Upgrade to
# Python 3.13", for 3.13, and its parent 1764c36 (Python 3.12.13) for 3.12.
COLAB = {
    # Colab today. torch: the newest upgrade Colab was asked for (googlecolab/colabtools issue 6093, 2026-09-03).
    "3.13": (
        "numpy==2.1.3",
        "matplotlib==3.10.0",
        "scikit-learn==1.6.1",
        "torch==2.14.0",
        "tqdm==4.67.3",
        "platformdirs==4.11.3",
    ),
    # Colab's earlier image. torch: the upgrade before (issue 6053, 2026-07-09).
    "3.12": (
        "numpy==2.0.2",
        "matplotlib==3.10.0",
        "scikit-learn==1.6.1",
        "torch==2.13.0",
        "tqdm==4.67.3",
        "platformdirs==4.11.3",
    ),
}
# The same in every environment; Colab has them too (requests: mxnet needs it, installed --no-deps; pip, Colab's, is
# the setup cell's installer).
TOOLING = ("nbval==0.11.0", "pytest", "ipykernel", "requests", "pip==24.1.2")
# What a `git clone` would not hold either.
NOT_IN_A_CLONE = shutil.ignore_patterns(
    ".git",
    ".venv",
    ".venvs",
    "_build",
    ".test-logs",
    ".pytest_cache",
    "__pycache__",
    "*.egg-info",
    "build",
    "node_modules",
)

nox.options.envdir = ".venvs"
nox.options.sessions = ["colab"]
nox.options.default_venv_backend = "uv"


def requirements(python):
    return ROOT / "tools" / f"colab-requirements-{python}.txt"


def load_colab_setup():
    """_ext/colab_setup.py, what the setup cell installs (an extension of the book, not a package)."""
    spec = importlib.util.spec_from_file_location("colab_setup", ROOT / "_ext" / "colab_setup.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def install_like_colab(session, checkout):
    """pip installs what the setup cell installs; Colab's own packages must stay as they are."""
    for args in load_colab_setup().pip_installs(needs_mxnet=True, package_spec=str(checkout)):
        session.run("python", "-m", "pip", "install", "--quiet", *args)  # the setup cell's pip_install(*args)
    pinned = dict(requirement.split("==") for requirement in COLAB[session.python])
    code = "import importlib.metadata as m, json, sys; print(json.dumps({n: m.version(n) for n in sys.argv[1:]}))"
    after = json.loads(session.run("python", "-c", code, *pinned, silent=True).strip().splitlines()[-1])
    changed = [f"{name} {pinned[name]} -> {after[name]}" for name in pinned if after[name] != pinned[name]]
    if changed:
        session.error(
            "the setup cell's installs changed Colab's own packages (a runtime restart): " + ", ".join(changed)
        )
    session.log(f"Colab's own packages unchanged: {after}")


@nox.session(python=list(COLAB), reuse_venv=True)
def colab(session):
    """Reader editions under nbval in a Colab-like environment."""
    # sync: exactly the file's packages, so last run's course package and mxnet are gone, as in a fresh Colab.
    session.run_install("uv", "pip", "sync", "--quiet", "--only-binary", ":all:", str(requirements(session.python)))
    if session.run("python", "--version") is None:  # --install-only: the environment, not the test
        return
    notebooks = sorted(EDITIONS.glob("*.ipynb"))
    if not notebooks:
        session.error(f"no reader editions in {EDITIONS.relative_to(ROOT)}: build the book first (`make book`)")
    session.env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    with tempfile.TemporaryDirectory(prefix="colab-checkout-") as scratch:
        checkout = pathlib.Path(scratch) / "softmax-regression"
        shutil.copytree(ROOT, checkout, ignore=NOT_IN_A_CLONE, symlinks=True)
        install_like_colab(session, checkout)
    with session.chdir(ROOT / "notebooks"):  # the kernel imports the installed copy, not the checkout's
        where = session.run("python", "-c", "import softmax_course; print(softmax_course.__file__)", silent=True)
    if session.virtualenv.location not in where:
        session.error(f"softmax_course is imported from {where.strip()}, not from the environment")
    session.log(f"the kernel imports softmax_course from {where.strip()}")
    session.run(
        "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax", "--nbval-current-env", *notebooks
    )


@nox.session(python=list(COLAB))
def freeze(session):
    """Rewrite tools/colab-requirements-X.Y.txt: Colab's versions and the tooling, resolved today."""
    session.install("--only-binary", ":all:", *COLAB[session.python], *TOOLING)
    frozen = session.run("uv", "pip", "freeze", silent=True).splitlines()
    version = session.run("python", "-c", "import platform; print(platform.python_version())", silent=True).strip()
    header = [
        f"# Google Colab's versions (Python {session.python}: {', '.join(COLAB[session.python])}),",
        f"# plus the test tooling ({', '.join(TOOLING)}), resolved with Python {version}.",
        "# Generated by `nox -s freeze`; edit COLAB in noxfile.py, not this file.",
    ]
    lines = sorted((line for line in frozen if "==" in line), key=str.lower)
    path = requirements(session.python)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False) as new:
        new.write("\n".join(header + lines) + "\n")
    pathlib.Path(new.name).replace(path)
    session.log(f"wrote {path.relative_to(ROOT)} ({len(lines)} packages)")
