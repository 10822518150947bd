"""The plans: a burn-up per resolution, the gives planned against the gives logged."""

from __future__ import annotations

import datetime as dt

import altair as alt
import numpy as np
import pandas as pd

from .. import analytics
from ..model import cadence
from .style import GREY, OKABE_ITO, ROW_BUDGET, _label, _message, _named, _step, _title, _ts

HEADER_LIMIT, HEADER_SIZE = 270, 12  # a panel title's lines: pixels wide, font size
# What is left of a line for typed text beside the status or the cadence.
TYPED_LIMIT = 170


def _resolution_labels(plans: pd.DataFrame, labels: pd.Series) -> list[str]:
    """Two-line panel titles: 'Choir: on track' over 'share a link (twice a month)'."""
    where = [labels.get(c, f"Community #{c}") for c in plans["community_id"]]
    how = [cadence(t, p) for t, p in zip(plans["times"], plans["per"], strict=True)]
    give = [_label(g, TYPED_LIMIT, HEADER_SIZE) for g in plans["give"]]
    return [f"{w}: {s}\n{g} ({h})" for w, g, h, s in
            zip(where, give, how, plans["status"], strict=True)]


def plan_vs_actual(resolutions: pd.DataFrame, log: pd.DataFrame, today: dt.date,
                   communities: pd.DataFrame | None = None, limit: int = 12,
                   pauses: pd.DataFrame | None = None) -> alt.Chart:
    """A burn-up per resolution: the gives planned so far against the gives logged.

    Parameters
    ----------
    resolutions, log
        The frames of a workbook.
    today
        The last day drawn.
    communities
        The communities frame, for names in the panel titles (numbers otherwise).
    limit
        At most this many resolutions: the active ones running in the last year, latest first.
    pauses
        The ``pauses`` frame: paused days plan nothing.

    Returns
    -------
    alt.FacetChart
        One panel per resolution, titled with its community, status (see
        :func:`workbook.analytics.plan_vs_actual`) and give, with two lines over time: "Planned"
        (grey, dashed) and "Logged" (blue), sampled weekly (every few weeks for long plans).
    """
    title = "Your resolutions: planned gives and gives logged"
    t = _ts(today)
    plans = analytics.plan_vs_actual(resolutions, log, today, pauses)
    active = resolutions["active"].to_numpy(dtype=bool)
    plans = plans[active & (plans["start"] <= t)
                  & (plans["until"] >= t - pd.Timedelta(days=365))]
    if plans.empty:
        return _message(title, "No resolution is running yet: plan a give and follow it here.")
    plans = plans.sort_values(["start", "resolution_id"], ascending=False).head(limit)
    labels = (analytics.community_labels(_named(communities, TYPED_LIMIT, HEADER_SIZE))
              if communities is not None
              else pd.Series(dtype=object))
    panels = pd.DataFrame({"k": range(len(plans)), "panel": _resolution_labels(plans, labels)})

    weeks = ((plans["until"] - plans["start"]).dt.days // 7 + 1).to_numpy()
    every = _step(int(weeks.sum()), 1, ROW_BUDGET // 2)
    dated = log[log["resolution_id"].isin(plans["resolution_id"])]
    rows = []
    for k, plan in enumerate(plans.itertuples()):
        when = pd.date_range(plan.start, plan.until, freq=f"{7 * every}D")
        if when[-1] != plan.until:
            when = when.append(pd.DatetimeIndex([plan.until]))
        gives = np.sort(dated.loc[(dated["resolution_id"] == plan.resolution_id)
                                  & (dated["date"] >= plan.start), "date"].to_numpy())
        rows.append(pd.DataFrame({
            "k": k, "date": when,
            # paused days plan nothing: the line rises at the plan's average pace
            "Planned": (((when - plan.start).days + 1).to_numpy()
                        * (plan.expected / max(1, (plan.until - plan.start).days + 1))).round(2),
            "Logged": np.searchsorted(gives, when.to_numpy(), side="right"),
        }))
    # One row per sample with both lines; the fold makes them two series in the browser.
    data = pd.concat(rows, ignore_index=True)
    lines = ["Planned", "Logged"]
    return (
        alt.Chart(data)
        .mark_line(strokeWidth=2.5)
        .encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y", labelOverlap=True,
                                                        tickCount=4)),
            y=alt.Y("gives:Q", title="Gives so far"),
            color=alt.Color("line:N", title=None, sort=lines, scale=alt.Scale(
                domain=lines, range=[GREY, OKABE_ITO["blue"]]), legend=alt.Legend(orient="top")),
            strokeDash=alt.StrokeDash("line:N", legend=None, sort=lines, scale=alt.Scale(
                domain=lines, range=[[6, 4], [1, 0]])),
            tooltip=[alt.Tooltip("date:T", title="Up to", format="%d %b %Y"),
                     alt.Tooltip("line:N", title="Line"),
                     alt.Tooltip("gives:Q", title="Gives", format=".1f")],
        )
        .properties(width=250, height=140)
        .facet(facet=alt.Facet("panel:N", title=None, sort=list(panels["panel"]),
                               header=alt.Header(labelLimit=HEADER_LIMIT, labelAnchor="start",
                                                 labelAlign="left",
                                                 labelFontSize=HEADER_SIZE,
                                                 labelExpr="split(datum.value, '\\n')")),
               columns=2)
        .transform_fold(lines, as_=["line", "gives"])
        .transform_lookup(lookup="k", from_=alt.LookupData(panels, "k", ["panel"]))
        .resolve_scale(x="independent", y="independent")
        .properties(title=_title(title, "The grey dashed line is the plan; the blue line is "
                                        "what you logged."))
    )
