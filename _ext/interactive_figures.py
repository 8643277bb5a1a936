"""Serve the JavaScript of the interactive figures (softmax_course.interactive) once, from the build.

- Sets $SOFTMAX_COURSE_VEGA=book before the notebooks execute: the kernels inherit it, and the
  figures they make then carry no copy of the library and load nothing from outside the book.
- Writes vega + vega-lite + vega-embed (bundled offline by vl-convert-python, pinned in
  requirements.txt) as _static/softmax-course-vega.js, and adds it (deferred) to the pages whose
  body holds an interactive figure, and only to those.
"""

import os
import pathlib

MARKER = 'class="softmax-course-interactive"'


def _set_mode(app, config):
    from softmax_course import interactive

    os.environ[interactive.LIBRARY_ENV] = "book"


def _add_library(app, pagename, templatename, context, doctree):
    if app.builder.format != "html" or MARKER not in context.get("body", ""):
        return
    from softmax_course import interactive

    app.add_js_file(interactive.STATIC_NAME, loading_method="defer")


def _write_library(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    from softmax_course import interactive

    static = pathlib.Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    target = static / interactive.STATIC_NAME
    text = interactive.javascript_library()
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


def setup(app):
    app.connect("config-inited", _set_mode)
    app.connect("html-page-context", _add_library)
    app.connect("build-finished", _write_library)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
