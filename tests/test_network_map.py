"""The network map as a sociogram: Dunbar's rings, a sector per community, bridges between
sectors, names where they help, the outer circle counted at ten years, and a tap that opens."""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import vl_convert as vlc
from shared import HOSTILE

from workbook import charts, clock, pages
from workbook.charts.sociogram import COMMUNITY_RING, PERSON_SIZE, RING
from workbook.demo import write_demo
from workbook.model import CIRCLE_WORDS, Community, Person
from workbook.store import FRAME_NAMES, Store

TODAY = clock.today()
EPS = 1e-6


def frames_of(path: Path) -> dict[str, pd.DataFrame]:
    with Store(path) as store:
        return {name: store.frame(name) for name in FRAME_NAMES}


@pytest.fixture(scope="module")
def year1(demo_one_year):
    return frames_of(demo_one_year.path)


@pytest.fixture(scope="module")
def year10(demo_ten_years):
    return frames_of(demo_ten_years.path)


def layout_of(f):
    return charts.network_layout(f["communities"], f["people"], f["memberships"])


def belonging(f) -> dict[int, set[int]]:
    """Person id -> the ids of their communities."""
    out: dict[int, set[int]] = {}
    for p, c in zip(f["memberships"]["person_id"], f["memberships"]["community_id"],
                    strict=True):
        out.setdefault(int(p), set()).add(int(c))
    return out


def sector_of(layout, turn: float) -> int:
    """The sector a turn (radians clockwise from the top) falls in; -1 for the gap at the top."""
    for row in layout.sectors.itertuples():
        if row.start - EPS <= turn <= row.end + EPS:
            return int(row.sector)
    return -1


def people_dots(layout) -> pd.DataFrame:
    return layout.nodes[layout.nodes["role"].isin(["Person", "Bridge"])]


# -- positions ----------------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["year1", "year10"])
def test_each_person_sits_on_the_ring_of_their_circle(which, request):
    f = request.getfixturevalue(which)
    dots = people_dots(layout_of(f))
    circle = dots["ref"].map(f["people"].set_index("id")["circle"])
    assert (circle == dots["circle"]).all()
    radius = np.hypot(dots["x"], dots["y"])
    assert np.allclose(radius, dots["circle"].map(RING), atol=0.05)


@pytest.mark.parametrize("which", ["year1", "year10"])
def test_each_person_of_one_community_sits_inside_its_sector(which, request):
    f = request.getfixturevalue(which)
    layout, member = layout_of(f), belonging(f)
    singles = people_dots(layout)[lambda d: d["role"] == "Person"]
    assert len(singles) > 10
    for dot in singles.itertuples():
        assert {sector_of(layout, dot.turn)} == member[dot.ref], dot


def test_sectors_share_the_circle_by_their_people(year1):
    sectors = layout_of(year1).sectors
    assert set(sectors["sector"]) == set(year1["communities"]["id"])
    width = (sectors["end"] - sectors["start"]).to_numpy()
    assert (width > 0).all()
    assert math.isclose(sectors["end"].max() - sectors["start"].min(), width.sum())
    people = year1["memberships"].groupby("community_id").size()
    most, fewest = people.idxmax(), people.idxmin()
    by_id = dict(zip(sectors["sector"], width, strict=True))
    assert by_id[most] > by_id[fewest]


@pytest.mark.parametrize("which", ["year1", "year10"])
def test_bridges_sit_between_their_own_communities(which, request):
    f = request.getfixturevalue(which)
    layout, member = layout_of(f), belonging(f)
    bridges = people_dots(layout)[lambda d: d["role"] == "Bridge"]
    assert len(bridges) >= 8
    for dot in bridges.itertuples():
        assert sector_of(layout, dot.turn) in member[dot.ref], dot
    # a line from each bridge to each of its communities
    assert len(layout.links) == sum(len(member[r]) for r in bridges["ref"])


