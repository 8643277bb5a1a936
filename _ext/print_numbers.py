"""Exercises numbered in the PDF as in the web book: "Exercise 9.3", not "Exercise 9.9.3".

sphinx-exercise writes an exercise's number into the page as text, from Sphinx's figure
numbers, which count within the first ``numfig_secnum_depth`` levels of section numbers.
The web book keeps Sphinx's default, 1: chapter 9's third exercise is 9.3. For a LaTeX
build of a book with parts, sphinx-jupyterbook-latex raises the depth to 2 (for its own
equation numbering; LaTeX numbers this book's equations itself), which made the same
exercise 9.9.3, numbered within section 9.9 "Exercises". This puts back the depth the
book's configuration gives once that extension has run, so a teacher's "Exercise 9.3"
is Exercise 9.3 in print too.
Checked by tests/test_pdf.py against the exercise numbers of the HTML pages.
"""

from sphinx.builders.latex import LaTeXBuilder


def remember_depth(app, config):
    app.course_numfig_secnum_depth = config.numfig_secnum_depth


def keep_web_numbering(app):
    if isinstance(app.builder, LaTeXBuilder):
        app.config.numfig_secnum_depth = app.course_numfig_secnum_depth


def setup(app):
    app.connect("config-inited", remember_depth)
    app.connect("builder-inited", keep_web_numbering, priority=900)  # after sphinx-jupyterbook-latex (500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
