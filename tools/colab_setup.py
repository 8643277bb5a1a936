"""What a notebook installs when it runs in Google Colab, written down once.

`stamp_setup_cells.py` renders the first code cell of every notebook from here,
and `colab_env.py` installs the same packages into the Colab-like test
environments, with the course package taken from the local checkout instead of
the repository URL.
"""

import pathlib

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
SETUP_TAG = "colab-setup"
# mxnet 1.9.1 declares numpy<2; installing it without its dependencies keeps
# Colab's numpy (no runtime restart), and softmax_course.mxnet_compat makes the
# import work there.
MXNET_INSTALL = ["--no-deps", "mxnet==1.9.1"]

CELL_TEMPLATE = """\
# Setup: installs the chapter's packages in Colab; elsewhere, says which.
import importlib.util
import sys

if "google.colab" in sys.modules:
    import subprocess

    def pip_install(*args):
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *args], check=True)

{installs}elif importlib.util.find_spec("softmax_course") is None:
    print({elsewhere})"""


def repository():
    """Return (url, branch) of the course repository as set in _config.yml."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    return config["repository"]["url"], config["repository"].get("branch", "main")


def course_package_spec():
    """The pip requirement that installs the helper package from the repository."""
    url, branch = repository()
    return f"softmax-course @ git+{url}@{branch}"


def pip_installs(needs_mxnet, package_spec):
    """The pip argument lists, in order, that the setup cell runs in Colab."""
    installs = [[package_spec]]
    if needs_mxnet:
        installs.append(list(MXNET_INSTALL))
    return installs


def notebook_imports(notebook, module):
    """True when any code cell of the notebook (an nbformat dict) imports ``module``."""
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code" or SETUP_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        source = "".join(cell["source"])
        if f"import {module}" in source or f"from {module}" in source:
            return True
    return False


def notebook_needs_mxnet(notebook):
    """True when any code cell of the notebook (an nbformat dict) imports mxnet."""
    return notebook_imports(notebook, "mxnet")


def install_elsewhere(needs_mxnet, needs_torch, package_spec):
    """The one line that says, outside Colab, what to install for a chapter (requirements.txt pins the rest)."""
    line = f'pip install "{package_spec}"' + (" torch" if needs_torch else "")
    if needs_mxnet:
        line += " && pip install --no-deps " + " ".join(MXNET_INSTALL[1:])
    return f"This chapter needs the course package softmax_course: {line}"


def setup_cell_source(needs_mxnet, needs_torch=False):
    """The source of the setup cell for a notebook that does or does not use mxnet (or torch)."""
    spec = course_package_spec()
    lines = []
    for args in pip_installs(needs_mxnet, spec):
        rendered = ", ".join(f'"{arg}"' for arg in args)
        lines.append(f"    pip_install({rendered})\n")
    elsewhere = repr(install_elsewhere(needs_mxnet, needs_torch, spec))
    return CELL_TEMPLATE.format(installs="".join(lines), elsewhere=elsewhere)
