"""The network map: you in the middle, Dunbar's circles around you, a sector per community."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..model import CIRCLE_WORDS
from .sociogram import (
    COMMUNITY_RING,
    MAP_WIDTH,
    PERSON_SIZE,
    NetworkLayout,
    network_layout,
)
from .style import ACCENT, GREY, INK, MUTED, MUTED_INK, PALE_GREY, _count, _message, _title

__all__ = ["PERSON_SIZE", "PICK", "ROLES", "NetworkLayout", "network_layout", "network_map"]

ROLES = ["Me", "Community", "Person", "Bridge", "More"]
BRIDGE = MUTED["rose"]  # a bridge stands out from the communities it joins
COLOURS = [INK, ACCENT, GREY, BRIDGE, PALE_GREY]
PICK = "pick"  # the selection a tap on a dot sets: the dot's ``kind`` and ``ref``
LEGEND = {"Bridge": "Bridge (in 2+ communities)", "More": f"More in {CIRCLE_WORDS[150]}"}
# How each kind of label is written: font size, weight, style, colour.
TEXT = {
    "circle": {"fontSize": 10, "color": MUTED_INK, "fontStyle": "italic"},
    "community": {"fontSize": 12, "fontWeight": "bold", "color": ACCENT},
    "person": {"fontSize": 11, "color": INK},
    "more": {"fontSize": 11, "color": MUTED_INK, "fontStyle": "italic"},
}
HEIGHT = 2 * (COMMUNITY_RING + 40)


def _legend(present: set[str]) -> alt.Legend:
    expr = " : ".join(f"datum.label == '{k}' ? '{v}'" for k, v in LEGEND.items())
    return alt.Legend(orient="bottom", values=[r for r in ROLES if r in present],
                      labelExpr=f"{expr} : datum.label")


def _text_layers(labels: pd.DataFrame, x, y) -> list[alt.Chart]:
    """A white halo and the text for each way a label is anchored, so lines never cross it."""
    layers = []
    groups = labels.groupby(["style", "align", "baseline"], sort=True)
    for (style, align, baseline), _rows in groups:
        keep = ((alt.datum.style == style) & (alt.datum.align == align)
                & (alt.datum.baseline == baseline))
        base = alt.Chart(labels).transform_filter(keep).encode(x=x, y=y, text="text:N")
        look = {"align": align, "baseline": baseline, "lineBreak": "\n", **TEXT[style]}
        halo = {**look, "color": "white", "stroke": "white", "strokeWidth": 3,
                "strokeJoin": "round"}
        layers += [base.mark_text(**halo), base.mark_text(**look, cursor="pointer")]
    return layers


def network_map(communities: pd.DataFrame, people: pd.DataFrame,
                memberships: pd.DataFrame) -> alt.LayerChart | alt.Chart:
    """Your network as a sociogram: you in the middle, your circles around you.

    Parameters
    ----------
    communities, people, memberships
        The frames of a workbook.

    Returns
    -------
    alt.LayerChart
        Rings for Dunbar's circles of 5, 15, 50 and 150, each person on the ring of their
        circle inside the sector of their community, the communities outside the rings.
        Bridges (in pink) sit between the sectors they connect, with a line to each of their
        communities. People of the two closest circles and bridges are named. The dots carry a
        point selection named `PICK` (fields ``kind`` and ``ref``): a tap or click on a dot or
        its name sets it. See :func:`network_layout` for the placement.
    """
    title = "Your communities and the people in them"
    if communities.empty and people.empty:
        return _message(title, "Add your communities and the people you know to see your map.")
    layout = network_layout(communities, people, memberships)
    nodes = layout.nodes
    individual = nodes["role"].isin(["Person", "Bridge"])
    bridges = int((nodes["role"] == "Bridge").sum())
    subtitle = [f"{_count(len(communities), 'community', 'communities')}, "
                f"{_count(len(people), 'person', 'people')}; {bridges:,} "
                f"{'bridge' if bridges == 1 else 'bridges'} (in two or more communities) shown"]
    grouped = int(nodes.loc[nodes["role"] == "More", "count"].sum())
    if grouped:
        subtitle.append(f"{grouped:,} people in {CIRCLE_WORDS[150]} are counted by community")
    hidden = len(people) - int(individual.sum()) - grouped
    if hidden > 0:
        subtitle.append(f"the {int(individual.sum()):,} closest people are shown one by one")

    x = alt.X("x:Q", scale=alt.Scale(domain=[-MAP_WIDTH / 2, MAP_WIDTH / 2], nice=False,
                                     zero=False), axis=None)
    y = alt.Y("y:Q", scale=alt.Scale(domain=[-HEIGHT / 2, HEIGHT / 2], nice=False, zero=False),
              axis=None)
    # Rings, borders and links are drawing, not content: no screen reader should stop at them
    # (and an empty layer would be an unnamed picture).
    rings = alt.Chart(layout.rings).mark_line(color=PALE_GREY, strokeWidth=1, aria=False).encode(
        x=x, y=y, detail="circle:N", order="order:Q")
    borders = alt.Chart(layout.borders).mark_rule(
        color=PALE_GREY, strokeWidth=1, strokeDash=[3, 3], aria=False).encode(
            x=x, y=y, x2="x2:Q", y2="y2:Q")
    links = alt.Chart(layout.links).mark_rule(color=BRIDGE, strokeWidth=1, opacity=0.55,
                                              aria=False).encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q")
    pick = alt.selection_point(name=PICK, fields=["kind", "ref"], on="click", toggle=False)
    dots = alt.Chart(nodes).mark_circle(opacity=1, stroke="white", cursor="pointer").encode(
        x=x, y=y,
        color=alt.Color("role:N", title=None, scale=alt.Scale(domain=ROLES, range=COLOURS),
                        legend=_legend(set(nodes["role"]))),
        size=alt.Size("size:Q", scale=None, legend=None),
        strokeWidth=alt.condition(pick, alt.value(3), alt.value(1)),
        order=alt.Order("size:Q"),
        description="description:N",
        tooltip=[alt.Tooltip("name:N", title="Name"), alt.Tooltip("detail:N", title="About")],
    ).add_params(pick)
    me = alt.Chart(nodes).transform_filter(alt.datum.role == "Me").mark_text(
        color="white", fontSize=12, fontWeight="bold").encode(x=x, y=y, text="name:N")
    layers = [rings, borders, links, dots, *_text_layers(layout.labels, x, y), me]
    return (alt.layer(*layers)
            .properties(width=MAP_WIDTH, height=HEIGHT, title=_title(title, subtitle))
            .properties(view=alt.ViewBackground(stroke=None)))

