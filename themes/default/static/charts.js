// Upgrade each static SVG chart to an interactive Vega view (tooltips), with the Vega bundle
// shipped in the site (static/vega.js: no CDN). Specs are inline JSON blocks, so this works
// from file:// too. Expressions run through the bundled vega-interpreter, so the page's
// Content-Security-Policy needs no 'unsafe-eval'. The static SVG stays in the page: it is
// shown until the live view has rendered, when scripts are off, and in print.
(function () {
  "use strict";

  var views = [];

  function readJSON(node) {
    if (!node) return null;
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }

  // Number and date formats travel inside each spec (config.locale), as for the static SVG.
  function embedOptions() {
    return {
      actions: false,
      renderer: "svg",
      ast: true,
      expr: window.vegaExpressionInterpreter,
      // The embed's and the tooltip's looks are in site.css: no <style> element is injected,
      // so the page's Content-Security-Policy needs no 'unsafe-inline' for styles.
      defaultStyle: false,
      tooltip: { theme: "custom", disableDefaultStyle: true }
    };
  }

  // The live view is laid out at the figure's width, so a phone gets full-size labels and a
  // wide screen a wide chart; its height is the static chart's, so the page does not jump.
  var MAX_WIDTH = 1100;
  function fitWidth(figure) {
    var style = window.getComputedStyle(figure);
    var room = figure.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return Math.max(200, Math.floor(Math.min(room, MAX_WIDTH)));
  }

  function upgrade(figure, options) {
    var spec = readJSON(figure.querySelector("script.chart-spec"));
    var live = figure.querySelector(".chart-live");
    var still = figure.querySelector(".chart-static");
    if (!spec || !live || !still) return;
    spec.width = fitWidth(figure);
    spec.autosize = { type: "fit-x", contains: "padding" };
    window.vegaEmbed(live, spec, options)
      .then(function (result) {
        live.hidden = false;
        still.hidden = true;
        figure.setAttribute("data-live", "true");
        views.push({ figure: figure, view: result.view });
      })
      .catch(function (err) {
        figure.setAttribute("data-live", "failed");
        if (window.console) window.console.warn("chart " + figure.id + ": " + err);
      });
  }

  function refit() {
    for (var i = 0; i < views.length; i++) {
      var v = views[i];
      var width = fitWidth(v.figure);
      if (width !== v.view.width()) v.view.width(width).runAsync();
    }
  }

  function run() {
    if (typeof window.vegaEmbed !== "function" || !window.vegaExpressionInterpreter) return;
    var options = embedOptions();
    var figures = document.querySelectorAll("figure[data-chart]");
    for (var i = 0; i < figures.length; i++) upgrade(figures[i], options);
    var timer = null;
    window.addEventListener("resize", function () {
      if (timer) window.clearTimeout(timer);
      timer = window.setTimeout(refit, 150);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
