"""The calendar: a square per day of one year, darker for more gives."""

from __future__ import annotations

import datetime as dt

import altair as alt
import numpy as np
import pandas as pd

from .axes import MONTHS
from .style import BLUES, NOTHING_YET, _count, _title, _ts

LEVELS = ["none", "1", "2", "3-4", "5 or more"]
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def gives_calendar(log: pd.DataFrame, today: dt.date, year: int | None = None) -> alt.LayerChart:
    """A calendar of one year: a square per day, darker for more gives.

    Parameters
    ----------
    log
        The ``log`` frame.
    today
        Days after today are left blank.
    year
        The year to draw; today's year by default.

    Returns
    -------
    alt.LayerChart
        Weeks from left to right, Monday to Sunday from top to bottom, month names above.
    """
    t = _ts(today)
    year = t.year if year is None else int(year)
    days = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    days = days[days <= t]
    inside = log[log["date"].dt.year == year]
    per_day = inside.groupby(inside["date"].dt.normalize()).agg(
        gives=("date", "size"), minutes=("minutes", "sum"))
    gives = per_day["gives"].reindex(days, fill_value=0).to_numpy()
    minutes = per_day["minutes"].reindex(days, fill_value=0).to_numpy()
    first_monday = _ts(f"{year}-01-01") - pd.Timedelta(days=_ts(f"{year}-01-01").weekday())
    # Names from our own lists: strftime would follow the machine's locale.
    weekday = [WEEKDAYS[d] for d in days.day_of_week]
    data = pd.DataFrame({
        "week": (days - first_monday).days // 7,
        "weekday": weekday,
        "day": [f"{w} {d.day} {MONTHS[d.month - 1]} {d.year}"
                for w, d in zip(weekday, days, strict=True)],
        "gives": gives,
        "minutes": minutes,
        "level": np.array(LEVELS)[np.digitize(gives, [1, 2, 3, 5])],
    })
    total, active = int(gives.sum()), int((gives > 0).sum())
    subtitle = (f"{_count(total, 'give')} on {_count(active, 'day')}" if total
                else NOTHING_YET)
    week_scale = alt.Scale(domain=list(range(54)))
    cells = alt.Chart(data).mark_rect(cornerRadius=2, stroke="white", strokeWidth=1.5).encode(
        x=alt.X("week:O", axis=None, scale=week_scale),
        y=alt.Y("weekday:O", title=None, sort=WEEKDAYS,
                axis=alt.Axis(domain=False, ticks=False, labelFontSize=10)),
        color=alt.Color("level:O", title="Gives that day", sort=LEVELS,
                        scale=alt.Scale(domain=LEVELS, range=BLUES),
                        legend=alt.Legend(orient="bottom", direction="horizontal")),
        tooltip=[alt.Tooltip("day:N", title="Day"), alt.Tooltip("gives:Q", title="Gives"),
                 alt.Tooltip("minutes:Q", title="Minutes")],
    )
    starts = pd.date_range(f"{year}-01-01", periods=12, freq="MS")
    months = pd.DataFrame({"week": (starts - first_monday).days // 7, "month": MONTHS})
    names = alt.Chart(months).mark_text(align="left", baseline="bottom", dy=-4,
                                        fontSize=10).encode(
        x=alt.X("week:O", scale=week_scale, axis=None), y=alt.value(0), text="month:N")
    return (alt.layer(cells, names)
            .properties(width=alt.Step(12), height=alt.Step(12),
                        title=_title(f"Your gives in {year}", subtitle),
                        view=alt.ViewBackground(stroke=None)))
