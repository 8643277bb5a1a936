"""The reader edition as JupyterLab shows it: every reader notebook opened in a real JupyterLab.

Reads the reader editions that the HTML build writes (_ext/course_editions.py):
$READER_EDITIONS_DIR, else <built HTML>/editions/reader ($BOOK_HTML_DIR, else _build/html of
the repository). They are copied into a temporary folder, and one JupyterLab server (the pinned
one, from this Python's environment) is started on 127.0.0.1 with that folder as its root,
settings of its own and nothing fetched from outside. One headless Chromium loads JupyterLab
once and opens the notebooks one after the other, as a reader does from the file browser (a
kernel starts, as it does for a reader). Each notebook is checked once everything is rendered:
every cell in the page (the notebook's windowing is switched off in the test's settings), every
markdown cell rendered and MathJax done with every formula.

What fails, per notebook (each problem names the cell and shows the offending text):

- myst:         MyST left in rendered markdown: a role ({ref}, {numref}, {glue...}, {cite...}, ...),
                a colon fence (:::), a directive fence (```{name}), a (label)= line, a directive
                option line (:label: ...);
- stray >:      a '>' in rendered text outside code and math, or a blockquote's '>' inside the
                TeX of a formula (Jupyter lifts $...$ out before it parses the blockquote);
- stray $:      a '$' in rendered text outside code and math, or inside a formula's TeX;
- mathjax:      a MathJax error (merror, output error) or an undefined macro, or TeX left untypeset;
- plumbing:     a 'name = value' line in a stream output (not a row of a printed table);
- interactive:  the HTML of an interactive figure (softmax-course-interactive) in an output;
- setup cell:   the first code cell is not the setup cell (tag colab-setup) folded (input hidden);
- overflow:     the notebook scrolls sideways in a 1280 x 800 window with the file browser open
                (something sticks out that is not inside a scroller of its own, such as the one-line
                summary of a folded cell: its "..." to unfold it is then out of sight);
- dirty:        the notebook is marked unsaved once it is open and its kernel has started
                (the message shows what JupyterLab changed in the notebook's metadata).

A planted notebook with one of each defect checks that every check still finds what it looks for
on this version of JupyterLab. A table (notebook, seconds, problems) is printed at the end.
Screenshots of the top of each notebook go to $JUPYTERLAB_SCREENSHOTS if it is set.

JupyterLab is told to expose its application object (window.jupyterapp, as its own UI tests do),
so the test can open documents and observe MathJax; nothing else in the page is changed.
"""

import contextlib
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import nbformat
import pytest

from browser_book import html_dir_from_env, start_chromium

EDITIONS_DIR = pathlib.Path(
    os.environ.get("READER_EDITIONS_DIR") or html_dir_from_env() / "editions" / "reader"
).resolve()
NOTEBOOKS = sorted(path.name for path in EDITIONS_DIR.glob("*.ipynb")) if EDITIONS_DIR.is_dir() else []
NOT_BUILT_MESSAGE = (
    f"no reader editions in {EDITIONS_DIR}: build the book and its editions first (`make book`), "
    "or point READER_EDITIONS_DIR at a folder of reader notebooks"
)
SERVER_START_SECONDS = float(os.environ.get("JUPYTERLAB_START_TIMEOUT", 90))
APP_LOAD_SECONDS = 90
NOTEBOOK_SECONDS = 90  # open, start the kernel, render everything
SCREENSHOTS = os.environ.get("JUPYTERLAB_SCREENSHOTS")
KINDS = ("myst", "stray >", "stray $", "mathjax", "plumbing", "interactive", "setup cell", "overflow", "dirty")
PLANTED = "zz_planted_defects.ipynb"

# The test's own JupyterLab settings (user settings folder): every cell in the DOM (no windowing),
# no news or update checks (offline).
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
}
# The course's environment has nbgrader (for teachers); a reader's JupyterLab does not.
NBGRADER_SERVER_EXTENSIONS = ("formgrader", "validate_assignment", "assignment_list", "course_list")


