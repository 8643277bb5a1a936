"""The chapter editions, written by the HTML build (a ``build-finished`` handler), and the book's side of them.

When the HTML builder finishes, the Sphinx environment in this process holds the book's own numbers
(``toc_secnumbers``, ``toc_fignumbers``), labels (the std domain), equations (the math domain), exercises
(sphinx-exercise) and citations (sphinxcontrib-bibtex, which formats them); myst-nb has left the executed
notebooks and their glue values in BUILD/jupyter_execute. From them this writes into BUILD/html/editions/:

- reader/NN.ipynb: plain Jupyter notebooks that read like the book in Colab, JupyterLab or nbconvert (no MyST):
  glued numbers written out, exercises numbered as in the book, solutions collapsed in <details> (their code
  cells hidden), admonitions as blockquotes, citations and cross-references as links to the book's pages, math
  in dollars, the build's outputs kept, each figure's alt text in a folded "Figure description" cell after it.
  nbgrader's marker lines are stripped.
- instructor/NN.ipynb: nbgrader's *source* version: the student's notebook with the solution code inside its
  ``### BEGIN/END SOLUTION`` regions and the hidden tests; no worked prose solutions, no outputs.
- student/NN.ipynb: what ``nbgrader generate_assignment`` makes of the instructor version.
- every edition's first code cell: the Colab setup cell (_ext/colab_setup.py), installing the course package at
  the commit that built the edition (a reader of an old edition gets the package that matches it).
- index.json: the commit that built them, what was written, the glued values each reader notebook quotes, and
  every chapter's execution time in the build.

Other builders (LaTeX) leave the editions alone. In the HTML book, code loses nbgrader's marker lines, and the
Colab and download buttons of every chapter open its reader edition (``launch_buttons.editions_branch`` and
``editions_path`` in _config.yml).

The converter works on the markdown-it tokens of myst-parser (the parser the book uses), not on regular
expressions: each MyST construct is found as a token and replaced by plain markdown; text between them is copied
from the source.
"""

import copy
import functools
import html
import json
import os
import pathlib
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile

import nbformat
import yaml
from docutils import nodes
from markdown_it.renderer import RendererHTML
from myst_nb.core.variables import format_plain_text
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser
from sphinx import addnodes
from sphinx.util import logging

import colab_setup

ROOT = pathlib.Path(__file__).resolve().parent.parent
LOGGER = logging.getLogger(__name__)
EDITIONS = ("reader", "instructor", "student")
# Lines that mark nbgrader regions; stripped from the book's HTML and the reader edition.
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
ADMONITIONS = {
    "note": "Note",
    "tip": "Tip",
    "hint": "Hint",
    "important": "Important",
    "warning": "Warning",
    "caution": "Caution",
    "attention": "Attention",
    "danger": "Danger",
    "error": "Error",
    "seealso": "See also",
}
DROPPED_DIRECTIVES = {"bibliography", "toctree", "tableofcontents", "contents"}


def strip_markers(source):
    """``source`` without the nbgrader marker lines (see MARKERS)."""
    return "\n".join(line for line in source.split("\n") if line.strip() not in MARKERS)


def markdown_parser(extensions=None):
    """myst-parser's markdown-it parser with the book's MyST extensions (default: those of _config.yml)."""
    if extensions is None:
        extensions = yaml.safe_load((ROOT / "_config.yml").read_text())["parse"]["myst_enable_extensions"]
    return create_md_parser(MdParserConfig(enable_extensions=set(extensions)), RendererHTML)


@functools.lru_cache(maxsize=None)
def build_commit():
    """The commit the editions are built from (`git rev-parse HEAD`), or None outside a git checkout."""
    result = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else None


def node_markdown(node, url):
    """A resolved reference node (docutils) as markdown; ``url`` makes a reference's target absolute."""
    if isinstance(node, nodes.Text):
        return str(node)
    inner = "".join(node_markdown(child, url) for child in node.children)
    if isinstance(node, nodes.emphasis):
        return f"*{inner}*"
    if isinstance(node, nodes.strong):
        return f"**{inner}**"
    if isinstance(node, nodes.reference):
        return f"[{inner}]({url(node.get('refuri') or '#' + node.get('refid', ''))})"
    return inner


class ConversionError(Exception):
    """A MyST construct the converter cannot write as plain markdown."""


# --------------------------------------------------------------------------- the build's data


