"""Axes that read well: whole numbers for counts, one label per month (or day, or year) for time."""

from __future__ import annotations

import math
from typing import NamedTuple

import altair as alt
import pandas as pd

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
# About how wide a character of a tick label is drawn at font size 10, and the room between
# two labels, in pixels.
CHAR_PX, GAP_PX = 6.5, 14
# What Vega writes under a tick, the same as `TimeTicks.labels`.
TIME_FORMATS = {"day": "%-d %b", "month": "%b", "month year": "%b %Y", "year": "%Y"}


def count_axis(title: str | None, top: float | None = None, **kwargs) -> alt.Axis:
    """An axis of whole numbers: never a 0.5 give; a small count gets a tick at each one."""
    values = alt.Undefined
    if top is not None and math.ceil(top) <= 10:
        values = list(range(max(1, math.ceil(top)) + 1))
    return alt.Axis(title=title, format="d", tickMinStep=1, values=values, **kwargs)


def count_scale(top: float) -> alt.Scale:
    """A count scale from 0 to at least 1, so that an empty panel still shows 0 and 1."""
    return alt.Scale(domain=[0, max(1, math.ceil(top))], nice=top > 10)


class TimeTicks(NamedTuple):
    """Where a time axis puts its ticks and what each one says ("" for a tick left unlabelled)."""

    dates: list[pd.Timestamp]
    style: str  # a key of TIME_FORMATS
    step: int  # every how many months or years a label stands (1 for days and weeks)
    labels: list[str]


def _shown(d: pd.Timestamp, style: str, step: int) -> bool:
    """Whether the tick at ``d`` is labelled: every ``step`` months or years from January or
    from a year that divides by ``step``."""
    return (d.year if style == "year" else d.month - 1) % step == 0


def _labels(dates: list[pd.Timestamp], style: str, step: int) -> list[str]:
    """The labels Vega writes for ``dates`` (see `_label_expr`), in English as Vega does.

    A month's name carries its year on January and on the first label, so that a year is
    always in sight.
    """
    out, first = [], True
    for d in dates:
        if not _shown(d, style, step):
            out.append("")
            continue
        if style == "day":
            out.append(f"{d.day} {MONTHS[d.month - 1]}")
        elif style == "year":
            out.append(str(d.year))
        elif style == "month year" or d.month == 1 or first:
            out.append(f"{MONTHS[d.month - 1]} {d.year}")
        else:
            out.append(MONTHS[d.month - 1])
        first = False
    return out


def room_needed(labels: list[str]) -> float:
    """About how many pixels ``labels`` take side by side, with room between them."""
    return sum(len(label) * CHAR_PX + GAP_PX for label in labels if label)


def _label_expr(ticks: TimeTicks) -> str:
    """The Vega expression that writes `TimeTicks.labels` under the ticks."""
    text = f"timeFormat(datum.value, '{TIME_FORMATS[ticks.style]}')"
    if ticks.style == "month":
        lead = next(d for d, label in zip(ticks.dates, ticks.labels, strict=True) if label)
        with_year = (f"month(datum.value) == 0 || (year(datum.value) == {lead.year} && "
                     f"month(datum.value) == {lead.month - 1})")
        text = f"{with_year} ? timeFormat(datum.value, '%b %Y') : {text}"
    if ticks.step > 1:
        unit = "year(datum.value)" if ticks.style == "year" else "month(datum.value)"
        text = f"{unit} % {ticks.step} == 0 ? {text} : ''"
    return text


def _candidates(first: pd.Timestamp, last: pd.Timestamp):
    """(tick dates, style, step) from the finest to the coarsest: days, Mondays, months, years.

    Months and years keep a tick at each one; a longer step only labels fewer of them.
    """
    month_starts = list(pd.date_range(first + pd.offsets.MonthBegin(0), last, freq="MS"))
    if len(month_starts) < 2:
        for days in (1, 2):
            yield list(pd.date_range(first, last, freq=f"{days}D")), "day", 1
        mondays = pd.date_range(first + pd.offsets.Week(0, weekday=0), last, freq="W-MON")
        for weeks in (1, 2, 4):
            yield list(mondays[::weeks]), "day", 1
    if month_starts:
        span = (month_starts[-1].year - month_starts[0].year) * 12 + (month_starts[-1].month
                                                                      - month_starts[0].month)
        for months in (1, 2, 3, 6):
            # Month names alone repeat after a year: past that, every label carries its year.
            yield month_starts, "month" if span < 12 else "month year", months
    new_years = list(pd.date_range(first + pd.offsets.YearBegin(0), last, freq="YS"))
    for years in (1, 2, 5, 10, 20, 50):
        yield new_years, "year", years


def time_ticks(first, last, width: float) -> TimeTicks:
    """The ticks of a time axis from ``first`` to ``last``, ``width`` pixels wide.

    The finest of days, Mondays, months (a tick each, a label every 1, 2, 3 or 6) or years
    whose labels fit the width (the coarsest when none fits); no two labels are the same.
    """
    first, last = pd.Timestamp(first).normalize(), pd.Timestamp(last).normalize()
    if last < first:
        first, last = last, first
    coarsest = TimeTicks([first], "day", 1, _labels([first], "day", 1))
    for dates, style, step in _candidates(first, last):
        labels = _labels(dates, style, step)
        if not any(labels):
            continue
        coarsest = TimeTicks(dates, style, step, labels)
        if room_needed(labels) <= width:
            return coarsest
    return coarsest


def time_axis(first, last, width: float, **kwargs) -> alt.Axis:
    """A time axis with the ticks of :func:`time_ticks`, each date once."""
    ticks = time_ticks(first, last, width)
    return alt.Axis(values=[alt.DateTime(year=d.year, month=d.month, date=d.day)
                            for d in ticks.dates],
                    labelExpr=_label_expr(ticks), labelOverlap=False, **kwargs)


def time_scale(first, last) -> alt.Scale:
    """A time scale from exactly ``first`` to ``last`` (no rounding to a nicer interval)."""
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    return alt.Scale(domain=[alt.DateTime(year=d.year, month=d.month, date=d.day)
                             for d in (first, last)], nice=False)
