"""The network map: you in the middle, your communities on a ring, the people outside."""

from __future__ import annotations

import math
from typing import NamedTuple

import altair as alt
import numpy as np
import pandas as pd
import wcwidth

from .. import analytics
from .style import GREY, MAX_ROWS, OKABE_ITO, PALE_GREY, WIDTH, _count, _message, _one_line, _title

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
    """Text broken into at most two lines near ``width`` characters (a map label); an emoji or
    an East Asian letter counts as two, as wide as it is drawn."""
    lines = wcwidth.wrap(_one_line(text), width, propagate_sgr=False) or [""]
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