class Build:
    """What the book build computed, read from the Sphinx environment of this process: numbers, labels,
    citations (formatted by sphinxcontrib-bibtex), glue values and outputs (myst-nb's files)."""

    def __init__(self, app, site_url):
        env = self.env = app.env
        self.builder = app.builder
        self.dir = pathlib.Path(app.outdir).parent
        self.site = site_url.rstrip("/") + "/"
        self.all_docs = set(env.all_docs)
        self.titles = {doc: node.astext() for doc, node in env.titles.items()}
        self.fignumbers = env.toc_fignumbers
        self.secnumbers = env.toc_secnumbers
        self.equations = env.get_domain("math").equations
        self.exercises = {
            label: info["docname"]
            for label, info in getattr(env, "sphinx_exercise_registry", {}).items()
            if info.get("type") == "exercise"
        }
        self.images = {path: unique for path, (_, unique) in env.images.items()}
        self.exec_data = {doc: meta.get("exec_data") for doc, meta in env.nb_metadata.items()}
        theme = app.config.html_theme_options
        self.repository = (theme["repository_url"], theme.get("repository_branch", "main"))

    def resolve(self, docname, role, target, title=None):
        """A role's cross-reference as Sphinx resolves it on ``docname``'s page (a docutils node, or None): the std
        domain's labels and numbers, the math domain's equations, sphinxcontrib-bibtex's formatted citations."""
        domain_name, _, typ = ("cite:p" if role == "cite" else role).rpartition(":")
        domain = self.env.get_domain(domain_name or ("math" if typ == "eq" else "std"))
        contnode = nodes.inline("", title or target)  # the role's text, as the std domain reads it (node.astext())
        node = addnodes.pending_xref("", contnode, refdomain=domain.name, reftype=typ, reftarget=target, refdoc=docname)
        node["refexplicit"], node.source, node.line = bool(title), self.env.doc2path(docname), 0
        return domain.resolve_xref(self.env, docname, self.builder, typ, target, node, contnode)

    def page_url(self, docname, anchor=""):
        return f"{self.site}{docname}.html" + (f"#{anchor}" if anchor else "")

    def glue(self, docname):
        path = self.dir / "jupyter_execute" / f"{docname}.glue.json"
        return json.loads(path.read_text()) if path.exists() else {}

    def executed(self, docname):
        path = self.dir / "jupyter_execute" / f"{docname}.ipynb"
        return nbformat.read(path, as_version=4) if path.exists() else None

    def number(self, docname, figtype, label):
        numbers = self.fignumbers.get(docname, {}).get(figtype, {}).get(label)
        return ".".join(map(str, numbers)) if numbers else None

    def exercise_number(self, label):
        docname = self.exercises.get(label)
        return self.number(docname, "exercise", label) if docname else None

    def chapter_number(self, docname):
        numbers = self.secnumbers.get(docname, {}).get("")
        return ".".join(map(str, numbers)) if numbers else None


# --------------------------------------------------------------------------- markdown


def directive_parts(token):
    """(name, argument, options, body) of a ```{name} argument fence token."""
    info = token.info.strip()
    name, _, argument = info[1:].partition("}")
    lines = token.content.split("\n")
    options = {}
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is None:
            raise ConversionError(f"unterminated option block in {{{name}}}")
        options = yaml.safe_load("\n".join(lines[1:end])) or {}
        lines = lines[end + 1 :]
    else:
        while lines and lines[0].startswith(":") and ":" in lines[0][1:]:
            key, _, value = lines[0][1:].partition(":")
            options[key.strip()] = value.strip()
            lines = lines[1:]
    return name.strip(), argument.strip(), options, "\n".join(lines).strip("\n")


def blockquote(text):
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.split("\n"))


def details(summary, body):
    return f"<details>\n<summary>{summary}</summary>\n\n{body}\n\n</details>"


def top_level_blocks(tokens):
    """Group block tokens into top-level blocks (an opener with everything to its closer)."""
    block = []
    for token in tokens:
        block.append(token)
        if token.level == 0 and token.nesting <= 0:
            yield block
            block = []
    if block:
        yield block


def split_role_text(text):
    """'title <target>' -> ('title', 'target'); 'target' -> (None, 'target')."""
    text = text.strip()
    if text.endswith(">") and "<" in text:
        title, _, target = text[:-1].rpartition("<")
        return title.strip(), target.strip()
    return None, text


