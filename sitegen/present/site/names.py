"""Channel names as the client reads them: [channels.<id>] label, else the platform's name.

A channel id is a slug from the data ("meta-ads", "google-analytics"); pages, tables and
chart legends show its display name, kpis.json and kpis.csv keep the id.
"""

from __future__ import annotations

from collections.abc import Mapping

from sitegen.config.report import ChannelStyle
from sitegen.present.site.routes import channel_slug

# The platforms' own spelling of their names, for the ids the readers and examples use.
PLATFORMS = {
    "facebook": "Facebook",
    "instagram": "Instagram",
    "x": "X",
    "twitter": "X",
    "youtube": "YouTube",
    "tiktok": "TikTok",
    "linkedin": "LinkedIn",
    "vk": "VK",
    "vkontakte": "VK",
    "telegram": "Telegram",
    "pinterest": "Pinterest",
    "threads": "Threads",
    "yandex-direct": "Yandex.Direct",
    "yandex-metrica": "Yandex.Metrica",
    "yandex-metrika": "Yandex.Metrica",
    "google-ads": "Google Ads",
    "google-analytics": "Google Analytics",
    "ga4": "Google Analytics",
    "search-console": "Search Console",
    "google-search-console": "Search Console",
    "meta-ads": "Meta Ads",
    "shopify": "Shopify",
    "mailchimp": "Mailchimp",
    "brand24": "Brand24",
}
# Names the platforms themselves use in another language.
LOCAL_PLATFORMS = {
    "ru": {
        "yandex-direct": "Яндекс.Директ",
        "yandex-metrica": "Яндекс.Метрика",
        "yandex-metrika": "Яндекс.Метрика",
    },
}
# Short words written in capitals when an unknown id is turned into words.
_ACRONYMS = {"crm", "seo", "sms", "cpc", "ppc", "pr", "ugc", "b2b", "b2c", "api", "ads"}


def humanise(channel: str) -> str:
    """Return an unknown channel id in words: 'brand-analytics' -> 'Brand analytics'."""
    words = [w for w in channel.replace("_", "-").split("-") if w]
    if not words:
        return channel
    out = []
    for i, w in enumerate(words):
        if w.lower() in _ACRONYMS and (w != "ads" or i == 0):
            out.append(w.upper())
        elif i == 0:
            out.append(w[:1].upper() + w[1:])
        else:
            out.append(w)
    return " ".join(out)


def channel_label(styles: Mapping[str, ChannelStyle], locale: str, channel: str) -> str:
    """Return a channel's display name: its label, the platform's name, else the id in words."""
    style = styles.get(channel)
    if style is not None and style.label:
        return style.label
    key = channel.lower()
    local = LOCAL_PLATFORMS.get(locale.split("_")[0], {})
    if key in local:
        return local[key]
    if key in PLATFORMS:
        return PLATFORMS[key]
    return humanise(channel)


class ChannelNames:
    """A project's channel names in its locale, callable from templates: names(channel)."""

    def __init__(self, styles: Mapping[str, ChannelStyle], locale: str) -> None:
        self.styles = styles
        self.locale = locale

    def __call__(self, channel: str | None) -> str:
        """Return the channel's display name ('' for None)."""
        return "" if channel is None else channel_label(self.styles, self.locale, channel)

    def icon(self, channel: str) -> str | None:
        """Return the channel's icon path inside the site, if it has one."""
        style = self.styles.get(channel)
        return style.icon if style is not None else None

    @property
    def coloured(self) -> bool:
        """Return True when a channel has a colour of its own (static/brand.css holds it)."""
        return any(s.colour for s in self.styles.values())

    def slug(self, channel: str) -> str:
        """Return the channel's slug, the key of its colour in static/brand.css."""
        return channel_slug(channel)

    def colour(self, channel: str) -> str | None:
        """Return the channel's colour, if set."""
        style = self.styles.get(channel)
        return style.colour if style is not None else None
