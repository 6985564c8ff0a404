"""The client's brand colour as CSS: the accent and the text colour that reads on it.

WCAG 2 relative luminance and contrast ratio; the ink on the brand colour is white or near
black, whichever contrasts more (4.5:1 is AA for body text).
"""

from __future__ import annotations

from collections.abc import Mapping

INK_LIGHT, INK_DARK = "#ffffff", "#111111"


def rgb(hex_colour: str) -> tuple[int, int, int]:
    """Return the red, green and blue of a #rgb or #rrggbb colour (0 to 255)."""
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def luminance(hex_colour: str) -> float:
    """Return the WCAG relative luminance of a #rgb or #rrggbb colour (0 black .. 1 white)."""

    def lin(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """Return the WCAG contrast ratio of two colours (1 .. 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def ink_on(colour: str) -> str:
    """Return the text colour (white or near black) that contrasts more with colour."""
    return INK_LIGHT if contrast(colour, INK_LIGHT) >= contrast(colour, INK_DARK) else INK_DARK


def brand_css(colour: str | None, channels: Mapping[str, str] | None = None) -> str:
    """Return static/brand.css: the brand colour, the ink on it, each channel's colour.

    channels maps a channel's slug (sitegen.present.site.routes.channel_slug: letters,
    digits and dashes) to its colour; the pages mark a channel's chip and heading with it.
    """
    # Colours are validated as #rgb/#rrggbb in sitegen/config, so they are safe in CSS.
    lines = [f":root {{ --brand: {colour}; --brand-ink: {ink_on(colour)}; }}"] if colour else []
    for slug, c in sorted((channels or {}).items()):
        lines.append(f'[data-channel-colour="{slug}"] {{ --channel: {c}; }}')
    return "\n".join(lines) + "\n"
