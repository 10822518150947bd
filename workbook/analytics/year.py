"""The year in review: a year of giving next to the year before, like for like."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ..season import same_day_of, season
from .days import _day
from .labels import _label_of, community_labels

MEASURES = ("Gives", "Minutes given", "Communities reached", "People reached", "Help received")


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
