"""Images that take their place before they load, load when the reader gets near them, and weigh less.

For every ``<img>`` of a page the HTML builder writes (after the page is rendered; Sphinx has no
event for that, so the builder's template renderer is wrapped, as _ext/inline_icons.py does):

- its ``width`` and ``height`` attributes, the image's own size in pixels: the browser keeps the
  room for it before the file arrives, so the text below does not jump when it does (layout shift);
  book.css keeps the aspect ratio when the column is narrower (``height: auto``);
- ``loading="lazy"`` and ``decoding="async"`` on every image but the first ``EAGER`` of the page:
  the browser fetches an image further down only when the reader scrolls near it;
- PNGs (the notebooks' figures, and the stand-ins of the interactive figures, which the notebook
  writes into the page as base64 data) are served as lossless WebP, the same pixels in about a third
  of the bytes, where that is smaller. The PNGs stay for the PDF, which the LaTeX builder makes from
  the notebooks' own outputs.
"""

import base64
import functools
import hashlib
import html
import io
import pathlib
import posixpath
import re

from sphinx.util import logging

logger = logging.getLogger(__name__)

EAGER = 1
IMG = re.compile(r"<img\b[^>]*>")
ATTRIBUTE = re.compile(r'\s([a-zA-Z-]+)="([^"]*)"')
DATA_PNG = "data:image/png;base64,"


@functools.lru_cache(maxsize=None)
def webp_of(png_bytes):
    """(lossless WebP bytes or None if not smaller, (width, height)) of a PNG."""
    from PIL import Image

    with Image.open(io.BytesIO(png_bytes)) as image:
        size = image.size
        buffer = io.BytesIO()
        image.save(buffer, format="WEBP", lossless=True, quality=100, method=6)
    webp = buffer.getvalue()
    return (webp if len(webp) < len(png_bytes) else None), size


class Images:
    """Sizes and WebP copies of the images a page names, for one HTML build."""

    def __init__(self, app):
        self.app = app
        self.outdir = pathlib.Path(app.outdir)

    def source_of(self, built):
        """The source file of a built image path ('_images/x.png'), from the builder's own table."""
        name = posixpath.basename(built)
        for source, target in self.app.builder.images.items():
            if target == name:
                return pathlib.Path(self.app.srcdir, source)
        path = self.outdir / built
        return path if path.is_file() else None

    def webp(self, png, name):
        """Writes _images/<name>.webp when smaller than ``png`` (bytes); returns (its built path or None, size)."""
        webp, size = webp_of(png)
        if webp is None:
            return None, size
        target = self.outdir / "_images" / f"{name}.webp"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_bytes() != webp:
            target.write_bytes(webp)
        return f"_images/{name}.webp", size

    def rewrite(self, page, pagename):
        folder = posixpath.dirname(pagename)
        up = "../" * (folder.count("/") + 1) if folder else ""
        count = 0

        def one(match):
            nonlocal count
            tag = match[0]
            attributes = dict(ATTRIBUTE.findall(tag))
            src = html.unescape(attributes.get("src", ""))
            new = {}
            size = None
            if src.startswith(DATA_PNG):
                png = base64.b64decode(src[len(DATA_PNG) :])
                built, size = self.webp(png, "inline-" + hashlib.sha256(png).hexdigest()[:16])
                if built:
                    new["src"] = up + built
            elif src and not re.match(r"[a-z]+:", src):
                built = posixpath.normpath(posixpath.join(folder, src))
                source = self.source_of(built) if built.startswith("_images/") else None
                if source is not None and source.is_file():
                    if source.suffix.lower() == ".png":
                        stem = posixpath.splitext(posixpath.basename(built))[0]
                        built_webp, size = self.webp(source.read_bytes(), stem)
                        if built_webp:
                            new["src"] = up + built_webp
                    else:
                        size = image_size(source)
            if size and "width" not in attributes and "height" not in attributes:
                new["width"], new["height"] = size
            count += 1
            if count > EAGER and "loading" not in attributes:
                new["loading"] = "lazy"
                new["decoding"] = "async"
            for name, value in new.items():
                if name in attributes:
                    tag = re.sub(rf'(\s{name}=")[^"]*"', lambda m: f'{m[1]}{value}"', tag, count=1)
                else:
                    tag = tag[:-1].rstrip("/").rstrip() + f' {name}="{value}"' + (" />" if tag.endswith("/>") else ">")
            return tag

        return IMG.sub(one, page)


def image_size(path):
    from PIL import Image

    try:
        with Image.open(path) as image:
            return image.size
    except OSError:  # an SVG or anything Pillow does not read: left unsized
        return None


def wrap_renderer(app):
    if app.builder.format != "html" or not hasattr(app.builder, "templates"):
        return
    images = Images(app)
    templates = app.builder.templates
    render = templates.render

    def render_with_sized_images(template, context):
        page = render(template, context)
        return images.rewrite(page, context.get("pagename", ""))

    templates.render = render_with_sized_images


def setup(app):
    app.connect("builder-inited", wrap_renderer)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
