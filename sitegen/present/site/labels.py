"""Translated labels of goal statuses and KPI families, shared by sections and templates."""

from __future__ import annotations

from sitegen.present.i18n.gettext import gettext


def status_text(locale: str, status: str) -> str:
    """Return a goal status in the locale."""
    texts = {
        "not_started": gettext(locale, "Not started"),
        "not_enough_data": gettext(locale, "Too early to tell"),
        "achieved": gettext(locale, "Achieved"),
        "missed": gettext(locale, "Missed"),
        "on_track": gettext(locale, "On track"),
        "at_risk": gettext(locale, "At risk"),
        "off_track": gettext(locale, "Off track"),
    }
    return texts.get(status, status)


def family_title(locale: str, family: str) -> str:
    """Return the heading of a KPI family in the locale."""
    texts = {
        "engagement": gettext(locale, "Engagement"),
        "reach": gettext(locale, "Reach"),
        "conversion": gettext(locale, "Conversion"),
        "awareness": gettext(locale, "Awareness"),
        "customer_experience": gettext(locale, "Customer experience"),
        "finance": gettext(locale, "Finance"),
        "custom": gettext(locale, "Custom KPIs"),
        "metric": gettext(locale, "Metrics"),
    }
    return texts.get(family, family)
