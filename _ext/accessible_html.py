"""Two HTML writers made accessible (WCAG 2.x; checked by tests/browser/test_accessibility.py with axe-core).

1. myst-nb writes every hidden code cell (tag ``hide-input``) as
   ``<details><summary aria-label="Toggle hidden content"><p>Show code cell source</p>...``:
   the control a reader sees as "Show code cell source" is named "Toggle hidden content", so
   speech-input users who say the visible words find nothing (WCAG 2.5.3, label in name). Without
   the attribute the summary is named by what it shows.
2. docutils writes the list of works of the bibliography as ``<div role="list">`` holding
   ``role="doc-biblioentry"`` entries. DPUB-ARIA 1.1 deprecates that role, so the list has no list
   items (axe ``aria-required-children``); the entries are written as ``role="listitem"``.
3. sphinx-external-toc writes the site's ``index.html`` as one bare ``<meta http-equiv="Refresh">``
   line: a reader who opens the site waits for one page, then for the landing page (on a phone, a
   second round trip before anything shows), and a browser that does not follow the refresh shows
   nothing. The landing page itself is written here as ``index.html`` first (sphinx-external-toc
   keeps an existing ``index.html``): the root document's page, with every relative address in it
   rebased from the root document's folder to the site's root, and a canonical link to its usual
   address.

4. pydata-sphinx-theme writes the sidebar's toggle of a chapter with sections (chapter 10) as a
   ``<summary>`` holding only an icon: a control with no name (axe ``summary-name``). It is named
   "Sections of" the chapter.
5. The navigation sidebar is a plain ``<div>``: the book's title at its top was the one part of
   every page outside a landmark (axe ``region``). The sidebar is a complementary landmark here
   ("Book navigation"), with the table of contents inside it.

The first two override the node's HTML visitor, so the pages are right as written, with or without
JavaScript; the fourth wraps the theme's table of contents, the fifth rewrites the page as it is
rendered.
"""

import html
import pathlib
import posixpath
import re
import urllib.parse

from docutils import nodes
from myst_nb import sphinx_ as myst_nb_sphinx


def visit_hide_cell_input(self, node):
    """myst-nb's ``visit_HideCellInput`` without the aria-label that hides the visible text."""
    buffer = []
    self.body, saved = buffer, self.body
    try:
        myst_nb_sphinx.visit_HideCellInput(self, node)
    finally:
        self.body = saved
    self.body.extend(part.replace('<summary aria-label="Toggle hidden content">', "<summary>") for part in buffer)


def visit_citation(self, node):
    """docutils' ``visit_citation`` with entries that are list items of their ``role="list"``."""
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def depart_citation(self, node):
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), type(node)):
        self.body.append("</div>\n")


# Relative addresses in attributes: href="../_static/x.css", src="img.png", action="../search.html".
ADDRESS = re.compile(r'(\s(?:href|src|action|data-content_root)=")([^"#][^"]*)"')


def rebase(page, folder):
    """``page`` (HTML written for a document in ``folder``, e.g. 'book') with its relative addresses made
    relative to the site's root: '../_static/x.css' -> '_static/x.css', 'notation.html' -> 'book/notation.html'."""

    def rebased(match):
        address = match[2]
        if urllib.parse.urlsplit(address).scheme or address.startswith(("/", "data:")):
            return match[0]
        joined = posixpath.normpath(posixpath.join(folder, address))
        if address.endswith("/"):
            joined += "/"
        return f'{match[1]}{"./" if joined in (".", "./") else joined}"'

    return ADDRESS.sub(rebased, page)


def write_root_page(app, exception):
    """Write ``index.html`` at the root of the HTML build: the root document's page, its addresses rebased."""
    if exception is not None or app.builder.format != "html" or app.config.root_doc == "index":
        return
    target = app.builder.get_target_uri(app.config.root_doc)
    source = pathlib.Path(app.outdir, target)
    if not source.is_file():
        return
    page = rebase(source.read_text(encoding="utf-8"), posixpath.dirname(target))
    canonical = f'<link rel="canonical" href="{html.escape(target)}" />'
    page = page.replace("</head>", f"  {canonical}\n</head>", 1)
    path = pathlib.Path(app.outdir, "index.html")
    partial = path.with_name(".index.html.partial")
    partial.write_text(page, encoding="utf-8")
    partial.replace(path)


TOC_TOGGLE = re.compile(r'<a([^>]*)>([^<]*)</a><details([^>]*)><summary><span class="toctree-toggle"')


def name_the_sidebar_toggles(app, pagename, templatename, context, doctree):
    """Wrap the theme's ``generate_toctree_html`` so that each sidebar toggle is named after its chapter."""
    make = context.get("generate_toctree_html")
    if make is None:
        return

    def named(*args, **kwargs):
        result = make(*args, **kwargs)
        text = TOC_TOGGLE.sub(
            lambda m: f'<a{m[1]}>{m[2]}</a><details{m[3]}><summary aria-label="Sections of {m[2].strip()}">'
            '<span class="toctree-toggle"',
            str(result),
        )
        return type(result)(text) if isinstance(result, str) else text

    context["generate_toctree_html"] = named


PRIMARY_SIDEBAR = '<div id="pst-primary-sidebar" class="'


def sidebar_landmark(page):
    """The theme's navigation sidebar as a complementary landmark (5. above)."""
    return page.replace(
        PRIMARY_SIDEBAR, '<div id="pst-primary-sidebar" role="complementary" aria-label="Book navigation" class="', 1
    )


def wrap_renderer(app):
    """Every page the HTML builder renders passes through :func:`sidebar_landmark` (no event follows rendering)."""
    if app.builder.format != "html" or not hasattr(app.builder, "templates"):
        return
    templates = app.builder.templates
    render = templates.render
    templates.render = lambda template, context: sidebar_landmark(render(template, context))


def setup(app):
    app.connect("builder-inited", wrap_renderer)
    app.add_node(
        myst_nb_sphinx.HideCodeCellNode,
        override=True,
        html=(visit_hide_cell_input, myst_nb_sphinx.depart_HideCellInput),
    )
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    app.connect("html-page-context", name_the_sidebar_toggles, priority=600)  # after the theme's (500)
    app.connect("build-finished", write_root_page, priority=400)  # before sphinx-external-toc's (500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
