"""The book's side of the chapter editions (tools/editions.py writes the editions themselves).

1. Code shown in the HTML book loses the nbgrader marker lines
   (``### BEGIN SOLUTION``, ``### END SOLUTION``, ``### BEGIN HIDDEN TESTS``,
   ``### END HIDDEN TESTS``): the reader sees the solution, not the grading machinery.
2. On every chapter page the Colab button opens the chapter's *reader edition* as
   published on the site's branch (``launch_buttons.editions_branch`` in
   _config.yml, default gh-pages, folder ``launch_buttons.editions_path``, default
   editions/reader), and the download button delivers the same reader edition from
   this site (editions/reader/NN.ipynb, which tools/editions.py writes after the
   build). The Colab setup cells still install the package from the repository's
   main branch (``repository.branch``).
"""

import posixpath

from docutils import nodes

MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")


def strip_markers(text):
    return "\n".join(line for line in text.split("\n") if line.strip() not in MARKERS)


def _strip_marker_lines(app, doctree, docname):
    for block in doctree.findall(nodes.literal_block):
        text = block.astext()
        if not any(marker in text for marker in MARKERS):
            continue
        stripped = strip_markers(text)
        block.rawsource = stripped
        block.children = [nodes.Text(stripped)]


def _editions_settings(app):
    launch = app.config.html_theme_options.get("launch_buttons", {}) or {}
    branch = launch.get("editions_branch", "gh-pages")
    folder = str(launch.get("editions_path", "editions/reader")).strip("/")
    colab = str(launch.get("colab_url", "")).rstrip("/")
    repository = str(app.config.html_theme_options.get("repository_url", "")).rstrip("/")
    return branch, folder, colab, repository


def _point_buttons_at_editions(app, pagename, templatename, context, doctree):
    if not pagename.startswith("notebooks/") or "header_buttons" not in context:
        return
    branch, folder, colab, repository = _editions_settings(app)
    name = posixpath.basename(pagename) + ".ipynb"
    owner_repo = "/".join(repository.split("/")[-2:])
    for group in context["header_buttons"]:
        for button in group.get("buttons", []):
            if group.get("label") == "launch-buttons" and button.get("text") == "Colab" and colab:
                button["url"] = f"{colab}/github/{owner_repo}/blob/{branch}/{folder}/{name}"
                button["tooltip"] = "Open the reader edition in Colab"
            elif group.get("label") == "download-buttons" and button.get("text") == ".ipynb":
                button["url"] = context["pathto"](f"{folder}/{name}", 1)
                button["tooltip"] = "Download the reader edition (a plain Jupyter notebook)"


def setup(app):
    app.connect("doctree-resolved", _strip_marker_lines)
    # After sphinx-book-theme adds its buttons (priority 501), before the page is written.
    app.connect("html-page-context", _point_buttons_at_editions, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
