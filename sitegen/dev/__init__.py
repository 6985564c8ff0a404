"""Tools for working on a project: the dev server, the project scaffold, the KPI listing."""
