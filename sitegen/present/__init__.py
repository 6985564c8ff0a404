"""Present the computed report in a locale: text, numbers, charts and pages (no I/O)."""
