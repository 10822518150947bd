"""Visibility over time: a small area chart per community, week by week."""

from __future__ import annotations

import datetime as dt
import math

import altair as alt
import numpy as np
import pandas as pd

from .. import analytics
from .axes import time_axis, time_scale
from .style import WIDTH, _message, _named, _step, _title, _ts, kind_colours, kind_groups

LABEL_LIMIT = 150  # pixels for a community's name beside its row
ROW_HEIGHT = 72  # room for 0 %, 50 % and 100 % one above the other, each readable
PLOT_WIDTH = WIDTH - 160
DAILY_UP_TO = 8 * 7  # days of history drawn with a point a day


def visibility_over_time(communities: pd.DataFrame, resolutions: pd.DataFrame,
                         log: pd.DataFrame, today: dt.date,
                         pauses: pd.DataFrame | None = None, width: int = WIDTH) -> alt.Chart:
    """How visible you have been in each community, week by week.

    Parameters
    ----------
    communities, resolutions, log
        The frames of a workbook.
    today
        The last day drawn.
    width
        About how wide the chart is; below `style.WIDTH` (a phone) each community's name
        goes above its row instead of beside it.

    Returns
    -------
    alt.FacetChart
        One small area chart per community, strongest today first, score 0 to 100 % (ticks at
        0, 50 and 100 %), coloured by the community's kind (`style.kind_colours`). The score
        is :func:`workbook.analytics.visibility` sampled every week back from today (every day
        when the history is eight weeks or shorter, every few weeks when it is long).
    """
    title = "Your visibility in each community"
    if communities.empty:
        return _message(title, "Add your communities to follow your visibility in them.")
    if (log["date"] <= _ts(today)).sum() == 0:
        return _message(title)
    days, scores = analytics.visibility_matrix(communities, resolutions, log, today,
                                               pauses=pauses)
    # A short history is drawn day by day: a few weekly points would hardly make a line.
    every = (1 if len(days) <= DAILY_UP_TO
             else 7 * _step(math.ceil(len(days) / 7), len(communities)))
    rows = np.arange(len(days) - 1, -1, -every)[::-1]
    labels = analytics.community_labels(_named(communities, LABEL_LIMIT))
    order = labels.to_numpy()[np.argsort(-scores[-1], kind="stable")].tolist()
    kinds = kind_groups(communities["kind"])
    names = pd.DataFrame({"k": range(len(labels)), "community": labels.to_numpy(),
                          "kind": kinds})
    data = pd.DataFrame({
        "date": np.repeat(days[rows].to_numpy(), len(labels)),
        "k": np.tile(np.arange(len(labels)), len(rows)),
        "score": scores[rows].reshape(-1).round(3),
    })
    first, last = days[rows[0]], days[rows[-1]]
    sample = {1: "day", 7: "week"}.get(every, f"{every // 7} weeks")
    narrow = width < WIDTH
    plot_width = width - 50 if narrow else width - 160
    header = (alt.Header(labelAngle=0, labelAlign="left", labelAnchor="start", labelOrient="top",
                         labelFontSize=12, labelLimit=plot_width, labelPadding=2) if narrow
              else alt.Header(labelAngle=0, labelAlign="left", labelLimit=LABEL_LIMIT,
                              labelOrient="left"))
    return (
        alt.Chart(data)
        .mark_area(line={"strokeWidth": 1.5}, opacity=0.6, interpolate="monotone", clip=True)
        .encode(
            x=alt.X("date:T", title=None, scale=time_scale(first, last),
                    axis=time_axis(first, last, plot_width, grid=False)),
            y=alt.Y("score:Q", title=None, scale=alt.Scale(domain=[0, 1]),
                    axis=alt.Axis(values=[0, 0.5, 1], format="%", grid=True,
                                  labelFontSize=11 if narrow else 9)),
            # The kind's colour of every chart: a row's name says which community it is.
            color=alt.Color("kind:N", title="Kind", scale=kind_colours(kinds),
                            legend=alt.Legend(orient="top", columns=2 if narrow else 4,
                                              labelLimit=LABEL_LIMIT)),
            tooltip=[alt.Tooltip("community:N", title="Community"),
                     alt.Tooltip("date:T", title="On", format="%d %b %Y"),
                     alt.Tooltip("score:Q", title="Visibility", format=".0%")],
        )
        .properties(width=plot_width, height=ROW_HEIGHT)
        .facet(row=alt.Row("community:N", title=None, sort=order, header=header), spacing=16)
        .transform_lookup(lookup="k", from_=alt.LookupData(names, "k", ["community", "kind"]))
        .properties(title=_title(title, f"From 0 to 100 %: it rises when you give as often as "
                                        f"you planned and fades slowly in a pause "
                                        f"(one point per {sample})."))
    )
