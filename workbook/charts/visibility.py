"""Visibility over time: a small area chart per community, week by week."""

from __future__ import annotations

import datetime as dt
import math

import altair as alt
import numpy as np
import pandas as pd

from .. import analytics
from .style import PALETTE, WIDTH, _message, _named, _step, _title, _ts

LABEL_LIMIT = 150  # pixels for a community's name beside its row


def visibility_over_time(communities: pd.DataFrame, resolutions: pd.DataFrame,
                         log: pd.DataFrame, today: dt.date,
                         pauses: pd.DataFrame | None = None) -> alt.Chart:
    """How visible you have been in each community, week by week.

    Parameters
    ----------
    communities, resolutions, log
        The frames of a workbook.
    today
        The last day drawn.

    Returns
    -------
    alt.FacetChart
        One small area chart per community, strongest today first, score 0 to 100 %. The score
        is :func:`workbook.analytics.visibility` sampled every week back from today (every few
        weeks for a long history).
    """
    title = "Your visibility in each community"
    if communities.empty:
        return _message(title, "Add your communities to follow your visibility in them.")
    if (log["date"] <= _ts(today)).sum() == 0:
        return _message(title)
    days, scores = analytics.visibility_matrix(communities, resolutions, log, today,
                                               pauses=pauses)
    every = 7 * _step(math.ceil(len(days) / 7), len(communities))
    rows = np.arange(len(days) - 1, -1, -every)[::-1]
    labels = analytics.community_labels(_named(communities, LABEL_LIMIT))
    order = labels.to_numpy()[np.argsort(-scores[-1], kind="stable")].tolist()
    names = pd.DataFrame({"k": range(len(labels)), "community": labels.to_numpy()})
    data = pd.DataFrame({
        "date": np.repeat(days[rows].to_numpy(), len(labels)),
        "k": np.tile(np.arange(len(labels)), len(rows)),
        "score": scores[rows].reshape(-1).round(3),
    })
    sample = "week" if every == 7 else f"{every // 7} weeks"
    return (
        alt.Chart(data)
        .mark_area(line={"strokeWidth": 1.5}, opacity=0.6, interpolate="monotone", clip=True)
        .encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y", labelOverlap=True,
                                                        grid=False)),
            y=alt.Y("score:Q", title=None, scale=alt.Scale(domain=[0, 1]),
                    axis=alt.Axis(values=[0, 0.5, 1], grid=True, labelFontSize=9,
                                  labelExpr="datum.value == 0.5 ? '50%' : ''")),
            color=alt.Color("community:N", legend=None, sort=order,
                            scale=alt.Scale(range=PALETTE)),
            tooltip=[alt.Tooltip("community:N", title="Community"),
                     alt.Tooltip("date:T", title="On", format="%d %b %Y"),
                     alt.Tooltip("score:Q", title="Visibility", format=".0%")],
        )
        .properties(width=WIDTH - 160, height=40)
        .facet(row=alt.Row("community:N", title=None, sort=order,
                           header=alt.Header(labelAngle=0, labelAlign="left",
                                             labelLimit=LABEL_LIMIT, labelOrient="left")),
               spacing=4)
        .transform_lookup(lookup="k", from_=alt.LookupData(names, "k", ["community"]))
        .properties(title=_title(title, f"From 0 to 100 %: it rises when you give as often as "
                                        f"you planned and fades slowly in a pause "
                                        f"(one point per {sample})."))
    )