class Converter:
    """Writes one notebook's MyST markdown as plain Jupyter markdown."""

    def __init__(self, build, docname, edition, md):
        self.build = build
        self.docname = docname
        self.edition = edition
        self.md = md
        self.glue_data = build.glue(docname)
        self.glued = {}  # name -> the text written into the prose
        self.missing = []  # glue keys the build did not compute
        self.warnings = []
        self.first_heading_done = False
        # label -> its heading as written in this notebook, for Jupyter's heading anchors (the heading's text with
        # hyphens for spaces; Sphinx's own title has typographic quotes where the source has straight ones)
        path = ROOT / f"{docname}.ipynb"
        cells = nbformat.read(path, as_version=4).cells if path.exists() else []
        markdown = "\n".join(c.source for c in cells if c.cell_type == "markdown")
        self.headings = dict(re.findall(r"^\(([\w-]+)\)=[ \t]*\n#+ (.+)$", markdown, re.MULTILINE))

    # ---- blocks

    def convert(self, text):
        tokens = self.md.parse(text)
        lines = text.split("\n")
        parts = []
        for block in top_level_blocks(tokens):
            rendered = self.block(block, lines)
            if rendered is not None:
                parts.append(rendered)
        return "\n\n".join(part for part in parts if part.strip())

    def block(self, block, lines):
        first = block[0]
        kind = first.type
        if kind in ("fence", "colon_fence") and first.info.strip().startswith("{"):
            return self.directive(first)
        if kind == "math_block_label":
            return self.math(first.content, first.info)
        if kind == "amsmath":
            return f"$$\n{first.content.strip()}\n$$"
        if kind == "myst_target":
            return f'<a id="{first.content}"></a>'
        if kind in ("myst_line_comment", "myst_block_break", "front_matter"):
            return None
        if first.map is None:
            raise ConversionError(f"block {kind} has no source position")
        start, end = first.map
        source = "\n".join(lines[start:end])
        inlines = [token for token in block if token.type == "inline"]
        source = self.inline(source, inlines)
        if kind == "heading_open" and first.tag == "h1" and not self.first_heading_done:
            self.first_heading_done = True
            number = self.build.chapter_number(self.docname)
            if number and source.startswith("# "):
                source = f"# {number}. {source[2:]}"
        return source

    def math(self, content, label):
        content = content.strip()
        docname, number = self.build.equations.get(label, (None, None)) if label else (None, None)
        tag = f" \\tag{{{number}}}" if number else ""
        return f"$$\n{content}{tag}\n$$"

    def directive(self, token):
        name, argument, options, body = directive_parts(token)
        classes = str(options.get("class", "")).split()
        if name in DROPPED_DIRECTIVES:
            return None
        if name == "exercise":
            label = options.get("label", "")
            number = self.build.exercise_number(label)
            header = f"**Exercise {number}**" if number else "**Exercise**"
            if argument:
                header += f" ({self.inline(argument, self.md.parseInline(argument))})"
            return blockquote(header + "\n\n" + self.convert(body))
        if name == "solution":
            if self.edition != "reader":
                return None
            return details(self.solution_title(argument), self.convert(body))
        if name in ("solution-start", "solution-end"):
            raise ConversionError(f"{{{name}}} is handled per cell; found inside other content")
        if name in ("math",):
            return self.math(body, options.get("label"))
        if name in ("code-block", "code", "sourcecode", "code-cell"):
            return f"```{argument}\n{body}\n```"
        if name in ("figure", "image"):
            return self.figure(argument, options, body)
        if name.startswith("glue"):
            return self.glue_block(name, argument)
        if name in ADMONITIONS or name in ("admonition", "dropdown"):
            title = ADMONITIONS.get(name) or argument or name.capitalize()
            if name in ADMONITIONS and argument:
                title = f"{title}: {argument}"
            title = self.inline(title, self.md.parseInline(title))
            content = self.convert(body)
            if name == "dropdown" or "dropdown" in classes:
                return details(title, content)
            return blockquote(f"**{title}**\n\n{content}")
        self.warnings.append(f"{self.docname}: unknown directive {{{name}}} written as a blockquote")
        title = argument or name
        return blockquote(f"**{title}**\n\n{self.convert(body)}")

    def solution_title(self, label):
        number = self.build.exercise_number(label)
        return f"Solution to Exercise {number}" if number else "Solution"

    def figure(self, path, options, caption):
        docdir = posixpath.dirname(self.docname)
        relative = posixpath.normpath(posixpath.join(docdir, path))
        unique = self.build.images.get(relative)
        url = path if "://" in path else f"{self.build.site}_images/{unique or posixpath.basename(path)}"
        alt = options.get("alt", caption.split("\n")[0] if caption else "")
        text = f"![{alt}]({url})"
        if caption:
            text += "\n\n*" + self.convert(caption) + "*"
        return text

    def glue_value(self, key):
        if "::" in key:
            raise ConversionError(f"{self.docname}: glue from another page ({key}) is not supported")
        output = self.glue_data.get(key)
        if output is None:  # the build has warned already (and fails with -W)
            self.warnings.append(f"{self.docname}: glue key {key!r} was not computed by the build")
            self.missing.append(key)
            return {"text/plain": "'(not computed)'"}
        return output["data"]

    def glue_block(self, name, key):
        data = self.glue_value(key)
        for mime in ("image/png", "image/jpeg"):
            if mime in data:
                return f'<img src="data:{mime};base64,{data[mime]}" alt="{key}">'
        if "text/markdown" in data:
            return data["text/markdown"]
        if "text/latex" in data:
            return f"$$\n{data['text/latex'].strip('$')}\n$$"
        text = format_plain_text(data["text/plain"], "")
        self.glued[key] = text
        return text

    # ---- inline

    def inline(self, source, inline_tokens):
        """``source`` with each role and rewritten link (found as tokens) replaced in place."""
        out, position = [], 0
        for inline in inline_tokens:
            for child in inline.children or []:
                if child.type == "code_inline":
                    found = source.find(child.content, position)
                    if found >= 0:
                        out.append(source[position : found + len(child.content)])
                        position = found + len(child.content)
                elif child.type == "myst_role":
                    name, content = child.meta["name"], child.content
                    for ticks in ("`", "``", "```"):
                        raw = "{" + name + "}" + ticks + content + ticks
                        found = source.find(raw, position)
                        if found >= 0:
                            break
                    else:
                        raise ConversionError(f"{self.docname}: cannot locate role {{{name}}}`{content}`")
                    out.append(source[position:found])
                    out.append(self.role(name, content))
                    position = found + len(raw)
                elif child.type == "link_open":
                    href = child.attrGet("href")
                    new = self.href(href)
                    if new != href:
                        raw = "(" + href
                        found = source.find(raw, position)
                        if found < 0:
                            raise ConversionError(f"{self.docname}: cannot locate link {href}")
                        out.append(source[position:found] + "(" + new)
                        position = found + len(raw)
                elif child.type == "substitution_inline":
                    raise ConversionError(f"{self.docname}: substitutions are not supported")
        out.append(source[position:])
        return "".join(out)

    def href(self, href):
        if "://" in href or href.startswith("mailto:"):
            return href
        if href.startswith("#"):
            node = self.build.resolve(self.docname, "ref", href[1:], "link")
            return self.link(node, href[1:])[1] if node is not None else href
        path, _, anchor = href.partition("#")
        docname = posixpath.normpath(posixpath.join(posixpath.dirname(self.docname), path))
        docname = docname.removesuffix(".ipynb").removesuffix(".md")
        if docname in self.build.all_docs:
            return self.build.page_url(docname, anchor)
        return href

    def link(self, node, label):
        """(text, url) of a resolved reference node; a section of this notebook links to Jupyter's anchor of its
        heading (the heading's text with hyphens for spaces), anything else to the book's page."""
        for reference in node.findall(nodes.reference):
            if reference.get("refid") and label in self.headings:
                return reference.astext(), "#" + self.headings[label].strip().replace(" ", "-")
            return reference.astext(), self.absolute(reference.get("refuri") or "#" + reference.get("refid", ""))
        return node.astext(), None

    def role(self, name, content):
        if name.startswith("glue"):
            key, fmt = content, ""
            if name == "glue:text":
                key, _, fmt = content.rpartition(":") if ":" in content else ("", "", "")
                key, fmt = (key, fmt) if key else (content, "s")
            data = self.glue_value(key)
            if name == "glue:md" and "text/markdown" in data:
                text = data["text/markdown"]
            elif name == "glue:math" and "text/latex" in data:
                text = "$" + data["text/latex"].strip("$") + "$"
            elif key in self.missing:
                text = "(not computed)"
            else:
                text = format_plain_text(data["text/plain"], fmt)
            self.glued[key] = text
            return text
        if name.startswith("cite") or name in ("ref", "numref", "doc", "eq"):
            return self.reference(name, content)
        if name == "math":
            return f"${content}$"
        if name == "abbr":
            title, target = split_role_text(content)
            return f"{title} ({target})" if title else target
        self.warnings.append(f"{self.docname}: unknown role {{{name}}} written as text")
        return split_role_text(content)[0] or split_role_text(content)[1]

    def absolute(self, url):
        """A link of the book's page of this chapter, made absolute (the site's address)."""
        if "://" in url:
            return url
        if url.startswith("#"):
            return self.build.page_url(self.docname, url[1:])
        return self.build.site + posixpath.normpath(posixpath.join(posixpath.dirname(self.docname), url))

    def reference(self, name, content):
        """A cross-reference or citation as the book's page shows it, as markdown links."""
        title, target = split_role_text(content)
        node = self.build.resolve(self.docname, name, target, title)
        if node is None:  # Sphinx has warned (and -W fails the build)
            self.warnings.append(f"{self.docname}: unresolved {{{name}}}`{content}`, written as text")
            return title or target
        if name.startswith("cite"):
            return node_markdown(node, self.absolute)
        text, url = self.link(node, target)
        return f"[{text}]({url})" if url else text


