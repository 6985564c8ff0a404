"""goals.toml: SMART goals ([[goals]]) and reverse-funnel plans ([[plans]]) (config side).

``sitegen.goals.spec`` validates goals.toml; ``sitegen.model.goals`` evaluates the goals and
plans against the KPI engine. User docs: docs/goals.md.
"""
