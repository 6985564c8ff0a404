"""Errors for what a goal, plan, case or reference names that the data lacks.

One wording for all of them: a channel that is not in the data, a KPI whose inputs are
missing. ``who`` names the entry in the message (``goal "er-35"``), ``file`` and ``key`` say
where it is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sitegen.errors import GoalError, SitegenError
from sitegen.model.values import did_you_mean

if TYPE_CHECKING:
    from sitegen.model.goals.protocols import GoalEngine

WHAT_A_CHANNEL_IS = "a channel is a data file's name or the value of its channel column"


def unknown_channel(
    channel: str,
    engine: GoalEngine,
    who: str,
    file: str,
    key: str,
    otherwise: str | None = WHAT_A_CHANNEL_IS,
) -> GoalError | None:
    """Return the error for a channel that is not in the data (None when it is).

    The hint is a close name when there is one, else ``otherwise``.
    """
    if channel in engine.channels:
        return None
    close = did_you_mean(channel, list(engine.channels))
    return GoalError(
        f"{who}: channel {channel!r} is not in the data",
        file=file,
        key=key,
        expected="one of: " + (", ".join(engine.channels) or "no channels"),
        found=repr(channel),
        hint=f"did you mean {close!r}?" if close else otherwise,
    )


def unknown_channels(
    channels: Sequence[str] | None, engine: GoalEngine, who: str, file: str, key: str
) -> list[SitegenError]:
    """Return an error for each of channels that is not in the data."""
    found = (unknown_channel(ch, engine, who, file, key) for ch in channels or ())
    return [err for err in found if err is not None]


def missing_kpi(
    engine: GoalEngine,
    kpi: str,
    channels: Sequence[str] | None,
    who: str,
    file: str,
    key: str,
    *,
    instead: str,
) -> GoalError | None:
    """Return the error for a KPI the data cannot give (for channels), or None.

    ``instead`` ends the hint: what to do other than adding the missing columns.
    """
    missing = engine.missing_inputs(kpi, channels)
    if not missing:
        return None
    scope = f" for channel {', '.join(channels)}" if channels else ""
    needed = sorted(engine.catalogue.inputs(kpi)) or missing
    return GoalError(
        f"{who} needs {kpi}, but the data has no {', '.join(missing)}{scope}",
        file=file,
        key=key,
        expected=f"data columns for {kpi}: {', '.join(needed)}",
        found="columns in data/: " + (", ".join(sorted(engine.metrics)) or "none"),
        hint="add the missing columns to a file in data/ (kpis.md lists their names and "
        f"aliases), or {instead}",
    )
