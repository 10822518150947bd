"""Charts that read well: whole-number counts, month labels once each, tall visibility rows, one
palette by kind of community, and a plan's panel only once it has run a full period."""

from __future__ import annotations

import datetime as dt
import html
import re
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from shared import HOSTILE
from test_charts import read

from workbook import analytics, charts, clock, palette
from workbook.charts import visibility as visibility_chart
from workbook.model import COMMUNITY_KINDS, Community, LogEntry, Pause, Resolution
from workbook.store import Store

TODAY = clock.today()
COUNT_FIELDS = {"gives", "communities"}
AXIS = re.compile(r'aria-roledescription="axis" aria-label="([XY])-axis[^"]*"(.*?)'
                  r'role-axis-domain', re.S)
LABEL = re.compile(r"<text[^>]*>([^<]*)</text>")


@pytest.fixture(scope="module")
def year1(demo_one_year):
    """The demo persona's year, read back as frames."""
    with demo_one_year.read() as store:
        return read(store)


def axis_labels(figure) -> list[tuple[str, list[str]]]:
    """Each axis of a chart as drawn by Vega (SVG): 'X' or 'Y' and its tick labels in order."""
    svg = charts._render(figure, "svg")
    out = []
    for which, body in AXIS.findall(svg):
        part = body.split("role-axis-label", 1)[1] if "role-axis-label" in body else ""
        labels = [html.unescape(t) for t in LABEL.findall(part.split("</g>", 1)[0])]
        out.append((which, labels))
    return out


def frames(records) -> dict[str, pd.DataFrame]:
    """A workbook holding ``records``, as frames."""
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "w.sqlite") as store:
        store.add_many(records)
        return read(store)


def weekly(start: dt.date, gives: int = 1, per: str = "week", times: int = 1) -> list:
    """A community, a resolution from ``start`` and ``gives`` gives logged for it from then."""
    return [Community(name="Choir", kind="hobby", id=1),
            Resolution(cue="after rehearsal", give="share a link", community_id=1, times=times,
                       per=per, start=start, id=1),
            *[LogEntry(date=start + dt.timedelta(days=i), community_id=1, resolution_id=1)
              for i in range(gives)]]


def plan_chart(records, today: dt.date, pauses: bool = False):
    f = frames(records)
    return charts.plan_vs_actual(f["resolutions"], f["log"], today, f["communities"],
                                 pauses=f["pauses"] if pauses else None)


# -- counts ------------------------------------------------------------------------------------

def test_every_count_axis_counts_in_whole_numbers(year1):
    found = 0
    for name, figure in charts.all_charts(year1, TODAY).items():
        for encoding in _encodings(figure.to_dict()):
            for channel in ("x", "y"):
                enc = encoding.get(channel, {})
                if enc.get("field") in COUNT_FIELDS and enc.get("type") == "quantitative":
                    assert enc["axis"]["format"] == "d", (name, channel)
                    assert enc["axis"]["tickMinStep"] == 1, (name, channel)
                    found += 1
    assert found >= 8  # five plan panels and the year's three bar charts


def _encodings(node):
    """Every encoding block in a spec."""
    if isinstance(node, dict):
        if isinstance(node.get("encoding"), dict):
            yield node["encoding"]
        for v in node.values():
            yield from _encodings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _encodings(v)


def test_a_count_of_two_reads_0_1_2():
    start = dt.date(2026, 11, 2)
    figure = plan_chart(weekly(start, gives=2), start + dt.timedelta(days=13))
    (y,) = [labels for which, labels in axis_labels(figure) if which == "Y"]
    assert y == ["0", "1", "2"]
    axis = figure.to_dict()["concat"][0]["encoding"]["y"]["axis"]
    assert (axis["format"], axis["tickMinStep"], axis["values"]) == ("d", 1, [0, 1, 2])


def test_room_counts_are_whole_numbers():
    weeks = pd.DataFrame({"week": ["2026-W47"], "monday": [pd.Timestamp("2026-11-16")],
                          "gives": [1], "participants": [1]})
    (_, x), (_, y) = axis_labels(charts.room_gives_per_week(weeks))
    assert y == ["0", "1"]


# -- time --------------------------------------------------------------------------------------

@pytest.mark.parametrize("first, last, width, style", [
    ("2026-11-03", "2026-11-09", 250, "day"),  # a week: days
    ("2026-10-20", "2026-11-20", 250, "day"),  # a month across a month start: Mondays
    ("2026-09-01", "2026-12-15", 250, "month"),
    ("2026-01-05", "2026-12-15", 400, "month"),
    ("2025-06-01", "2026-12-15", 250, "month year"),  # past a year each label has its year
    ("2016-12-20", "2026-12-15", 400, "year"),  # ten years: a tick a year
    ("2026-12-26", "2027-01-01", 250, "day"),  # across New Year
    ("2026-12-15", "2026-12-15", 250, "day"),  # one day
])
def test_time_ticks_label_each_date_once(first, last, width, style):
    ticks = charts.time_ticks(first, last, width)
    assert ticks.style == style
    shown = [label for label in ticks.labels if label]
    assert shown and len(shown) == len(set(shown))
    assert all(pd.Timestamp(first) <= d <= pd.Timestamp(last) for d in ticks.dates)
    assert ticks.dates == sorted(ticks.dates)
    assert charts.axes.room_needed(shown) <= width or len(shown) == 1


