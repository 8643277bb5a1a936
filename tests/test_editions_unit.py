"""The editions' converter (_ext/course_editions.py) on small MyST samples (no book build needed)."""

import types

import nbformat
from docutils import nodes

import course_editions as editions

SITE = "https://example.github.io/book/"


def fake_resolve(docname, role, target, title=None):
    """What Sphinx resolves a role to on the page of ``docname`` (notebooks/01_x): a reference node, its link
    relative to that page (another page) or an id (this page); a citation in sphinxcontrib-bibtex's author-year
    style; None for a target Sphinx does not know."""
    if role.startswith("cite"):
        link = nodes.reference("", "", refuri="../book/bibliography.html#id1")
        if role == "cite:t":
            link += nodes.Text("2020")
            return nodes.inline(
                "", "", nodes.Text("Smith "), nodes.emphasis(text="et al."), nodes.Text(" ["), link, nodes.Text("]")
            )
        link += [nodes.Text("Smith "), nodes.emphasis(text="et al."), nodes.Text(", 2020")]
        return nodes.inline("", "", nodes.Text("["), link, nodes.Text("]"))
    resolved = {
        ("ref", "sec-y"): {"refuri": "02_y.html#sec-y", "text": "A section"},
        ("numref", "fig-a"): {"refid": "fig-a", "text": "Fig. 1.1"},
        ("eq", "eq-a"): {"refid": "equation-eq-a", "text": "(3)"},
    }.get((role, target))
    if resolved is None:
        return None
    text = resolved.pop("text")
    return nodes.reference("", "", nodes.inline("", title or text), internal=True, **resolved)


def fake_build():
    build = types.SimpleNamespace(
        site=SITE,
        all_docs={"notebooks/01_x", "notebooks/02_y", "book/notation", "book/bibliography"},
        titles={"book/notation": "Notation", "notebooks/02_y": "Two"},
        fignumbers={"notebooks/01_x": {"exercise": {"ex-01-a": (1, 1)}, "figure": {"fig-a": (1, 1)}}},
        secnumbers={"notebooks/01_x": {"": (1,)}},
        equations={"eq-a": ("notebooks/01_x", 3)},
        exercises={"ex-01-a": "notebooks/01_x"},
        images={},
        resolve=fake_resolve,
        glue=lambda docname: {"acc": {"data": {"text/plain": "0.91234"}}},
        page_url=lambda docname, anchor="": f"{SITE}{docname}.html" + (f"#{anchor}" if anchor else ""),
    )
    build.number = lambda docname, figtype, label: editions.Build.number(build, docname, figtype, label)
    build.exercise_number = lambda label: editions.Build.exercise_number(build, label)
    build.chapter_number = lambda docname: editions.Build.chapter_number(build, docname)
    return build


def convert(text, edition="reader"):
    converter = editions.Converter(fake_build(), "notebooks/01_x", edition, editions.markdown_parser())
    return converter.convert(text), converter


def test_glue_cite_and_references_become_plain_markdown():
    text, converter = convert(
        "# Title\n\nAccuracy {glue:text}`acc:.2f` as {cite}`smith2020` found; {cite:t}`smith2020` too.\n"
        "See {ref}`sec-y`, {numref}`fig-a`, {eq}`eq-a`, [notation](../book/notation.md#sym) and `{ref}` in code."
    )
    assert text.startswith("# 1. Title")
    assert (
        "Accuracy 0.91 as [[Smith *et al.*, 2020](https://example.github.io/book/book/bibliography.html#id1)]" in text
    )
    assert "Smith *et al.* [[2020](" in text
    assert f"[A section]({SITE}notebooks/02_y.html#sec-y)" in text
    assert f"[Fig. 1.1]({SITE}notebooks/01_x.html#fig-a)" in text
    assert f"[(3)]({SITE}notebooks/01_x.html#equation-eq-a)" in text
    assert f"[notation]({SITE}book/notation.html#sym)" in text
    assert "`{ref}`" in text  # code is left alone
    assert converter.glued == {"acc": "0.91"}


def test_an_unresolved_reference_is_written_as_its_text_with_a_warning():
    text, converter = convert("See {ref}`the lost section <nowhere>` and {ref}`nowhere`.")
    assert text == "See the lost section and nowhere."
    assert len(converter.warnings) == 2 and "nowhere" in converter.warnings[0]


def test_exercise_solution_and_admonition():
    source = (
        ":::{exercise}\n:label: ex-01-a\nProve $x$.\n:::\n\n"
        ":::{solution} ex-01-a\n:class: dropdown\nBecause.\n:::\n\n"
        "```{note}\nMind $y$.\n```\n\n$$ a = b $$ (eq-a)\n"
    )
    reader, _ = convert(source)
    assert "> **Exercise 1.1**\n>\n> Prove $x$." in reader
    assert "<details>\n<summary>Solution to Exercise 1.1</summary>\n\nBecause.\n\n</details>" in reader
    assert "> **Note**\n>\n> Mind $y$." in reader
    assert "$$\na = b \\tag{3}\n$$" in reader
    student, _ = convert(source, "instructor")
    assert "Because" not in student and "Exercise 1.1" in student


def test_markers_are_stripped():
    source = "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n"
    assert editions.strip_markers(source) == "def f():\n    return 1\n"


def test_glue_records_leave_the_outputs_and_nothing_is_printed_instead():
    result = nbformat.v4.new_output("execute_result", data={"text/plain": "3"}, execution_count=1)
    record = nbformat.v4.new_output(
        "display_data", data={"text/plain": "0.5"}, metadata={"scrapbook": {"name": "half"}}
    )
    assert editions.without_glue_records([record, result]) == [result]


def test_only_the_html_builder_writes_editions(tmp_path):
    """A LaTeX build (make pdf) leaves the editions of the HTML build as they were, whatever the order of builds."""
    app = types.SimpleNamespace(builder=types.SimpleNamespace(name="latex"), outdir=str(tmp_path / "latex"))
    (tmp_path / "latex").mkdir()
    editions.write_editions(app, None)
    assert list(tmp_path.rglob("*")) == [tmp_path / "latex"]