# --------------------------------------------------------------------------- the server


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def jupyterlab_server(root_dir, timeout=SERVER_START_SECONDS):
    """One JupyterLab server on 127.0.0.1 (a free port, a token) serving ``root_dir``.

    Yields (base_url, token). Its settings, workspaces, configuration and runtime files are in a
    temporary folder of its own. Raises a RuntimeError, with the end of the server's log, if it
    does not answer within ``timeout`` seconds. Stops it (and its kernels) on the way out.
    """
    home = pathlib.Path(tempfile.mkdtemp(prefix="reader-lab-"))
    for name, settings in LAB_SETTINGS.items():
        path = home / "settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(settings))
    (home / "config" / "labconfig").mkdir(parents=True)
    (home / "config" / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"@jupyter/nbgrader": True}})
    )
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        IPYTHONDIR=str(home / "ipython"),
    )
    port, token = free_port(), os.urandom(12).hex()
    disabled = ", ".join(f"'nbgrader.server_extensions.{name}': False" for name in NBGRADER_SERVER_EXTENSIONS)
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--allow-root",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root_dir}",
        f"--LabApp.user_settings_dir={home / 'settings'}",
        f"--LabApp.workspaces_dir={home / 'workspaces'}",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--ServerApp.terminals_enabled=False",
        f"--ServerApp.jpserver_extensions={{{disabled}}}",
    ]
    log_path = home / "server.log"
    base_url = f"http://127.0.0.1:{port}/"
    with open(log_path, "wb") as log:
        # A session (and process group) of its own, which stop() can end if the server hangs.
        server = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root_dir, start_new_session=True
        )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if server.poll() is not None:
                raise RuntimeError(
                    f"JupyterLab exited with code {server.returncode} before it answered:\n" + log_tail(log_path)
                )
            try:
                with urllib.request.urlopen(f"{base_url}api/status?token={token}", timeout=5) as reply:
                    if reply.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"JupyterLab did not answer on {base_url} within {timeout:.0f} s "
                    f"(JUPYTERLAB_START_TIMEOUT):\n" + log_tail(log_path)
                )
            time.sleep(0.2)
        yield base_url, token
    finally:
        if server.poll() is None:
            shut_down_kernels(base_url, token)
        stop(server)
        shutil.rmtree(home, ignore_errors=True)


def shut_down_kernels(base_url, token):
    """Ask the server to shut down every kernel it still runs (kernels live in sessions of their own)."""
    with contextlib.suppress(OSError, ValueError):
        with urllib.request.urlopen(f"{base_url}api/kernels?token={token}", timeout=5) as reply:
            kernels = json.load(reply)
        for kernel in kernels:
            request = urllib.request.Request(f"{base_url}api/kernels/{kernel['id']}?token={token}", method="DELETE")
            with contextlib.suppress(OSError):
                urllib.request.urlopen(request, timeout=10).close()


def stop(server):
    """SIGTERM (the server shuts its kernels down and exits); if it is still there after 15 s,
    SIGKILL to its process group (the session it was started in, see jupyterlab_server)."""
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def log_tail(path, lines=40):
    text = pathlib.Path(path).read_text(errors="replace").splitlines()
    return "\n".join("    | " + line for line in text[-lines:])


# --------------------------------------------------------------------------- the page


# Resolves when JupyterLab has started and restored its layout; then hooks MathJax: each time
# JupyterLab typesets a node, every formula's TeX, and the errors and undefined macros MathJax
# found in it, are written on its mjx-container (data-test-tex, data-test-errors), and the number
# of typesettings under way is counted (window.readerTest.pending).
START_JS = r"""
const done = arguments[arguments.length - 1];
(async () => {
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const start = Date.now();
  while (!(window.jupyterapp && window.jupyterapp.restored)) {
    if (Date.now() - start > arguments[0] * 1000) return "JupyterLab did not start (no window.jupyterapp)";
    await sleep(50);
  }
  const app = window.jupyterapp;
  await app.restored;
  const plugin = app.pluginRegistry && app.pluginRegistry._plugins
    && app.pluginRegistry._plugins.get("@jupyterlab/mathjax-extension:plugin");
  const typesetter = plugin && (plugin._service || plugin.service);
  if (!typesetter || !typesetter.mathDocument) return "JupyterLab's MathJax typesetter is not reachable";
  const state = { pending: 0, typeset: 0, errors: [] };
  window.readerTest = state;
  const mathDocument = await typesetter.mathDocument();
  const render = mathDocument.render;
  mathDocument.render = function (...args) {
    const result = render.apply(this, args);
    try {
      for (const item of this.math) {
        const root = item.typesetRoot;
        if (!root || !root.setAttribute) continue;
        const errors = [];
        if (item.root && item.root.walkTree) {
          item.root.walkTree((node) => {
            if (node.kind === "merror") {
              errors.push("error: " + (node.attributes.get("data-mjx-error") || "merror"));
            } else if (node.kind === "mtext" && node.attributes.get("mathcolor") === "red") {
              const text = node.childNodes.map((child) => child.text || "").join("");
              if (text.startsWith("\\")) errors.push("undefined macro " + text);
            }
          });
        }
        root.setAttribute("data-test-tex", String(item.math));
        root.setAttribute("data-test-errors", JSON.stringify(errors));
      }
    } catch (error) {
      state.errors.push(String(error));
    }
    return result;
  };
  const typeset = typesetter.typeset;
  typesetter.typeset = function (node) {
    state.pending += 1;
    state.typeset += 1;
    return Promise.resolve(typeset.call(this, node)).finally(() => { state.pending -= 1; });
  };
  return "ok";
})().then(done, (error) => done("error while starting: " + error));
"""

