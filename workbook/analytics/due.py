"""What is due: the gives still to make in the current week, month, quarter or year."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .days import _day
from .plans import running


def period_of(day: dt.date, per: str) -> tuple[dt.date, dt.date]:
    """The calendar week (Monday to Sunday), month, quarter or year that holds ``day``."""
    if per == "week":
        first = day - dt.timedelta(days=day.weekday())
        return first, first + dt.timedelta(days=6)
    if per == "month":
        first = day.replace(day=1)
    elif per == "quarter":
        first = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    else:
        first = dt.date(day.year, 1, 1)
    months = {"month": 1, "quarter": 3, "year": 12}[per]
    year, month = divmod(first.month - 1 + months, 12)
    return first, dt.date(first.year + year, month + 1, 1) - dt.timedelta(days=1)


PERIOD_WORDS = {"week": "this week", "month": "this month", "quarter": "this quarter",
                "year": "this year"}


def due_now(resolutions: pd.DataFrame, log: pd.DataFrame, today: dt.date,
            pauses: pd.DataFrame | None = None) -> pd.DataFrame:
    """The resolutions with gives still to make in the current week, month, quarter or year.

    Parameters
    ----------
    resolutions, log, pauses
        The frames of a workbook.
    today
        The day to look from.

    Returns
    -------
    DataFrame
        ``resolution_id``, ``community_id``, ``person_id``, ``give``, ``times``, ``per``,
        ``period_start``, ``period_end``, ``done`` (gives logged for it in the period) and
        ``left``; for active resolutions that run today, with no pause on today, that have not
        met their number this period. The period ending soonest comes first.
    """
    t = _day(today)
    res = resolutions[running(resolutions, t)]
    off = set()
    if pauses is not None and not pauses.empty:
        now = pauses[(pauses["start"] <= t) & (pauses["end"].isna() | (pauses["end"] >= t))]
        if now["community_id"].isna().any():
            off = set(res["community_id"])
        off |= set(now["community_id"].dropna().astype(int))
    rows = []
    linked = log[log["resolution_id"].isin(res["id"]) & (log["date"] <= t)]
    dates = {rid: np.sort(d.to_numpy()) for rid, d in linked.groupby("resolution_id")["date"]}
    for r in res.itertuples(index=False):
        if int(r.community_id) in off:
            continue
        first, last = period_of(t.date(), r.per)
        first = max(first, r.start.date())
        mine = dates.get(r.id, np.array([], dtype="datetime64[ns]"))
        done = len(mine) - int(np.searchsorted(mine, np.datetime64(first, "ns")))
        if done < r.times:
            rows.append({"resolution_id": int(r.id), "community_id": int(r.community_id),
                         "person_id": None if pd.isna(r.person_id) else int(r.person_id),
                         "give": r.give, "times": int(r.times), "per": r.per,
                         "period_start": first, "period_end": last, "done": done,
                         "left": int(r.times) - done})
    columns = ["resolution_id", "community_id", "person_id", "give", "times", "per",
               "period_start", "period_end", "done", "left"]
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(["period_end", "done", "resolution_id"], ignore_index=True)
