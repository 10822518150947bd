"""Reach: where the recent gives went, and which communities and people they left out."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .days import _day, _until, _window
from .labels import community_labels
from .plans import regular


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
