"""Serve the JavaScript of the interactive figures (softmax_course.interactive) once, from the build.

- Sets $SOFTMAX_COURSE_VEGA=book before the notebooks execute: the kernels inherit it, and the
  figures they make then carry no copy of the library and load nothing from outside the book.
- Writes vega + vega-lite + vega-embed (bundled offline by vl-convert-python, pinned in
  requirements.txt) as _static/softmax-course-vega.js, and beside it the small loader
  _static/softmax-course-figures.js (_ext/interactive_figures.js), which it adds (deferred) to the
  pages whose body holds an interactive figure, and only to those. The loader fetches the library
  when the first figure comes near the screen: 0.9 MB that a reader who does not scroll that far
  never downloads.
"""

import os
import pathlib
import shutil

MARKER = 'class="softmax-course-interactive"'
LOADER = "softmax-course-figures.js"


def _set_mode(app, config):
    from softmax_course import interactive

    os.environ[interactive.LIBRARY_ENV] = "book"


def _add_library(app, pagename, templatename, context, doctree):
    if app.builder.format != "html" or MARKER not in context.get("body", ""):
        return
    app.add_js_file(LOADER, loading_method="defer")


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
    shutil.copyfile(pathlib.Path(__file__).with_name("interactive_figures.js"), static / LOADER)


def setup(app):
    app.connect("config-inited", _set_mode)
    app.connect("html-page-context", _add_library)
    app.connect("build-finished", _write_library)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
