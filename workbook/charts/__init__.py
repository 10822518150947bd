"""Charts of your giving: the network map, plans kept, the calendar, balance, visibility, the year.

Each function takes workbook DataFrames (and today) and returns an Altair chart: a value that can
be shown, saved or tested; nothing is drawn here. The data is summed up in pandas first, so a chart
carries a row per day, week or community, never a row per log entry, and stays small after many
years of logging.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import textwrap
from collections.abc import Mapping
from io import BytesIO, StringIO
from pathlib import Path
from typing import NamedTuple

import altair as alt
import numpy as np
import pandas as pd

from .. import analytics, clock
from ..atomic import atomic_write
from ..model import cadence
from ..season import MONTH_NAMES

# Okabe-Ito: eight colours told apart with every common colour-vision deficiency.
OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}
PALETTE = list(OKABE_ITO.values())
GREY = "#999999"
PALE_GREY = "#d0d0d0"  # lines that should stay in the background
# One hue from light to dark: order is read from lightness alone, whatever the colour vision.
BLUES = ["#ebedf0", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]

WIDTH = 560
MAX_ROWS = 5_000  # the most rows one chart may carry (Altair's own limit per dataset)
ROW_BUDGET = 2_000  # what the over-time charts aim for: small specs load fast
NOTHING_YET = "Nothing logged yet: log a give and it will show here."
FORMATS = ("json", "svg", "png")
CHART_NAMES = ("network_map", "plan_vs_actual", "gives_calendar", "balance_by_community",
               "visibility_over_time", "year_in_review")


def _ts(value) -> pd.Timestamp:
    """A date as a midnight Timestamp."""
    return pd.Timestamp(value).normalize()


def _title(text: str, subtitle: str | None = None) -> alt.Title:
    """A chart title, left-aligned, with an optional plain-words subtitle."""
    return alt.Title(text, subtitle=subtitle or "", anchor="start", fontSize=15,
                     subtitleColor="#555555")


def _message(title: str, message: str = NOTHING_YET) -> alt.Chart:
    """A chart that only says why there is nothing to show yet."""
    data = pd.DataFrame({"message": [message]})
    return (
        alt.Chart(data, title=_title(title))
        .mark_text(fontSize=14, color="#555555")
        .encode(text=alt.Text("message:N"))
        .properties(width=WIDTH, height=80)
    )


def _count(n: int, word: str, words: str | None = None) -> str:
    """'1 give', '2,310 gives'; ``words`` for an irregular plural."""
    return f"{n:,} {word if n == 1 else words or word + 's'}"


def _step(points: int, series: int, budget: int = ROW_BUDGET) -> int:
    """Every how many samples to keep so that points x series stays within the budget."""
    return max(1, math.ceil(points * series / budget))


# -- the network map ---------------------------------------------------------------------------

GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
ROLES = ["Me", "Community", "Person", "Bridge"]
PERSON_SIZE = {5: 150, 15: 90, 50: 45, 150: 25}  # dot area: the closer the person, the bigger


def _sunflower(n: int, radius: float, turn: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """n evenly spread points in a disc (a sunflower pattern), first points nearest the centre."""
    k = np.arange(n)
    rho = radius * np.sqrt((k + 0.5) / max(n, 1))
    phi = turn + k * GOLDEN_ANGLE
    return rho * np.cos(phi), rho * np.sin(phi)


def _wrap(text: str, width: int = 18) -> str:
    """Text broken into at most two lines near ``width`` characters (a map label)."""
    lines = textwrap.wrap(" ".join(str(text).split()), width) or [""]
    return "\n".join(lines[:2]) + ("…" if len(lines) > 2 else "")


class NetworkLayout(NamedTuple):
    """The network map's three tables: dots, lines and community labels."""

    nodes: pd.DataFrame
    edges: pd.DataFrame
    labels: pd.DataFrame