# --------------------------------------------------------------------------- code


def without_glue_records(outputs):
    """The build's outputs of a cell without myst-nb's glue records.

    The reader edition writes each glued value into the prose and keeps the cell's ``glue(...)`` call,
    which shows nothing in Jupyter or Colab (`softmax_course.book.glue`): no ``name = value`` plumbing.
    """
    return [output for output in outputs if "scrapbook" not in output.get("metadata", {})]


# --------------------------------------------------------------------------- cells


def gate(cell, md):
    """'start' / 'end' / None: whether a markdown cell opens or closes a gated solution."""
    if cell.cell_type != "markdown":
        return None, None
    for token in md.parse(cell.source):
        if token.type in ("fence", "colon_fence") and token.info.strip().startswith("{solution-"):
            name, argument, _, _ = directive_parts(token)
            if name == "solution-start":
                return "start", argument
            if name == "solution-end":
                return "end", argument
    return None, None


def gates_with_code(cells, md):
    """Labels of the gated solutions that hold at least one code cell."""
    labels, open_label = set(), None
    for cell in cells:
        which, label = gate(cell, md)
        if which == "start":
            open_label = label
        elif which == "end":
            open_label = None
        elif open_label is not None and cell.cell_type == "code":
            labels.add(open_label)
    return labels


