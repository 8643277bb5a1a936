"""The publishing workflow (.github/workflows/publish.yml), read as data: it cannot run here.

It must, on a push to the branch _config.yml names, run what CI runs (`bash .ci/run`,
which installs the system packages and ends with the README's test command, whose "pdf"
step runs `make pdf`), and publish _build/html, which holds everything the book links to
(the PDF the landing page links, the editions the Colab buttons open), to the branch
the book's editions are read from, with .nojekyll so that GitHub Pages serves the
folders whose names start with "_" (_static, _images, _sources).
"""

import importlib.util
import pathlib
import re
import shlex

import tomllib
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
WORKFLOW = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text())
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
CI_RUN = (ROOT / ".ci" / "run").read_text()
README = (ROOT / "README.md").read_text()
MAKEFILE = (ROOT / "Makefile").read_text()
INTRO = (ROOT / "book" / "intro.md").read_text()


def run_tests_module():
    spec = importlib.util.spec_from_file_location("run_tests", ROOT / "tools" / "run_tests.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def steps():
    (job,) = WORKFLOW["jobs"].values()
    return job["steps"]


def commands():
    """Every shell command of the workflow's run: steps, one per line, in order."""
    lines = []
    for step in steps():
        lines += [line.strip() for line in step.get("run", "").splitlines() if line.strip()]
    return lines


def publish_step():
    found = [step for step in steps() if "publish_dir" in step.get("with", {})]
    assert len(found) == 1, "expected one step with a publish_dir (peaceiris/actions-gh-pages)"
    return found[0]


def readme_test_command():
    """The README's test command: the `make ...` line of its first bash block commented as the check."""
    block = re.search(r"```bash\n(.*?)```", README, re.DOTALL).group(1)
    for line in block.splitlines():
        command, _, comment = line.partition("#")
        if "check" in comment or "test" in command:
            return command.strip()
    raise AssertionError("no test command in the README's first bash block")


def test_runs_on_every_push_to_the_main_branch():
    triggers = WORKFLOW.get("on", WORKFLOW.get(True))  # YAML 1.1 reads the key `on` as True
    assert triggers["push"]["branches"] == [CONFIG["repository"]["branch"]]


def test_runs_what_ci_runs_then_builds_the_pdf():
    lines = commands()
    assert "bash .ci/run" in lines, "the workflow should run .ci/run (system packages, then the test command)"
    # The PDF: built by the test command's "pdf" step (tools/run_tests.py), or by the workflow after it.
    assert "make --no-print-directory pdf" in " ".join(run_tests_module().STEPS["pdf"]["command"]) or (
        "make pdf" in lines and lines.index("make pdf") > lines.index("bash .ci/run")
    ), "neither make test (tools/run_tests.py) nor the workflow builds the PDF"
    test_command = readme_test_command()
    assert test_command == "make test"
    ci_commands = [line.strip() for line in CI_RUN.splitlines() if line.strip() and not line.startswith("#")]
    assert ci_commands[-1] == test_command, ".ci/run should end with the README's test command"


def test_ci_installs_what_the_readme_and_the_pdf_need():
    installed = set()
    for command in re.findall(r"apt-get install ((?:[^\n\\]|\\\n)+)", CI_RUN):
        installed |= {word for word in shlex.split(command.replace("\\\n", " ")) if not word.startswith("-")}
    readme_command = re.search(r"sudo apt-get install ((?:[^\n`\\]|\\\n)+)", README).group(1)
    readme_packages = readme_command.replace("\\\n", " ").split()
    tex = [
        "texlive-latex-recommended",
        "texlive-latex-extra",
        "texlive-fonts-recommended",
        "texlive-xetex",
        "latexmk",
        "xindy",
        "dvipng",
        "cm-super",
        "fonts-freefont-otf",
        "poppler-utils",
    ]
    missing = [package for package in readme_packages + tex if package not in installed]
    assert not missing, f".ci/run does not install {missing}"
    # axe-core comes from npm through `make test` itself, so a developer's test run gets it as CI's does.
    test_rule = re.search(r"^test:([^#\n]*)", MAKEFILE, re.MULTILINE).group(1).split()
    assert "$(AXE)" in test_rule and re.search(r"^AXE := node_modules/axe-core/axe\.min\.js$", MAKEFILE, re.MULTILINE)
    assert re.search(r"^\$\(AXE\):.*\n\tnpm ci", MAKEFILE, re.MULTILINE), "the axe-core target runs npm ci"
    assert "nodejs npm" in CI_RUN, ".ci/run installs npm where it is missing"


def test_publishes_the_built_site_to_the_editions_branch():
    step = publish_step()
    assert step["uses"].startswith("peaceiris/actions-gh-pages@")
    options = step["with"]
    assert options["publish_dir"].rstrip("/") in ("./_build/html", "_build/html")
    assert options["publish_branch"] == CONFIG["launch_buttons"]["editions_branch"] == "gh-pages"
    assert options.get("enable_jekyll") is False or "touch _build/html/.nojekyll" in commands()
    assert steps().index(step) == len(steps()) - 1, "publishing comes last, after every check passed"


def test_the_published_site_holds_what_the_book_links_to():
    pdf = re.search(r"^PDF := (\S+)$", MAKEFILE, re.MULTILINE).group(1)
    assert re.search(r"cp \$\(PDF_OUT\)/_build/latex/\$\(PDF\) _build/html/\$\(PDF\)", MAKEFILE), (
        "make pdf should copy the PDF into the site"
    )
    assert f'href="../{pdf}"' in INTRO, f"the landing page (book/intro.html) should link ../{pdf}"
    assert CONFIG["latex"]["latex_documents"]["targetname"] == pdf.replace(".pdf", ".tex")
    checks = commands()
    assert f"test -f _build/html/{pdf}" in checks
    assert f"test -d _build/html/{CONFIG['launch_buttons']['editions_path']}" in checks


def test_each_make_test_target_runs_exactly_one_step_of_the_test_command():
    """The steps are listed once, in tools/run_tests.py; `make test-X` (and `make check`) run step X of it."""
    run_tests = run_tests_module()
    targets = dict(
        re.findall(r"^(test-[a-z0-9.-]+|check): .*\n\t\$\(BIN\)/python tools/run_tests\.py ([\w.-]+)$", MAKEFILE, re.M)
    )
    assert sorted(targets.values()) == sorted(run_tests.STEPS), targets
    assert all(
        target == f"test-{step}" or (target, step) == ("check", "repository") for target, step in targets.items()
    )
    assert sorted(re.findall(r"^(test-[a-z0-9.-]+|check):", MAKEFILE, re.M)) == sorted(targets), (
        "a test target of its own"
    )


def test_the_repository_step_formats_and_lints_with_ruff():
    command = " ".join(run_tests_module().STEPS["repository"]["command"])
    assert "ruff format --check ." in command and "ruff check ." in command
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["ruff"]
    assert config["line-length"] == 120 and set(config["lint"]["select"]) >= {"E", "F", "W", "I"}
