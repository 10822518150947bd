"""Charts as values: their Vega-Lite specs, empty workbooks, ten years of data, hostile names."""

from __future__ import annotations

import datetime as dt
import json

import altair as alt
import pandas as pd
import pytest
from shared import BREAKOUT as HOSTILE

from workbook import charts, clock, palette
from workbook.chartview import chart_widget
from workbook.model import Community, LogEntry, Person, Resolution
from workbook.store import FRAME_NAMES, Store

TODAY = clock.today()  # the date pyproject.toml pins for the test run
YEAR = TODAY.year
ALLOWED_COLOURS = {*charts.PALETTE, *charts.BLUES, charts.GREY, charts.PALE_GREY, palette.INK}
EXPRESSION_KEYS = {"expr", "labelExpr", "calculate", "filter", "test", "signal"}


def read(store: Store) -> dict[str, pd.DataFrame]:
    return {name: store.frame(name) for name in FRAME_NAMES}


def hostile_records(community_id: int) -> list:
    """A community and a person named like an HTML attack, with gives logged there."""
    return [
        Community(name=HOSTILE, kind="online", activity=3, id=community_id),
        Person(name=f"<b>{HOSTILE}</b>", circle=5, communities=(community_id, 1)),
        Resolution(cue=HOSTILE, give=f"{HOSTILE} give", community_id=community_id,
                   start=dt.date(YEAR, 1, 1), id=900),
        *[LogEntry(date=TODAY - dt.timedelta(days=i), community_id=community_id, kind="link",
                   note=HOSTILE, resolution_id=900) for i in range(3)],
    ]


@pytest.fixture(scope="module")
def year1(demo_one_year):
    """The demo persona's year in a real workbook file, read back as frames."""
    with demo_one_year.read() as store:
        return read(store)


@pytest.fixture(scope="module")
def year10(demo_ten_years):
    """Ten years of the demo persona (the stress fixture), read back as frames."""
    with demo_ten_years.read() as store:
        return read(store)


@pytest.fixture(scope="module")
def hostile(demo_one_year, tmp_path_factory):
    """The demo's year with the hostile records added, in a copy of it."""
    with Store(demo_one_year.copy(tmp_path_factory.mktemp("hostile"))) as store:
        store.add_many(hostile_records(community_id=99))
        return read(store)


def specs(frames) -> dict[str, dict]:
    """Every chart as a validated Vega-Lite dict."""
    return {name: figure.to_dict()
            for name, figure in charts.all_charts(frames, TODAY).items()}


def rows(spec: dict) -> int:
    """How many data rows a spec carries: named datasets plus inline values."""
    count = sum(len(v) for v in spec.get("datasets", {}).values())

    def inline(node) -> int:
        if isinstance(node, dict):
            own = len(node["values"]) if isinstance(node.get("values"), list) else 0
            return own + sum(inline(v) for k, v in node.items() if k != "datasets")
        if isinstance(node, list):
            return sum(inline(v) for v in node)
        return 0

    return count + inline(spec)


def walk(node, path=()):
    """Every (key path, value) pair in a nested spec."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from walk(v, (*path, k))
    elif isinstance(node, list):
        for v in node:
            yield from walk(v, path)
    else:
        yield path, node


def colours(spec: dict) -> set[str]:
    """Every colour named in a scale range."""
    found = set()
    for path, value in walk(spec):
        if "range" in path and isinstance(value, str) and value.startswith("#"):
            found.add(value)
    return found


def dataset(spec: dict, field: str) -> list[dict]:
    """The rows of the first dataset that has ``field``."""
    for values in spec["datasets"].values():
        if values and field in values[0]:
            return values
    raise AssertionError(f"no dataset has {field!r}")


# -- what each chart encodes -------------------------------------------------------------------

def test_all_charts_are_valid_and_named(year1):
    built = charts.all_charts(year1, TODAY)
    assert tuple(built) == charts.CHART_NAMES
    for figure in built.values():
        spec = figure.to_dict()  # validates against the Vega-Lite schema
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
        assert colours(spec) <= ALLOWED_COLOURS


def test_network_map_encoding(year1):
    """The map's dots (see tests/test_network_map.py for where they sit)."""
    spec = charts.network_map(year1["communities"], year1["people"],
                              year1["memberships"]).to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks[:4] == ["line", "rule", "rule", "circle"] and set(marks[4:]) == {"text"}
    dots = spec["layer"][3]["encoding"]
    assert (dots["x"]["field"], dots["y"]["field"]) == ("x", "y")
    assert dots["color"]["scale"] == {
        "domain": ["Me", "Community", "Person", "Bridge", "More"],
        "range": [palette.INK, palette.ACCENT, palette.GREY, palette.MUTED["rose"],
                  palette.PALE_GREY]}
    assert [t["title"] for t in dots["tooltip"]] == ["Name", "About"]
    nodes = dataset(spec, "role")
    assert sum(n["role"] == "Community" for n in nodes) == len(year1["communities"])
    assert sum(n["role"] in ("Person", "Bridge") for n in nodes) == len(year1["people"])