# Opens a notebook (as the file browser does), waits for its kernel to start and for everything
# to render, and returns what the checks need. Arguments: path, timeout in seconds.
OPEN_JS = r"""
const [path, timeoutSeconds] = arguments;
const done = arguments[arguments.length - 1];
(async () => {
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const app = window.jupyterapp;
  const state = window.readerTest;
  const deadline = Date.now() + timeoutSeconds * 1000;
  const report = { notes: [] };
  const panel = await app.commands.execute("docmanager:open", { path: path, factory: "Notebook" });
  window.readerTestPanel = panel;
  await panel.context.ready;
  await panel.revealed;
  const notebook = panel.content;
  report.windowingMode = notebook.notebookConfig && notebook.notebookConfig.windowingMode;

  // The kernel, as a reader gets it: started, its info and spec in (JupyterLab then writes
  // language_info and kernelspec into the notebook's metadata).
  const session = panel.sessionContext;
  await session.ready;
  const kernel = session.session && session.session.kernel;
  if (kernel) {
    try {
      await Promise.race([Promise.all([kernel.info, kernel.spec]), sleep(Math.max(0, deadline - Date.now()))]);
    } catch (error) {
      report.notes.push("kernel: " + error);
    }
    while (kernel.status !== "idle" && Date.now() < deadline) await sleep(50);
    report.kernel = kernel.status;
    // The panel writes the kernel's language_info and kernelspec on kernelChanged, after the same
    // promises: wait until the model holds them (a no-op write leaves it as it was: equal already).
    const canonical = (value) => Array.isArray(value) ? value.map(canonical)
      : value && typeof value === "object"
        ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical(value[key])])) : value;
    const equal = (a, b) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
    try {
      const info = await kernel.info, spec = await kernel.spec;
      const landed = () => {
        const language = panel.model.getMetadata("language_info") || {};
        const kernelspec = panel.model.getMetadata("kernelspec") || {};
        return equal(language, info.language_info) && (!spec || kernelspec.display_name === spec.display_name);
      };
      while (!landed() && Date.now() < deadline) await sleep(50);
      report.kernelMetadataLanded = landed();
    } catch (error) {
      report.notes.push("kernel: " + error);
    }
  } else {
    report.kernel = "none";
  }

  // Everything rendered: a widget per cell, every markdown cell rendered, no typesetting under
  // way, and the page unchanged over four looks 100 ms apart.
  const signature = () => {
    const node = notebook.node;
    return [
      node.querySelectorAll(".jp-Cell").length,
      node.querySelectorAll(".jp-RenderedMarkdown").length,
      node.querySelectorAll("mjx-container").length,
      node.querySelectorAll(".jp-OutputArea-output").length,
      node.textContent.length,
    ].join(",");
  };
  let last = "", same = 0, settled = false;
  while (Date.now() < deadline) {
    const cells = notebook.widgets;
    const allThere = cells.length === panel.model.cells.length;
    const markdownDone = cells.every((cell) => cell.model.type !== "markdown"
      || (cell.rendered && cell.node.querySelector(".jp-RenderedMarkdown") !== null));
    const now = signature();
    if (allThere && markdownDone && state.pending === 0 && now === last) {
      same += 1;
      if (same >= 3) { settled = true; break; }
    } else {
      same = 0;
    }
    last = now;
    await sleep(100);
  }
  report.settled = settled;
  report.dirty = panel.context.model.dirty;
  report.dirtyTab = Array.from(document.querySelectorAll(".lm-TabBar-tab")).some(
    (tab) => tab.classList.contains("jp-mod-dirty") && tab.textContent.trim() === panel.title.label);
  const model = panel.context.model.toJSON();
  report.metadata = model.metadata;
  report.nbformat = [model.nbformat, model.nbformat_minor];
  report.cellCount = [notebook.widgets.length, panel.model.cells.length];
  report.mathjaxHookErrors = state.errors.slice();

  // Sideways scrolling: what sticks out of the notebook's scroller, not inside a scroller of its
  // own (code editors and wide outputs scroll inside their own box); the first such element per cell.
  const scroller = panel.node.querySelector(".jp-WindowedPanel-outer") || notebook.node;
  report.overflow = [];
  if (scroller.scrollWidth > scroller.clientWidth + 1) {
    const right = scroller.getBoundingClientRect().left + scroller.clientWidth;
    const ownScroller = (el) => {
      for (let a = el.parentElement; a && a !== scroller; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== "visible") return true;
      }
      return false;
    };
    notebook.widgets.forEach((cell, index) => {
      for (const el of cell.node.querySelectorAll("*")) {
        const rect = el.getBoundingClientRect();
        if (rect.width > 0 && rect.right > right + 1 && !ownScroller(el)) {
          report.overflow.push({
            index: index, element: el.tagName.toLowerCase() + "." + String(el.className).split(" ")[0],
            by: Math.round(rect.right - right), text: el.textContent.replace(/\s+/g, " ").trim().slice(0, 100),
          });
          break;
        }
      }
    });
    report.overflowWidth = [scroller.scrollWidth, scroller.clientWidth];
  }

  // What is on the page, cell by cell.
  const SKIP = "pre, code, kbd, samp, script, style, textarea, mjx-container";
  const textsOutside = (root) => {
    const texts = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest(SKIP)) continue;
      if (node.nodeValue.trim()) texts.push(node.nodeValue);
    }
    return texts;
  };
  const visible = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).display !== "none";
  report.cells = notebook.widgets.map((cell, index) => {
    const out = { index: index, type: cell.model.type, id: cell.model.id };
    out.tags = cell.model.getMetadata("tags") || [];
    out.inputHidden = !!cell.inputHidden;
    out.placeholderShown = visible(cell.node.querySelector(".jp-InputPlaceholder"));
    out.editorShown = visible(cell.node.querySelector(".jp-InputArea-editor"));
    const rendered = cell.model.type === "markdown" ? cell.node.querySelector(".jp-RenderedMarkdown") : null;
    out.markdownTexts = rendered ? textsOutside(rendered) : [];
    out.codeBlockClasses = rendered
      ? Array.from(rendered.querySelectorAll("pre code, pre")).map((el) => el.className).filter(Boolean) : [];
    const outputs = cell.node.querySelector(".jp-OutputArea");
    out.streams = outputs ? Array.from(outputs.querySelectorAll(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stdout"], '
      + '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')).map((el) => el.textContent) : [];
    out.outputMarkdownTexts = outputs
      ? Array.from(outputs.querySelectorAll(".jp-RenderedMarkdown, .jp-RenderedHTMLCommon")).flatMap(textsOutside) : [];
    out.interactiveInDom = outputs ? outputs.querySelectorAll(".softmax-course-interactive").length : 0;
    out.outputsJson = cell.model.type === "code" ? JSON.stringify(cell.model.toJSON().outputs || []) : "";
    out.math = Array.from(cell.node.querySelectorAll("mjx-container")).map((el) => ({
      seen: el.hasAttribute("data-test-tex"),
      tex: el.getAttribute("data-test-tex"),
      errors: JSON.parse(el.getAttribute("data-test-errors") || "[]"),
      domErrors: Array.from(el.querySelectorAll("mjx-merror, [data-mjx-error]")).map(
        (e) => e.getAttribute("data-mjx-error") || e.textContent.slice(0, 80)),
      outputError: el.classList.contains("mjx-output-error"),
    }));
    return out;
  });
  return report;
})().then(done, (error) => done({ failed: String(error && error.stack || error) }));
"""

