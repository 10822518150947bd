"""Every progress chart by name, drawn from a workbook's frames."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import altair as alt
import pandas as pd

from .balance import balance_by_community
from .calendar import gives_calendar
from .network import network_map
from .plans import PANEL_WIDTH, plan_vs_actual
from .style import PHONE_WIDTH, WIDTH, phone_type
from .visibility import visibility_over_time
from .year import year_in_review

CHART_NAMES = ("network_map", "plan_vs_actual", "gives_calendar", "balance_by_community",
               "visibility_over_time", "year_in_review")


def chart(name: str, frames: Mapping[str, pd.DataFrame], today: dt.date,
          year: int | None = None, *, narrow: bool = False) -> alt.TopLevelMixin:
    """One progress chart of a workbook, by name.

    Parameters
    ----------
    name
        One of ``CHART_NAMES``.
    frames
        The workbook's DataFrames by name (``Store.frame`` names); each chart uses a few of
        communities, people, memberships, resolutions, log and help.
    today
        The date the chart is drawn for.
    year
        The year of the calendar and of the year in review (their own default when None).
    narrow
        Drawn for a phone: one panel per row, narrower charts, larger type. The map and the
        calendar keep their size (the page lets them scroll sideways): smaller, they would
        not read.

    Returns
    -------
    alt.TopLevelMixin
        The chart.
    """
    figure = _chart(name, frames, today, year, narrow)
    return phone_type(figure) if narrow else figure


def _chart(name: str, frames: Mapping[str, pd.DataFrame], today: dt.date, year: int | None,
           narrow: bool) -> alt.TopLevelMixin:
    f = frames
    width = PHONE_WIDTH if narrow else WIDTH
    if name == "network_map":
        return network_map(f["communities"], f["people"], f["memberships"])
    if name == "plan_vs_actual":
        return plan_vs_actual(f["resolutions"], f["log"], today, f["communities"],
                              pauses=_pauses(f), columns=1 if narrow else 2,
                              panel_width=PHONE_WIDTH - 50 if narrow else PANEL_WIDTH)
    if name == "gives_calendar":
        return gives_calendar(f["log"], today, year)
    if name == "balance_by_community":
        return balance_by_community(f["communities"], f["log"], today, width=width)
    if name == "visibility_over_time":
        return visibility_over_time(f["communities"], f["resolutions"], f["log"], today,
                                    _pauses(f), width=width)
    if name == "year_in_review":
        return year_in_review(f["communities"], f["log"], f["help"], today, year, narrow=narrow)
    raise KeyError(f"no chart called {name!r}; choose from {', '.join(CHART_NAMES)}")


def _pauses(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame | None:
    """The pauses frame, when the frames hold one."""
    try:
        return frames["pauses"]
    except KeyError:
        return None


def all_charts(frames: Mapping[str, pd.DataFrame],
               today: dt.date) -> dict[str, alt.TopLevelMixin]:
    """Every progress chart of a workbook, by name.

    Parameters
    ----------
    frames
        The workbook's DataFrames by name, as for :func:`chart`.
    today
        The date the charts are drawn for.

    Returns
    -------
    dict
        Chart name -> chart, in the order of ``CHART_NAMES``.
    """
    return {name: chart(name, frames, today) for name in CHART_NAMES}
