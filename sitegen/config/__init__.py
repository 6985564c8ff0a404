"""Read and validate a project's TOML files: sitegen.toml, goals.toml and cases.toml.

- ``schema``: the declarative field tables and the one engine that checks a table against
  them, collecting every problem (file, key, expected, found, hint) before raising;
- ``toml``: read a TOML file, naming the line and column of a syntax error;
- ``values``: the small shared helpers (did-you-mean, finite numbers, percentages);
- ``slug``: ASCII slugs for ids and folder names;
- ``project`` (and ``kpis``, its [[kpis]] tables), ``goals``, ``cases``: the schema of each
  file and its parsed, frozen result.

User docs: docs/project-format.md, docs/config-keys.md (generated from the schemas).
"""
