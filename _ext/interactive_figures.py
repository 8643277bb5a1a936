"""Serve the runtime of the interactive figures (softmax_course.interactive) once, from the build.

- Sets $SOFTMAX_COURSE_VEGA=book before the notebooks execute: the kernels inherit it, and the
  figures they make then carry their compiled Vega spec and picture but no script, and load
  nothing from outside the book.
- Writes Vega's runtime alone (npm's vega, node_modules/vega/build/vega.min.js, pinned in
  package-lock.json: 0.5 MB, no Vega-Lite compiler and no vega-embed, since every spec was
  compiled when its notebook ran) followed by the package's drawing script (interactive.js) as
  _static/softmax-course-vega.js, and beside it the small loader _static/softmax-course-figures.js
  (_ext/interactive_figures.js), which it adds (deferred) to the pages whose body holds an
  interactive figure, and only to those. The loader fetches the runtime when the first figure
  comes near the screen: a reader who does not scroll that far never downloads it.
"""

import json
import os
import pathlib
import shutil

from sphinx.errors import ExtensionError

MARKER = 'class="softmax-course-interactive"'
LOADER = "softmax-course-figures.js"
VEGA = pathlib.Path(__file__).parent.parent / "node_modules" / "vega"


def _set_mode(app, config):
    from softmax_course import interactive

    os.environ[interactive.LIBRARY_ENV] = "book"


def _add_library(app, pagename, templatename, context, doctree):
    if app.builder.format != "html" or MARKER not in context.get("body", ""):
        return
    app.add_js_file(LOADER, loading_method="defer")


def runtime():
    """Vega's minified runtime from node_modules, with its version; ExtensionError when npm ci was not run."""
    script = VEGA / "build" / "vega.min.js"
    if not script.is_file():
        raise ExtensionError(f"{script} is missing: run `npm ci` (package.json pins vega)")
    version = json.loads((VEGA / "package.json").read_text(encoding="utf-8"))["version"]
    return script.read_text(encoding="utf-8"), version


def _write_library(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    from softmax_course import interactive

    static = pathlib.Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    vega, version = runtime()
    text = f"/* vega {version} (BSD-3-Clause), then softmax_course/interactive.js */\n{vega}\n{interactive.script()}"
    target = static / interactive.STATIC_NAME
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    shutil.copyfile(pathlib.Path(__file__).with_name("interactive_figures.js"), static / LOADER)


def setup(app):
    app.connect("config-inited", _set_mode)
    app.connect("html-page-context", _add_library)
    app.connect("build-finished", _write_library)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
