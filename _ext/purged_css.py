"""Only the CSS the book uses: rules that no page can use are removed from the built style sheets.

The theme's style sheets are written for every site (pydata-sphinx-theme.css alone is 397 KB, with
Bootstrap and Font Awesome in it) and block the first paint of every page until they have arrived:
553 KB in 12 files before (issue 18). After the HTML build, PurgeCSS (npm, pinned in
package-lock.json; _ext/purge_css.js) removes from each style sheet the rules whose classes, ids
and elements occur in no page and no script of the built book; the states that scripts set
(Bootstrap's ``show``, the theme's ``data-theme`` for light and dark, ...) always stay. The
style sheets keep their names; a page's look does not change (tests/browser compare the pages in
light and dark mode with axe, and their phone width).

What each file weighed before and after is logged (``sphinx-build -v``).
"""

import json
import pathlib
import shutil
import subprocess

from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

HERE = pathlib.Path(__file__).resolve().parent
PURGECSS = HERE.parent / "node_modules" / "purgecss"


def style_sheets(outdir):
    """The style sheets of the build (under _static), as paths relative to ``outdir``."""
    static = outdir / "_static"
    return sorted(path.relative_to(outdir).as_posix() for path in static.rglob("*.css"))


def purge(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    node = shutil.which("node")
    if node is None or not (PURGECSS / "package.json").is_file():
        raise ExtensionError(f"purged_css needs node and {PURGECSS}: install nodejs and run `npm ci`")
    outdir = pathlib.Path(app.outdir)
    files = style_sheets(outdir)
    done = subprocess.run(
        [node, str(HERE / "purge_css.js"), str(PURGECSS), str(outdir), *files],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise ExtensionError(f"purging the style sheets failed:\n{done.stderr}")
    report = json.loads(done.stdout)
    before = sum(b for b, _ in report.values())
    after = sum(a for _, a in report.values())
    logger.info(f"purged_css: {len(report)} style sheets, {before:,} B -> {after:,} B")
    for name, (b, a) in report.items():
        logger.verbose(f"purged_css: {name} {b:,} B -> {a:,} B")


def setup(app):
    # After every page and static file is written, index.html included (accessible_html, 400).
    app.connect("build-finished", purge, priority=800)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