def test_a_bridge_between_communities_far_apart_keeps_off_the_others():
    """A bridge of two communities that are not neighbours stays in one of its own sectors,
    away from the middle of any other community's sector."""
    communities = pd.DataFrame({"id": [1, 2, 3, 4], "name": ["A", "B", "C", "D"],
                                "kind": "hobby", "activity": 2})
    pairs = [(1, 2), (1, 2), (2, 3), (2, 3), (3, 4), (3, 4), (1, 4)]
    people = pd.DataFrame({"id": range(1, len(pairs) + 1),
                           "name": [f"P{i}" for i in range(len(pairs))], "circle": 15})
    memberships = pd.DataFrame([(i + 1, c) for i, pair in enumerate(pairs) for c in pair],
                               columns=["person_id", "community_id"])
    layout = charts.network_layout(communities, people, memberships)
    order = layout.sectors["sector"].tolist()
    assert abs(order.index(1) - order.index(4)) > 1  # not neighbours
    far = layout.nodes[layout.nodes["ref"] == len(pairs)].query("role == 'Bridge'").iloc[0]
    assert sector_of(layout, far["turn"]) in (1, 4)
    for s in layout.sectors.itertuples():
        if s.sector in (2, 3):
            assert not s.start <= far["turn"] <= s.end
    # The neighbours' bridges sit on (near) their shared border.
    border = layout.sectors.set_index("sector")["end"]
    first = layout.nodes[(layout.nodes["ref"] == 1) & (layout.nodes["role"] == "Bridge")]
    a, b = sorted((1, 2), key=order.index)
    assert abs(first["turn"].iloc[0] - border[a]) < 0.3


def test_people_in_no_community_get_a_sector_of_their_own():
    communities = pd.DataFrame({"id": [1], "name": ["Choir"], "kind": "hobby", "activity": 2})
    people = pd.DataFrame({"id": [1, 2], "name": ["Ana", "Bo"], "circle": [5, 50]})
    memberships = pd.DataFrame({"person_id": [1], "community_id": [1]})
    layout = charts.network_layout(communities, people, memberships)
    assert layout.sectors["name"].tolist() == ["Choir", "no community yet"]
    bo = layout.nodes[layout.nodes["name"] == "Bo"].iloc[0]
    assert sector_of(layout, bo["turn"]) == 0
    # only people, no communities: still a map
    spec = charts.network_map(communities.iloc[:0], people, memberships.iloc[:0]).to_dict()
    assert len(dataset(spec, "role")) == 1 + 2


# -- sizes and labels -----------------------------------------------------------------------

def test_dots_are_at_least_ten_pixels_and_closer_people_bigger(year1):
    nodes = layout_of(year1).nodes
    assert nodes["size"].min() >= 80
    assert PERSON_SIZE[5] > PERSON_SIZE[15] > PERSON_SIZE[50] >= PERSON_SIZE[150] >= 80


def labels_by(layout, kind):
    found = layout.labels[layout.labels["kind"] == kind]
    return dict(zip(found["ref"], found["text"], strict=True))


def test_names_on_the_map_are_the_closest_circles_bridges_and_every_community(year1):
    layout, member = layout_of(year1), belonging(year1)
    people = year1["people"]
    bridges = {p for p, cs in member.items() if len(cs) >= 2}
    close = set(people.loc[people["circle"].isin([5, 15]), "id"])
    named = labels_by(layout, "person")
    assert set(named) == close | bridges
    assert set(people["id"]) - set(named)  # the rest are dots without names
    assert set(labels_by(layout, "community")) == set(year1["communities"]["id"])
    circles = layout.labels[layout.labels["style"] == "circle"]["text"].tolist()
    assert circles == [CIRCLE_WORDS[c] for c in (5, 15, 50, 150)]


