"""Write each inline <script> of a page once.

Sphinx 7.4 re-adds the inline scripts that extensions register after the builder
starts (sphinx-thebe, sphinx-togglebutton) with filename '' instead of None, so
every page carried two copies; the second `const THEBE_JS_URL = ...` is an
"Uncaught SyntaxError: Identifier 'THEBE_JS_URL' has already been declared" in
every reader's console. This drops the later copy of any inline script whose body
was already written (src scripts are untouched).
"""


def _drop_duplicate_inline_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for script in scripts:
        body = getattr(script, "attributes", {}).get("body")
        if not getattr(script, "filename", None) and body is not None:
            if body in seen:
                continue
            seen.add(body)
        kept.append(script)
    scripts[:] = kept  # in place: the builder restores its own list after each page


def setup(app):
    # Late priority: after the themes and myst-nb have added their per-page scripts.
    app.connect("html-page-context", _drop_duplicate_inline_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
