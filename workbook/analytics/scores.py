"""Visibility scores: Loop Habit Tracker's habit score, day by day, for each community."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .days import _day
from .labels import community_labels
from .pauses import paused

# The periods as Loop Habit Tracker counts them for its score (a month is 30 days there; the
# plan figures count 365.25 / 12).
LOOP_DAYS = {"week": 7, "month": 30, "quarter": 91, "year": 365}
# A community with no active resolution is scored against one give a month.
DEFAULT_PER_DAY = 1 / LOOP_DAYS["month"]


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
