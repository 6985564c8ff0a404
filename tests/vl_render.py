"""Render a Vega-Lite spec to SVG in the test process (builds draw in sitegen.parallel)."""

from __future__ import annotations

from typing import Any

import vl_convert as vlc


def render_svg(
    spec: dict[str, Any], format_locale: Any = None, time_format_locale: Any = None
) -> str:
    """Render a Vega-Lite spec to an SVG string (offline: no URL may be loaded).

    Specs made by sitegen carry their locale in ``config.locale``, so the locale arguments
    only matter for specs without one.
    """
    svg: str = vlc.vegalite_to_svg(
        spec,
        format_locale=format_locale,
        time_format_locale=time_format_locale,
        allowed_base_urls=[],
    )
    return svg