def test_each_label_stands_beside_its_own_dot(year1):
    layout = layout_of(year1)
    nodes = layout.nodes.assign(more=layout.nodes["role"] == "More")
    dots = nodes.set_index(["kind", "ref", "more"])
    for label in layout.labels[layout.labels["kind"] != ""].itertuples():
        dot = dots.loc[(label.kind, label.ref, label.style == "more")]
        gap = math.hypot(label.x - dot["x"], label.y - dot["y"])
        assert gap <= math.sqrt(dot["size"]) / 2 + 20, (label.text, gap)
    community = layout.nodes[layout.nodes["role"] == "Community"]
    assert np.allclose(np.hypot(community["x"], community["y"]), COMMUNITY_RING, atol=0.05)


def dataset(spec: dict, field: str) -> list[dict]:
    for values in spec["datasets"].values():
        if values and field in values[0]:
            return values
    raise AssertionError(field)


def test_the_dots_carry_what_a_tap_opens(year1):
    spec = charts.network_map(year1["communities"], year1["people"],
                              year1["memberships"]).to_dict()
    assert spec["params"] == [{
        "name": charts.network.PICK, "views": spec["params"][0]["views"],
        "select": {"type": "point", "fields": ["kind", "ref"], "on": "click", "toggle": False}}]
    nodes = dataset(spec, "role")
    people = {(n["kind"], n["ref"]) for n in nodes if n["role"] in ("Person", "Bridge")}
    assert people == {("person", int(i)) for i in year1["people"]["id"]}
    assert {n["ref"] for n in nodes if n["kind"] == "community"} == set(
        year1["communities"]["id"])
    labels = dataset(spec, "style")
    assert all("kind" in row and "ref" in row for row in labels)  # a name opens its dot too


# -- ten years ------------------------------------------------------------------------------

def test_ten_years_count_the_outer_circle_by_community(year10):
    layout = layout_of(year10)
    nodes = layout.nodes
    outer = year10["people"]["circle"] == 150
    more = nodes[nodes["role"] == "More"]
    assert not (people_dots(layout)["circle"] == 150).any()
    assert int(more["count"].sum()) == int(outer.sum()) == 450
    assert more["sector"].is_unique  # one dot per sector
    assert (np.hypot(more["x"], more["y"]).round(1) == RING[150]).all()
    texts = labels_by(layout, "community")
    assert {f"{n:,} more" for n in more["count"]} <= set(texts.values())
    # the inner circles stay one dot per person
    inner = year10["people"]["circle"] < 150
    assert len(people_dots(layout)) == int(inner.sum())
    assert len(nodes) < 150


def test_a_year_keeps_the_outer_circle_one_by_one(year1):
    nodes = layout_of(year1).nodes
    assert not (nodes["role"] == "More").any()
    assert len(people_dots(layout_of(year1))) == len(year1["people"])


def test_very_many_close_people_keep_the_closest():
    n = 3_000
    people = pd.DataFrame({"id": np.arange(1, n + 1), "name": [f"P{i}" for i in range(n)],
                           "circle": np.where(np.arange(n) < 100, 5, 50)})
    communities = pd.DataFrame({"id": [1, 2], "name": ["Choir", "Pantry"],
                                "kind": ["hobby", "volunteering"], "activity": [3, 2]})
    memberships = pd.DataFrame({"person_id": people["id"], "community_id": 1 + people["id"] % 2})
    spec = charts.network_map(communities, people, memberships).to_dict()
    nodes = dataset(spec, "role")
    assert sum(n["circle"] == 5 for n in nodes) == 100  # all of the closest kept
    assert len(nodes) <= charts.MAX_ROWS
    assert any("closest people are shown" in line for line in spec["title"]["subtitle"])


# -- rendering --------------------------------------------------------------------------------

REVIEW = os.environ.get("WORKBOOK_MAP_REVIEW")  # a folder to keep the PNGs in, to look at


