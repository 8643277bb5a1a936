"""Lighthouse on the built book: the landing page and four chapters, phone and desktop, medians of 3 runs.

Usage: python tools/lighthouse.py [--runs N] [--plain] [PAGE ...]   (`make lighthouse`; build the book first)

Serves _build/html (or $BOOK_HTML_DIR) on 127.0.0.1 as GitHub Pages serves the published book:
HTML, CSS, JavaScript, JSON and SVG gzip-compressed for a browser that accepts it (Lighthouse's
Chromium does), everything else as it is. ``--plain`` serves every file uncompressed instead, as
the browser tests' static server does (their page weights are the uncompressed bytes, an upper
bound). Runs Lighthouse (npm, pinned in package-lock.json) in headless Chromium
($CHROME_PATH, else /usr/bin/chromium) with its mobile preset (a mid-range phone on a slow 4G
link, simulated) and its desktop preset. Prints, per page and preset, the medians over the runs of
the performance score, LCP, CLS, TBT and FCP, and the accessibility score. Lighthouse's scores vary
from run to run, which is why they are reported here and not asserted by the test command; the
reports of the last run are kept in _build/lighthouse/.
"""

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import pathlib
import statistics
import subprocess
import sys
import threading

ROOT = pathlib.Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
PAGES = [
    "index.html",
    "notebooks/03_softmax_operation.html",
    "notebooks/07_fashion_mnist.html",
    "notebooks/11_decision_regions.html",
    "notebooks/13_other_losses.html",
]
PRESETS = ["mobile", "desktop"]
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"


COMPRESSED = (".html", ".css", ".js", ".json", ".svg")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


class _Compressing(_Quiet):
    """Text files gzip-compressed when the browser accepts it, as GitHub Pages sends them."""

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not accepts or not path.endswith(COMPRESSED) or not os.path.isfile(path):
            return super().send_head()
        data = gzip.compress(pathlib.Path(path).read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)


def serve(directory, compress=True):
    handler = _Compressing if compress else _Quiet
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def run(url, preset, report):
    """One Lighthouse run; returns its JSON report as a dict."""
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        "--only-categories=performance,accessibility",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    subprocess.run(command, check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, timeout=300)
    return json.loads(pathlib.Path(report).read_text(encoding="utf-8"))


def figures(result):
    audits = result["audits"]
    return {
        "perf": round(100 * (result["categories"]["performance"]["score"] or 0)),
        "a11y": round(100 * (result["categories"]["accessibility"]["score"] or 0)),
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
        "tbt": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--plain", action="store_true", help="serve every file uncompressed")
    parser.add_argument("pages", nargs="*", default=PAGES)
    args = parser.parse_args()
    html_dir = pathlib.Path(os.environ.get("BOOK_HTML_DIR") or ROOT / "_build" / "html")
    if not (html_dir / "index.html").is_file():
        sys.exit(f"no built book at {html_dir}: run `make book` first")
    if not LIGHTHOUSE.is_file():
        sys.exit(f"{LIGHTHOUSE} missing: run `npm ci` at the repository root")
    out = html_dir.parent / "lighthouse"
    out.mkdir(parents=True, exist_ok=True)
    server, base = serve(html_dir, compress=not args.plain)
    rows = []
    try:
        for page in args.pages:
            for preset in PRESETS:
                runs = []
                for number in range(args.runs):
                    report = out / f"{page.replace('/', '_').removesuffix('.html')}_{preset}.json"
                    runs.append(figures(run(base + page, preset, report)))
                    print(f"  {page} {preset} run {number + 1}: performance {runs[-1]['perf']}", file=sys.stderr)
                median = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
                rows.append((page, preset, median, [r["perf"] for r in runs]))
    finally:
        server.shutdown()
    served = "uncompressed" if args.plain else "text gzip-compressed, as GitHub Pages serves it"
    print(
        f"Lighthouse medians over {args.runs} run(s) (performance of each run in brackets); {served}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"{'page':<40} {'preset':<8} {'perf':>5} {'runs':<14} {'LCP s':>6} {'FCP s':>6} {'TBT ms':>7} "
        f"{'CLS':>6} {'a11y':>5} {'bytes':>10}"
    )
    for page, preset, m, each in rows:
        print(
            f"{page:<40} {preset:<8} {m['perf']:>5.0f} {str(each):<14} {m['lcp']:>6.2f} {m['fcp']:>6.2f} "
            f"{m['tbt']:>7.0f} {m['cls']:>6.3f} {m['a11y']:>5.0f} {m['bytes']:>10,.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
