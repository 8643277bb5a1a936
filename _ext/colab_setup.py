"""What a chapter's edition installs when it runs in Google Colab, written down once.

The HTML build puts the setup cell made here first in every edition of a chapter (_ext/course_editions.py), with
the course package from the repository of _config.yml at the commit that built it; noxfile.py installs the
same packages into the Colab-like test environments, the course package from the local checkout.
"""

import nbformat

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


def pip_installs(needs_mxnet, package_spec):
    """The pip argument lists, in order, that the setup cell runs in Colab."""
    return [[package_spec], list(MXNET_INSTALL)] if needs_mxnet else [[package_spec]]


def notebook_imports(notebook, module):
    """True when any code cell of the notebook (an nbformat dict) imports ``module``."""
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code" or SETUP_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        source = "".join(cell["source"])
        if f"import {module}" in source or f"from {module}" in source:
            return True
    return False


def setup_cell_source(needs_mxnet, needs_torch, package_spec):
    """The source of the setup cell for a chapter that does or does not use mxnet (or torch)."""
    installs = "".join(
        "    pip_install({})\n".format(", ".join(f'"{arg}"' for arg in args))
        for args in pip_installs(needs_mxnet, package_spec)
    )
    line = f'pip install "{package_spec}"' + (" torch" if needs_torch else "")
    if needs_mxnet:
        line += " && pip install --no-deps " + " ".join(MXNET_INSTALL[1:])
    elsewhere = repr(f"This chapter needs the course package softmax_course: {line}")
    return CELL_TEMPLATE.format(installs=installs, elsewhere=elsewhere)


def setup_cell(notebook, package_spec):
    """The setup cell of ``notebook`` (folded in the editions), installing ``package_spec`` in Colab."""
    source = setup_cell_source(notebook_imports(notebook, "mxnet"), notebook_imports(notebook, "torch"), package_spec)
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": [SETUP_TAG, "hide-input"]})
    if (notebook.nbformat, notebook.nbformat_minor) >= (4, 5):
        cell.id = SETUP_TAG
    else:
        del cell["id"]
    return cell
