"""The year in review at a glance: totals, months, communities and kinds, beside the year before."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from .. import analytics
from ..season import MONTH_NAMES
from .axes import count_axis
from .calendar import MONTHS
from .style import ACCENT, GREY, PHONE_WIDTH, _message, _named, _title

LABEL_LIMIT = 160  # pixels for a community's name beside its bars


def year_in_review(communities: pd.DataFrame, log: pd.DataFrame, help: pd.DataFrame,
                   today: dt.date, year: int | None = None, *,
                   narrow: bool = False) -> alt.VConcatChart | alt.Chart:
    """The year at a glance, next to the year before: totals, months, communities, kinds.

    Parameters
    ----------
    communities, log, help
        The frames of a workbook.
    today
        Entries after today are left out.
    year
        The year to review; today's year by default.
    narrow
        For a phone: the four charts one under another, narrower.

    Returns
    -------
    alt.VConcatChart
        Four small charts: the totals as a table, gives per month, gives per community (top 10)
        and the kinds of give, each with the previous year in grey beside the year in dark blue.
    """
    review = analytics.year_in_review(_named(communities, LABEL_LIMIT), log, help, today,
                                      year)
    this, prev = str(review.year), str(review.previous)
    title = f"Your year of giving: {this}"
    if not review.totals.to_numpy().any():
        return _message(title)
    years = alt.Scale(domain=[prev, this], range=[GREY, ACCENT])
    colour = alt.Color("year:N", title=None, scale=years, legend=alt.Legend(orient="top"))

    totals = review.totals.reset_index().melt(id_vars="measure", var_name="year",
                                              value_name="value")
    totals["year"] = totals["year"].astype(str)
    totals["text"] = totals["value"].map("{:,}".format)
    table = alt.Chart(totals, title="Totals").mark_text(fontSize=14).encode(
        y=alt.Y("measure:N", title=None, sort=list(analytics.MEASURES),
                axis=alt.Axis(domain=False, ticks=False, labelFontSize=12)),
        x=alt.X("year:N", title=None, sort=[prev, this],
                axis=alt.Axis(orient="top", domain=False, ticks=False, labelAngle=0,
                              labelFontSize=12, labelFontWeight="bold")),
        text="text:N",
        color=alt.Color("year:N", scale=years, legend=None),
    ).properties(width=140, height=alt.Step(24), view=alt.ViewBackground(stroke=None))

    names_limit = LABEL_LIMIT if not narrow else 130
    # one under another, the charts share their left edge: each leaves room for the names
    bar_width, months_width = (220, 360) if not narrow else (PHONE_WIDTH - names_limit - 30,) * 2

    def bars(frame, field, label, sort, name):
        frame = frame.assign(year=frame["year"].astype(str))
        return alt.Chart(frame, title=name).mark_bar().encode(
            y=alt.Y(f"{field}:N", title=None, sort=sort, axis=alt.Axis(labelLimit=names_limit)),
            yOffset=alt.YOffset("year:N", sort=[prev, this]),
            x=alt.X("gives:Q", axis=count_axis("Gives", frame["gives"].max())),
            color=colour,
            tooltip=[alt.Tooltip(f"{field}:N", title=label), alt.Tooltip("year:N", title="Year"),
                     alt.Tooltip("gives:Q", title="Gives", format=",")],
        ).properties(width=bar_width, height=alt.Step(9))

    per_month = review.by_month.assign(
        year=review.by_month["year"].astype(str),
        month_name=[MONTHS[m - 1] for m in review.by_month["month"]])
    months = alt.Chart(per_month, title="Gives per month").mark_bar().encode(
        # on a phone a month is its first letter: twelve names would not fit
        x=alt.X("month_name:N", title=None, sort=MONTHS, axis=alt.Axis(
            labelAngle=0, labelExpr="slice(datum.label, 0, 1)" if narrow else "datum.label")),
        xOffset=alt.XOffset("year:N", sort=[prev, this]),
        y=alt.Y("gives:Q", axis=count_axis("Gives", per_month["gives"].max())),
        color=colour,
        tooltip=[alt.Tooltip("month_name:N", title="Month"), alt.Tooltip("year:N", title="Year"),
                 alt.Tooltip("gives:Q", title="Gives", format=","),
                 alt.Tooltip("minutes:Q", title="Minutes", format=",")],
    ).properties(width=months_width, height=160)

    top = review.by_community["community"].drop_duplicates().head(10).tolist()
    places = bars(review.by_community[review.by_community["community"].isin(top)],
                  "community", "Community", top, "Gives per community (top 10)")
    kinds = review.top_kinds["kind"].drop_duplicates().tolist()
    kind_bars = bars(review.top_kinds, "kind", "Kind of give", kinds, "Kinds of give")
    rows = ((table, months, places, kind_bars) if narrow
            else (alt.hconcat(table, months, spacing=40),
                  alt.hconcat(places, kind_bars, spacing=40)))
    return (
        alt.vconcat(*rows, spacing=30)
        .properties(title=_title(title, _years_compared(review)))
        .resolve_scale(color="shared")
    )


def _years_compared(review: analytics.YearInReview) -> str:
    """'2026 in dark blue, 2025 in grey', with the days compared while the year is not over."""
    if review.so_far and review.begun:
        day = review.until
        return (f"1 January to {day.day} {MONTH_NAMES[day.month - 1]}, so far: {review.year} in "
                f"dark blue, the same days of {review.previous} in grey")
    return f"{review.year} in dark blue, {review.previous} in grey"