def network_layout(communities: pd.DataFrame, people: pd.DataFrame,
                   memberships: pd.DataFrame) -> NetworkLayout:
    """Positions for the network map: you in the centre, communities on a ring, people outside.

    Parameters
    ----------
    communities, people, memberships
        The frames of a workbook.

    Returns
    -------
    NetworkLayout
        ``nodes``: ``x``, ``y``, ``name``, ``role`` ("Me", "Community", "Person", "Bridge"),
        ``size`` (dot area: closer people and more active communities are bigger) and
        ``detail`` (tooltip text: a person's circle and communities, a community's kind).
        ``edges``: ``x``, ``y``, ``x2``, ``y2`` and ``end`` (the role of the line's outer end).
        ``labels``: a community ``label`` (wrapped), its ``x``, ``y`` and ``align``.

    Notes
    -----
    The layout depends only on the data (no randomness). Communities sit on a ring in the order
    they were added, starting at the top. People in one community sit in a cluster outside it,
    the closest circles nearest the middle of the cluster; bridges sit inside the ring between
    the communities they connect; people in no community wait on an outer ring. When the map
    would carry more than 5,000 rows (dots, lines and labels), only the closest people are kept.
    """
    labels = analytics.community_labels(communities)
    ids = list(labels.index)
    n = len(ids)
    angle = {cid: math.pi / 2 - 2 * math.pi * i / max(n, 1) for i, cid in enumerate(ids)}
    pos = {cid: (math.cos(a), math.sin(a)) for cid, a in angle.items()}

    # You and each community cost a dot, a spoke and a label; each person a dot and a line per
    # community. Keep the closest people that fit in the rows.
    links = memberships[memberships["community_id"].isin(ids)]
    people = people.sort_values(["circle", "id"])
    cost = 1 + people["id"].map(links.groupby("person_id").size()).fillna(0)
    people = people[(cost.cumsum() <= MAX_ROWS - 3 * n - 1).to_numpy()]
    links = links[links["person_id"].isin(people["id"])]
    groups = links.groupby("person_id")["community_id"].agg(tuple)
    keys = people["id"].map(groups).map(lambda c: c if isinstance(c, tuple) else ())

    x = np.zeros(len(people))
    y = np.zeros(len(people))
    role = np.where(keys.map(len).to_numpy() >= 2, "Bridge", "Person").tolist()
    reach = dict.fromkeys(ids, 1.3)  # how far out each community's name stands
    # A cluster may fill the room between two neighbouring communities, and no more.
    spread = min(0.6, max(0.18, 1.9 * math.sin(min(math.pi / max(n, 1), math.pi / 2)) * 0.8))
    for key, rows in pd.Series(np.arange(len(people))).groupby(keys.to_numpy()):
        rows = rows.to_numpy()
        if len(key) == 0:
            turn = np.linspace(0, 2 * math.pi, len(rows), endpoint=False) + math.pi / 2
            x[rows], y[rows] = 2.8 * np.cos(turn), 2.8 * np.sin(turn)
            continue
        vx = float(np.mean([pos[c][0] for c in key]))
        vy = float(np.mean([pos[c][1] for c in key]))
        if len(key) == 1:
            centre, radius = 1.9, spread * min(1.0, math.sqrt(len(rows) / 30) + 0.25)
            reach[key[0]] = centre + radius + 0.12
        else:
            centre, radius = 0.6, 0.16 * min(1.0, math.sqrt(len(rows) / 6) + 0.3)
        if math.hypot(vx, vy) < 0.15:  # communities facing each other: lean to the first
            vx, vy = pos[key[0]]
        a = math.atan2(vy, vx)
        dx, dy = _sunflower(len(rows), radius, a)
        x[rows] = centre * math.cos(a) + dx
        y[rows] = centre * math.sin(a) + dy

    def about(circle: int, key: tuple) -> str:
        where = ", ".join(sorted(labels[c] for c in key)) if key else "no community yet"
        return f"circle of {circle} · {where}"

    person_nodes = pd.DataFrame({
        "x": x, "y": y, "name": people["name"].astype(object).to_numpy(), "role": role,
        "size": people["circle"].map(PERSON_SIZE).fillna(25).to_numpy(),
        "detail": [about(c, k) for c, k in zip(people["circle"], keys, strict=True)],
    })
    cos = np.array([pos[c][0] for c in ids])
    sin = np.array([pos[c][1] for c in ids])
    community_nodes = pd.DataFrame({
        "x": cos, "y": sin, "name": labels.to_numpy(), "role": "Community",
        "size": 120 + 70 * communities["activity"].to_numpy(dtype=float),
        "detail": [f"{kind} community" for kind in communities["kind"]],
    })
    # Community names stand outside their cluster, written away from the centre.
    side = np.select([cos > 0.35, cos < -0.35], ["left", "right"], "center")
    out = np.array([reach[c] for c in ids]) + np.where(side == "center", 0.1, 0.0)
    names = pd.DataFrame({"label": [_wrap(v) for v in labels], "x": out * cos, "y": out * sin,
                          "align": side})
    me = pd.DataFrame({"x": [0.0], "y": [0.0], "name": ["Me"], "role": ["Me"], "size": [500.0],
                       "detail": ["you"]})
    nodes = pd.concat([me, community_nodes, person_nodes], ignore_index=True)

    spokes = pd.DataFrame({"x": 0.0, "y": 0.0, "x2": community_nodes["x"],
                           "y2": community_nodes["y"], "end": "Community"})
    where = dict(zip(people["id"], zip(x, y, role, strict=True), strict=True))
    ends = pd.DataFrame([(*pos[c], *where[p]) for p, c in
                         zip(links["person_id"], links["community_id"], strict=True)],
                        columns=["x", "y", "x2", "y2", "end"])
    edges = pd.concat([spokes, ends], ignore_index=True)
    for frame in (nodes, edges, names):
        coords = [c for c in ("x", "y", "x2", "y2") if c in frame]
        frame[coords] = frame[coords].astype(float).round(3)
    return NetworkLayout(nodes, edges, names)