# What the editions need to know about a cell is in its metadata, written once in the notebook:
# - nbgrader's metadata: ``solution`` (code inside ``### BEGIN/END SOLUTION``), ``grade`` (a test cell);
# - tag ``withheld-from-students``: a cell that prints the package's source of a function an exercise asks the
#   student to write; the instructor and student editions put a note in its place;
# - tags ``hide-input``, ``remove-input``, ``remove-cell``: code the book hides, folded in the reader edition;
# - ``mystnb.image.alt``: a figure's alt text; myst-nb's ``scrapbook`` output metadata marks glue records.
WITHHELD = "withheld-from-students"
WITHHELD_NOTE = (
    "*In the book, a cell here prints the package's source of a function that an exercise below asks you to write "
    "yourself, so this edition leaves it out; the book shows it.*"
)


def gated_cell_markdown(converter, cell, md, edition, has_code=True):
    """(label, markdown) of a cell that opens a gated solution.

    What comes before the ``{solution-start}`` fence (often the exercise itself) is kept;
    the solution's prose after it becomes a collapsed box in the reader edition and is
    dropped from the others.
    """
    lines = cell.source.split("\n")
    for token in md.parse(cell.source):
        if token.type in ("fence", "colon_fence") and token.info.strip().startswith("{solution-start"):
            label = directive_parts(token)[1]
            start, end = token.map
            break
    before = converter.convert("\n".join(lines[:start])) if "\n".join(lines[:start]).strip() else ""
    if edition != "reader":
        return label, before
    prose = "\n".join(lines[end:])
    body = converter.convert(prose) if prose.strip() else ""
    note = (
        (
            '*The solution\'s code is in the folded cell that follows (Colab: "Show code"; JupyterLab and Notebook: '
            "click the bar with three dots).*"
        )
        if has_code
        else ""
    )
    box = details(converter.solution_title(label), (body + "\n\n" + note).strip())
    return label, (before + "\n\n" + box).strip()


def is_nbgrader_solution(cell):
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("solution"))


