"""sitegen: static report sites for marketing and social-media KPIs."""

__version__ = "0.1.0"
