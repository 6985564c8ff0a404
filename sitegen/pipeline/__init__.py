"""Build sites: one project's stages (run), charts (draw), projects, cache, fast path, writing.

Light on purpose: importing the package loads nothing, so the no-change fast path
(``fastpath``) answers before polars, altair and Jinja are imported.
"""