def kernel_metadata(source, executed):
    """The notebook's ``kernelspec`` and ``language_info`` as JupyterLab and Notebook 7 write them when the
    kernel starts: the kernel spec's own display name and language (from the building environment, e.g.
    "Python 3 (ipykernel)") and the ``language_info`` the kernel reported when the build ran the chapter
    (in the executed notebook). A notebook that already holds them opens clean, not marked unsaved, for
    a reader whose kernel reports the same (the course's environment); else ``{}`` for the missing part.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    metadata = {}
    name = source.metadata.get("kernelspec", {}).get("name")
    if name:
        try:
            spec = KernelSpecManager().get_kernel_spec(name)
            metadata["kernelspec"] = {"name": name, "display_name": spec.display_name, "language": spec.language}
        except NoSuchKernel:
            pass
    language_info = executed.metadata.get("language_info") if executed is not None else None
    if language_info and language_info.get("version"):
        metadata["language_info"] = dict(language_info)
    return metadata


def new_notebook_like(source):
    notebook = copy.deepcopy(source)
    notebook.cells = []
    return notebook


# JupyterLab and Notebook 7 show a folded cell as its first line, unwrapped, with the "..." that unfolds
# it at the end of that line: a longer first line runs off the side of the notebook (1280 px window with
# the file browser open: about 100 characters), the notebook scrolls sideways and the "..." is out of sight.
FOLDED_LINE = 79


def folded_title(cell):
    """A short title for a folded cell whose first line is too long to show folded (see FOLDED_LINE)."""
    tags = cell.metadata.get("tags", [])
    if "colab-setup" in tags:
        return "Setup: installs what this chapter needs in Colab; elsewhere, says how"
    if cell.metadata.get("nbgrader", {}).get("grade"):
        return "Test of your answer"
    if "remove-cell" in tags:
        return "Check of the text above (hidden in the book)"
    return "Code (hidden in the book)"


def hide_code(cell, title=None):
    cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
    cell.metadata["cellView"] = "form"  # Colab: the code folds under its title
    if title is None and len(cell.source.split("\n", 1)[0]) > FOLDED_LINE:
        title = folded_title(cell)
    if title:
        cell.source = f"# @title {title}\n" + cell.source


def figure_description(cell):
    """A folded markdown cell holding the alt text of the figure ``cell`` draws, or None.

    The book puts the text in the image's ``alt`` (cell metadata ``mystnb.image.alt``); Jupyter and
    Colab show a plot output with no alt text, so the editions carry it in a cell of its own, folded
    under "Figure description" (a ``<details>`` element, read by screen readers, out of the way of
    everyone else). Its id, if the notebook's format has ids, follows from the figure cell's, so a
    rebuild writes the same notebook.
    """
    alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt")
    if not alt:
        return None
    return markdown_cell_after(cell, details("Figure description", html.escape(alt, quote=False)), "description")


INTERACTIVE_FIGURE = re.compile(r'<figure class="softmax-course-interactive" id="([\w-]+)"')


def as_pictures(outputs):
    """The ids of the interactive figures among ``outputs``, whose HTML is dropped for their picture.

    Jupyter and Colab do not load the figures' JavaScript, so the HTML would show controls that do
    nothing; its PNG twin (with its alt text) is what the notebook shows instead.
    """
    ids = []
    for output in outputs:
        page = output.get("data", {}).get("text/html")
        page = "".join(page) if isinstance(page, list) else page
        match = INTERACTIVE_FIGURE.search(page or "")
        if match and "image/png" in output["data"]:
            del output["data"]["text/html"]
            ids.append(match.group(1))
    return ids


def markdown_cell_after(cell, source, suffix):
    """A new markdown cell to stand next to ``cell``: its id is ``cell``'s plus ``suffix`` (so a rebuild
    writes the same notebook), or absent if ``cell``'s notebook format (nbformat 4.4) has no ids."""
    new = nbformat.v4.new_markdown_cell(source)
    if "id" in cell:
        new.id = f"{cell.id}-{suffix}"[:64]
    else:
        del new["id"]
    return new


def cell_key(cell, position):
    """A cell's id, or its position in a notebook whose format (nbformat 4.4) has no ids."""
    return cell.get("id") or position


def executed_cells_by_key(source, executed):
    """{cell_key: executed cell}. myst-nb runs the source notebook as it is, cell for cell, so a
    notebook without ids is matched by position; the cell types must then agree."""
    if len(executed.cells) != len(source.cells) or any(
        a.cell_type != b.cell_type for a, b in zip(source.cells, executed.cells)
    ):
        raise ConversionError("the executed notebook does not have the source's cells: rebuild the book")
    return {cell_key(cell, position): ran for position, (cell, ran) in enumerate(zip(source.cells, executed.cells))}


