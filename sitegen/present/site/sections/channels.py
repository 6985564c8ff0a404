"""The channels: a comparison of every channel and one page per channel."""

from __future__ import annotations

from sitegen.present.charts.kinds.trend import stacked_chart, trend_chart
from sitegen.present.charts.model import Series
from sitegen.present.site.builder import HEADLINE, SiteBuilder
from sitegen.present.site.routes import channel_slug, path_for

# The flow whose split by channel the channels page shows, in order of preference.
SHARE_OF = ("reach", "impressions", "engagement", "clicks", "leads")


def channel_section(site: SiteBuilder) -> None:
    """Add the channel comparison and one page per channel."""
    rep = site.report
    title = site.t("Channels")
    site.nav_item("channels", title, path_for("channels"))
    rows = []
    for r in site.results.values():
        vals = [r.channels.get(ch) for ch in rep.channels]
        if any(v is not None for v in vals):
            rows.append((r, vals))
    share = None
    flow = next((k for k in SHARE_OF if k in site.results), None)
    if flow is not None and len(rep.channels) > 1:
        r = site.results[flow]
        series = [
            Series(site.channel_name(ch), site.points(s), site.channel_name.colour(ch))
            for ch, s in sorted(r.channel_series.items())
            if any(v is not None for _, v in s)
        ]
        if len(series) > 1:
            share = site.add_chart(
                stacked_chart(
                    f"channels-share-{flow}",
                    f"{r.kpi.label(site.locale)}: {site.t('Share of total')}",
                    series,
                    r.kpi.unit,
                    site.fmt,
                    locale=site.locale,
                    brand=site.brand,
                    normalize=True,
                )
            )
    site.add_page(
        path_for("channels"),
        "channels.html",
        title,
        {
            "channel_rows": rows,
            "share": share,
        },
        section="channels",
        crumbs=site.home(),
    )
    crumbs = [*site.home(), (title, path_for("channels"))]
    for ch in rep.channels:
        ch_rows = [
            site.kpi_row(r, [ch]) for r in site.results.values() if r.channels.get(ch) is not None
        ]
        chart = None
        key = next(
            (k for k in HEADLINE if k in site.results and ch in site.results[k].channel_series),
            None,
        )
        if key is not None:
            r = site.results[key]
            pts = site.points(r.channel_series[ch])
            if any(p.value is not None for p in pts):
                chart = site.add_chart(
                    trend_chart(
                        f"channel-{channel_slug(ch)}-{key}",
                        r.kpi.label(site.locale),
                        [Series(site.channel_name(ch), pts)],
                        r.kpi.unit,
                        site.fmt,
                        locale=site.locale,
                        brand=site.brand,
                    )
                )
        site.add_page(
            path_for("channel", ch),
            "channel.html",
            site.channel_name(ch),
            {
                "channel": ch,
                "rows": ch_rows,
                "trend": chart,
                "share_of": {r.kpi.id: r.shares.get(ch) for r in site.results.values() if r.shares},
            },
            section="channels",
            crumbs=crumbs,
        )
