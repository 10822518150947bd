"""How every chart looks: the colours, the sizes, the title and the nothing-yet message."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd
import wcwidth

from ..palette import (  # noqa: F401  (the colours are named here for every chart)
    ACCENT,
    BLUES,
    GREY,
    INK,
    KIND_COLOURS,
    MUTED,
    MUTED_INK,
    OWN_KIND_COLOUR,
    PALE_GREY,
    PALETTE,
    SECOND,
)

WIDTH = 560
# A phone's chart: about what a 390 px wide screen leaves beside the page's margins and axes.
PHONE_WIDTH = 320
# Columns of a title line and of a subtitle line within a phone's chart (15 px and 11 px type).
TITLE_CHARS, SUBTITLE_CHARS = 36, 50
MAX_ROWS = 5_000  # the most rows one chart may carry (Altair's own limit per dataset)
ROW_BUDGET = 2_000  # what the over-time charts aim for: small specs load fast
NOTHING_YET = "Nothing logged yet: log a give and it will show here."
MESSAGE_CHARS = 64  # columns of a message line: within the chart at font size 14
# The widest a grapheme is drawn, in em: an emoji is about 1.25 em, a Latin letter at most 1.
WIDE_EM = 1.3


def _ts(value) -> pd.Timestamp:
    """A date as a midnight Timestamp."""
    return pd.Timestamp(value).normalize()


def _title(text: str, subtitle: str | None = None) -> alt.Title:
    """A chart title, left-aligned, with an optional plain-words subtitle."""
    return alt.Title(text, subtitle=subtitle or "", anchor="start", fontSize=15,
                     subtitleColor=MUTED_INK)


def _message(title: str, message: str = NOTHING_YET) -> alt.Chart:
    """A chart that only says why there is nothing to show yet, on as many lines as it needs."""
    lines = wcwidth.wrap(_one_line(message), MESSAGE_CHARS, propagate_sgr=False) or [""]
    data = pd.DataFrame({"message": ["\n".join(lines)]})
    return (
        alt.Chart(data, title=_title(title))
        .mark_text(fontSize=14, color=MUTED_INK, lineBreak="\n", lineHeight=20)
        .encode(text=alt.Text("message:N"))
        .properties(width=WIDTH, height=60 + 20 * len(lines))
    )


def _short(text, most: int) -> str:
    """Typed text on one line, cut between graphemes to at most ``most`` of them."""
    graphemes = list(wcwidth.iter_graphemes(_one_line(text)))
    if len(graphemes) <= most:
        return "".join(graphemes)
    return "".join(graphemes[:most - 1]).rstrip() + "\u2026"


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


OWN_KIND = "a kind of your own"


def kind_groups(kinds) -> list[str]:
    """Each kind of community as its colour group: the kind, or OWN_KIND for one you named."""
    return [k if k in KIND_COLOURS else OWN_KIND for k in map(str, kinds)]


def kind_colours(groups) -> alt.Scale:
    """A colour scale for `kind_groups`: each kind its own colour in every chart, in the order
    of the kinds, a kind of your own grey and last."""
    present = set(groups)
    domain = [k for k in [*KIND_COLOURS, OWN_KIND] if k in present]
    return alt.Scale(domain=domain,
                     range=[KIND_COLOURS.get(k, OWN_KIND_COLOUR) for k in domain])


def phone_type(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The chart with type a phone can read: larger axis, legend and header labels.

    A label whose own size a chart sets keeps it; the rest of the chart is unchanged.
    """
    title = chart.title
    if isinstance(title, alt.Title):
        # a title is as wide as its text: on a phone its lines are kept within the chart
        said = title.to_dict()
        for key, most in (("text", TITLE_CHARS), ("subtitle", SUBTITLE_CHARS)):
            if isinstance(said.get(key), str) and said[key]:
                said[key] = wcwidth.wrap(_one_line(said[key]), most, propagate_sgr=False)
        chart = chart.properties(title=alt.Title(**said))
    return (chart.configure_axis(labelFontSize=12, titleFontSize=12)
            .configure_legend(labelFontSize=12)
            .configure_header(labelFontSize=12))
