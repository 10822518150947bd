"""How every chart looks: the colours, the sizes, the title and the nothing-yet message."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd
import wcwidth

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
# The widest a grapheme is drawn, in em: an emoji is about 1.25 em, a Latin letter at most 1.
WIDE_EM = 1.3


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


def _one_line(text) -> str:
    """Typed text on one line: each run of white space, line and paragraph separators too, as
    one space (a Vega expression cannot hold U+2028 or U+2029 inside a string)."""
    return " ".join(str(text).split())


def _label(text, limit: float, size: float = 10) -> str:
    """Typed text as a one-line label for a place ``limit`` pixels wide at font ``size``.

    Vega shortens a label that is too wide itself, between UTF-16 units; vl-convert fails on
    the half emoji that leaves (SVG and PNG files, the plan's charts). So text with characters
    beyond the Basic Multilingual Plane is cut here, between graphemes, with an ellipsis,
    counting each grapheme as wide as an emoji; other text is left for Vega to shorten.
    """
    line = _one_line(text)
    if all(ord(c) <= 0xFFFF for c in line):
        return line
    graphemes = list(wcwidth.iter_graphemes(line))
    most = int(limit / (size * WIDE_EM))
    if len(graphemes) <= most:
        return line
    return "".join(graphemes[:max(1, most - 1)]).rstrip() + "\u2026"


def _named(communities: pd.DataFrame, limit: float, size: float = 10) -> pd.DataFrame:
    """The communities with their names as labels (`_label`) for a place ``limit`` pixels wide.

    Names that are the same as labels are told apart by their number in
    `analytics.community_labels`; they are cut shorter to leave room for it.
    """
    names = pd.Series([_label(n, limit, size) for n in communities["name"]], dtype=object)
    repeated = names.duplicated(keep=False).to_numpy()
    if repeated.any():
        room = limit - size * WIDE_EM * len(f" (#{communities['id'].max()})")
        names[repeated] = [_label(n, room, size) for n in communities["name"][repeated]]
    return communities.assign(name=names.to_numpy())