def test_plan_vs_actual_encoding(year1):
    spec = charts.plan_vs_actual(year1["resolutions"], year1["log"], TODAY,
                                 year1["communities"]).to_dict()
    assert spec["columns"] == 2
    assert [list(t)[0] for t in spec["transform"]] == ["fold"]
    panels = spec["concat"]
    active = year1["resolutions"][year1["resolutions"]["active"]]
    assert len(panels) == len(active)
    for k, inner in enumerate(panels):
        assert inner["mark"]["type"] == "line"
        assert inner["transform"] == [{"filter": f"(datum.k === {k})"}]
        x, y = inner["encoding"]["x"], inner["encoding"]["y"]
        assert (x["field"], x["type"], y["field"]) == ("date", "temporal", "gives")
        assert inner["encoding"]["color"]["scale"]["domain"] == ["Planned", "Logged"]
        assert inner["title"]["text"].rsplit(": ", 1)[1] in (
            "on track", "nearly there", "behind", "ahead")
    points = dataset(spec, "Logged")
    # The logged line ends at the number of gives naming each resolution.
    last = pd.DataFrame(points).groupby("k")["Logged"].max().sum()
    assert last == year1["log"]["resolution_id"].isin(active["id"]).sum()


def test_gives_calendar_encoding(year1):
    spec = charts.gives_calendar(year1["log"], TODAY).to_dict()
    cells = spec["layer"][0]
    assert cells["mark"]["type"] == "rect"
    enc = cells["encoding"]
    assert (enc["x"]["field"], enc["x"]["type"]) == ("week", "ordinal")
    assert enc["y"]["field"] == "weekday"
    assert enc["color"]["scale"] == {"domain": charts.LEVELS, "range": charts.BLUES}
    days = dataset(spec, "level")
    new_year = dt.date(YEAR, 1, 1)
    assert len(days) == (TODAY - new_year).days + 1  # 1 January to today
    in_year = year1["log"][year1["log"]["date"].dt.year == YEAR]
    assert sum(d["gives"] for d in days) == len(in_year)
    assert days[0]["day"] == f"{new_year:%a} 1 Jan {YEAR}" and days[0]["week"] == 0
    assert spec["title"]["text"] == f"Your gives in {YEAR}"


def test_gives_calendar_of_a_past_and_a_future_year(year1):
    past = charts.gives_calendar(year1["log"], TODAY, year=YEAR - 1).to_dict()
    assert len(dataset(past, "level")) == (dt.date(YEAR, 1, 1) - dt.date(YEAR - 1, 1, 1)).days
    future = charts.gives_calendar(year1["log"], TODAY, year=YEAR + 1).to_dict()
    assert future["title"]["subtitle"] == charts.NOTHING_YET


def test_balance_encoding(year1):
    spec = charts.balance_by_community(year1["communities"], year1["log"], TODAY).to_dict()
    assert spec["mark"]["type"] == "bar"
    enc = spec["encoding"]
    assert (enc["y"]["field"], enc["x"]["field"], enc["yOffset"]["field"]) == (
        "community", "share", "measure")
    assert enc["color"]["scale"]["range"] == [palette.ACCENT, palette.SECOND]
    shares = pd.DataFrame(dataset(spec, "share")).groupby("measure")["share"].sum()
    assert shares.tolist() == pytest.approx([1, 1], abs=1e-3)


