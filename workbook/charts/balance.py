"""The balance: each community's share of the recent gives and minutes."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from .. import analytics
from .style import ACCENT, SECOND, WIDTH, _message, _named, _title

LABEL_LIMIT = 220  # pixels for a community's name beside its bars


def balance_by_community(communities: pd.DataFrame, log: pd.DataFrame, today: dt.date,
                         weeks: int = 12, width: int = WIDTH) -> alt.Chart:
    """Where your gives and your minutes went in the last weeks, per community.

    Parameters
    ----------
    communities, log
        The frames of a workbook.
    today
        The last day of the window.
    weeks
        The window length in weeks.
    width
        About how wide the chart is, names included (a phone: `style.PHONE_WIDTH`).

    Returns
    -------
    alt.Chart
        A horizontal bar pair per community: its share of your gives and of your minutes.
    """
    title = f"Where your gives went in the last {weeks} weeks"
    if communities.empty:
        return _message(title, "Add your communities to see how your gives are spread.")
    spread = analytics.balance(_named(communities, LABEL_LIMIT), log, today, weeks)
    if spread["gives"].sum() == 0:
        return _message(title, f"No give logged in the last {weeks} weeks yet.")
    data = pd.concat([
        pd.DataFrame({"community": spread["community"], "measure": "Gives",
                      "share": spread["share_gives"], "amount": spread["gives"]}),
        pd.DataFrame({"community": spread["community"], "measure": "Minutes",
                      "share": spread["share_minutes"], "amount": spread["minutes"]}),
    ], ignore_index=True)
    data["share"] = data["share"].round(4)
    label = min(LABEL_LIMIT, width * 2 // 5)  # a narrow chart gives its names less room
    return (
        alt.Chart(data, title=_title(title, "Each community's share of your gives and of the "
                                            "minutes you gave"))
        .mark_bar(cornerRadiusEnd=2)
        .encode(
            y=alt.Y("community:N", title=None, sort=list(spread["community"]),
                    axis=alt.Axis(labelLimit=label)),
            yOffset=alt.YOffset("measure:N", sort=["Gives", "Minutes"]),
            x=alt.X("share:Q", title="Share", axis=alt.Axis(format="%", tickCount=5),
                    scale=alt.Scale(domain=[0, max(0.05, float(data["share"].max()))])),
            color=alt.Color("measure:N", title=None, sort=["Gives", "Minutes"],
                            scale=alt.Scale(domain=["Gives", "Minutes"],
                                            range=[ACCENT, SECOND]),
                            legend=alt.Legend(orient="top")),
            tooltip=[alt.Tooltip("community:N", title="Community"),
                     alt.Tooltip("measure:N", title="Measure"),
                     alt.Tooltip("amount:Q", title="Amount", format=","),
                     alt.Tooltip("share:Q", title="Share", format=".0%")],
        )
        .properties(width=width - min(200, label + 30), height=alt.Step(11))
    )