def make_edition(build, docname, edition, md):
    """The reader or instructor edition of ``docname`` (a notebook node) and its converter."""
    source = nbformat.read(ROOT / f"{docname}.ipynb", as_version=4)
    executed = build.executed(docname)
    executed_by_key = executed_cells_by_key(source, executed) if executed and edition == "reader" else {}
    converter = Converter(build, docname, edition, md)
    notebook = new_notebook_like(source)
    notebook.metadata.update(kernel_metadata(source, executed))  # opens clean in JupyterLab (not "unsaved")
    notebook.metadata["editions"] = {"edition": edition, "source": f"{docname}.ipynb", "book": build.page_url(docname)}
    notebook.metadata.pop("mystnb", None)
    notebook.metadata.pop("jupytext", None)
    open_label, with_code = None, gates_with_code(source.cells, md)
    for position, cell in enumerate(source.cells):
        cell = copy.deepcopy(cell)
        which, label = gate(cell, md)
        if which == "start":
            open_label, cell.source = gated_cell_markdown(converter, cell, md, edition, label in with_code)
            if cell.source.strip():
                notebook.cells.append(cell)
            continue
        if which == "end":
            open_label = None
            lines = cell.source.split("\n")
            fence = next(t for t in md.parse(cell.source) if t.info.strip().startswith("{solution-end"))
            rest = "\n".join(lines[: fence.map[0]] + [""] + lines[fence.map[1] :])
            if rest.strip():
                cell.source = converter.convert(rest)
                notebook.cells.append(cell)
            continue
        if cell.cell_type == "markdown":
            if open_label is not None and edition != "reader":
                continue  # prose inside a worked solution: not for students
            cell.source = converter.convert(cell.source)
            if open_label is not None and cell.source.strip():
                cell.source = details(converter.solution_title(open_label) + " (continued)", cell.source)
            if cell.source.strip():
                notebook.cells.append(cell)
            continue
        if cell.cell_type != "code":
            notebook.cells.append(cell)
            continue
        if open_label is not None and edition != "reader" and not is_nbgrader_solution(cell):
            continue  # a worked solution's code: not for students
        tags = cell.metadata.get("tags", [])
        if edition == "reader":
            cell.source = strip_markers(cell.source)
            if open_label is not None:
                hide_code(cell, converter.solution_title(open_label))
                # nbconvert shows folded code unfolded; its templates leave out a source marked so.
                cell.metadata["transient"] = {"remove_source": True}
            elif {"hide-input", "remove-input", "remove-cell"} & set(tags):
                hide_code(cell)
            cell.metadata.pop("nbgrader", None)
            ran = executed_by_key.get(cell_key(cell, position))
            ran = ran if ran is not None and ran.cell_type == "code" else None
            cell.outputs = without_glue_records(ran.outputs) if ran is not None else []
            alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt")
            for output in cell.outputs if alt else []:
                if "image/png" in output.get("data", {}):  # the alt text where a notebook client looks for it
                    output.setdefault("metadata", {}).setdefault("image/png", {}).setdefault("alt", alt)
            cell.execution_count = ran.get("execution_count") if ran is not None else None
        else:
            if WITHHELD in tags:
                notebook.cells.append(markdown_cell_after(cell, WITHHELD_NOTE, "withheld"))
                continue
            cell.outputs, cell.execution_count = [], None
        notebook.cells.append(cell)
        description = figure_description(cell)
        if description is not None:
            notebook.cells.append(description)
        for figure in as_pictures(cell.outputs) if edition == "reader" else []:
            link = build.page_url(docname, figure)
            note = f"*This is a picture of the figure as it starts. In the [web book]({link}) it is interactive.*"
            notebook.cells.append(markdown_cell_after(cell, note, f"interactive-{figure}"))
    if open_label is not None:
        raise ConversionError(f"{docname}: {{solution-start}} {open_label} has no {{solution-end}}")
    url, branch = build.repository
    setup = colab_setup.setup_cell(source, f"softmax-course @ git+{url}@{build_commit() or branch}")
    if edition == "reader":
        hide_code(setup)
    notebook.cells.insert(1 if notebook.cells and notebook.cells[0].cell_type == "markdown" else 0, setup)
    return notebook, converter


# --------------------------------------------------------------------------- nbgrader


def generate_student(instructor_paths, student_dir, python=sys.executable):
    """Run `nbgrader generate_assignment` on the instructor notebooks (one assignment per chapter)."""
    nbgrader = str(pathlib.Path(python).parent / "nbgrader")
    with tempfile.TemporaryDirectory(prefix="nbgrader-course-") as course:
        course = pathlib.Path(course)
        for path in instructor_paths:
            (course / "source" / path.stem).mkdir(parents=True)
            shutil.copy(path, course / "source" / path.stem / path.name)
        subprocess.run(
            [
                nbgrader,
                "generate_assignment",
                "*",
                "--no-db",
                "--force",
                f"--CourseDirectory.root={course}",
                "--log-level=ERROR",
            ],
            check=True,
            cwd=course,
        )
        for path in instructor_paths:
            notebook = nbformat.read(course / "release" / path.stem / path.name, as_version=4)
            notebook.metadata["editions"]["edition"] = "student"
            nbformat.write(notebook, student_dir / path.name)