def test_visibility_encoding(year1):
    spec = charts.visibility_over_time(year1["communities"], year1["resolutions"], year1["log"],
                                       TODAY).to_dict()
    assert spec["facet"]["row"]["field"] == "community"
    inner = spec["spec"]
    assert inner["mark"]["type"] == "area"
    assert inner["encoding"]["y"]["scale"]["domain"] == [0, 1]
    points = pd.DataFrame(dataset(spec, "score"))
    assert points["k"].nunique() == len(year1["communities"])
    dates = pd.to_datetime(points["date"]).drop_duplicates()
    assert dates.max() == pd.Timestamp(TODAY)
    assert set(dates.diff().dropna().dt.days) == {7}  # weekly samples back from today
    assert points["score"].between(0, 1).all()


def test_year_in_review_layout(year1):
    spec = charts.year_in_review(year1["communities"], year1["log"], year1["help"],
                                 TODAY).to_dict()
    assert spec["title"]["text"] == f"Your year of giving: {YEAR}"
    panels = [c["title"] for row in spec["vconcat"] for c in row["hconcat"]]
    assert panels == ["Totals", "Gives per month", "Gives per community (top 10)",
                      "Kinds of give"]
    months = spec["vconcat"][0]["hconcat"][1]
    assert months["encoding"]["xOffset"]["field"] == "year"
    assert months["encoding"]["color"]["scale"]["range"] == [charts.GREY, palette.ACCENT]


# -- a new workbook ----------------------------------------------------------------------------

def test_a_new_workbook_gives_friendly_charts(store):
    built = specs(read(store))
    assert len(built) == len(charts.CHART_NAMES)
    for name, spec in built.items():
        if name == "gives_calendar":
            assert spec["title"]["subtitle"] == charts.NOTHING_YET
            assert {d["level"] for d in dataset(spec, "level")} == {"none"}
            continue
        assert spec["mark"]["type"] == "text"
        (message,) = dataset(spec, "message")
        assert "yet" in message["message"] or "Add your" in message["message"]


def test_communities_without_gives(store):
    store.add_many([Community(name="Choir", id=1), Person(name="Ada", communities=(1,))])
    built = specs(read(store))
    assert built["network_map"]["layer"]  # the map needs no gives
    (message,) = dataset(built["balance_by_community"], "message")
    assert message["message"].startswith("No give logged")
    assert dataset(built["visibility_over_time"], "message")


# -- ten years ---------------------------------------------------------------------------------

def test_ten_years_stay_small(year10):
    assert len(year10["log"]) >= 36_500
    for name, spec in specs(year10).items():
        size = len(json.dumps(spec))
        assert size <= 200_000, f"{name} is {size / 1000:.0f} KB"
        assert rows(spec) <= charts.MAX_ROWS, f"{name} carries {rows(spec)} rows"


def test_ten_years_of_visibility_cover_the_whole_history(year10):
    spec = charts.visibility_over_time(year10["communities"], year10["resolutions"],
                                       year10["log"], TODAY).to_dict()
    dates = pd.to_datetime(pd.DataFrame(dataset(spec, "score"))["date"])
    first = year10["log"]["date"].min()
    assert first <= pd.Timestamp(TODAY) - pd.DateOffset(years=9, months=11)
    assert first <= dates.min() <= first + pd.Timedelta(weeks=12)
    assert "weeks)" in spec["title"]["subtitle"]  # sampled every few weeks, and says so


# -- hostile names -----------------------------------------------------------------------------

def test_hostile_names_stay_data(hostile):
    for name, spec in specs(hostile).items():
        text = json.dumps(spec)
        if name in ("network_map", "plan_vs_actual", "balance_by_community",
                    "visibility_over_time", "year_in_review"):
            assert HOSTILE in text or json.dumps(HOSTILE)[1:-1] in text, name
        for path, value in walk(spec):
            if path and path[-1] in EXPRESSION_KEYS and isinstance(value, str):
                assert "onerror" not in value, (name, path)


def test_hostile_names_render_as_text(hostile):
    chart = charts.balance_by_community(hostile["communities"], hostile["log"], TODAY)
    svg = charts._render(chart, "svg")
    assert "&lt;/script&gt;&lt;img src=x" in svg
    assert "<img" not in svg and "<script" not in svg