def network_map(communities: pd.DataFrame, people: pd.DataFrame,
                memberships: pd.DataFrame) -> alt.LayerChart | alt.Chart:
    """Your network: you in the middle, your communities around you, the people you know outside.

    Parameters
    ----------
    communities, people, memberships
        The frames of a workbook.

    Returns
    -------
    alt.LayerChart
        Lines from you to each community and from each person to their communities; bridges
        (people in two or more communities) in orange between the communities they connect.
        Bigger dots are closer people and more active communities; hover a dot for its name,
        circle and communities. See :func:`network_layout` for the placement.
    """
    title = "Your communities and the people in them"
    if communities.empty and people.empty:
        return _message(title, "Add your communities and the people you know to see your map.")
    nodes, edges, labels = network_layout(communities, people, memberships)
    shown = int(nodes["role"].isin(["Person", "Bridge"]).sum())
    bridges = int((nodes["role"] == "Bridge").sum())
    subtitle = (f"{_count(len(communities), 'community', 'communities')}, "
                f"{_count(len(people), 'person', 'people')}, {bridges} of them "
                f"bridges (in two or more of your communities)")
    if shown < len(people):
        subtitle += f"; the {shown} closest are shown"
    reach = max(2.0, float(nodes[["x", "y"]].abs().max().max())) + 0.45
    square = alt.Scale(domain=[-reach, reach], nice=False, zero=False)
    x, y = alt.X("x:Q", scale=square, axis=None), alt.Y("y:Q", scale=square, axis=None)
    colours = [OKABE_ITO["black"], OKABE_ITO["blue"], GREY, OKABE_ITO["orange"]]
    lines = alt.Chart(edges).mark_rule(strokeWidth=0.7).encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q",
        stroke=alt.Stroke("end:N", legend=None, scale=alt.Scale(
            domain=ROLES, range=[OKABE_ITO["black"], OKABE_ITO["blue"], PALE_GREY,
                                 OKABE_ITO["orange"]])),
        strokeOpacity=alt.condition(alt.datum.end == "Person", alt.value(0.5), alt.value(0.8)),
    )
    dots = alt.Chart(nodes).mark_circle(opacity=0.95, stroke="white", strokeWidth=0.7).encode(
        x=x, y=y,
        color=alt.Color("role:N", title=None, scale=alt.Scale(domain=ROLES, range=colours),
                        legend=alt.Legend(orient="bottom", labelExpr=(
                            "datum.label == 'Bridge' ? 'Bridge (in 2+ communities)' "
                            ": datum.label"))),
        size=alt.Size("size:Q", scale=None, legend=None),
        order=alt.Order("size:Q"),
        tooltip=[alt.Tooltip("name:N", title="Name"), alt.Tooltip("detail:N", title="About")],
    )
    names = [alt.Chart(labels).transform_filter(alt.datum.align == side).mark_text(
        align=side, baseline="middle", fontSize=11, fontWeight="bold", lineBreak="\n",
        color="#333333").encode(x=x, y=y, text="label:N")
        for side in ("left", "right", "center")]
    me = alt.Chart(nodes).transform_filter(alt.datum.role == "Me").mark_text(
        color="white", fontSize=10, fontWeight="bold").encode(x=x, y=y, text="name:N")
    return (alt.layer(lines, dots, *names, me)
            .properties(width=WIDTH, height=WIDTH, title=_title(title, subtitle))
            .resolve_legend(stroke="independent")  # else the line colours hide the legend
            .properties(view=alt.ViewBackground(stroke=None)))


