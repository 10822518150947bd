"""A workshop room's charts, from the counts its participants shared (`workbook.room_share`)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .axes import count_axis
from .style import ACCENT, KIND_COLOURS, OWN_KIND_COLOUR, WIDTH, _message, _title

NOBODY_YET = "Nobody in the room has shared yet."


def room_gives_per_week(weeks: pd.DataFrame) -> alt.Chart:
    """The room's gives in each of the last weeks, a bar per week.

    Parameters
    ----------
    weeks
        ``room_figures(...)["weeks"]``: week, monday, gives, participants.

    Returns
    -------
    alt.Chart
        Bars of gives per ISO week (labelled by its Monday); the tooltip says how many
        participants' counts cover the week.
    """
    title = "The room's gives per week"
    if weeks.empty:
        return _message(title, NOBODY_YET)
    data = weeks.assign(monday=weeks["monday"].dt.strftime("%Y-%m-%d"))
    return (
        alt.Chart(data, title=_title(title, "Gives logged by those who shared, per week "
                                            "(Monday to Sunday)"))
        .mark_bar(color=ACCENT, cornerRadiusEnd=2)
        .encode(
            x=alt.X("monday:O", title="Week of", sort=list(data["monday"]),
                    axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("gives:Q", axis=count_axis("Gives", data["gives"].max())),
            tooltip=[alt.Tooltip("week:N", title="Week"),
                     alt.Tooltip("monday:O", title="Starting"),
                     alt.Tooltip("gives:Q", title="Gives", format=","),
                     alt.Tooltip("participants:Q", title="Participants counted")],
        )
        .properties(width=WIDTH - 120, height=220)
    )


def room_communities_by_kind(by_kind: pd.DataFrame) -> alt.Chart:
    """How many communities of each kind the room's participants belong to.

    Parameters
    ----------
    by_kind
        ``room_figures(...)["by_kind"]``: kind, label, communities.

    Returns
    -------
    alt.Chart
        A horizontal bar per kind, in the content's order; the kinds people named themselves
        come last, in grey.
    """
    title = "Communities by kind"
    if by_kind["communities"].sum() == 0:
        return _message(title, NOBODY_YET if by_kind.empty else "No communities shared yet.")
    # Each kind in its colour of every chart; "own" (the kinds people named) in grey.
    data = by_kind.assign(colour=[KIND_COLOURS.get(k, OWN_KIND_COLOUR) for k in by_kind["kind"]])
    return (
        alt.Chart(data, title=_title(title, "The communities mapped by those who shared"))
        .mark_bar(cornerRadiusEnd=2)
        .encode(
            y=alt.Y("label:N", title=None, sort=list(data["label"]),
                    axis=alt.Axis(labelLimit=200)),
            x=alt.X("communities:Q",
                    axis=count_axis("Communities", data["communities"].max())),
            color=alt.Color("colour:N", scale=None, legend=None),
            tooltip=[alt.Tooltip("label:N", title="Kind"),
                     alt.Tooltip("communities:Q", title="Communities", format=",")],
        )
        .properties(width=WIDTH - 220, height=alt.Step(20))
    )
