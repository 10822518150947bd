"""Follow-through: what is due now, and the give one press of Done logs for a resolution.

Nothing here shows anything; the Log page copies these values into its rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from . import analytics, content
from .model import GIVE_KINDS, LogEntry

DEFAULT_KIND = "other"
DEFAULT_MINUTES = 5


@dataclass(frozen=True)
class Due:
    """A resolution with gives left to make in the current period."""

    resolution_id: int
    community_id: int
    line: str  # "Harbour Choir: introduce a newcomer, 1 of 2 this month"
    give: LogEntry  # what Done logs


def typical(resolution_id: int, idea_id: str | None, log: pd.DataFrame) -> tuple[str, int]:
    """The kind and minutes of a resolution's gives: as logged before, else from its idea."""
    mine = log[log["resolution_id"] == resolution_id]
    if len(mine):
        return str(mine["kind"].mode().iloc[0]), int(mine["minutes"].median())
    try:
        idea = content.give_idea(idea_id) if idea_id else None
    except KeyError:
        idea = None
    if idea is None:
        return DEFAULT_KIND, DEFAULT_MINUTES
    kind = next((t for t in idea.tags if t in GIVE_KINDS), DEFAULT_KIND)
    return kind, idea.minutes


def due_now(frames: Mapping[str, pd.DataFrame], today: dt.date,
            log: pd.DataFrame | None = None) -> list[Due]:
    """The resolutions due in the current week, month, quarter or year and not met yet.

    Parameters
    ----------
    frames
        The workbook's DataFrames by name.
    today
        The day Done logs a give on.
    log
        The gives to count (by default ``frames["log"]``); gives from `counted_from` on are
        enough, and their usual kind and minutes are taken from them too.

    Returns
    -------
    list of Due
        Soonest period end first; each with the give that one press logs (its community,
        resolution, person, usual kind and minutes).
    """
    resolutions = frames["resolutions"]
    log = frames["log"] if log is None else log
    due = analytics.due_now(resolutions, log, today, frames["pauses"])
    labels = analytics.community_labels(frames["communities"])
    ideas = dict(zip(resolutions["id"], resolutions["idea_id"], strict=True))
    out = []
    for row in due.itertuples(index=False):
        kind, minutes = typical(row.resolution_id, ideas.get(row.resolution_id), log)
        where = labels.get(row.community_id, "")
        give = " ".join(row.give.split())
        line = (f"{where}: {give}, {row.done} of {row.times} "
                f"{analytics.PERIOD_WORDS[row.per]}")
        out.append(Due(row.resolution_id, row.community_id, line,
                       LogEntry(date=today, community_id=row.community_id, kind=kind,
                                minutes=min(minutes, 24 * 60),
                                person_id=None if pd.isna(row.person_id) else int(row.person_id),
                                resolution_id=int(row.resolution_id))))
    return out


def counted_from(today: dt.date) -> dt.date:
    """The first day a current period can start: 1 January (a yearly plan's period)."""
    return dt.date(today.year, 1, 1)


def plans_for_log(frames: Mapping[str, pd.DataFrame]) -> list[tuple[int, int, dt.date,
                                                                    dt.date | None]]:
    """(resolution id, community id, start, end) of every active resolution, for the log form."""
    res = frames["resolutions"]
    res = res[res["active"]]
    return [(int(r.id), int(r.community_id), r.start.date(),
             None if pd.isna(r.end) else r.end.date()) for r in res.itertuples(index=False)]