# -- plans -------------------------------------------------------------------------------------

def _one_line(text) -> str:
    """User text on one line (a line break would split a panel title)."""
    return " ".join(str(text).split())


def _resolution_labels(plans: pd.DataFrame, labels: pd.Series) -> list[str]:
    """Two-line panel titles: 'Choir: on track' over 'share a link (twice a month)'."""
    where = [labels.get(c, f"Community #{c}") for c in plans["community_id"]]
    how = [cadence(t, p) for t, p in zip(plans["times"], plans["per"], strict=True)]
    return [f"{_one_line(w)}: {s}\n{_one_line(g)} ({h})" for w, g, h, s in
            zip(where, plans["give"], how, plans["status"], strict=True)]


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
    labels = (analytics.community_labels(communities) if communities is not None
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
                               header=alt.Header(labelLimit=270, labelAnchor="start",
                                                 labelAlign="left", labelFontSize=12,
                                                 labelExpr="split(datum.value, '\\n')")),
               columns=2)
        .transform_fold(lines, as_=["line", "gives"])
        .transform_lookup(lookup="k", from_=alt.LookupData(panels, "k", ["panel"]))
        .resolve_scale(x="independent", y="independent")
        .properties(title=_title(title, "The grey dashed line is the plan; the blue line is "
                                        "what you logged."))
    )


# -- the calendar ------------------------------------------------------------------------------

LEVELS = ["none", "1", "2", "3-4", "5 or more"]
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


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


# -- balance -----------------------------------------------------------------------------------