def test_a_year_has_a_tick_per_month_and_ten_years_one_per_year():
    year = charts.time_ticks("2026-01-01", "2026-12-31", 560)
    assert [d.month for d in year.dates] == list(range(1, 13))
    assert year.labels[0] == "Jan 2026" and year.labels[1:3] == ["Feb", "Mar"]
    decade = charts.time_ticks("2017-01-01", "2026-12-31", 400)
    assert [d.year for d in decade.dates] == list(range(2017, 2027))
    assert decade.labels == [str(y) for y in range(2017, 2027)]


def test_the_first_label_carries_its_year():
    ticks = charts.time_ticks("2026-02-10", "2026-12-31", 200)
    shown = [label for label in ticks.labels if label]
    assert ticks.step > 1 and shown[0].endswith(" 2026") and " " not in "".join(shown[1:])


@pytest.mark.parametrize("days", [6, 40, 200, 800, 3650])
def test_vega_draws_the_month_labels_once(days):
    """Rendered by Vega: the labels are the ones `time_ticks` promised, none repeated."""
    today = dt.date(2026, 11, 26)
    start = today - dt.timedelta(days=days)
    records = [Community(name="Choir", kind="hobby", id=1),
               *[LogEntry(date=start + dt.timedelta(days=i), community_id=1)
                 for i in range(0, days + 1, max(1, days // 30))]]
    f = frames(records)
    figure = charts.visibility_over_time(f["communities"], f["resolutions"], f["log"], today)
    (x,) = [labels for which, labels in axis_labels(figure) if which == "X"]
    samples = pd.to_datetime([row["date"] for row in figure.to_dict()["datasets"][
        next(k for k, v in figure.to_dict()["datasets"].items() if v and "score" in v[0])]])
    expected = charts.time_ticks(samples.min(), samples.max(), visibility_chart.PLOT_WIDTH)
    drawn = [label for label in x if label]
    assert drawn == [label for label in expected.labels if label]
    assert len(drawn) == len(set(drawn)) >= 1
    if days == 3650:
        assert all(re.fullmatch(r"\d{4}", label) for label in drawn)


def test_plan_panels_label_their_months_once(year1):
    figure = charts.plan_vs_actual(year1["resolutions"], year1["log"], TODAY,
                                   year1["communities"])
    xs = [labels for which, labels in axis_labels(figure) if which == "X"]
    assert len(xs) == len(figure.to_dict()["concat"])
    for labels in xs:
        drawn = [label for label in labels if label]
        assert len(drawn) == len(set(drawn)) >= 2


# -- visibility --------------------------------------------------------------------------------

def test_visibility_rows_show_0_50_and_100_percent(year1):
    figure = charts.visibility_over_time(year1["communities"], year1["resolutions"],
                                         year1["log"], TODAY)
    inner = figure.to_dict()["spec"]
    assert inner["height"] >= 60
    axis = inner["encoding"]["y"]["axis"]
    assert (axis["values"], axis["format"]) == ([0, 0.5, 1], "%")
    ys = [labels for which, labels in axis_labels(figure) if which == "Y"]
    assert len(ys) == len(year1["communities"])
    assert all(labels == ["0%", "50%", "100%"] for labels in ys)


# -- colours -----------------------------------------------------------------------------------

def test_the_palette_has_a_colour_per_kind_and_no_black():
    assert set(palette.KIND_COLOURS) == set(COMMUNITY_KINDS)
    assert len(set(palette.KIND_COLOURS.values())) == len(COMMUNITY_KINDS)
    assert set(palette.KIND_COLOURS.values()) <= set(palette.PALETTE)
    assert palette.ACCENT not in palette.KIND_COLOURS.values()
    assert palette.OWN_KIND_COLOUR not in palette.KIND_COLOURS.values()
    for colour in [*palette.PALETTE, palette.GREY, palette.INK]:
        assert re.fullmatch(r"#[0-9A-Fa-f]{6}", colour)
        assert colour.lower() != "#000000"
    from workbook.pages import NOTE_COLOR
    assert NOTE_COLOR == palette.ACCENT


def kind_scale(communities: list) -> dict[str, str]:
    f = frames([*communities, *[LogEntry(date=TODAY, community_id=c.id) for c in communities]])
    spec = charts.visibility_over_time(f["communities"], f["resolutions"], f["log"],
                                       TODAY).to_dict()
    scale = spec["spec"]["encoding"]["color"]["scale"]
    return dict(zip(scale["domain"], scale["range"], strict=True))


def test_a_kind_has_the_same_colour_in_every_chart():
    one = kind_scale([Community(name="Choir", kind="hobby", id=1),
                      Community(name="Pantry", kind="volunteering", id=2)])
    other = kind_scale([Community(name="Allotment", kind="neighbourhood", id=1),
                        Community(name="Bridge club", kind="hobby", id=2),
                        Community(name="Knitting", kind="Knitting circle", id=3)])
    assert one["hobby"] == other["hobby"] == palette.KIND_COLOURS["hobby"]
    assert one["volunteering"] == palette.KIND_COLOURS["volunteering"]
    assert other[charts.style.OWN_KIND] == palette.OWN_KIND_COLOUR
    by_kind = pd.DataFrame({"kind": ["hobby", "volunteering", "own"],
                            "label": ["Hobby", "Volunteering", "Your own"],
                            "communities": [2, 1, 1]})
    rows = dataset_rows(charts.room_communities_by_kind(by_kind).to_dict(), "colour")
    assert [r["colour"] for r in rows] == [palette.KIND_COLOURS["hobby"],
                                          palette.KIND_COLOURS["volunteering"],
                                          palette.OWN_KIND_COLOUR]


def dataset_rows(spec: dict, field: str) -> list[dict]:
    return next(v for v in spec["datasets"].values() if v and field in v[0])


# -- a plan's first period ---------------------------------------------------------------------

@pytest.mark.parametrize("start, per, days", [
    (dt.date(2026, 2, 1), "month", 28),
    (dt.date(2025, 12, 2), "month", 31),
    (dt.date(2026, 1, 1), "year", 365),
    (dt.date(2028, 2, 29), "year", 365),
    (dt.date(2025, 12, 26), "week", 7),
    (dt.date(2025, 11, 15), "quarter", 92),
])
def test_first_period_days(start, per, days):
    out = analytics.first_period_days(pd.Series([pd.Timestamp(start)]), pd.Series([per]))
    assert out.tolist() == [days]


@pytest.mark.parametrize("start, per, complete", [
    (dt.date(2025, 12, 26), "week", dt.date(2026, 1, 1)),  # Friday to Thursday, over New Year
    (dt.date(2025, 12, 2), "month", dt.date(2026, 1, 1)),
    (dt.date(2025, 12, 1), "month", dt.date(2025, 12, 31)),
    (dt.date(2026, 2, 1), "month", dt.date(2026, 2, 28)),
    (dt.date(2025, 1, 1), "year", dt.date(2025, 12, 31)),
])
def test_a_plan_panel_waits_for_its_first_full_period(start, per, complete):
    records = weekly(start, gives=1, per=per)
    before = plan_chart(records, complete - dt.timedelta(days=1)).to_dict()
    (message,) = dataset_rows(before, "message")
    need = (complete - start).days + 1
    assert " ".join(message["message"].split()) == (
        f"\u201cshare a link\u201d in Choir has run {need - 1} of the {need} days of its first "
        f"{per}: its chart shows once that {per} is complete.")
    on_the_day = plan_chart(records, complete).to_dict()
    assert len(on_the_day["concat"]) == 1
    assert on_the_day["concat"][0]["title"]["text"].startswith("Choir: ")


def test_the_waiting_sentence_stays_short_whatever_is_typed():
    start = dt.date(2026, 11, 20)
    for text in [*HOSTILE, "a" * 200, "\U0001F3B6" * 150, "\u0645\u0631\u062d\u0628\u0627 " * 30]:
        records = [Community(name=text[:200], kind="hobby", id=1),
                   Resolution(cue="c", give=text[:300], community_id=1, start=start, id=1)]
        (message,) = dataset_rows(plan_chart(records, TODAY).to_dict(), "message")
        lines = message["message"].split("\n")
        assert len(lines) <= 4 and "has run 7 of the 30 days" in " ".join(lines)
        figure = plan_chart(records, TODAY)
        assert charts._render(figure, "svg").startswith("<svg")


def test_paused_days_do_not_count_towards_the_first_period():
    start = dt.date(2026, 11, 2)
    records = [*weekly(start), Pause(start=start, end=start + dt.timedelta(days=2),
                                     community_id=1)]
    assert "message" in str(plan_chart(records, start + dt.timedelta(days=6), pauses=True)
                            .to_dict()["datasets"])
    ready = plan_chart(records, start + dt.timedelta(days=9), pauses=True).to_dict()
    assert len(ready["concat"]) == 1


def test_panels_wait_one_by_one():
    old, new = dt.date(2026, 9, 7), dt.date(2026, 11, 23)
    records = [*weekly(old),
               Resolution(cue="on Sunday", give="visit Ann", community_id=1, start=new, id=2)]
    spec = plan_chart(records, dt.date(2026, 11, 26)).to_dict()
    assert [p["title"]["subtitle"] for p in spec["concat"]] == ["share a link (once a week)"]
    assert spec["title"]["subtitle"].endswith(
        "1 more resolution shows once it has run a full period of its cadence.")
