"""Math rendered when the book is built, so that no math engine runs in the reader's browser.

Every formula of the HTML book goes through KaTeX (npm, pinned in package-lock.json) once, at build
time, in one Node process (_ext/katex_render.js): the page carries the formula as HTML and CSS,
drawn with KaTeX's fonts, and as MathML for screen readers. Before, MathJax 3 (1.2 MB of script and
its fonts) typeset every formula after the page loaded, made each one a tab stop and moved the text
around as it went (issue 18).

- The HTML builders only (``html_math_renderer = "katex_prerendered"``): the LaTeX builder keeps
  its own math, so the PDF is unchanged.
- A formula KaTeX cannot render is a build warning (an error with ``-W``) naming the page.
- ``_static/katex/katex.css`` and its fonts (WOFF2 only: every browser the book supports reads it)
  are copied from node_modules, and linked from the pages that have math, and only from those; the
  two or three fonts nearly every formula uses are preloaded (``preload_fonts``, _templates/layout.html).
- Colours are inherited (``currentColor``), so formulas follow the light and dark themes.
- No formula is a tab stop, except a display formula too wide for its column, which scrolls
  sideways in its own box: _ext/wide_formulas.js makes that box, and only that box, a named tab
  stop, so that it can be scrolled from the keyboard.
"""

import atexit
import json
import pathlib
import re
import shutil
import subprocess

from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

logger = logging.getLogger(__name__)

RENDERER = "katex_prerendered"
HERE = pathlib.Path(__file__).resolve().parent
SCRIPT = HERE / "katex_render.js"
KATEX = HERE.parent / "node_modules" / "katex"
CSS = "katex/katex.css"
WIDE = "wide-formulas.js"
MARKER = 'class="katex'


class KaTeX:
    """One Node process running KaTeX, started on first use; render(tex, display) -> HTML."""

    process = None
    cache = {}

    @classmethod
    def render(cls, tex, display):
        key = (tex, display)
        if key not in cls.cache:
            if cls.process is None:
                cls.start()
            cls.process.stdin.write(json.dumps({"tex": tex, "display": display}) + "\n")
            cls.process.stdin.flush()
            line = cls.process.stdout.readline()
            if not line:
                raise ExtensionError("the KaTeX process (_ext/katex_render.js) ended; see its message above")
            cls.cache[key] = json.loads(line)
        answer = cls.cache[key]
        if "error" in answer:
            raise ValueError(answer["error"])
        return answer["html"]

    @classmethod
    def start(cls):
        node = shutil.which("node")
        if node is None:
            raise ExtensionError("node not found: the book renders its math with KaTeX at build time (install nodejs)")
        if not (KATEX / "package.json").is_file():
            raise ExtensionError(f"{KATEX} missing: run `npm ci` at the repository root (KaTeX renders the math)")
        cls.process = subprocess.Popen(
            [node, str(SCRIPT), str(KATEX)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8"
        )
        atexit.register(cls.stop)

    @classmethod
    def stop(cls):
        if cls.process is not None:
            cls.process.stdin.close()
            cls.process.wait(timeout=10)
            cls.process = None


def render(self, node, tex, display):
    try:
        return KaTeX.render(tex, display)
    except ValueError as error:
        logger.warning("KaTeX cannot render %r: %s", tex[:200], error, location=node)
        return f'<span class="math-error">{self.encode(tex)}</span>'


def html_visit_math(self, node):
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate nohighlight"))
    self.body.append(render(self, node, node.astext(), display=False))
    self.body.append("</span>")
    raise nodes.SkipNode


def display_tex(node):
    """The TeX of a display formula as KaTeX takes it (as sphinx.ext.mathjax writes it for MathJax)."""
    if node["nowrap"]:  # an amsmath environment (align, gather, ...) written out in full
        return node.astext()
    parts = [part for part in node.astext().split("\n\n") if part.strip()]
    parts = [r"\begin{aligned}" + part + r"\end{aligned}" if r"\\" in part else part for part in parts]
    if len(parts) > 1:
        return r"\begin{gathered}" + r"\\".join(parts) + r"\end{gathered}"
    return parts[0] if parts else ""


def html_visit_displaymath(self, node):
    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight"))
    if node["number"] and not node["nowrap"]:
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    self.body.append(render(self, node, display_tex(node), display=True))
    self.body.append("</div>\n")
    raise nodes.SkipNode


# The fonts nearly every formula needs, preloaded so that the browser asks for them with the style
# sheet instead of after laying the page out: the formulas are drawn sooner, and in their own font
# from the start (no reflow when it arrives). {font file: class whose presence on the page needs it}.
PRELOAD = {
    "KaTeX_Main-Regular.woff2": "katex",
    "KaTeX_Math-Italic.woff2": "mathnormal",
    "KaTeX_Main-Bold.woff2": "mathbf",
}


def link_stylesheet(app, pagename, templatename, context, doctree):
    """The KaTeX stylesheet on the pages that have math, and only on those; the fonts to preload."""
    body = context.get("body", "")
    if app.builder.format != "html" or MARKER not in body:
        return
    app.add_css_file(CSS)
    if "katex-display" in body:
        app.add_js_file(WIDE, loading_method="defer")
    context["preload_fonts"] = [
        context["pathto"](f"_static/katex/fonts/{font}", 1)
        for font, needed_by in PRELOAD.items()
        if f'class="{needed_by}' in body or f" {needed_by}" in body
    ]


WOFF2_ONLY = re.compile(r'(src:url\([^)]+\.woff2\) format\("woff2"\))(,url\([^)]+\) format\("[a-z]+"\))+')


def copy_assets(app, exception):
    """_static/katex/: KaTeX's stylesheet, naming only its WOFF2 fonts, and those fonts."""
    if exception is not None or app.builder.format != "html":
        return
    target = pathlib.Path(app.outdir) / "_static" / "katex"
    (target / "fonts").mkdir(parents=True, exist_ok=True)
    css = (KATEX / "dist" / "katex.min.css").read_text(encoding="utf-8")
    css, count = WOFF2_ONLY.subn(r"\1", css)
    if count < 10:
        raise ExtensionError(f"KaTeX's stylesheet changed: only {count} @font-face rules rewritten to WOFF2")
    (target / "katex.css").write_text(css, encoding="utf-8")
    for font in (KATEX / "dist" / "fonts").glob("*.woff2"):
        shutil.copyfile(font, target / "fonts" / font.name)
    shutil.copyfile(HERE / "wide_formulas.js", pathlib.Path(app.outdir) / "_static" / WIDE)


def setup(app):
    app.add_html_math_renderer(RENDERER, (html_visit_math, None), (html_visit_displaymath, None))
    app.config.html_math_renderer = RENDERER
    app.connect("html-page-context", link_stylesheet)
    app.connect("build-finished", copy_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": False}
