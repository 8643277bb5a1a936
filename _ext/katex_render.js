// Renders TeX to HTML with KaTeX, for _ext/prerendered_math.py: one JSON request a line on stdin
// ({"tex": "...", "display": true|false}), one JSON answer a line on stdout ({"html": "..."} or
// {"error": "..."}), until stdin closes. KaTeX comes from node_modules (package-lock.json).
"use strict";
const katex = require(process.argv[2] || "katex");
const readline = require("readline");

const lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on("line", (line) => {
  let answer;
  try {
    const request = JSON.parse(line);
    answer = {
      html: katex.renderToString(request.tex, {
        displayMode: !!request.display,
        throwOnError: true,
        strict: "ignore",   // as MathJax: Unicode letters and \\ in inline math are accepted
        output: "htmlAndMathml",  // the HTML is drawn, the MathML is what a screen reader reads
        trust: false,
      }),
    };
  } catch (error) {
    answer = { error: String(error && error.message ? error.message : error) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});