def balance_by_community(communities: pd.DataFrame, log: pd.DataFrame, today: dt.date,
                         weeks: int = 12) -> alt.Chart:
    """Where your gives and your minutes went in the last weeks, per community.

    Parameters
    ----------
    communities, log
        The frames of a workbook.
    today
        The last day of the window.
    weeks
        The window length in weeks.

    Returns
    -------
    alt.Chart
        A horizontal bar pair per community: its share of your gives and of your minutes.
    """
    title = f"Where your gives went in the last {weeks} weeks"
    if communities.empty:
        return _message(title, "Add your communities to see how your gives are spread.")
    spread = analytics.balance(communities, log, today, weeks)
    if spread["gives"].sum() == 0:
        return _message(title, f"No give logged in the last {weeks} weeks yet.")
    data = pd.concat([
        pd.DataFrame({"community": spread["community"], "measure": "Gives",
                      "share": spread["share_gives"], "amount": spread["gives"]}),
        pd.DataFrame({"community": spread["community"], "measure": "Minutes",
                      "share": spread["share_minutes"], "amount": spread["minutes"]}),
    ], ignore_index=True)
    data["share"] = data["share"].round(4)
    return (
        alt.Chart(data, title=_title(title, "Each community's share of your gives and of the "
                                            "minutes you gave"))
        .mark_bar(cornerRadiusEnd=2)
        .encode(
            y=alt.Y("community:N", title=None, sort=list(spread["community"]),
                    axis=alt.Axis(labelLimit=220)),
            yOffset=alt.YOffset("measure:N", sort=["Gives", "Minutes"]),
            x=alt.X("share:Q", title="Share", axis=alt.Axis(format="%", tickCount=5),
                    scale=alt.Scale(domain=[0, max(0.05, float(data["share"].max()))])),
            color=alt.Color("measure:N", title=None, sort=["Gives", "Minutes"],
                            scale=alt.Scale(domain=["Gives", "Minutes"],
                                            range=[OKABE_ITO["blue"], OKABE_ITO["orange"]]),
                            legend=alt.Legend(orient="top")),
            tooltip=[alt.Tooltip("community:N", title="Community"),
                     alt.Tooltip("measure:N", title="Measure"),
                     alt.Tooltip("amount:Q", title="Amount", format=","),
                     alt.Tooltip("share:Q", title="Share", format=".0%")],
        )
        .properties(width=WIDTH - 200, height=alt.Step(11))
    )


# -- visibility --------------------------------------------------------------------------------

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
    labels = analytics.community_labels(communities)
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
                           header=alt.Header(labelAngle=0, labelAlign="left", labelLimit=150,
                                             labelOrient="left")),
               spacing=4)
        .transform_lookup(lookup="k", from_=alt.LookupData(names, "k", ["community"]))
        .properties(title=_title(title, f"From 0 to 100 %: it rises when you give as often as "
                                        f"you planned and fades slowly in a pause "
                                        f"(one point per {sample})."))
    )


# -- the year ----------------------------------------------------------------------------------