def write_notebook(notebook, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.validate(notebook)
    nbformat.write(notebook, path)


def chapters(env):
    """Docnames of the chapters (notebooks/NN_x), in the order of the book's table of contents."""
    found = []

    def walk(docname):
        if docname.startswith("notebooks/") and docname not in found:
            found.append(docname)
        for child in env.toctree_includes.get(docname, []):
            walk(child)

    walk(env.config.root_doc)
    return found


def write_editions(app, exception):
    """build-finished: write the editions of every chapter into BUILD/html/editions (HTML builder only)."""
    if exception is not None or app.builder.name != "html":
        return
    theme = app.config.html_theme_options
    owner_repo = theme["repository_url"].rstrip("/").split("/")[-2:]
    site = os.environ.get("BOOK_SITE_URL") or "https://{}.github.io/{}/".format(*owner_repo)
    build = Build(app, site)
    md = markdown_parser(app.config.myst_enable_extensions)
    out = pathlib.Path(app.outdir) / "editions"
    index = {"site_url": build.site, "commit": build_commit(), "chapters": {}}
    instructor_paths = []
    for docname in chapters(app.env):
        name = docname.split("/")[-1]
        entry = {"title": build.titles.get(docname, name)}
        for edition in ("reader", "instructor"):
            notebook, converter = make_edition(build, docname, edition, md)
            path = out / edition / f"{name}.ipynb"
            write_notebook(notebook, path)
            for warning in converter.warnings:
                LOGGER.warning(warning, type="editions")
            if edition == "reader":
                entry["glued"] = {k: v for k, v in converter.glued.items() if k not in converter.missing}
                entry["glue_missing"] = sorted(set(converter.missing))
            else:
                instructor_paths.append(path)
                entry["exercises"] = sum(1 for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade"))
        exec_data = build.exec_data.get(docname) or {}
        entry["execution_seconds"] = round(exec_data.get("runtime", 0.0), 1)
        index["chapters"][name] = entry
    (out / "student").mkdir(parents=True, exist_ok=True)
    generate_student(instructor_paths, out / "student")
    (out / "index.json").write_text(json.dumps(index, indent=1, ensure_ascii=False) + "\n")
    LOGGER.info(f"editions of {len(index['chapters'])} chapters written to {out}")


# --------------------------------------------------------------------------- the HTML book


def _strip_marker_lines(app, doctree, docname):
    for block in doctree.findall(nodes.literal_block):
        text = block.astext()
        if any(marker in text for marker in MARKERS):
            block.rawsource = strip_markers(text)
            block.children = [nodes.Text(block.rawsource)]


def _point_buttons_at_editions(app, pagename, templatename, context, doctree):
    """The Colab button opens the chapter's reader edition on the site's branch; the download button
    delivers the same file from this site."""
    if not pagename.startswith("notebooks/") or "header_buttons" not in context:
        return
    launch = app.config.html_theme_options.get("launch_buttons", {}) or {}
    branch = launch.get("editions_branch", "gh-pages")
    folder = str(launch.get("editions_path", "editions/reader")).strip("/")
    colab = str(launch.get("colab_url", "")).rstrip("/")
    owner_repo = "/".join(str(app.config.html_theme_options.get("repository_url", "")).rstrip("/").split("/")[-2:])
    name = posixpath.basename(pagename) + ".ipynb"
    for group in context["header_buttons"]:
        for button in group.get("buttons", []):
            if group.get("label") == "launch-buttons" and button.get("text") == "Colab" and colab:
                button["url"] = f"{colab}/github/{owner_repo}/blob/{branch}/{folder}/{name}"
                button["tooltip"] = "Open the reader edition in Colab"
            elif group.get("label") == "download-buttons" and button.get("text") == ".ipynb":
                button["url"] = context["pathto"](f"{folder}/{name}", 1)
                button["tooltip"] = "Download the reader edition (a plain Jupyter notebook)"


def _say_which_commit(app, config):
    """Every page's footer names the commit that built the site (and its editions)."""
    commit, url = build_commit(), config.html_theme_options.get("repository_url", "").rstrip("/")
    if commit and url:
        link = f'<a href="{url}/tree/{commit}">{commit[:7]}</a>'
        config.html_theme_options["extra_footer"] = f"<p>Built from commit {link}.</p>"


def setup(app):
    app.connect("config-inited", _say_which_commit)
    app.connect("doctree-resolved", _strip_marker_lines)
    # After sphinx-book-theme adds its buttons (priority 501), before the page is written.
    app.connect("html-page-context", _point_buttons_at_editions, priority=600)
    app.connect("build-finished", write_editions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
