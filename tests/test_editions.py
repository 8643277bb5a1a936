"""The chapter editions that the HTML build writes (_ext/course_editions.py).

Reads BOOK_BUILD_DIR (default `_build`, as `make book` and the test command's
book step leave it). Checks, for whatever chapters and exercises exist:
- the reader edition holds no MyST (checked on parsed markdown, with myst-parser's
  tokens and with a plain CommonMark parser, which is what Jupyter renders), and
  every glued value the book prints appears in it, as the build computed it;
- exercises are numbered as the built HTML numbers them;
- the Colab and download buttons of every chapter page point at edition files
  that exist;
- no worked solution reaches a student notebook;
- `nbgrader autograde` of the untouched student notebooks runs and scores 0 on
  every autograded exercise, and of the instructor versions scores full marks (scored
  on the outputs the same cells got in the notebooks step's run, not executed again).
"""

import ast
import concurrent.futures
import html
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

import nbformat
import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

import course_editions as editions

ROOT = editions.ROOT
BUILD = (ROOT / os.environ.get("BOOK_BUILD_DIR", "_build")).resolve()
HTML = BUILD / "html"
EDITIONS_DIR = HTML / "editions"
CHAPTERS = sorted(path.stem for path in (ROOT / "notebooks").glob("*.ipynb"))  # _toc.yml lists them all (-W)
MYST = editions.markdown_parser()
COMMONMARK = MarkdownIt("commonmark").enable("table")
# Text that would mean a MyST construct was left raw.
RAW_MYST = (
    "{glue",
    "{cite",
    "{ref}",
    "{numref}",
    "{doc}",
    "{eq}",
    "{exercise}",
    "{solution",
    "{admonition}",
    "{note}",
    "{math}",
    ":::",
)
DIRECTIVE_OPTIONS = (":label:", ":class:", ":name:", ":nonumber:", ":alt:", ":width:")

if not (EDITIONS_DIR / "index.json").exists():
    pytest.skip(f"no editions in {EDITIONS_DIR}: run `make book` first", allow_module_level=True)
INDEX = json.loads((EDITIONS_DIR / "index.json").read_text())


def edition(kind, name):
    return nbformat.read(EDITIONS_DIR / kind / f"{name}.ipynb", as_version=4)


def source(name):
    return nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)


def all_tokens(tokens):
    """Every token, children included, and the tokens of a directive's body (a `{solution}` fence holds markdown)."""
    for token in tokens:
        yield token
        yield from all_tokens(token.children or [])
        if token.type in ("fence", "colon_fence") and token.info.strip().startswith("{"):
            yield from all_tokens(MYST.parse(token.content))


def markdown_text(notebook):
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")


def test_every_chapter_has_all_editions():
    for kind in editions.EDITIONS:
        assert sorted(p.stem for p in (EDITIONS_DIR / kind).glob("*.ipynb")) == sorted(CHAPTERS), kind


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_edition_installs_the_package_at_the_commit_that_built_it(name):
    commit = json.loads((EDITIONS_DIR / "index.json").read_text())["commit"]
    assert commit and len(commit) == 40, commit
    for kind in editions.EDITIONS:
        cells = edition(kind, name).cells
        setup = [cell for cell in cells if "colab-setup" in cell.metadata.get("tags", [])]
        assert len(setup) == 1, kind
        specs = re.findall(r'"softmax-course @ git\+(\S+)"', setup[0].source)
        assert specs and all(spec.endswith(f"@{commit}") for spec in specs), (kind, specs)
        first = next(cell for cell in cells if cell.cell_type == "code")
        assert first is setup[0], f"{kind}: the setup cell is not the first code cell"
        imports_mxnet = any(
            line.lstrip().startswith(("import mxnet", "from mxnet"))
            for cell in source(name).cells
            if cell.cell_type == "code"
            for line in cell.source.splitlines()
        )
        assert ("mxnet==1.9.1" in setup[0].source) == imports_mxnet, kind


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_page_names_the_commit_that_built_it(name):
    commit = INDEX["commit"]
    page = BeautifulSoup((HTML / "notebooks" / f"{name}.html").read_text(), "html.parser")
    footer = page.select_one("footer.bd-footer-content .extra_footer")
    assert footer is not None and f"Built from commit {commit[:7]}" in " ".join(footer.get_text().split())
    assert footer.select_one(f'a[href$="/tree/{commit}"]') is not None


