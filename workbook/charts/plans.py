"""The plans: a burn-up per resolution, the gives planned against the gives logged."""

from __future__ import annotations

import datetime as dt

import altair as alt
import numpy as np
import pandas as pd

from .. import analytics
from ..model import cadence
from .axes import count_axis, count_scale, time_axis, time_scale
from .style import (
    ACCENT,
    GREY,
    MUTED_INK,
    ROW_BUDGET,
    _label,
    _message,
    _named,
    _short,
    _step,
    _title,
    _ts,
)

HEADER_LIMIT, HEADER_SIZE = 270, 12  # a panel title's lines: pixels wide, font size
PANEL_WIDTH, PANEL_HEIGHT = 250, 140
# What is left of a line for typed text beside the status or the cadence.
TYPED_LIMIT = 170


def _resolution_labels(plans: pd.DataFrame, labels: pd.Series) -> list[tuple[str, str]]:
    """Panel titles: 'Choir: on track' over 'share a link (twice a month)'."""
    where = [labels.get(c, f"Community #{c}") for c in plans["community_id"]]
    how = [cadence(t, p) for t, p in zip(plans["times"], plans["per"], strict=True)]
    give = [_label(g, TYPED_LIMIT, HEADER_SIZE) for g in plans["give"]]
    return [(f"{w}: {s}", f"{g} ({h})") for w, g, h, s in
            zip(where, give, how, plans["status"], strict=True)]


def _not_yet(plans: pd.DataFrame, labels: pd.Series) -> str:
    """Why no panel is drawn yet: the plan nearest to its first full period, in numbers."""
    need = analytics.first_period_days(plans["start"], plans["per"])
    nearest = (need - plans["days"]).to_numpy().argmin()
    plan, days = plans.iloc[nearest], int(plans["days"].iloc[nearest])
    where = _short(labels.get(plan["community_id"], f"Community #{plan['community_id']}"), 40)
    give = _short(plan["give"], 60)
    return (f"\u201c{give}\u201d in {where} has run {days} of the {need.iloc[nearest]} days of "
            f"its first {plan['per']}: its chart shows once that {plan['per']} is complete.")


def plan_vs_actual(resolutions: pd.DataFrame, log: pd.DataFrame, today: dt.date,
                   communities: pd.DataFrame | None = None, limit: int = 12,
                   pauses: pd.DataFrame | None = None, *, columns: int = 2,
                   panel_width: int = PANEL_WIDTH) -> alt.ConcatChart | alt.Chart:
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
    columns, panel_width
        Panels per row and the width of each (a phone: one column).

    Returns
    -------
    alt.ConcatChart
        One panel per resolution that has run a whole period of its cadence
        (:func:`workbook.analytics.has_run_a_period`), titled with its community, status (see
        :func:`workbook.analytics.plan_vs_actual`) and give, with two lines over time: "Planned"
        (grey, dashed) and "Logged" (dark blue), sampled weekly (every few weeks for long
        plans). Each panel has its own time axis and a count axis of whole gives. Before any
        resolution has run a period, a chart that says how far the nearest one has come.
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
    # A plan younger than one period has planned less than one give: nothing to read yet.
    ready = analytics.has_run_a_period(plans).to_numpy()
    if not ready.any():
        return _message(title, _not_yet(plans, labels))
    waiting, plans = int((~ready).sum()), plans[ready]
    panels = _resolution_labels(plans, labels)

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
    colour = alt.Color("line:N", title=None, sort=lines, scale=alt.Scale(
        domain=lines, range=[GREY, ACCENT]), legend=alt.Legend(orient="top"))
    dash = alt.StrokeDash("line:N", legend=None, sort=lines,
                          scale=alt.Scale(domain=lines, range=[[6, 4], [1, 0]]))
    charts = []
    for k, (plan, (head, give)) in enumerate(zip(plans.itertuples(), panels, strict=True)):
        top = max(float(plan.expected), float(plan.logged))
        charts.append(
            alt.Chart(title=alt.Title(head, subtitle=give, anchor="start", fontSize=HEADER_SIZE,
                                      subtitleFontSize=HEADER_SIZE - 1, limit=HEADER_LIMIT,
                                      subtitleColor=MUTED_INK))
            .transform_filter(alt.datum.k == k)
            .mark_line(strokeWidth=2.5)
            .encode(
                x=alt.X("date:T", title=None, scale=time_scale(plan.start, plan.until),
                        axis=time_axis(plan.start, plan.until, panel_width)),
                y=alt.Y("gives:Q", scale=count_scale(top), axis=count_axis("Gives so far", top)),
                color=colour, strokeDash=dash,
                tooltip=[alt.Tooltip("date:T", title="Up to", format="%d %b %Y"),
                         alt.Tooltip("line:N", title="Line"),
                         alt.Tooltip("gives:Q", title="Gives", format=".1f")],
            )
            .properties(width=panel_width, height=PANEL_HEIGHT))
    subtitle = "The grey dashed line is the plan; the dark blue line is what you logged."
    if waiting:
        subtitle += (f" {waiting} more {'resolution shows' if waiting == 1 else 'resolutions show'}"
                     f" once it has run a full period of its cadence.")
    return (
        alt.concat(*charts, columns=columns, data=data, spacing=24)
        .transform_fold(lines, as_=["line", "gives"])
        .resolve_scale(x="independent", y="independent", color="shared", strokeDash="shared")
        .properties(title=_title(title, subtitle))
    )
