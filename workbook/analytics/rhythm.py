"""Rhythm: runs of weeks with a give, and gives per week or month."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .days import _day, _until, _week_start
from .labels import _label_of, community_labels


@dataclass(frozen=True)
class Streaks:
    """Runs of weeks (Monday to Sunday) with at least one give."""

    current_weeks: int
    longest_weeks: int
    longest_from: dt.date | None  # the Monday the longest run began
    longest_to: dt.date | None  # the Monday of its last week


def streaks(log: pd.DataFrame, today: dt.date) -> Streaks:
    """The longest and the current run of weeks with at least one give.

    Parameters
    ----------
    log
        The ``log`` frame.
    today
        The day the count stops; later entries are ignored.

    Returns
    -------
    Streaks
        ``current_weeks`` counts the weeks of the run that reaches this week. This week counts
        when it already has a give; when it has none yet the run may still end last week, since
        the week is not over. ``longest_weeks`` is the longest run at any time (ties: the latest).
    """
    t = _day(today)
    weeks = np.unique((_week_start(_until(log, t)["date"]) - pd.Timestamp("1970-01-05"))
                      .dt.days.to_numpy() // 7)
    if len(weeks) == 0:
        return Streaks(0, 0, None, None)
    breaks = np.flatnonzero(np.diff(weeks) != 1)
    firsts = np.concatenate([[0], breaks + 1])
    lasts = np.concatenate([breaks, [len(weeks) - 1]])
    lengths = lasts - firsts + 1
    best = len(lengths) - 1 - int(np.argmax(lengths[::-1]))
    this_week = (t - pd.Timestamp("1970-01-05")).days // 7
    current = int(lengths[-1]) if weeks[-1] >= this_week - 1 else 0

    def monday(week: int) -> dt.date:
        return (pd.Timestamp("1970-01-05") + pd.Timedelta(weeks=int(week))).date()

    return Streaks(current, int(lengths[best]), monday(weeks[firsts[best]]),
                   monday(weeks[lasts[best]]))


def gives_per_period(
    log: pd.DataFrame,
    communities: pd.DataFrame,
    freq: str = "W",
    by: str = "community",
) -> pd.DataFrame:
    """Gives and minutes per week or month, per community or per kind.

    Parameters
    ----------
    log, communities
        The frames of a workbook.
    freq
        "W" for weeks starting on Monday, "MS" for calendar months.
    by
        "community", "kind" (the kind of give: advice, link, ...) or "community_kind" (hobby,
        work, ...).

    Returns
    -------
    DataFrame
        ``period`` (the first day), the group column(s) (``community_id`` and ``community``, or
        ``kind``, or ``community_kind``), ``gives`` and ``minutes``. Every period from the first
        give to the last appears for every group, with zeros where nothing was given.
    """
    if freq not in ("W", "MS"):
        raise ValueError(f"freq must be 'W' or 'MS', not {freq!r}")
    if by not in ("community", "kind", "community_kind"):
        raise ValueError(f"by must be 'community', 'kind' or 'community_kind', not {by!r}")
    df = pd.DataFrame({
        "period": (_week_start(log["date"]) if freq == "W"
                   else log["date"].dt.to_period("M").dt.start_time),
        "minutes": log["minutes"].astype("int64"),
    })
    if by == "community":
        df["community_id"] = log["community_id"].astype("int64")
        df["community"] = _label_of(log["community_id"], community_labels(communities))
        keys = ["community_id", "community"]
    elif by == "kind":
        df["kind"] = log["kind"].astype(object)
        keys = ["kind"]
    else:
        kinds = pd.Series(communities["kind"].to_numpy(), index=communities["id"].to_numpy())
        df["community_kind"] = _label_of(log["community_id"], kinds)
        keys = ["community_kind"]
    sums = (df.groupby(["period", *keys]).agg(gives=("minutes", "size"),
                                              minutes=("minutes", "sum")))
    if sums.empty:
        return sums.reset_index().astype({"gives": "int64", "minutes": "int64"})
    periods = pd.date_range(df["period"].min(), df["period"].max(), freq="W-MON" if freq == "W"
                            else "MS")
    groups = df[keys].drop_duplicates().sort_values(keys)
    grid = pd.MultiIndex.from_frame(
        pd.DataFrame({"period": np.repeat(periods, len(groups))}).join(
            pd.concat([groups.reset_index(drop=True)] * len(periods), ignore_index=True)))
    return sums.reindex(grid, fill_value=0).reset_index().astype({"gives": "int64",
                                                                  "minutes": "int64"})
