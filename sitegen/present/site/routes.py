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


# Names of the site's folders and index pages: an id equal to one of them gets a suffix, so
# a goal "index" does not land on goals/index.html (and no id can shadow a folder).
RESERVED = frozenset(
    {"index", "data", "goals", "kpis", "channels", "cases", "competitors", "plans", "pages"}
    | {"static", "assets"}
)
RESERVED_SUFFIX = "-2"
# File names are limited to 255 bytes; a longer id is cut to its first KEEP bytes and a hash
# of the whole id, so it stays distinct, deterministic and well under the limit.
MAX_ID_BYTES = 100
KEEP_BYTES = 80


def fit(id: str) -> str:
    """Return id as it is in file names: reserved names suffixed, long ones trimmed + hashed."""
    raw = id.encode("utf-8")
    if len(raw) > MAX_ID_BYTES:
        head = raw[:KEEP_BYTES].decode("utf-8", "ignore").rstrip("-_")
        id = f"{head}-{hashlib.sha256(raw).hexdigest()[:8]}"
    if id.lower() in RESERVED:
        id += RESERVED_SUFFIX
    return id


def channel_slug(channel: str) -> str:
    """Return a channel's slug for paths and ids; distinct and safe for any channel name."""
    slug = slugify(channel)
    if slug != channel:
        # Names that are not already slugs get a short hash so "FB Ads" and "fb-ads" differ.
        slug += "-" + hashlib.sha1(channel.encode()).hexdigest()[:6]  # noqa: S324 - not security
    return fit(slug)  # "index" (data/index.csv) gets fit's suffix, like every reserved name


def path_for(kind: str, id: str | None = None) -> str:
    """Return the site path of a page of a kind ('kpi', 'goal', ...) and id; channels by name."""
    pattern = ROUTES[kind]
    if "{id}" not in pattern:
        if id is not None:
            raise ValueError(f"the {kind} page takes no id")
        return pattern
    if id is None:
        raise ValueError(f"the {kind} page needs an id")
    return pattern.format(id=channel_slug(id) if kind == "channel" else fit(id))