# Shuts the notebook's kernel down and closes it without asking (it may be dirty).
CLOSE_JS = r"""
const done = arguments[arguments.length - 1];
(async () => {
  const panel = window.readerTestPanel;
  if (!panel) return;
  window.readerTestPanel = null;
  try { await panel.sessionContext.shutdown(); } catch (error) { /* already gone */ }
  panel.dispose();
})().then(() => done(true), (error) => done(String(error)));
"""


class Lab:
    """One JupyterLab page in one browser; ``open(name)`` opens a notebook of the served folder."""

    def __init__(self, driver, base_url, token, folder):
        self.driver = driver
        self.base_url = base_url
        self.token = token
        self.folder = pathlib.Path(folder)
        self.rows = []  # (notebook, seconds, cells, formulas, {kind: count}) for the summary table

    def start(self):
        self.driver.set_script_timeout(APP_LOAD_SECONDS + NOTEBOOK_SECONDS)
        self.driver.set_page_load_timeout(APP_LOAD_SECONDS)
        self.driver.get(f"{self.base_url}lab?reset&token={self.token}")
        result = self.driver.execute_async_script(START_JS, APP_LOAD_SECONDS)
        if result != "ok":
            raise RuntimeError(f"JupyterLab in Chromium: {result}")

    def open(self, name):
        """Open ``name``, wait until it is rendered, close it; returns (report, seconds)."""
        start = time.monotonic()
        try:
            report = self.driver.execute_async_script(OPEN_JS, name, NOTEBOOK_SECONDS)
            if SCREENSHOTS and isinstance(report, dict) and "failed" not in report:
                pathlib.Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
                self.driver.save_screenshot(str(pathlib.Path(SCREENSHOTS) / f"{pathlib.Path(name).stem}.png"))
        finally:
            self.driver.execute_async_script(CLOSE_JS)
        return report, time.monotonic() - start