# -- files and widgets -------------------------------------------------------------------------

@pytest.mark.parametrize("fmt, magic", [("json", b"{"), ("svg", b"<svg"), ("png", b"\x89PNG")])
def test_write_charts(store, tmp_path, fmt, magic):
    store.add_many([Community(name="Choir", id=1), LogEntry(date=TODAY, community_id=1)])
    out = tmp_path / "charts"
    paths = charts.write_charts(store, out, fmt=fmt)
    assert [p.name for p in paths] == [f"{n}.{fmt}" for n in charts.CHART_NAMES]
    for path in paths:
        assert path.read_bytes().startswith(magic)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)  # no temp
    if fmt == "json":
        calendar = json.loads((out / "gives_calendar.json").read_text())
        assert calendar["title"]["subtitle"] == "1 give on 1 day"


def test_chart_by_name(year1):
    assert charts.chart("gives_calendar", year1, TODAY).to_dict()["title"]["text"] == (
        f"Your gives in {YEAR}")
    with pytest.raises(KeyError, match="no chart called"):
        charts.chart("pie", year1, TODAY)


def test_write_charts_refuses_an_unknown_format(store, tmp_path):
    with pytest.raises(ValueError, match="fmt"):
        charts.write_charts(store, tmp_path, fmt="pdf")


def test_chart_widget_is_offline(year1):
    widget = chart_widget(charts.gives_calendar(year1["log"], TODAY))
    assert isinstance(widget, alt.JupyterChart)
    assert widget.spec["title"]["text"] == f"Your gives in {YEAR}"
    assert widget.embed_options["renderer"] == "svg"
    assert widget.embed_options["actions"]["editor"] is False
    # The bundle carries Vega itself instead of importing it from a CDN at run time.
    assert "https://esm.sh" not in widget._esm and len(widget._esm) > 500_000


# -- drawn for a phone -------------------------------------------------------------------------

def drawn_width(figure) -> float:
    """The width of the chart as drawn (SVG), axes, legends and titles included."""
    svg = charts._render(figure, "svg")
    return float(svg.split('width="', 1)[1].split('"', 1)[0])


# a 390 px phone leaves about this much beside the page's margins
PHONE_ROOM = 340


@pytest.mark.parametrize("name", charts.CHART_NAMES)
def test_a_phone_gets_each_chart_narrow_or_kept_whole(year1, name):
    """Narrow charts fit a phone; the map and the calendar keep their size (they scroll)."""
    wide = charts.chart(name, year1, TODAY)
    narrow = charts.chart(name, year1, TODAY, narrow=True)
    narrow.to_dict()  # valid Vega-Lite
    if name in ("network_map", "gives_calendar"):
        assert drawn_width(narrow) == drawn_width(wide) > PHONE_ROOM
    else:
        assert drawn_width(wide) > PHONE_ROOM >= drawn_width(narrow), name
    config = narrow.to_dict()["config"]
    assert config["axis"]["labelFontSize"] == 12 and config["legend"]["labelFontSize"] == 12
    assert "config" not in wide.to_dict() or "axis" not in wide.to_dict()["config"]


def test_on_a_phone_plan_panels_come_one_per_row(year1):
    wide = charts.chart("plan_vs_actual", year1, TODAY).to_dict()
    narrow = charts.chart("plan_vs_actual", year1, TODAY, narrow=True).to_dict()
    assert (wide["columns"], narrow["columns"]) == (2, 1)
    assert len(narrow["concat"]) == len(wide["concat"]) >= 2
    # a title too long for the phone is set on lines that fit it
    assert isinstance(narrow["title"]["text"], list)
    assert all(len(line) <= 36 for line in narrow["title"]["text"])
    assert max(map(len, narrow["title"]["subtitle"])) <= 50


def test_on_a_phone_a_communitys_name_goes_above_its_row(year1):
    wide = charts.chart("visibility_over_time", year1, TODAY).to_dict()
    narrow = charts.chart("visibility_over_time", year1, TODAY, narrow=True).to_dict()
    assert wide["facet"]["row"]["header"]["labelOrient"] == "left"
    assert narrow["facet"]["row"]["header"]["labelOrient"] == "top"
