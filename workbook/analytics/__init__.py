"""Progress from the log: plans kept, visibility, streaks, balance, neglect, the year in review.

Every function takes the DataFrames that ``Store.frame`` returns and gives back a DataFrame or a
small dataclass. The date of "today" is always a parameter, so the same data gives the same answer
on any machine and in any test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..model import PERIOD_DAYS
from ..season import same_day_of, season

# The periods as Loop Habit Tracker counts them for its score (a month is 30 days there; the
# plan figures count 365.25 / 12).
LOOP_DAYS = {"week": 7, "month": 30, "quarter": 91, "year": 365}
# A community with no active resolution is scored against one give a month.
DEFAULT_PER_DAY = 1 / LOOP_DAYS["month"]
# "On track" means 80 % of the planned number or more, or within one give of it when that is
# wider; "nearly there" half of it or more; "behind" only below that.
TOLERANCE_SHARE = 0.2
TOLERANCE_GIVES = 1.0
NEARLY_SHARE = 0.5
MEASURES = ("Gives", "Minutes given", "Communities reached", "People reached", "Help received")
UNKNOWN = "(unknown)"


def _day(value) -> pd.Timestamp:
    """A date as a midnight Timestamp."""
    return pd.Timestamp(value).normalize()


def _until(log: pd.DataFrame, today) -> pd.DataFrame:
    """Log rows dated today or earlier (a future date is a typing slip, not a give yet)."""
    return log[log["date"] <= _day(today)]


def community_labels(communities: pd.DataFrame) -> pd.Series:
    """Community id -> a name that is unique in the workbook (a repeated name gets its number)."""
    names = communities["name"].astype(str)
    repeated = names.duplicated(keep=False)
    labels = names.where(~repeated, names + " (#" + communities["id"].astype(str) + ")")
    return pd.Series(labels.to_numpy(), index=communities["id"].to_numpy(), dtype=object)


def _label_of(ids: pd.Series, labels: pd.Series) -> pd.Series:
    """Labels for a column of community ids; an id missing from the workbook reads '(unknown)'."""
    return ids.map(labels).fillna(UNKNOWN).astype(object)


def _week_start(dates: pd.Series) -> pd.Series:
    """The Monday of each date's week."""
    return (dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")).dt.normalize()


# -- pauses ------------------------------------------------------------------------------------

def paused(pauses: pd.DataFrame | None, communities: pd.DataFrame,
           days: pd.DatetimeIndex) -> np.ndarray:
    """True on the days a community is paused (its own pause, or a pause of everything).

    Returns
    -------
    numpy.ndarray
        Day x community, in the order of ``communities``.
    """
    out = np.zeros((len(days), len(communities)), dtype=bool)
    if pauses is None or pauses.empty or not len(days):
        return out
    cols = {cid: i for i, cid in enumerate(communities["id"])}
    first, n = days[0], len(days)
    for row in pauses.itertuples(index=False):
        lo = max(0, (row.start - first).days)
        hi = n if pd.isna(row.end) else min(n, (row.end - first).days + 1)
        if lo >= hi:
            continue
        if pd.isna(row.community_id):
            out[lo:hi, :] = True
        elif int(row.community_id) in cols:
            out[lo:hi, cols[int(row.community_id)]] = True
    return out


def _paused_days(pauses: pd.DataFrame | None, community_ids: pd.Series, start: pd.Series,
                 until: pd.Series) -> np.ndarray:
    """For each (community, start, until) row: how many of those days were paused."""
    counts = np.zeros(len(community_ids), dtype=np.int64)
    if pauses is None or pauses.empty:
        return counts
    for i, (cid, lo, hi) in enumerate(zip(community_ids, start, until, strict=True)):
        if hi < lo:
            continue
        mine = pauses[pauses["community_id"].isna() | (pauses["community_id"] == cid)]
        covered = np.zeros((hi - lo).days + 1, dtype=bool)
        for row in mine.itertuples(index=False):
            a = max(0, (row.start - lo).days)
            b = len(covered) if pd.isna(row.end) else min(len(covered), (row.end - lo).days + 1)
            if a < b:
                covered[a:b] = True
        counts[i] = int(covered.sum())
    return counts


# -- plans -------------------------------------------------------------------------------------

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


# -- visibility --------------------------------------------------------------------------------

def _history_start(resolutions: pd.DataFrame, log: pd.DataFrame, today) -> pd.Timestamp:
    """The first day anything was planned or logged (today when nothing was)."""
    t = _day(today)
    candidates = [log["date"].min(), resolutions.loc[resolutions["active"], "start"].min(), t]
    return min(_day(c) for c in candidates if pd.notna(c))


def _planned(communities, resolutions, days: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
    """Planned gives per day and the plan's window in days, day x community.

    The rate is the sum of ``times / LOOP_DAYS[per]`` over the resolutions that run on the day;
    the window is the longest period among them (0 where nothing is planned).
    """
    n, cols = len(days), {cid: i for i, cid in enumerate(communities["id"])}
    steps = np.zeros((n + 1, len(cols)))
    window = np.zeros((n, len(cols)), dtype=np.int64)
    res = resolutions[resolutions["active"] & resolutions["community_id"].isin(cols)]
    if len(res) and n:
        first = days[0]
        period = res["per"].map(LOOP_DAYS).to_numpy(np.int64)
        rate = res["times"].to_numpy(float) / period
        lo = ((res["start"] - first).dt.days.to_numpy()).clip(0, n)
        end = res["end"].fillna(days[-1])
        hi = ((end - first).dt.days.to_numpy() + 1).clip(0, n)
        col = res["community_id"].map(cols).to_numpy(dtype=np.int64)
        for i in np.flatnonzero(lo < hi):
            steps[lo[i], col[i]] += rate[i]
            steps[hi[i], col[i]] -= rate[i]
            np.maximum(window[lo[i]:hi[i], col[i]], period[i], out=window[lo[i]:hi[i], col[i]])
    planned = np.cumsum(steps[:-1], axis=0)
    # Rounding in the running sum must not leave a ghost plan after a resolution ends.
    planned[planned < 1e-9] = 0.0
    return planned, window


def habit_scores(gives: np.ndarray, per_day: np.ndarray, window: np.ndarray,
                 skipped: np.ndarray | None = None) -> np.ndarray:
    """Loop Habit Tracker's habit score, day by day (rows), for each column.

    Parameters
    ----------
    gives
        Gives logged on each day (0, 1 or more).
    per_day
        The planned gives per day, ``f`` (Loop's numerator / denominator).
    window
        The plan's period in days (Loop's denominator): 7 for "3 times a week".
    skipped
        True on days that leave the score as it was (Loop's skip; a pause here).

    Returns
    -------
    numpy.ndarray
        Scores from 0 to 1, same shape as ``gives``; the day before the first row scores 0.

    Notes
    -----
    As in Loop (``ScoreList.kt``, ``Score.kt`` of iSoron/uhabits): with ``f < 1`` the window
    and the planned count are both doubled, so the share done is the gives of the last
    ``2 * window`` days over ``2 * f * window``, capped at 1 (partial credit); with ``f >= 1``
    the window is the day itself and the share is gives over ``f``. Then
    ``score = previous * m + share * (1 - m)`` with ``m = 0.5 ** (sqrt(f) / 13)``. A skipped day
    keeps the previous score and still takes its place in the window, adding nothing.
    """
    f = np.asarray(per_day, dtype=float)
    low = f < 1
    days = np.where(low, 2 * np.asarray(window), 1).astype(np.int64)
    planned = np.where(low, 2 * f * np.asarray(window), f)
    gives = np.asarray(gives, dtype=float)
    if skipped is not None:
        gives = np.where(skipped, 0.0, gives)
    running = np.vstack([np.zeros((1, gives.shape[1])), np.cumsum(gives, axis=0)])
    row = np.arange(gives.shape[0])[:, None]
    before = np.take_along_axis(running, np.maximum(row + 1 - days, 0), axis=0)
    share = np.minimum(1.0, (running[1:] - before) / planned)

    m = 0.5 ** (np.sqrt(f) / 13)
    keep = np.zeros(gives.shape, dtype=bool) if skipped is None else np.asarray(skipped)
    scores = np.empty_like(share)
    score = np.zeros(share.shape[1])
    # The recursion runs over days only; each step is one vector over all columns.
    for i in range(share.shape[0]):
        score = np.where(keep[i], score, score * m[i] + share[i] * (1 - m[i]))
        scores[i] = score
    return scores


def _gives_per_day(communities, log, days: pd.DatetimeIndex) -> np.ndarray:
    """Logged gives, day x community."""
    cols = {cid: i for i, cid in enumerate(communities["id"])}
    counts = np.zeros((len(days), len(cols)))
    if len(days):
        inside = log[(log["date"] >= days[0]) & (log["date"] <= days[-1])
                     & log["community_id"].isin(cols)]
        rows = (inside["date"].dt.normalize() - days[0]).dt.days.to_numpy(dtype=np.int64)
        col = inside["community_id"].map(cols).to_numpy(dtype=np.int64)
        np.add.at(counts, (rows, col), 1.0)
    return counts


def visibility_matrix(
    communities: pd.DataFrame,
    resolutions: pd.DataFrame,
    log: pd.DataFrame,
    today: dt.date,
    start: dt.date | None = None,
    pauses: pd.DataFrame | None = None,
) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """The visibility scores as a (days, matrix day x community) pair; see :func:`visibility`."""
    t = _day(today)
    first = _day(start) if start is not None else _history_start(resolutions, log, t)
    days = pd.date_range(min(first, t), t, freq="D")
    f, window = _planned(communities, resolutions, days)
    unplanned = f <= 0
    f[unplanned] = DEFAULT_PER_DAY
    window[unplanned] = LOOP_DAYS["month"]
    return days, habit_scores(_gives_per_day(communities, log, days), f, window,
                              paused(pauses, communities, days))


def visibility(
    communities: pd.DataFrame,
    resolutions: pd.DataFrame,
    log: pd.DataFrame,
    today: dt.date,
    start: dt.date | None = None,
    pauses: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """A daily visibility score per community: it rises with regular gives and fades slowly.

    Parameters
    ----------
    communities, resolutions, log
        The frames of a workbook.
    today
        The last day scored.
    start
        The first day scored (score 0 on the day before). By default the first day anything was
        logged or an active resolution started.
    pauses
        The ``pauses`` frame: a paused day keeps the score as it was.

    Returns
    -------
    DataFrame
        ``date``, ``community_id``, ``community`` and ``score`` (0 to 1), one row per day and
        community, days in order.

    Notes
    -----
    Loop Habit Tracker's habit score (`habit_scores`), community by community. The plan of a
    day is the sum of ``times / LOOP_DAYS[per]`` over the active resolutions whose start..end
    range holds it, its period the longest of theirs; a community without one is scored
    against one give in 30 days. A daily plan kept every day reaches
    :math:`1 - 0.5^{30/13} \\approx 0.80` after 30 days; a weekly plan moves more slowly, and a
    stretch without gives makes the score fade instead of dropping to 0. The cost is one vector
    step per day, whatever the length of the log.
    """
    days, scores = visibility_matrix(communities, resolutions, log, today, start, pauses)
    labels = community_labels(communities)
    ids = communities["id"].to_numpy()
    return pd.DataFrame({
        "date": np.repeat(days.to_numpy(), len(ids)),
        "community_id": np.tile(ids, len(days)).astype("int64"),
        "community": np.tile(labels.to_numpy(), len(days)),
        "score": scores.reshape(-1),
    })


def visibility_now(
    communities: pd.DataFrame,
    resolutions: pd.DataFrame,
    log: pd.DataFrame,
    today: dt.date,
    start: dt.date | None = None,
    pauses: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Today's visibility score per community, highest first.

    Parameters
    ----------
    communities, resolutions, log, today, start, pauses
        As for :func:`visibility`.

    Returns
    -------
    DataFrame
        ``community_id``, ``community`` and ``score`` (0 to 1).
    """
    _, scores = visibility_matrix(communities, resolutions, log, today, start, pauses)
    out = pd.DataFrame({
        "community_id": communities["id"].to_numpy(dtype="int64"),
        "community": community_labels(communities).to_numpy(),
        "score": scores[-1] if len(scores) else np.zeros(len(communities)),
    })
    return out.sort_values(["score", "community"], ascending=[False, True], ignore_index=True)


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


# -- rhythm ------------------------------------------------------------------------------------

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


# -- balance and neglect -----------------------------------------------------------------------

def _window(log: pd.DataFrame, today, days: int) -> pd.DataFrame:
    """Log rows in the ``days`` days that end today (today included)."""
    t = _day(today)
    return log[(log["date"] > t - pd.Timedelta(days=days)) & (log["date"] <= t)]


def balance(communities: pd.DataFrame, log: pd.DataFrame, today: dt.date,
            weeks: int = 12) -> pd.DataFrame:
    """How the gives and minutes of the last weeks were spread over the communities.

    Parameters
    ----------
    communities, log
        The frames of a workbook.
    today
        The last day of the window.
    weeks
        The window: the ``7 * weeks`` days ending today.

    Returns
    -------
    DataFrame
        One row per community (also those with no give): ``community_id``, ``community``,
        ``kind``, ``gives``, ``minutes``, ``share_gives`` and ``share_minutes`` (0 to 1; 0 when
        nothing was given at all), most gives first.
    """
    recent = _window(log, today, 7 * weeks)
    per = recent.groupby("community_id").agg(gives=("date", "size"), minutes=("minutes", "sum"))
    ids = communities["id"].astype("int64")
    gives = ids.map(per["gives"]).fillna(0).astype("int64")
    minutes = ids.map(per["minutes"]).fillna(0).astype("int64")
    out = pd.DataFrame({
        "community_id": ids,
        "community": community_labels(communities).to_numpy(),
        "kind": communities["kind"].astype(object),
        "gives": gives,
        "minutes": minutes,
        "share_gives": gives / gives.sum() if gives.sum() else 0.0,
        "share_minutes": minutes / minutes.sum() if minutes.sum() else 0.0,
    })
    return out.sort_values(["gives", "community"], ascending=[False, True], ignore_index=True)


def _last_give(ids: pd.Series, log: pd.DataFrame, key: str, today) -> tuple[pd.Series, pd.Series]:
    """Date of the last give per id and the days since it (NA when never)."""
    last = _until(log, today).groupby(key)["date"].max()
    # reindex, not map: pandas maps through an empty Series as floats, which dates refuse.
    when = pd.Series(last.reindex(ids.to_numpy()).to_numpy(), index=ids.index,
                     dtype="datetime64[ns]")
    return when, (_day(today) - when).dt.days.astype("Int64")


def neglected(communities: pd.DataFrame, log: pd.DataFrame, today: dt.date,
              weeks: int = 8) -> pd.DataFrame:
    """Communities you are regularly part of where you have not given for a while.

    Parameters
    ----------
    communities, log
        The frames of a workbook.
    today
        The day to look back from.
    weeks
        No give in the ``7 * weeks`` days ending today counts as neglect.

    Returns
    -------
    DataFrame
        ``community_id``, ``community``, ``kind``, ``activity``, ``last_give`` (NaT when never) and
        ``days_since`` (NA when never), for communities with activity "regular" (2) or more;
        never-given first, then the longest gap.
    """
    busy = communities[regular(communities)]
    ids = busy["id"].astype("int64")
    when, days = _last_give(ids, log, "community_id", today)
    out = pd.DataFrame({
        "community_id": ids,
        "community": community_labels(communities).reindex(ids).to_numpy(),
        "kind": busy["kind"].astype(object),
        "activity": busy["activity"].astype("int64"),
        "last_give": when,
        "days_since": days,
    })
    out = out[out["days_since"].isna() | (out["days_since"] >= 7 * weeks)]
    return out.sort_values(["days_since", "community"], ascending=[False, True],
                           na_position="first", ignore_index=True)


def unreached_people(people: pd.DataFrame, log: pd.DataFrame, today: dt.date, months: int = 3,
                     circles: tuple[int, ...] = (5, 15)) -> pd.DataFrame:
    """Close people you have not given anything to for some months.

    Parameters
    ----------
    people, log
        The frames of a workbook.
    today
        The day to look back from.
    months
        A person counts as unreached when the last give naming them is this many calendar months
        ago or more, or there was none.
    circles
        Which circles to look at (5 and 15: the closest people).

    Returns
    -------
    DataFrame
        ``person_id``, ``name``, ``circle``, ``last_give`` (NaT when never), ``days_since`` (NA when
        never); closest circle first, then never reached, then the longest gap.
    """
    close = people[people["circle"].isin(circles)]
    ids = close["id"].astype("int64")
    when, days = _last_give(ids, log, "person_id", today)
    cutoff = _day(today) - pd.DateOffset(months=months)
    out = pd.DataFrame({
        "person_id": ids,
        "name": close["name"].astype(object),
        "circle": close["circle"].astype("int64"),
        "last_give": when,
        "days_since": days,
    })
    out = out[out["last_give"].isna() | (out["last_give"] <= cutoff)]
    out = out.assign(_never=out["last_give"].isna())
    return (out.sort_values(["circle", "_never", "days_since", "name"],
                            ascending=[True, False, False, True], ignore_index=True)
            .drop(columns="_never"))


def bridges(people: pd.DataFrame, memberships: pd.DataFrame,
            communities: pd.DataFrame) -> pd.DataFrame:
    """People who belong to two or more of your communities: they connect your worlds.

    Parameters
    ----------
    people, memberships, communities
        The frames of a workbook.

    Returns
    -------
    DataFrame
        ``person_id``, ``name``, ``circle``, ``community_count`` and ``communities`` (their names in
        alphabetical order, joined by ", "); most communities first, then by name.
    """
    labels = community_labels(communities)
    links = memberships[memberships["community_id"].isin(labels.index)]
    links = links.assign(community=links["community_id"].map(labels)).sort_values("community")
    per = links.groupby("person_id").agg(community_count=("community", "size"),
                                         communities=("community", ", ".join))
    per = per[per["community_count"] >= 2]
    out = people.loc[people["id"].isin(per.index), ["id", "name", "circle"]].rename(
        columns={"id": "person_id"})
    out = out.join(per, on="person_id").astype({"name": object, "communities": object,
                                                "community_count": "int64"})
    return out.sort_values(["community_count", "name"], ascending=[False, True],
                           ignore_index=True)


# -- the year ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class YearInReview:
    """A year of giving next to the year before, compared like for like.

    ``totals`` is indexed by measure with one column per year (previous year first);
    ``by_month``, ``by_community`` and ``top_kinds`` are long tables with a ``year`` column.
    While the year is not over (``so_far``), both years count from 1 January to the same day:
    ``until`` in the year, ``previous_until`` in the year before.
    """

    year: int
    previous: int
    totals: pd.DataFrame
    by_month: pd.DataFrame
    by_community: pd.DataFrame
    top_kinds: pd.DataFrame
    so_far: bool = False
    until: dt.date | None = None
    previous_until: dt.date | None = None

    @property
    def begun(self) -> bool:
        """Whether the year has begun (the coming year, in December, has not)."""
        return self.until is not None and self.until >= dt.date(self.year, 1, 1)


def year_in_review(communities: pd.DataFrame, log: pd.DataFrame, help: pd.DataFrame,
                   today: dt.date, year: int | None = None) -> YearInReview:
    """What you gave, where and to whom, in a year and in the year before.

    Parameters
    ----------
    communities, log, help
        The frames of a workbook.
    today
        Entries after today are left out.
    year
        The year to review; by default the year under review on ``today``
        (`workbook.season.season`): the year that just ended in January, else today's year.

    Returns
    -------
    YearInReview
        ``totals``: gives, minutes given, communities reached, people reached and help received
        per year. ``by_month``: ``year``, ``month`` (1-12), ``gives``, ``minutes``.
        ``by_community``: ``year``, ``community_id``, ``community``, ``gives``, ``minutes``, for
        communities given to in either year. ``top_kinds``: ``year``, ``kind``, ``gives``, kinds
        sorted by gives in the reviewed year.

    Notes
    -----
    A year that is not over yet is compared like for like: 1 January to today in both years
    (29 February counts up to the 28th in a common year), months after today's month left out.
    A year that has not begun counts nothing, beside the year before up to the same day.
    """
    t = _day(today)
    year = season(t.date()).review_year if year is None else int(year)
    years = (year - 1, year)
    end = pd.Timestamp(year, 12, 31)
    so_far = t < end
    if not so_far:  # the year is over: both years whole
        until, before = end, pd.Timestamp(year - 1, 12, 31)
    else:  # 1 January to today in the year, to the same day in the year before
        until = t
        before = min(pd.Timestamp(same_day_of(year - 1, t.date())), pd.Timestamp(year - 1, 12, 31))
    months_shown = before.month if before.year == year - 1 and before <= t else 0
    if not so_far:
        months_shown = 12

    def counted(frame: pd.DataFrame) -> pd.DataFrame:
        y = frame["date"].dt.year
        return frame[(frame["date"] <= t) & (((y == year) & (frame["date"] <= until))
                                             | ((y == year - 1) & (frame["date"] <= before)))]

    log = counted(log).assign(year=lambda d: d["date"].dt.year)
    help_years = counted(help)["date"].dt.year

    totals = pd.DataFrame(
        {y: [int((log["year"] == y).sum()),
             int(log.loc[log["year"] == y, "minutes"].sum()),
             int(log.loc[log["year"] == y, "community_id"].nunique()),
             int(log.loc[log["year"] == y, "person_id"].dropna().nunique()),
             int((help_years == y).sum())] for y in years},
        index=pd.Index(MEASURES, name="measure"),
    )

    months = [(y, m) for y in years for m in range(1, months_shown + 1)]
    per_month = log.groupby(["year", log["date"].dt.month.rename("month")]).agg(
        gives=("date", "size"), minutes=("minutes", "sum"))
    by_month = per_month.reindex(pd.MultiIndex.from_tuples(months, names=["year", "month"])
                                 if months else per_month.index[:0], fill_value=0)
    by_month = by_month.reset_index().astype("int64")

    labels = community_labels(communities)
    per_comm = log.groupby(["year", "community_id"]).agg(gives=("date", "size"),
                                                         minutes=("minutes", "sum"))
    reached = sorted(log["community_id"].unique())
    grid = pd.MultiIndex.from_product([years, reached], names=["year", "community_id"])
    by_community = per_comm.reindex(grid, fill_value=0).reset_index()
    by_community.insert(2, "community", _label_of(by_community["community_id"], labels))
    order = by_community[by_community["year"] == year].sort_values(
        ["gives", "community"], ascending=[False, True])["community_id"]
    by_community = by_community.astype({"gives": "int64", "minutes": "int64",
                                        "community_id": "int64", "year": "int64"})
    rank = {cid: i for i, cid in enumerate(order)}
    by_community = by_community.sort_values(
        ["community_id", "year"], key=lambda s: s.map(rank) if s.name == "community_id" else s,
        ignore_index=True)

    per_kind = log.groupby(["year", "kind"]).size().rename("gives")
    kinds = sorted(log["kind"].unique())
    top = per_kind.reindex(pd.MultiIndex.from_product([years, kinds], names=["year", "kind"]),
                           fill_value=0).reset_index()
    kind_rank = top[top["year"] == year].sort_values(["gives", "kind"], ascending=[False, True])
    rank = {k: i for i, k in enumerate(kind_rank["kind"])}
    top = top.astype({"kind": object, "gives": "int64", "year": "int64"}).sort_values(
        ["kind", "year"], key=lambda s: s.map(rank) if s.name == "kind" else s,
        ignore_index=True)
    return YearInReview(year, year - 1, totals, by_month, by_community, top, so_far=so_far,
                        until=until.date(), previous_until=before.date())