@pytest.fixture(scope="module")
def lab(request):
    if not NOTEBOOKS:
        pytest.fail(NOT_BUILT_MESSAGE, pytrace=False)
    with tempfile.TemporaryDirectory(prefix="reader-notebooks-") as folder:
        for name in NOTEBOOKS:
            shutil.copy(EDITIONS_DIR / name, pathlib.Path(folder) / name)
        nbformat.write(planted_notebook(), pathlib.Path(folder) / PLANTED)
        with jupyterlab_server(folder) as (base_url, token), start_chromium(1280, 800) as driver:
            session = Lab(driver, base_url, token, folder)
            session.start()
            yield session
        print_table(request.config, session.rows)


def print_table(config, rows):
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or not rows:
        return
    with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
        write_table(reporter, rows)


def write_table(reporter, rows):
    width = max(len(row[0]) for row in rows)
    reporter.ensure_newline()
    reporter.write_line(f"JupyterLab render of the reader editions ({EDITIONS_DIR}):")
    reporter.write_line(f"  {'notebook':<{width}}  seconds  cells  formulas  problems")
    for name, seconds, cells, formulas, problems in rows:
        kinds = ", ".join(f"{kind} x{count}" for kind, count in problems.items()) or "none"
        reporter.write_line(f"  {name:<{width}}  {seconds:7.1f}  {cells:5}  {formulas:8}  {kinds}")
    reporter.write_line(f"  {'total':<{width}}  {sum(row[1] for row in rows):7.1f}")


# --------------------------------------------------------------------------- the checks

ROLE = re.compile(r"\{(?:[a-z][\w-]*:)*[a-z][\w-]*\}")  # {ref}, {glue:text}, {cite:p} (before a code span)
LABEL_LINE = re.compile(r"(?:^|\n)[ \t]*\([\w.:-]+\)=[ \t]*(?:\n|$)")
OPTION_LINE = re.compile(r"(?:^|\n)[ \t]*:[a-z][\w-]*:(?:[ \t]|$)")
RAW_TEX = re.compile(r"\\(?:[A-Za-z]{2,}|[()\[\]])")
QUOTE_IN_TEX = re.compile(r"(?:^|\n)[ \t]*>")
UNESCAPED_DOLLAR = re.compile(r"(?<!\\)\$")
# 'name = value' on a line of its own; a row of a printed table ('T = 1     0.8310  0.4901') is not plumbing.
PLUMBING = re.compile(r"^\w+ = (?!.*\S {2,}\S).*$", re.MULTILINE)


