"""Tests of _ext/bundled_css.py: each page links one style sheet, its own joined in order."""

import importlib.util
import pathlib
import types

ROOT = pathlib.Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("bundled_css", ROOT / "_ext" / "bundled_css.py")
bundled_css = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bundled_css)


def page(links, body="<p>text</p>"):
    head = f"<title>t</title>{links}<script src='x.js'></script>"
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


def build(tmp_path):
    static = tmp_path / "_static"
    (static / "styles").mkdir(parents=True)
    (static / "katex" / "fonts").mkdir(parents=True)
    (static / "basic.css").write_text("div.body { margin: 0 }\n")
    (static / "styles" / "theme.css").write_text('@import "../basic.css";\n')
    (static / "styles" / "main.css").write_text(
        '@charset "UTF-8";\n.a { background: url("../img/a.svg") }\n/*# sourceMappingURL=main.css.map */\n'
    )
    (static / "katex" / "katex.css").write_text(
        "@font-face { src: url(fonts/KaTeX_Main.woff2) format('woff2') }\n"
        ".b { background: url(data:image/png;base64,AA) }\n"
    )
    (static / "book.css").write_text(".a { color: red }\n")
    links = (
        '<link href="{up}_static/styles/theme.css?digest=1" rel="stylesheet" />'
        '<link rel="stylesheet" type="text/css" href="{up}_static/styles/main.css" />'
        '<link rel="stylesheet" type="text/css" href="{up}_static/katex/katex.css" />'
        '<link rel="stylesheet" href="{up}_static/print.css" media="print" />'
        '<link rel="stylesheet" type="text/css" href="{up}_static/book.css?v=2" />'
    )
    (static / "print.css").write_text("p { color: black }\n")
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "index.html").write_text(page(links.format(up="")))
    (tmp_path / "notebooks" / "ch.html").write_text(page(links.format(up="../")))
    (tmp_path / "plain.html").write_text(page('<link rel="stylesheet" href="_static/book.css" />'))
    app = types.SimpleNamespace(outdir=str(tmp_path), builder=types.SimpleNamespace(format="html"))
    bundled_css.bundle_pages(app, None)


def stylesheet_links(html):
    return [tag for tag in bundled_css.LINK.findall(html) if 'rel="stylesheet"' in tag]


def test_pages_link_one_shared_bundle_and_keep_media_links(tmp_path):
    build(tmp_path)
    index = (tmp_path / "index.html").read_text()
    chapter = (tmp_path / "notebooks" / "ch.html").read_text()
    bundles = list((tmp_path / "_static" / "bundles").glob("*.css"))
    assert len(bundles) == 1
    name = bundles[0].name
    assert stylesheet_links(index) == [
        f'<link rel="stylesheet" href="_static/bundles/{name}" />',
        '<link rel="stylesheet" href="_static/print.css" media="print" />',
    ]
    assert stylesheet_links(chapter)[0] == f'<link rel="stylesheet" href="../_static/bundles/{name}" />'
    assert "<script src='x.js'></script>" in index and "<p>text</p>" in index
    # A page with one style sheet is left as it is.
    assert stylesheet_links((tmp_path / "plain.html").read_text()) == [
        '<link rel="stylesheet" href="_static/book.css" />'
    ]


def test_bundle_keeps_the_order_inlines_imports_and_rebases_urls(tmp_path):
    build(tmp_path)
    text = next((tmp_path / "_static" / "bundles").glob("*.css")).read_text()
    assert text.startswith('@charset "UTF-8";\n') and text.count("@charset") == 1
    assert "@import" not in text and "sourceMappingURL" not in text
    order = [text.index(rule) for rule in ("div.body", ".a { background", "@font-face", ".a { color: red }")]
    assert order == sorted(order)
    assert 'url("../../_static/img/a.svg")' in text
    assert "url(../../_static/katex/fonts/KaTeX_Main.woff2)" in text
    assert "url(data:image/png;base64,AA)" in text
    assert "p { color: black }" not in text  # the print sheet stays a link of its own
