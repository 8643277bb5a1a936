"""The scripts of a page's <head> run after the page is parsed (``defer``), not before it is shown.

Sphinx and its extensions add their scripts (doctools, the copy button, the toggle buttons, the
theme's, sphinx-design's tabs) as plain ``<script src>`` in the head: the browser stops building
the page until each has arrived and run, though none of them draws anything before the page is
there (each waits for DOMContentLoaded, which deferred scripts still precede, in their order).
``defer`` keeps their order and lets the text show first (issue 18).

documentation_options.js stays as it is: the inline scripts that follow it set its properties
(``DOCUMENTATION_OPTIONS.pagename = ...``) as soon as they are parsed. The search page keeps all
its scripts as they are: its template loads searchtools.js itself, undeferred, which needs
doctools.js to have run.
"""

from sphinx.builders.html._assets import _JavaScript

KEEP_BLOCKING = {"documentation_options.js"}


def _defer_scripts(app, pagename, templatename, context, doctree):
    if pagename == "search":
        return
    scripts = context.get("script_files", [])
    for index, script in enumerate(scripts):
        filename = getattr(script, "filename", None)
        attributes = getattr(script, "attributes", None)
        if not filename or attributes is None or filename.split("?")[0].rsplit("/", 1)[-1] in KEEP_BLOCKING:
            continue
        classic = attributes.get("type", "") in ("", "text/javascript")
        if classic and "async" not in attributes and "defer" not in attributes:
            # A new entry for this page: the builder shares its script objects between pages.
            scripts[index] = _JavaScript(filename, priority=script.priority, **attributes, defer="defer")


def setup(app):
    # After every extension has added its scripts for the page (dedupe_inline_scripts runs at 900).
    app.connect("html-page-context", _defer_scripts, priority=950)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