def excerpt(text, at, before=40, after=60):
    return " ".join(text[max(0, at - before) : at + after].split())


def check(report, original):
    """[(kind, where, what)] of one notebook's report; ``original`` is the notebook as written."""
    problems = []

    def add(kind, cell, what):
        problems.append((kind, f"cell {cell['index'] + 1} ({cell['type']})" if cell else "notebook", what))

    if report.get("windowingMode") != "none":
        raise RuntimeError(
            f"the test's settings did not reach JupyterLab: windowingMode is "
            f"{report.get('windowingMode')!r}, not 'none' (cells may be missing from the page)"
        )
    if not report.get("settled"):
        add(
            "mathjax",
            None,
            f"did not finish rendering within {NOTEBOOK_SECONDS} s "
            f"(cells on the page/in the notebook: {report.get('cellCount')})",
        )
    for error in report.get("mathjaxHookErrors", []):
        add("mathjax", None, f"the test's MathJax hook failed: {error}")
    cells = report["cells"]
    for cell in cells:
        for text in cell["markdownTexts"] + cell["outputMarkdownTexts"]:
            for pattern, what in ((ROLE, "role"), (LABEL_LINE, "(label)= line"), (OPTION_LINE, "directive option")):
                for match in pattern.finditer(text):
                    add("myst", cell, f"{what}: {excerpt(text, match.start())!r}")
            for token in (":::", "```"):
                if token in text:
                    add("myst", cell, f"{token}: {excerpt(text, text.index(token))!r}")
            for character, kind in ((">", "stray >"), ("$", "stray $")):
                if character in text:
                    add(kind, cell, f"in the text: {excerpt(text, text.index(character))!r}")
            match = RAW_TEX.search(text)
            if match:
                add("mathjax", cell, f"TeX left untypeset: {excerpt(text, match.start())!r}")
        for classes in cell["codeBlockClasses"]:
            if "{" in classes:
                add("myst", cell, f"directive fence shown as a code block ({classes})")
        for math in cell["math"]:
            if not math["seen"]:
                add("mathjax", cell, "a formula typeset where the test's MathJax hook did not see it (its TeX unknown)")
            tex = math["tex"] or ""
            if QUOTE_IN_TEX.search(tex):
                add("stray >", cell, f"a blockquote's '>' inside the formula ${' '.join(tex.split())}$")
            if UNESCAPED_DOLLAR.search(tex):
                add("stray $", cell, f"a '$' inside the formula ${' '.join(tex.split())}$")
            for error in dict.fromkeys(math["errors"] or math["domErrors"]):
                add("mathjax", cell, f"{error} in ${' '.join(tex.split())}$")
            if math["outputError"]:
                add("mathjax", cell, f"MathJax failed on ${' '.join(tex.split())}$")
        for stream in cell["streams"]:
            for match in PLUMBING.finditer(stream):
                add("plumbing", cell, repr(match.group(0)[:100]))
        if cell["interactiveInDom"] or "softmax-course-interactive" in cell["outputsJson"]:
            add("interactive", cell, "an output holds the HTML of an interactive figure (softmax-course-interactive)")
    for item in report.get("overflow", []):
        add(
            "overflow",
            cells[item["index"]],
            f"{item['element']} sticks out {item['by']} px to the right of the "
            f"notebook ({report['overflowWidth'][1]} px wide, so it scrolls sideways): {item['text']!r}",
        )
    code_cells = [cell for cell in cells if cell["type"] == "code"]
    first = code_cells[0] if code_cells else None
    if first is None or "colab-setup" not in first["tags"]:
        add("setup cell", first, f"the first code cell is not the setup cell (tags {first and first['tags']})")
    elif not (first["inputHidden"] and first["placeholderShown"] and not first["editorShown"]):
        add("setup cell", first, "the setup cell is not folded (its code is shown)")
    if first is not None and any(cell["type"] != "markdown" for cell in cells[: first["index"]]):
        add("setup cell", first, "a cell other than markdown comes before the setup cell")
    if not report.get("kernelMetadataLanded"):
        add(
            "dirty",
            None,
            f"the kernel ({report.get('kernel')}) did not start or its metadata did not reach the "
            f"notebook within {NOTEBOOK_SECONDS} s: whether it opens clean is unknown {report.get('notes')}",
        )
    if report["dirty"] or report["dirtyTab"]:
        add(
            "dirty",
            None,
            f"opens marked unsaved (kernel {report.get('kernel')}); JupyterLab changed "
            + (metadata_changes(original, report) or "nothing in the metadata"),
        )
    return problems