def year_in_review(communities: pd.DataFrame, log: pd.DataFrame, help: pd.DataFrame,
                   today: dt.date, year: int | None = None) -> alt.VConcatChart | alt.Chart:
    """The year at a glance, next to the year before: totals, months, communities, kinds.

    Parameters
    ----------
    communities, log, help
        The frames of a workbook.
    today
        Entries after today are left out.
    year
        The year to review; today's year by default.

    Returns
    -------
    alt.VConcatChart
        Four small charts: the totals as a table, gives per month, gives per community (top 10)
        and the kinds of give, each with the previous year in grey beside the year in blue.
    """
    review = analytics.year_in_review(communities, log, help, today, year)
    this, prev = str(review.year), str(review.previous)
    title = f"Your year of giving: {this}"
    if not review.totals.to_numpy().any():
        return _message(title)
    years = alt.Scale(domain=[prev, this], range=[GREY, OKABE_ITO["blue"]])
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

    def bars(frame, field, label, sort, name):
        frame = frame.assign(year=frame["year"].astype(str))
        return alt.Chart(frame, title=name).mark_bar().encode(
            y=alt.Y(f"{field}:N", title=None, sort=sort, axis=alt.Axis(labelLimit=160)),
            yOffset=alt.YOffset("year:N", sort=[prev, this]),
            x=alt.X("gives:Q", title="Gives"),
            color=colour,
            tooltip=[alt.Tooltip(f"{field}:N", title=label), alt.Tooltip("year:N", title="Year"),
                     alt.Tooltip("gives:Q", title="Gives", format=",")],
        ).properties(width=220, height=alt.Step(9))

    per_month = review.by_month.assign(
        year=review.by_month["year"].astype(str),
        month_name=[MONTHS[m - 1] for m in review.by_month["month"]])
    months = alt.Chart(per_month, title="Gives per month").mark_bar().encode(
        x=alt.X("month_name:N", title=None, sort=MONTHS, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("year:N", sort=[prev, this]),
        y=alt.Y("gives:Q", title="Gives"),
        color=colour,
        tooltip=[alt.Tooltip("month_name:N", title="Month"), alt.Tooltip("year:N", title="Year"),
                 alt.Tooltip("gives:Q", title="Gives", format=","),
                 alt.Tooltip("minutes:Q", title="Minutes", format=",")],
    ).properties(width=360, height=160)

    top = review.by_community["community"].drop_duplicates().head(10).tolist()
    places = bars(review.by_community[review.by_community["community"].isin(top)],
                  "community", "Community", top, "Gives per community (top 10)")
    kinds = review.top_kinds["kind"].drop_duplicates().tolist()
    kind_bars = bars(review.top_kinds, "kind", "Kind of give", kinds, "Kinds of give")
    return (
        alt.vconcat(alt.hconcat(table, months, spacing=40),
                    alt.hconcat(places, kind_bars, spacing=40), spacing=30)
        .properties(title=_title(title, _years_compared(review)))
        .resolve_scale(color="shared")
    )


def _years_compared(review: analytics.YearInReview) -> str:
    """'2026 in blue, 2025 in grey', with the days compared while the year is not over."""
    if review.so_far and review.begun:
        day = review.until
        return (f"1 January to {day.day} {MONTH_NAMES[day.month - 1]}, so far: {review.year} in "
                f"blue, the same days of {review.previous} in grey")
    return f"{review.year} in blue, {review.previous} in grey"


# -- all together ------------------------------------------------------------------------------

def chart(name: str, frames: Mapping[str, pd.DataFrame], today: dt.date,
          year: int | None = None) -> alt.TopLevelMixin:
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

    Returns
    -------
    alt.TopLevelMixin
        The chart.
    """
    f = frames
    if name == "network_map":
        return network_map(f["communities"], f["people"], f["memberships"])
    if name == "plan_vs_actual":
        return plan_vs_actual(f["resolutions"], f["log"], today, f["communities"],
                              pauses=_pauses(f))
    if name == "gives_calendar":
        return gives_calendar(f["log"], today, year)
    if name == "balance_by_community":
        return balance_by_community(f["communities"], f["log"], today)
    if name == "visibility_over_time":
        return visibility_over_time(f["communities"], f["resolutions"], f["log"], today,
                                    _pauses(f))
    if name == "year_in_review":
        return year_in_review(f["communities"], f["log"], f["help"], today, year)
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


def _render(figure: alt.TopLevelMixin, fmt: str) -> bytes | str:
    """A chart as Vega-Lite JSON text, SVG text or PNG bytes (no browser or network needed)."""
    if fmt == "json":
        return figure.to_json(indent=1)
    buffer = BytesIO() if fmt == "png" else StringIO()
    figure.save(buffer, format=fmt)
    return buffer.getvalue()


def write_charts(store, out_dir: str | os.PathLike, fmt: str = "json",
                 today: dt.date | None = None) -> list[Path]:
    """Write each progress chart of a workbook to its own file.

    Parameters
    ----------
    store
        An open :class:`workbook.store.Store`.
    out_dir
        The folder to write into (created when missing).
    fmt
        "json" (Vega-Lite), "svg" or "png".
    today
        The date the charts are drawn for; the workbook clock's today by default.

    Returns
    -------
    list of Path
        The files written, one per chart, named after the chart (``network_map.svg``, ...). Each
        file is replaced in one step, so a reader never sees half a chart.
    """
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, not {fmt!r}")
    today = clock.today() if today is None else today
    frames = store.frames()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return [atomic_write(out / f"{name}.{fmt}", _render(figure, fmt))
            for name, figure in all_charts(frames, today).items()]
