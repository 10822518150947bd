"""Plans kept: which resolutions run when, and how many gives each planned and got."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..model import PERIOD_DAYS
from .days import _day
from .pauses import _paused_days

# "On track" means 80 % of the planned number or more, or within one give of it when that is
# wider; "nearly there" half of it or more; "behind" only below that.
TOLERANCE_SHARE = 0.2
TOLERANCE_GIVES = 1.0
NEARLY_SHARE = 0.5


REGULAR = 2  # the activity level "regular": from here on, a community expects to see you


def regular(communities: pd.DataFrame) -> pd.Series:
    """True for communities you are regularly part of (activity "regular" or more)."""
    return communities["activity"] >= REGULAR


def running(resolutions: pd.DataFrame, first: dt.date, last: dt.date | None = None) -> pd.Series:
    """True for active resolutions that run on at least one day from ``first`` to ``last``.

    With ``last`` left out: on the day ``first``.
    """
    lo, hi = _day(first), _day(first if last is None else last)
    return (resolutions["active"] & (resolutions["start"] <= hi)
            & (resolutions["end"].isna() | (resolutions["end"] >= lo)))


def in_year(resolutions: pd.DataFrame, year: int, clip: bool = False) -> pd.DataFrame:
    """The active resolutions that run on some day of ``year``.

    With ``clip``, their start and end are moved inside the year (an open end becomes
    31 December), so that plans can be counted for that year alone.
    """
    first, last = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    res = resolutions[running(resolutions, first, last)].copy()
    if clip:
        res["start"] = res["start"].clip(lower=first)
        res["end"] = res["end"].fillna(last).clip(upper=last)
    return res


# One period of each cadence as a calendar step: a week, a month, three months, a year.
PERIOD_STEP = {"week": pd.DateOffset(weeks=1), "month": pd.DateOffset(months=1),
               "quarter": pd.DateOffset(months=3), "year": pd.DateOffset(years=1)}


def first_period_days(start: pd.Series, per: pd.Series) -> pd.Series:
    """How many days the first period of each plan holds: from its start to the day before the
    same date a week, month, quarter or year later (1 Feb: 28 days; 2 Dec: 31 days)."""
    start = pd.Series(start).astype("datetime64[ns]")
    per = pd.Series(per, index=start.index)
    out = pd.Series(0, index=start.index, dtype="int64")
    for name, step in PERIOD_STEP.items():
        mask = (per == name).to_numpy()
        if mask.any():
            out[mask] = (start[mask] + step - start[mask]).dt.days.to_numpy()
    return out


def has_run_a_period(plans: pd.DataFrame) -> pd.Series:
    """True for the rows of :func:`plan_vs_actual` whose resolution has run one whole period of
    its cadence by ``until`` (paused days do not count): the day that period ends, and after."""
    return plans["days"] >= first_period_days(plans["start"], plans["per"])


def plan_vs_actual(resolutions: pd.DataFrame, log: pd.DataFrame, today: dt.date,
                   pauses: pd.DataFrame | None = None) -> pd.DataFrame:
    """How many gives each resolution planned so far, and how many were logged.

    Parameters
    ----------
    resolutions, log
        The ``resolutions`` and ``log`` frames of a workbook.
    today
        The day the count stops.
    pauses
        The ``pauses`` frame: paused days of a resolution's community plan nothing.

    Returns
    -------
    DataFrame
        One row per resolution: ``resolution_id``, ``community_id``, ``give``, ``times``, ``per``,
        ``start``, ``until`` (the earlier of today and the end date), ``days`` (calendar days from
        start to ``until``, both counted, paused days left out), ``expected``
        (``days * times / PERIOD_DAYS[per]``),
        ``logged`` (log entries naming the resolution dated from start to ``until``),
        ``difference`` (logged - expected), ``share`` (logged / expected, NaN before any give is
        due) and ``status``.

    Notes
    -----
    ``status`` is "not started" when the start date is after today. Otherwise it is "on track"
    when the logged number is at least 80 % of the expected number or within one give of it,
    whichever is wider, and "ahead" above the same band; "nearly there" from half of the plan,
    and "behind" only below half. The one-give margin keeps a monthly plan from reading
    "behind" on the second day of the month.
    """
    t = _day(today)
    res = resolutions.reset_index(drop=True)
    start = res["start"].astype("datetime64[ns]")
    end = res["end"].astype("datetime64[ns]")
    until = end.where(end.notna() & (end < t), t)
    days = ((until - start).dt.days + 1).clip(lower=0).astype("int64")
    days = days - _paused_days(pauses, res["community_id"], start, until)
    rate = res["times"].astype(float) / res["per"].map(PERIOD_DAYS).astype(float)
    expected = days * rate

    linked = log.loc[log["resolution_id"].notna(), ["resolution_id", "date"]]
    windows = pd.DataFrame({"resolution_id": res["id"].astype("int64"), "start": start,
                            "until": until})
    hits = linked.astype({"resolution_id": "int64"}).merge(windows, on="resolution_id")
    hits = hits[(hits["date"] >= hits["start"]) & (hits["date"] <= hits["until"])]
    logged = hits.groupby("resolution_id").size()
    logged = res["id"].map(logged).fillna(0).astype("int64")

    difference = logged - expected
    band = np.maximum(TOLERANCE_GIVES, TOLERANCE_SHARE * expected)
    status = np.select(
        [start > t, difference > band, difference >= -band, logged >= NEARLY_SHARE * expected],
        ["not started", "ahead", "on track", "nearly there"],
        default="behind",
    )
    share = (logged / expected.where(expected > 0)).astype(float)
    return pd.DataFrame({
        "resolution_id": res["id"].astype("int64"),
        "community_id": res["community_id"].astype("int64"),
        "give": res["give"].astype(object),
        "times": res["times"].astype("int64"),
        "per": res["per"].astype(object),
        "start": start,
        "until": until,
        "days": days,
        "expected": expected.astype(float),
        "logged": logged,
        "difference": difference.astype(float),
        "share": share,
        "status": pd.Series(status, dtype=object),
    })
