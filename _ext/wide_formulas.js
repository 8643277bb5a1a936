// A display formula wider than the column scrolls sideways inside its own box (book.css). A reader
// without a mouse or a touch screen must be able to scroll it too: such a box, and only such a box,
// becomes a tab stop (arrow keys then scroll it), named as a wide formula; a formula that fits stays
// out of the tab order. Checked again when the fonts arrive and when the window changes size.
// Added by _ext/prerendered_math.py, deferred, to the pages that have math.
(function () {
  "use strict";
  var boxes = document.querySelectorAll(".math .katex-display");
  if (!boxes.length) return;
  function mark() {
    boxes.forEach(function (box) {
      var wide = box.scrollWidth > box.clientWidth + 1;
      if (wide && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "group");
        box.setAttribute("aria-label", "Wide formula, scrolls sideways");
      } else if (!wide && box.hasAttribute("tabindex")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  mark();
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(mark);
  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) cancelAnimationFrame(pending);
    pending = requestAnimationFrame(mark);
  });
})();