@pytest.mark.parametrize("which", ["year1", "year10"])
def test_the_map_renders_offline(which, request, tmp_path):
    f = request.getfixturevalue(which)
    spec = charts.network_map(f["communities"], f["people"], f["memberships"]).to_dict()
    png = vlc.vegalite_to_png(spec, scale=1.5)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50_000
    svg = vlc.vegalite_to_svg(spec)
    for name in f["communities"]["name"].head(3):
        assert name.split()[0].replace("'", "&apos;") in svg or name.split()[0] in svg
    folder = Path(REVIEW) if REVIEW else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"map-{which}.png").write_bytes(png)


def test_hostile_and_long_names_stay_text_on_the_map(tmp_path):
    names = [*HOSTILE, "", "x" * 400, "🎶" * 40, "שלום עליכם חברים"]
    communities = pd.DataFrame({"id": range(1, len(names) + 1), "name": names,
                                "kind": "online", "activity": 1})
    people = pd.DataFrame({"id": range(1, len(names) + 1), "name": names, "circle": 5})
    memberships = pd.DataFrame({"person_id": range(1, len(names) + 1),
                                "community_id": [1 + (i + 1) % len(names)
                                                 for i in range(len(names))]})
    spec = charts.network_map(communities, people, memberships).to_dict()
    svg = vlc.vegalite_to_svg(spec)
    assert "<img" not in svg and "<script" not in svg
    texts = [row["text"] for row in dataset(spec, "style")]
    assert any(t.startswith(HOSTILE[0][:10]) for t in texts)  # kept as text, shortened
    assert max(len(t) for t in texts) < 40  # long names are cut, emoji between graphemes


# -- the page ---------------------------------------------------------------------------------

@pytest.fixture
def demo_page(tmp_path):
    session = pages.open_session(tmp_path / "mine.sqlite")
    write_demo(session.store, years=1)
    page = pages.communities_page(session)
    page.refresh()
    page.parts["map"].draw()
    yield session, page
    session.close()


def tap(panel, kind: str, ref: int) -> None:
    """What the chart's script sends when a dot is tapped (altair's JupyterChart protocol)."""
    panel.chart_widget._vl_selections = {charts.network.PICK: {
        "value": {"vlPoint": {"or": [{"kind": kind, "ref": ref}]}}, "store": []}}


def test_a_tap_on_a_person_opens_them_in_the_form(demo_page):
    session, page = demo_page
    people = session.store.frame("people")
    gran = people[people["circle"] == 5].iloc[0]
    form = page.parts["person_form"]
    tap(page.parts["map"], "person", int(gran["id"]))
    assert form.fields["name"].value == gran["name"]
    assert form.editing is not None and form.editing.id == gran["id"]
    tap(page.parts["map"], "person", int(gran["id"]))  # a second tap on the same dot still opens
    assert form.editing.id == gran["id"]


def test_a_tap_on_a_community_opens_it_and_a_stale_tap_does_nothing(demo_page):
    session, page = demo_page
    choir = session.store.frame("communities").iloc[2]
    tap(page.parts["map"], "community", int(choir["id"]))
    assert page.parts["community_form"].fields["name"].value == choir["name"]
    before = page.parts["person_form"].fields["name"].value
    tap(page.parts["map"], "person", 99_999)  # removed since the map was drawn
    tap(page.parts["map"], "me", 0)
    assert page.parts["person_form"].fields["name"].value == before


def test_the_map_says_how_to_open_a_dot(demo_page):
    _session, page = demo_page
    words = " ".join(v for w in _texts(page) if isinstance(v := getattr(w, "value", None), str))
    assert "Tap or click a dot to open it" in words
    assert "Hover" not in words


def _texts(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _texts(child)


def test_records_keep_their_names_on_the_map(tmp_path):
    """A person saved through the store shows on the map under their own name."""
    with Store(tmp_path / "w.sqlite") as store:
        store.add_many([Community(name="Choir", kind="hobby", activity=2, id=1),
                        Person(name="Ana", circle=5, communities=(1,))])
        f = {name: store.frame(name) for name in FRAME_NAMES}
    layout = layout_of(f)
    assert labels_by(layout, "person") == {1: "Ana"}
