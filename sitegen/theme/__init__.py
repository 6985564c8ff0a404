"""The theme layer: the one Jinja environment, Markdown pages and rendering the pages."""
