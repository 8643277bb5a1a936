// Draws the interactive figures of softmax_course.interactive with Vega's runtime (window.vega).
//
// Each <figure class="softmax-course-interactive"> carries its Vega spec, compiled from Vega-Lite
// when the figure was made (or, without vl-convert, the Vega-Lite spec, compiled here by vegaLite),
// in a <script type="application/json" class="sci-spec">. This file runs after the runtime: in the
// book, appended to Vega's own (softmax-course-vega.js, fetched when a figure comes near the
// screen); in JupyterLab or VS Code, after vl-convert's offline bundle of vega-embed in the output,
// which it then draws with (window.vega alone is not exposed there); where there is no runtime yet,
// it loads the pinned one from jsDelivr first (the figure's data-sci-cdn). Figures already drawn
// are left alone, so it may run once per output.
(function () {
  "use strict";

  // The controls vega makes for bound signals: labelled for screen readers, with a readable value.
  function labelControls(fig, view, info) {
    fig.querySelectorAll(".vega-bind input[type=range]").forEach(function (input) {
      var bind = input.closest(".vega-bind");
      var label = bind.querySelector(".vega-bind-name");
      if (label) input.setAttribute("aria-label", label.textContent);
      // The value as the reader reads it (T = 0.5, step 40, 0.335), not vega's raw number.
      var next = input.nextElementSibling; // vega's own display of the value: a bare <span>
      var shown = next && next.tagName === "SPAN" ? next : null;
      var out = document.createElement("output");
      out.className = "sci-value";
      (shown || input).insertAdjacentElement("afterend", out);
      if (shown) shown.style.display = "none";
      var texts = info.values[input.name];
      var show = function (value) {
        out.textContent = texts ? texts[value] : Number(value).toPrecision(3);
        if (!info.status[input.name]) input.setAttribute("aria-valuetext", out.textContent);
      };
      show(view.signal(input.name));
      view.addSignalListener(input.name, function (_, value) { show(value); });
    });
    fig.querySelectorAll(".vega-bind-radio").forEach(function (group) {
      var label = group.closest(".vega-bind").querySelector(".vega-bind-name");
      group.setAttribute("role", "radiogroup");
      if (label) group.setAttribute("aria-label", label.textContent);
    });
  }

  // The status line (a polite live region) says what the control shows now.
  function sayStatus(fig, view, info, status) {
    Object.keys(info.status).forEach(function (name) {
      var input = fig.querySelector('input[name="' + name + '"]');
      var say = function (value) {
        var text = info.status[name][value];
        if (text === undefined) return;
        status.textContent = text;
        if (input && input.type === "range") input.setAttribute("aria-valuetext", text);
      };
      say(view.signal(name));
      view.addSignalListener(name, function (_, value) { say(value); });
    });
  }

  // A text mark the figure computes (the weight explorer's loss and accuracy): said in the status
  // line after each move, and the figure's label follows it.
  function sayLiveMark(fig, view, info, status) {
    var find = function (node) {
      if (!node) return null;
      if (node.marktype && node.name === info.live.mark) return node;
      var items = node.items || [];
      for (var i = 0; i < items.length; i++) {
        var found = find(items[i]);
        if (found) return found;
      }
      return null;
    };
    var tell = function () {
      var mark = find(view.scenegraph().root);
      var text = mark && mark.items.length ? String(mark.items[0].text) : "";
      if (!text) return;
      if (status.textContent !== text) status.textContent = text;
      fig.setAttribute("aria-label", info.live.label + text + ".");
    };
    info.controls.forEach(function (name) {
      view.addSignalListener(name, function () { view.runAsync().then(tell); });
    });
    tell();
  }

  // Vega's runtime alone (the book), else vega-embed's bundle (a notebook's output, offline).
  function hasRuntime() {
    return !!((window.vega && window.vega.View) || window.vegaEmbed);
  }

  function makeView(spec, container) {
    if (window.vega && window.vega.View) {
      var view = new window.vega.View(window.vega.parse(spec), {renderer: "svg", container: container, hover: true});
      return view.runAsync().then(function () { return view; });
    }
    return window.vegaEmbed(container, spec, {mode: "vega", renderer: "svg", actions: false})
      .then(function (result) { return result.view; });
  }

  function draw(fig) {
    fig.classList.add("sci-started");
    var info = JSON.parse(fig.querySelector("script.sci-spec").textContent);
    var spec = info.vega || window.vegaLite.compile(info.spec).spec;
    makeView(spec, fig.querySelector(".sci-view"))
      .then(function (view) {
        var status = fig.querySelector(".sci-status");
        fig.softmaxCourseView = view;
        var picture = fig.querySelector(".sci-static");
        if (picture) picture.hidden = true;
        sayStatus(fig, view, info, status);
        labelControls(fig, view, info);
        if (info.live) sayLiveMark(fig, view, info, status);
        fig.classList.add("sci-ready");
      })
      .catch(function (error) {
        fig.classList.add("sci-failed");
        console.error(error);
      });
  }

  function drawAll() {
    document.querySelectorAll("figure.softmax-course-interactive:not(.sci-started)").forEach(function (fig) {
      var info = JSON.parse(fig.querySelector("script.sci-spec").textContent);
      if (info.vega || window.vegaLite) draw(fig);
    });
  }

  function loadInTurn(urls, done) {
    if (!urls.length) return done();
    var script = document.createElement("script");
    script.src = urls[0];
    script.onload = function () { loadInTurn(urls.slice(1), done); };
    document.head.appendChild(script);
  }

  if (hasRuntime()) {
    drawAll();
    return;
  }
  var wanting = document.querySelector("figure.softmax-course-interactive[data-sci-cdn]:not(.sci-started)");
  if (!wanting || window.softmaxCourseLoading) return;
  window.softmaxCourseLoading = true;
  loadInTurn(JSON.parse(wanting.getAttribute("data-sci-cdn")), function () {
    window.softmaxCourseLoading = false;
    drawAll();
  });
})();