@pytest.mark.parametrize("name", CHAPTERS)
def test_links_within_a_chapter_jump_to_its_headings_in_the_notebook(name):
    """Jupyter gives each heading the anchor of its text with spaces as hyphens; a link to a section of the
    same chapter goes there instead of to the website."""
    notebook = edition("reader", name)
    text = markdown_text(notebook)
    anchors = {heading.strip().replace(" ", "-") for heading in re.findall(r"^#+ (.+)$", text, re.MULTILINE)}
    links = re.findall(r"\]\(#([^)]+)\)", text)
    assert set(links) <= anchors, sorted(set(links) - anchors)


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_picture_of_the_reader_edition_carries_its_alt_text_and_no_interactive_html(name):
    for index, cell in enumerate(edition("reader", name).cells):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data:
                assert output.metadata.get("image/png", {}).get("alt"), f"cell {index}: a picture without alt text"
            assert "softmax-course-interactive" not in str(data.get("text/html", "")), f"cell {index}"


@pytest.mark.parametrize("name", CHAPTERS)
def test_nbconvert_leaves_the_worked_solutions_code_out(name):
    """nbconvert ignores folding, so a solution's code cell would show in full under its folded solution."""
    from nbconvert import HTMLExporter

    notebook = edition("reader", name)
    solutions = [cell for cell in notebook.cells if cell.source.startswith("# @title Solution")]
    page, _ = HTMLExporter(template_name="lab").from_notebook_node(notebook)
    assert "@title Solution" not in page, f"{len(solutions)} solution code cells, shown by nbconvert"


