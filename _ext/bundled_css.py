"""One style sheet per page instead of twelve: the page's style sheets, in their order, joined into one file.

Every page of the theme links a dozen style sheets in its head (the theme's, Pygments', the copy
and toggle buttons', MyST-NB's, sphinx-design's, KaTeX's, the book's), and the first of them,
theme.css, imports basic.css, which the browser can only ask for once theme.css has arrived. All
of them block the first paint. On a phone's slow link (Lighthouse's mobile preset: 150 ms a round
trip), a dozen requests, six at a time, and the chained import cost several round trips before
the page shows (issue 18).

After the build (after purged_css and inline_icons have written their final style sheets), each
page's local ``<link rel="stylesheet">`` elements without a ``media`` are replaced by one link to
``_static/bundles/<hash>.css``: the same files, in the same order (so the same cascade), with their
``@import`` written in place, their ``url(...)`` rebased, their ``@charset`` and source-map comments
dropped. Pages that link the same files share one bundle (the text pages one, the pages with math
another). The original files stay where they were.
"""

import hashlib
import pathlib
import posixpath
import re

from sphinx.util import logging

logger = logging.getLogger(__name__)

HEAD_END = "</head>"
LINK = re.compile(r"<link\b[^>]*>")
IMPORT = re.compile(r"""@import\s+(?:url\()?\s*["']?([^"')\s]+)["']?\s*\)?\s*;""")
URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)""")
CHARSET = re.compile(r"""@charset\s+["'][^"']*["']\s*;""")
SOURCE_MAP = re.compile(r"/\*[#@]\s*sourceMappingURL=[^*]*\*/")
ATTRIBUTE = re.compile(r"""\s([a-zA-Z-]+)=["']([^"']*)["']""")
BUNDLES = "_static/bundles"


def _local_stylesheet(tag):
    """The href of a local stylesheet link without a media attribute, else None."""
    attributes = dict(ATTRIBUTE.findall(tag))
    href = attributes.get("href", "")
    if attributes.get("rel") != "stylesheet" or "media" in attributes or not href:
        return None
    if re.match(r"^[a-z]+:|^//", href):
        return None
    return href


def _inline(path, outdir, seen):
    """The text of the style sheet at ``path`` with its imports written in place and its urls
    relative to the build's root (as 'ROOT/...' markers, rebased once the bundle's place is known)."""
    if path in seen:
        return ""
    seen.add(path)
    text = SOURCE_MAP.sub("", CHARSET.sub("", path.read_text(encoding="utf-8")))
    folder = path.parent

    def rebase(match):
        quote, url = match.groups()
        if re.match(r"^(data:|[a-z]+:|//|#|/)", url):
            return match.group(0)
        target = posixpath.normpath((folder / url.split("?")[0]).relative_to(outdir).as_posix())
        suffix = url[len(url.split("?")[0]) :]
        return f"url({quote}ROOT/{target}{suffix}{quote})"

    def imported(match):
        target = (folder / match.group(1).split("?")[0]).resolve()
        return _inline(target, outdir, seen) if target.is_file() else match.group(0)

    text = IMPORT.sub(imported, text)
    return URL.sub(rebase, text)


def _bundle(files, outdir):
    """(the bundle's path relative to outdir) for the style sheets ``files`` (absolute paths)."""
    seen = set()
    parts = [f"/* {path.relative_to(outdir).as_posix()} */\n{_inline(path, outdir, seen)}" for path in files]
    body = "\n".join(parts)
    name = hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]
    relative = f"{BUNDLES}/{name}.css"
    depth = posixpath.relpath(".", BUNDLES)
    text = '@charset "UTF-8";\n' + body.replace("ROOT/", depth + "/")
    target = outdir / relative
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return relative


def bundle_pages(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = pathlib.Path(app.outdir).resolve()
    bundles, pages = {}, 0
    for page in sorted(outdir.rglob("*.html")):
        if BUNDLES in page.as_posix():
            continue
        text = page.read_text(encoding="utf-8")
        end = text.find(HEAD_END)
        if end < 0:
            continue
        head = text[:end]
        links = [(m, _local_stylesheet(m.group(0))) for m in LINK.finditer(head)]
        links = [(m, href) for m, href in links if href]
        files = [(page.parent / href.split("?")[0]).resolve() for _, href in links]
        if len(links) < 2 or not all(path.is_file() for path in files):
            continue
        key = tuple(files)
        if key not in bundles:
            bundles[key] = _bundle(files, outdir)
        href = posixpath.relpath(bundles[key], page.parent.relative_to(outdir).as_posix() or ".")
        first = links[0][0]
        new_head = head[: first.start()] + f'<link rel="stylesheet" href="{href}" />'
        last = first.end()
        for match, _ in links[1:]:
            new_head += head[last : match.start()]
            last = match.end()
        new_head += head[last:]
        page.write_text(new_head + text[end:], encoding="utf-8")
        pages += 1
    logger.info(f"bundled_css: {pages} pages link one style sheet each ({len(bundles)} bundles)")


def setup(app):
    app.connect("build-finished", bundle_pages, priority=900)  # after purged_css (800) and inline_icons (850)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
