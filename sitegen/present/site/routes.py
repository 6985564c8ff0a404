"""The route table: every page's path in the site, for sections, templates and the portfolio."""

from __future__ import annotations

import hashlib

from sitegen.config.slug import slugify

# Page kind -> path pattern; {id} is the page's id (a slug; channels are slugged here).
ROUTES = {
    "overview": "index.html",
    "goals": "goals/index.html",
    "goal": "goals/{id}.html",
    "plan": "plans/{id}.html",
    "kpis": "kpis/index.html",
    "kpi": "kpis/{id}.html",
    "channels": "channels/index.html",
    "channel": "channels/{id}.html",
    "cases": "cases/index.html",
    "case": "cases/{id}.html",
    "competitors": "competitors/index.html",
    "page": "pages/{id}.html",
    "data": "data/index.html",
}


def channel_slug(channel: str) -> str:
    """Return a channel's slug for paths and ids; distinct and safe for any channel name."""
    slug = slugify(channel)
    if slug != channel or slug == "index":
        # Names that are not already slugs get a short hash so "FB Ads" and "fb-ads" differ;
        # so does "index" (data/index.csv), whose page would be the channel list's.
        slug += "-" + hashlib.sha1(channel.encode()).hexdigest()[:6]  # noqa: S324 - not security
    return slug


def path_for(kind: str, id: str | None = None) -> str:
    """Return the site path of a page of a kind ('kpi', 'goal', ...) and id; channels by name."""
    pattern = ROUTES[kind]
    if "{id}" not in pattern:
        if id is not None:
            raise ValueError(f"the {kind} page takes no id")
        return pattern
    if id is None:
        raise ValueError(f"the {kind} page needs an id")
    return pattern.format(id=channel_slug(id) if kind == "channel" else id)