@pytest.mark.parametrize("name", CHAPTERS)
def test_reader_edition_has_no_myst(name):
    problems = []
    for index, cell in enumerate(edition("reader", name).cells):
        if cell.cell_type != "markdown":
            continue
        for token in all_tokens(MYST.parse(cell.source)):
            if token.type in (
                "myst_role",
                "myst_line_comment",
                "myst_block_break",
                "math_block_label",
                "substitution_inline",
                "substitution_block",
            ):
                problems.append(f"cell {index}: {token.type} {token.content!r}")
            if token.type in ("fence", "colon_fence") and token.info.strip().startswith("{"):
                problems.append(f"cell {index}: directive {token.info!r}")
        for token in all_tokens(COMMONMARK.parse(cell.source)):
            if token.type in ("text", "code_block") or (token.type == "fence" and token.info.startswith("{")):
                for raw in RAW_MYST:
                    if raw in token.content or raw in token.info:
                        problems.append(f"cell {index}: raw {raw!r} in {token.content[:80]!r}")
                for line in token.content.split("\n"):
                    if line.strip().startswith(DIRECTIVE_OPTIONS):
                        problems.append(f"cell {index}: directive option {line.strip()!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_glued_value_is_in_the_reader_edition(name):
    """Each glue role of the source is written out, as the number the build computed."""
    keys = set()
    for cell in source(name).cells:
        if cell.cell_type == "markdown":
            keys |= {
                t.content.rpartition(":")[0] if t.meta["name"] == "glue:text" and ":" in t.content else t.content
                for t in all_tokens(MYST.parse(cell.source))
                if t.type == "myst_role" and t.meta["name"].startswith("glue")
            }
    entry = INDEX["chapters"][name]
    assert not entry.get("glue_missing"), f"the build computed no value for {entry['glue_missing']}"
    assert set(entry["glued"]) == keys
    glue_data = json.loads((BUILD / "jupyter_execute" / "notebooks" / f"{name}.glue.json").read_text()) if keys else {}
    text = markdown_text(edition("reader", name))
    for key, value in entry["glued"].items():
        assert value in text, f"{key} = {value} is not in the reader edition"
        assert key in glue_data, key


@pytest.mark.parametrize("kind", ["reader", "instructor", "student"])
@pytest.mark.parametrize("name", CHAPTERS)
def test_every_figure_is_followed_by_its_description(kind, name):
    """Jupyter shows a plot without alt text: the book's alt text follows each figure cell, folded."""
    cells = edition(kind, name).cells
    figures = 0
    for index, cell in enumerate(cells):
        alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt")
        if cell.cell_type != "code" or not alt:
            continue
        figures += 1
        following = cells[index + 1] if index + 1 < len(cells) else None
        assert following is not None and following.cell_type == "markdown", f"cell {index}: no description after it"
        text = BeautifulSoup(COMMONMARK.render(following.source), "html.parser")
        summary = text.select_one("details > summary")
        assert summary is not None and summary.get_text() == "Figure description", following.source[:120]
        summary.extract()
        assert text.select_one("details").get_text().strip() == alt
    sources = sum(1 for cell in source(name).cells if cell.metadata.get("mystnb", {}).get("image", {}).get("alt"))
    assert figures == sources if kind == "reader" else figures <= sources


@pytest.mark.parametrize("name", CHAPTERS)
def test_reader_edition_keeps_each_cell_s_own_outputs(name):
    """Each code cell carries the outputs the build gave it (a notebook without cell ids is matched by position)."""
    reader = edition("reader", name)
    counts = [cell.execution_count for cell in reader.cells if cell.cell_type == "code" and cell.execution_count]
    assert counts == sorted(set(counts)), f"execution counts repeat or go back: {counts}"
    executed = nbformat.read(BUILD / "jupyter_execute" / "notebooks" / f"{name}.ipynb", as_version=4)
    drawn = [
        cell for cell in executed.cells if cell.cell_type == "code" and cell.metadata.get("mystnb", {}).get("image")
    ]
    figures = [
        cell for cell in reader.cells if cell.cell_type == "code" and cell.metadata.get("mystnb", {}).get("image")
    ]
    assert len(figures) == len(drawn)

    def kinds(cell):
        # An interactive figure's HTML is left out of the reader edition (Jupyter does not run its JavaScript).
        return [sorted(set(o.get("data", {})) - {"text/html"}) for o in cell.outputs if o.output_type != "stream"]

    for ran, shown in zip(drawn, figures):
        assert kinds(shown) == kinds(ran) and kinds(ran), f"a figure cell lost its outputs: {shown.source[:80]!r}"


def html_exercise_numbers(name):
    """label -> "3.2" as the built HTML page numbers its exercises."""
    soup = BeautifulSoup((HTML / "notebooks" / f"{name}.html").read_text(), "html.parser")
    numbers = {}
    for box in soup.select("div.exercise"):
        caption = box.select_one(".caption-number")
        if box.get("id") and caption:
            numbers[box["id"]] = caption.get_text().strip().removeprefix("Exercise").strip()
    return numbers


@pytest.mark.parametrize("name", CHAPTERS)
def test_exercises_are_numbered_as_in_the_book(name):
    text = markdown_text(edition("reader", name))
    for label, number in html_exercise_numbers(name).items():
        assert f"**Exercise {number}**" in text, f"{label}: Exercise {number} missing"


@pytest.mark.parametrize("name", CHAPTERS)
def test_book_pages_show_no_nbgrader_markers(name):
    """_ext/course_editions.py strips the marker lines from the code the book shows."""
    text = BeautifulSoup((HTML / "notebooks" / f"{name}.html").read_text(), "html.parser").get_text()
    assert not [marker for marker in editions.MARKERS if marker in text]


def page_links(name):
    soup = BeautifulSoup((HTML / "notebooks" / f"{name}.html").read_text(), "html.parser")
    return [a.get("href") for a in soup.find_all("a") if a.get("href")]


@pytest.mark.parametrize("name", CHAPTERS)
def test_colab_and_download_buttons_open_the_reader_edition(name):
    links = page_links(name)
    colab = [href for href in links if href.startswith("https://colab.research.google.com/")]
    assert colab, "no Colab button"
    for href in colab:
        branch_path = href.split("/blob/", 1)[1]
        branch, _, path = branch_path.partition("/")
        assert branch == "gh-pages" and path == f"editions/reader/{name}.ipynb", href
        assert (HTML / path).exists(), href  # the site's root is what the workflow publishes to gh-pages
    downloads = [href for href in links if href.endswith(".ipynb") and "://" not in href]
    assert downloads, "no download button"
    for href in downloads:
        target = (HTML / "notebooks" / urllib.parse.unquote(href)).resolve()
        assert target.exists(), href
        assert nbformat.read(target, as_version=4).metadata["editions"]["edition"] == "reader", href


def split_solutions(notebook):
    """(solution lines, public text) of a source notebook.

    Solution lines: the longer lines of worked solutions (``{solution}`` boxes and gated
    solutions, their code cells included), of nbgrader solution regions and of hidden tests.
    Public text: everything else, which a student may see (the chapter itself may well
    show a line that a solution repeats).
    """
    solutions, public, inside_gate = [], [], False
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            which, _ = editions.gate(cell, MYST)
            if which == "start":
                inside_gate = True
                fence = next(t for t in MYST.parse(cell.source) if t.info.strip().startswith("{solution-start"))
                lines = cell.source.split("\n")
                public += lines[: fence.map[0]]
                solutions += lines[fence.map[1] :]
                continue
            if which == "end":
                inside_gate = False
                continue
            if inside_gate:
                solutions += cell.source.split("\n")
                continue
            kept = cell.source
            for token in all_tokens(MYST.parse(cell.source)):
                if token.type in ("fence", "colon_fence") and token.info.strip().startswith("{solution}"):
                    body = editions.directive_parts(token)[3]
                    solutions += body.split("\n")
                    kept = kept.replace(body, "")
            public.append(kept)
        elif cell.cell_type == "code":
            if inside_gate and not cell.metadata.get("nbgrader", {}).get("solution"):
                solutions += cell.source.split("\n")
                continue
            region = False
            for line in cell.source.split("\n"):
                if line.strip() in ("### BEGIN SOLUTION", "### BEGIN HIDDEN TESTS"):
                    region = True
                elif line.strip() in ("### END SOLUTION", "### END HIDDEN TESTS"):
                    region = False
                else:
                    (solutions if region else public).append(line)
    flat = lambda text: " ".join(text.split())  # noqa: E731
    public_text = flat("\n".join(public))
    lines = [flat(line) for line in solutions if len(line.strip()) > 20 and not line.strip().startswith("```")]
    return [line for line in lines if line not in public_text], public_text


@pytest.mark.parametrize("name", CHAPTERS)
def test_no_solution_reaches_the_student(name):
    student = " ".join("\n".join(cell.source for cell in edition("student", name).cells).split())
    solutions, _ = split_solutions(source(name))
    leaks = [line for line in solutions if line in student]
    assert not leaks, "\n".join(leaks[:10])


@pytest.mark.parametrize("name", CHAPTERS)
def test_the_student_s_exercises_hold_only_graded_code(name):
    """After the Exercises heading a student sees the exercises' own cells and nothing that computes an answer:
    a hidden cell that serves a worked solution (a glued number, its assertion) must sit inside the gated solution."""
    cells = edition("student", name).cells
    start = next(
        (
            i
            for i, cell in enumerate(cells)
            if cell.cell_type == "markdown" and cell.source.lstrip().startswith("## Exercises")
        ),
        len(cells),
    )
    stray = [
        f"cell {i}: {cell.source[:80]!r}"
        for i, cell in enumerate(cells[start:], start)
        if cell.cell_type == "code" and not cell.metadata.get("nbgrader")
    ]
    assert not stray, "code outside the graded exercises:\n" + "\n".join(stray)


def calls(cells, attribute):
    """The ast.Call nodes, in the code cells of ``cells``, whose function is ``<something>.attribute``."""
    found = []
    for cell in cells:
        if cell.cell_type == "code":
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                continue
            found += [
                (cell, node)
                for node in ast.walk(tree)
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == attribute
            ]
    return found


def exercise_twins(cells):
    """The package functions an exercise asks the student to write: the arguments after the first of every
    ``grading.own_work(student_function, package_function, ...)`` call, as written."""
    return {ast.unparse(argument) for _, call in calls(cells, "own_work") for argument in call.args[1:]}


@pytest.mark.parametrize("name", CHAPTERS)
def test_students_are_checked_on_their_own_code(name):
    """Each exercise whose function the package also has switches the package's off while the student's runs;
    every cell of the book that prints the package's source of such a function is tagged withheld-from-students,
    and the student edition has a note in its place."""
    cells = source(name).cells
    twins = exercise_twins(cells)
    student = edition("student", name)
    assert exercise_twins(student.cells) == twins, "an own_work line did not reach the student's test cells"
    showing = {
        cell.id for cell, call in calls(cells, "show_source") if call.args and ast.unparse(call.args[0]) in twins
    }
    tagged = {cell.id for cell in cells if editions.WITHHELD in cell.metadata.get("tags", [])}
    assert showing == tagged, f"tag these cells {editions.WITHHELD}: {sorted(showing - tagged)}"
    shown = {ast.unparse(call.args[0]) for _, call in calls(student.cells, "show_source") if call.args}
    assert not shown & twins, f"the student edition prints the source of {sorted(shown & twins)}"
    notes = [cell for cell in student.cells if cell.cell_type == "markdown" and cell.source == editions.WITHHELD_NOTE]
    assert len(notes) == len(tagged)


def grade_cells(notebook):
    return {
        c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"].get("points", 0)
        for c in notebook.cells
        if c.metadata.get("nbgrader", {}).get("grade")
    }


def test_exercise_counts_match_the_sources():
    for name in CHAPTERS:
        ids = set(grade_cells(source(name)))
        assert INDEX["chapters"][name]["exercises"] == len(ids), name


# nbgrader's autograde without its two steps that clear and execute: it scores the outputs a submission carries.
SCORE_GIVEN_OUTPUTS = (
    "from nbgrader.converters import Autograde\n"
    "from nbgrader.preprocessors import ClearOutput, Execute\n"
    "defaults = {name: trait.default() for name, trait in Autograde.class_traits().items()}\n"
    "c.Autograde.sanitize_preprocessors = [p for p in defaults['sanitize_preprocessors'] if p is not ClearOutput]\n"
    "c.Autograde.autograde_preprocessors = [p for p in defaults['autograde_preprocessors'] if p is not Execute]\n"
)


def autograde(course, who, notebooks, *, execute=True):
    """Autograde ``notebooks`` ({name: path}) as ``who``'s submissions; {name: ({grade_id: (score, max)}, errors)}.

    One course directory per ``who``: the instructor versions as nbgrader's source, one
    `generate_assignment` and one `autograde` over every chapter, scores read from the gradebook.
    ``execute=False`` scores the outputs the submissions carry instead of running them (SCORE_GIVEN_OUTPUTS).
    """
    from nbgrader.api import Gradebook

    nbgrader = str(pathlib.Path(sys.executable).parent / "nbgrader")
    # nbgrader runs `alembic` from PATH, and the kernels must be this environment's.
    path = os.pathsep.join([str(pathlib.Path(sys.executable).parent), os.environ.get("PATH", "")])
    env = dict(os.environ, PATH=path, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", PYTHONHASHSEED="0")
    # The kernels talk over Unix sockets in a directory of this run's own. Over TCP each kernel's
    # ports are picked free and bound a moment later, and a kernel started by the other autograde
    # run or by the Colab step in the meantime can take one: "Kernel died before replying to
    # kernel_info". The path is absolute (a relative one resolves against each process's directory)
    # and short (a socket path has at most 107 bytes).
    sockets = tempfile.mkdtemp(prefix="nbk-", dir="/tmp")
    (course / "nbgrader_config.py").write_text(
        (ROOT / "tools" / "nbgrader_config.py").read_text()  # the settings the teaching page hands out
        + f"c.CourseDirectory.root = {str(course)!r}\nc.ExecutePreprocessor.timeout = 300\n"
        f"c.KernelManager.transport = 'ipc'\nc.KernelManager.ip = {sockets + '/kernel'!r}\n"
        + ("" if execute else SCORE_GIVEN_OUTPUTS)
    )
    for name, path in notebooks.items():
        (course / "source" / name).mkdir(parents=True)
        shutil.copy(EDITIONS_DIR / "instructor" / f"{name}.ipynb", course / "source" / name / f"{name}.ipynb")
        (course / "submitted" / who / name).mkdir(parents=True)
        shutil.copy(path, course / "submitted" / who / name / f"{name}.ipynb")
    try:
        for command in (
            ["db", "student", "add", who],
            ["generate_assignment", "*", "--force"],
            ["autograde", "*", "--force"],
            ["generate_feedback", "*", "--force"],
        ):
            done = subprocess.run(
                [nbgrader, *command, "--log-level=ERROR"], cwd=course, env=env, capture_output=True, text=True
            )
            assert done.returncode == 0, f"{who}: nbgrader {command[0]}: {done.stdout[-3000:]} {done.stderr[-3000:]}"
    finally:
        shutil.rmtree(sockets, ignore_errors=True)
    results = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for name in notebooks:
            submission = gradebook.find_submission_notebook(name, name, who)
            scores = {grade.name: (grade.score, grade.max_score) for grade in submission.grades}
            graded = nbformat.read(course / "autograded" / who / name / f"{name}.ipynb", as_version=4)
            # Executed, the setup cell runs first; scored as given, no cell runs (a config nbgrader could not
            # load would have it execute every chapter silently).
            ran_setup = any(c.execution_count for c in graded.cells if "colab-setup" in c.metadata.get("tags", []))
            assert ran_setup == execute, f"{who}: {name} was {'not ' if execute else ''}executed"
            errors = [
                i
                for i, c in enumerate(graded.cells)
                if c.cell_type == "code"
                and not c.metadata.get("nbgrader", {}).get("grade")
                and any(o.output_type == "error" for o in c.get("outputs", []))
            ]
            feedback = (course / "feedback" / who / name / f"{name}.html").read_text(encoding="utf-8")
            results[name] = (scores, errors, html.unescape(re.sub(r"<[^>]+>", "", feedback)))
    return results


def instructor_version_as_executed(name, directory):
    """The instructor version of chapter ``name`` with the outputs its cells got when the chapter ran for the book
    (BUILD/jupyter_execute: the notebooks step's nbval run, or the book build's own), written into ``directory``.

    Every code cell but the setup cell is the same cell (id and source) as in the executed chapter; asserted, so
    that scoring these outputs is scoring what running the instructor version gives in this environment.
    """
    executed = nbformat.read(BUILD / "jupyter_execute" / "notebooks" / f"{name}.ipynb", as_version=4)
    ran = {cell.id: cell for cell in executed.cells if cell.cell_type == "code"}
    notebook = edition("instructor", name)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for cell in code:
        if "colab-setup" in cell.metadata.get("tags", []):
            continue
        assert cell.get("id") in ran and ran[cell.id].source == cell.source, f"{name}: cell {cell.get('id')} differs"
        assert ran[cell.id].execution_count, f"{name}: cell {cell.id} did not run"  # no output is no proof
        cell.outputs, cell.execution_count = ran[cell.id].outputs, ran[cell.id].execution_count
    path = directory / f"{name}.ipynb"
    nbformat.write(notebook, path)
    return path


@pytest.fixture(scope="module")
def autograded(tmp_path_factory):
    """Autograde the student and the instructor version of every chapter, side by side.

    The student notebooks run in nbgrader's executor (their exercises raise, the rest must run). The instructor
    versions are the chapters' own cells, which the notebooks step has just run (nbval, with the same hidden
    tests): nbgrader scores the outputs of that run instead of executing every chapter once more.
    """
    executed = tmp_path_factory.mktemp("instructor-executed")
    jobs = {
        "student": ({n: EDITIONS_DIR / "student" / f"{n}.ipynb" for n in CHAPTERS}, True),
        "instructor": ({n: instructor_version_as_executed(n, executed) for n in CHAPTERS}, False),
    }
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        futures = {
            who: pool.submit(autograde, tmp_path_factory.mktemp(who), who, notebooks, execute=execute)
            for who, (notebooks, execute) in jobs.items()
        }
        results = {who: future.result() for who, future in futures.items()}
    report = {who: {n: sum(s for s, _ in r[0].values()) for n, r in res.items()} for who, res in results.items()}
    maximum = {n: sum(m for _, m in r[0].values()) for n, r in results["instructor"].items()}
    print("\nautograde scores (student / instructor / max):")
    for name in CHAPTERS:
        print(
            f"  {name}: {report['student'][name]} / {report['instructor'][name]} / {maximum[name]}"
            f"  ({len(results['instructor'][name][0])} autograded exercises)"
        )
    return results


def test_untouched_student_notebooks_score_zero(autograded):
    for name, (scores, errors, _) in autograded["student"].items():
        assert not errors, f"{name}: cells {errors} (not exercises) failed in the student edition"
        assert all(score == 0 for score, _ in scores.values()), f"{name}: {scores}"


def test_instructor_versions_score_full_marks(autograded):
    for name, (scores, errors, _) in autograded["instructor"].items():
        assert not errors, f"{name}: cells {errors} failed in the instructor version"
        assert all(score == maximum for score, maximum in scores.values()), f"{name}: {scores}"


def test_the_feedback_a_student_gets_leaves_out_the_hidden_tests(autograded):
    """With the course's nbgrader settings (tools/nbgrader_config.py), `nbgrader generate_feedback` shows
    each test cell without its hidden region."""
    checked = 0
    for name in CHAPTERS:
        hidden, visible = [], []
        for cell in edition("instructor", name).cells:
            before, _, rest = cell.source.partition("BEGIN HIDDEN TESTS")
            region, _, after = rest.partition("END HIDDEN TESTS")
            visible.append(before + after)
            hidden += [line.strip() for line in region.splitlines()[1:-1] if len(line.strip()) > 20]
        visible = "\n".join(visible)
        hidden = [line for line in hidden if line not in visible]  # text that only the hidden tests have
        checked += bool(hidden)
        for who in ("student", "instructor"):
            feedback = autograded[who][name][2]
            assert "Score:" in feedback or "score" in feedback.lower(), f"{name}: no feedback report for {who}"
            shown = [line for line in hidden if line in feedback]
            assert not shown, f"{name}: {who}'s feedback shows hidden tests: {shown[:3]}"
    assert checked >= len(CHAPTERS) // 2, f"only {checked} chapters have hidden-test text to look for"