def metadata_changes(original, report):
    """What JupyterLab's model holds that the file did not (metadata, format version), in words."""
    changes = []
    before, after = original.get("metadata", {}), report.get("metadata", {})
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            changes.append(f"metadata.{key}: {json.dumps(before.get(key))} -> {json.dumps(after.get(key))}")
    written = [original.get("nbformat"), original.get("nbformat_minor")]
    if written != list(report.get("nbformat", written)):
        changes.append(f"nbformat {written} -> {report['nbformat']}")
    return "; ".join(changes)


def describe(name, problems):
    lines = [f"{name}: {len(problems)} problem(s) as JupyterLab shows it"]
    lines += [f"  [{kind}] {where}: {what}" for kind, where, what in problems]
    return "\n".join(lines)


def run(lab, name):
    """Open ``name`` in JupyterLab and check it; returns its problems and records a table row."""
    report, seconds = lab.open(name)
    if not isinstance(report, dict) or "failed" in report:
        raise RuntimeError(f"{name}: JupyterLab could not open it: {report}")
    original = json.loads((lab.folder / name).read_text(encoding="utf-8"))
    problems = check(report, original)
    counts = {}
    for kind, _, _ in problems:
        counts[kind] = counts.get(kind, 0) + 1
    formulas = sum(len(cell["math"]) for cell in report["cells"])
    lab.rows.append((name, seconds, len(report["cells"]), formulas, counts))
    return problems


# --------------------------------------------------------------------------- the planted notebook


def planted_notebook():
    """A notebook with one of each defect the checks look for (and the setup cell unfolded)."""
    cells = [
        nbformat.v4.new_markdown_cell(
            "# Planted defects\n\nSee {ref}`sec-intro` and :::\n\n(my-label)=\n\n```{note}\nA note\n```\n\n:label: ex-1"
        ),
        nbformat.v4.new_code_cell("import sys", metadata={"tags": ["colab-setup"]}),
        nbformat.v4.new_markdown_cell(
            "> **Exercise**\n>\n> Show that\n> $$\n> a \\le b\n> $$\n>\n"
            "> holds, and that $\\sigma(x +\n> b)$ too.\n\nIt costs $5 to \\foo it."
        ),
        nbformat.v4.new_markdown_cell("Errors: $x^1^2$ and $\\undefinedmacro{x}$; a > b."),
        nbformat.v4.new_code_cell(
            "# A folded cell whose first line is far too long for the notebook's width: "
            + "its summary runs off the side. " * 6
            + "\nx = 1",
            metadata={"jupyter": {"source_hidden": True}},
        ),
        nbformat.v4.new_code_cell(
            "print('loss = 0.5')",
            outputs=[
                nbformat.v4.new_output("stream", name="stdout", text="loss = 0.5\n"),
                nbformat.v4.new_output(
                    "display_data",
                    data={
                        "text/html": '<figure class="softmax-course-interactive" id="fig-x"><p>x</p></figure>',
                        "text/plain": "<figure>",
                    },
                ),
            ],
        ),
    ]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


# --------------------------------------------------------------------------- the tests


def test_reader_editions_are_built():
    assert NOTEBOOKS, NOT_BUILT_MESSAGE


def test_checks_find_planted_defects(lab):
    """Every check finds its defect in a planted notebook, on this JupyterLab (its DOM, its MathJax)."""
    problems = run(lab, PLANTED)
    found = {kind for kind, _, _ in problems}
    missing = [kind for kind in KINDS if kind not in found]
    assert not missing, f"the checks missed {missing} in the planted notebook\n" + describe(PLANTED, problems)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_reader_notebook_in_jupyterlab(lab, name):
    problems = run(lab, name)
    assert not problems, describe(name, problems)
