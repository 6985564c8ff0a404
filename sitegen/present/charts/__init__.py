"""Chart specs with Altair, rendered to static SVG by vl-convert at build time.

Each ``Chart`` carries its Vega-Lite spec (upgraded to an interactive view in the browser by
the bundled Vega runtime), its numbers as a table (already formatted for the locale) and an
alt text. Building specs is separate from rendering them so the build can render (and cache)
many charts at once.

Conventions that keep the static SVG and the live view identical and deterministic:
- data are inline values (no URLs), dates are ISO strings read on a UTC scale, so neither
  the build machine's nor the reader's time zone moves a month;
- percent KPIs (1.5 means 1.5 %) are drawn as fractions so the axis uses the locale's d3
  percent format; currency axes use the d3 locale's currency affixes;
- tooltips show text formatted by babel, the same text as the page's tables;
- element ids in the SVG are prefixed per chart, so several charts can share one page.
"""
