"""The theme's icons as inline SVG, written into the page at build time.

pydata-sphinx-theme draws its dozen icons (menu, search, sun and moon, rocket, download, GitHub,
...) as ``<i class="fa-solid fa-sun">`` elements that Font Awesome's script (1.49 MB, on every page)
replaces with SVG after the page has loaded, and that its webfonts (275 KB) draw until then. Here
each such element is replaced, in every page the HTML builder writes, by the same icon as an
``<svg>`` with the path Font Awesome itself draws. The paths are read from the theme's own copy of
Font Awesome (``fontawesome.js`` of the installed pydata-sphinx-theme), so the icons are those the
theme ships, and _templates/layout.html no longer loads the script. No webfont is then used: no
element keeps a Font Awesome class that draws with the font.

The theme's style sheets still draw a few icons with the webfont itself (``content: "\\f05a"`` before
an admonition's title, after an external link in the navigation): after the build, each Font
Awesome font the style sheets name is cut down to the glyphs they use (fontTools, from the
theme's TrueType file, written as WOFF: 3 KB instead of 157 KB for the solid icons), and the
style sheets name that file instead.

Font Awesome Free's icons are licensed CC BY 4.0 (see fontawesome.js.LICENSE.txt in the theme).
"""

import functools
import html
import pathlib
import re

from sphinx.errors import ExtensionError

# An empty <i> or <span> whose classes name a Font Awesome icon: <i class="fa-solid fa-sun fa-lg" ...></i>.
ICON_ELEMENT = re.compile(r'<(i|span)\s+class="(?P<classes>[^"]*\bfa[a-z-]*\b[^"]*)"(?P<rest>[^>]*)>\s*</\1>')
STYLE_CLASSES = {
    "fa-solid": "solid",
    "fas": "solid",
    "fa-regular": "regular",
    "far": "regular",
    "fa-brands": "brands",
    "fab": "brands",
    "fa": "solid",
}
# Classes that change an icon's size or placement, not which icon it is.
MODIFIERS = re.compile(r"fa-(?:lg|xs|sm|xl|2xs|2xl|[1-9]?[0-9]x|fw|border|pull-left|pull-right|spin|pulse|inverse)$")
# The packs in fontawesome.js, in order: brands, regular, solid (each `var p={name:[w,h,[aliases],"code","path"],...}`).
PACKS = ("brands", "regular", "solid")
ENTRY = re.compile(r'(?:"([a-z0-9-]+)"|([a-z0-9]+)):\[(\d+),(\d+),\[([^\]]*)\],"[0-9a-f]+","([^"]+)"\]')


def fontawesome_js():
    import pydata_sphinx_theme

    path = pathlib.Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "scripts"
    return (path / "fontawesome.js").read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def icons():
    """{(pack, name): (width, height, path)} of every icon of the theme's Font Awesome, aliases included."""
    source = fontawesome_js()
    starts = [match.end() for match in re.finditer(r'var p=\{(?=[a-z0-9"-]+:\[\d+,\d+,\[)', source)]
    if len(starts) != len(PACKS):
        raise ExtensionError(
            f"inline_icons: expected {len(PACKS)} icon packs in the theme's fontawesome.js, "
            f"found {len(starts)}; the theme's Font Awesome changed"
        )
    found = {}
    for pack, start, end in zip(PACKS, starts, starts[1:] + [len(source)]):
        for match in ENTRY.finditer(source, start, end):
            name = match[1] or match[2]
            value = (int(match[3]), int(match[4]), match[6])
            found[pack, name] = value
            for alias in re.findall(r'"([a-z0-9-]+)"', match[5]):
                found.setdefault((pack, alias), value)
    return found


def svg_for(match):
    classes = match["classes"].split()
    pack = next((STYLE_CLASSES[c] for c in classes if c in STYLE_CLASSES), None)
    names = [c[3:] for c in classes if c.startswith("fa-") and c not in STYLE_CLASSES and not MODIFIERS.match(c)]
    if pack is None or len(names) != 1:
        return match[0]  # not an icon element this knows: left as it is
    icon = icons().get((pack, names[0]))
    if icon is None:
        raise ExtensionError(f"inline_icons: no icon {names[0]!r} in the theme's Font Awesome ({pack})")
    width, height, path = icon
    kept = [c for c in classes if c not in STYLE_CLASSES]
    rest = re.sub(r'\s*aria-hidden="[^"]*"', "", match["rest"])
    return (
        f'<svg class="svg-inline--fa {html.escape(" ".join(kept))}"{rest} aria-hidden="true" focusable="false" '
        f'xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}">'
        f'<path fill="currentColor" d="{path}"/></svg>'
    )


def inline(page):
    """``page`` (HTML) with every Font Awesome icon element replaced by its inline SVG."""
    return ICON_ELEMENT.sub(svg_for, page)


def wrap_renderer(app):
    """Every page the HTML builder renders passes through :func:`inline` (Sphinx has no event after rendering)."""
    if app.builder.format != "html" or not hasattr(app.builder, "templates"):
        return
    templates = app.builder.templates
    render = templates.render

    def render_with_inline_icons(template, context):
        return inline(render(template, context))

    templates.render = render_with_inline_icons


FONT_FACE = re.compile(r"@font-face\{[^}]*\}")
FONT_SOURCE = re.compile(
    r'src:url\(([^)]*?/webfonts/)(fa-[a-z]+-[0-9]+)\.woff2\) format\("woff2"\),url\([^)]*\.ttf\) format\("truetype"\)'
)
GLYPH = re.compile(r"\\([0-9a-fA-F]{4})")


def subset_icon_fonts(app, exception):
    """Cut the Font Awesome fonts the built style sheets name down to the glyphs they use (see above)."""
    if exception is not None or app.builder.format != "html":
        return
    from fontTools import subset

    static = pathlib.Path(app.outdir) / "_static"
    sheets = {path: path.read_text(encoding="utf-8") for path in static.rglob("*.css")}
    codes = {int(code, 16) for text in sheets.values() for code in GLYPH.findall(text) if int(code, 16) >= 0xE000}
    fonts = {}
    for path, text in sheets.items():
        for face in FONT_FACE.findall(text):
            source = FONT_SOURCE.search(face)
            if not source:
                continue
            name = source[2]
            truetype = (path.parent / source[1] / f"{name}.ttf").resolve()
            if name not in fonts:
                options = subset.Options()
                options.flavor = "woff"  # WOFF2 would need brotli; WOFF needs nothing more
                options.layout_features = ["*"]
                font = subset.load_font(str(truetype), options)
                subsetter = subset.Subsetter(options)
                subsetter.populate(unicodes=codes & set(font.getBestCmap()))
                subsetter.subset(font)
                target = truetype.with_name(f"{name}.used.woff")
                subset.save_font(font, str(target), options)
                fonts[name] = target.name
            used = f'src:url({source[1]}{fonts[name]}) format("woff")'
            text = text.replace(face, face.replace(source[0], used))
        if text != sheets[path]:
            path.write_text(text, encoding="utf-8")


def setup(app):
    app.connect("builder-inited", wrap_renderer)
    app.connect("build-finished", subset_icon_fonts, priority=850)  # after purged_css (800)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
