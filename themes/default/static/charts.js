// Upgrade each static SVG chart to an interactive Vega view (tooltips) when the bundled
// Vega runtime (static/vega.js, shipped with the site: no CDN) is available. The static SVG
// stays in place until the live view has rendered, and is kept for print.
(function () {
  "use strict";
  function upgrade(figure) {
    var specNode = figure.querySelector("script.chart-spec");
    var live = figure.querySelector(".chart-live");
    var still = figure.querySelector(".chart-static");
    if (!specNode || !live || !still || typeof window.vegaEmbed !== "function") return;
    var spec;
    try { spec = JSON.parse(specNode.textContent); } catch (e) { return; }
    window.vegaEmbed(live, spec, { actions: false, renderer: "svg", tooltip: { theme: "custom" } })
      .then(function () {
        live.hidden = false;
        still.hidden = true;
        figure.setAttribute("data-live", "true");
      })
      .catch(function () { /* keep the static chart */ });
  }
  function run() {
    var figures = document.querySelectorAll("figure[data-chart]");
    for (var i = 0; i < figures.length; i++) upgrade(figures[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
