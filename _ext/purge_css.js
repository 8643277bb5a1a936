// Removes from the built book's style sheets the rules that no page can use, for _ext/purged_css.py.
// Usage: node purge_css.js PURGECSS_DIR OUTDIR CSS_FILE... (paths relative to OUTDIR).
// A rule stays when every class, id and element it names occurs in a page (*.html) or in a script
// (_static/**/*.js: classes the theme, Bootstrap, vega or the copy button add while the page runs),
// and always for the states scripts set (SAFELIST). Prints one JSON line: {file: [before, after]}.
"use strict";
const fs = require("fs");
const path = require("path");
const { PurgeCSS } = require(process.argv[2]);

const outdir = process.argv[3];
const files = process.argv.slice(4);

const SAFELIST = {
  standard: [/^show$/, /^showing$/, /^hiding$/, /^fade$/, /^active$/, /^disabled$/, /^collaps/, /^open$/],
  greedy: [/tooltip/, /popover/, /^sci-/, /^katex/],
};

// Scripts that the pages do not load (Font Awesome: _templates/layout.html; MathJax: prerendered_math),
// or that add no class the book's style sheets style (the figures' vega bundle), and whose
// thousands of names would otherwise keep every rule.
const UNUSED_SCRIPTS = /(fontawesome|mathjax|softmax-course-vega)[^/]*\.js$/;

function walk(dir, suffix, found = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, suffix, found);
    else if (entry.name.endsWith(suffix)) found.push(full);
  }
  return found;
}

(async () => {
  const content = walk(outdir, ".html").filter((f) => !f.includes(`${path.sep}_sources${path.sep}`))
    .concat(walk(path.join(outdir, "_static"), ".js").filter((f) => !UNUSED_SCRIPTS.test(f)));
  const report = {};
  for (const file of files) {
    const full = path.join(outdir, file);
    const before = fs.statSync(full).size;
    const [result] = await new PurgeCSS().purge({
      content: content,
      css: [full],
      safelist: SAFELIST,
      dynamicAttributes: ["data-theme", "data-mode", "aria-expanded", "aria-selected", "aria-current",
                          "aria-hidden", "open", "hidden", "disabled", "role", "type", "data-bs-theme"],
      keyframes: true,
      fontFace: true,
      variables: false,
    });
    fs.writeFileSync(full, result.css);
    report[file] = [before, Buffer.byteLength(result.css)];
  }
  process.stdout.write(JSON.stringify(report) + "\n");
})().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + "\n");
  process.exit(1);
});
