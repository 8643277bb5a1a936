// Loads the interactive figures' runtime (softmax-course-vega.js: Vega's runtime and the drawing script,
// 0.5 MB) when the first figure of the page comes near the screen, not with the page: a reader who
// never scrolls to a figure never downloads it. Once there, the runtime draws every figure of the
// page (softmax_course/interactive.js). Added by _ext/interactive_figures.py to the pages that
// have a figure, deferred; the library is looked for next to this file.
(function () {
  "use strict";
  var figures = document.querySelectorAll("figure.softmax-course-interactive");
  if (!figures.length) return;
  var library = document.currentScript.src.replace(/softmax-course-figures\.js(\?.*)?$/, "softmax-course-vega.js");
  var loading = false;
  function load() {
    if (loading) return;
    loading = true;
    var script = document.createElement("script");
    script.src = library;
    document.head.appendChild(script);
  }
  if (!("IntersectionObserver" in window)) {
    load();
    return;
  }
  // A screen ahead, so that the chart is usually drawn by the time the reader gets there.
  var observer = new IntersectionObserver(function (entries) {
    if (entries.some(function (entry) { return entry.isIntersecting; })) {
      observer.disconnect();
      load();
    }
  }, { rootMargin: "100% 0px" });
  figures.forEach(function (figure) { observer.observe(figure); });
  // Keyboard readers reach a figure's controls by Tab before scrolling to it.
  figures.forEach(function (figure) { figure.addEventListener("focusin", load); });
})();
