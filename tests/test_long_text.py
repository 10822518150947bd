"""Line separators and long emoji runs in every PDF and chart: printed and drawn, never broken."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import xml.etree.ElementTree as ET

import altair as alt
import pandas as pd
import pypdf
import pytest
import vl_convert
import wcwidth
from shared import HOSTILE

from workbook import charts, handouts, worksheets
from workbook.charts.style import _label
from workbook.cli import main
from workbook.model import Community, HelpReceived, LogEntry, Person, Resolution
from workbook.store import Store

SEPARATED = "Harbour\u2028Choir\u2029end"
EMOJI = "🎶" * 150
FAMILY = "👩\u200d👩\u200d👧"
LONG_TEXTS = (SEPARATED, EMOJI, FAMILY * 40, "🇫🇷" * 100, "x" * 200, "Choir " + EMOJI)


KINDS = ("hobby", "work", "online", "volunteering", "neighbourhood", "hobby")


def write_long_names(path, today, texts=LONG_TEXTS):
    """A workbook whose communities, people and resolutions carry ``texts``, with gives."""
    with Store(path) as store:
        store.set_owner("Ann " + "🎶" * 76)
        ids = [store.add(Community(name=text, kind=kind, role=text, activity=3, notes=text))
               for text, kind in zip(texts, KINDS, strict=False)]
        people = [store.add(Person(name=text, circle=5, communities=(cid, ids[0])))
                  for text, cid in zip(texts, ids, strict=True)]
        for i, (text, cid, pid) in enumerate(zip(texts, ids, people, strict=True)):
            rid = store.add(Resolution(cue=text, give=text, community_id=cid, times=1 + i % 3,
                                       per="week", start=dt.date(2026, 1, 5), person_id=pid))
            for week in range(0, 40, 3):
                store.add(LogEntry(date=today - dt.timedelta(weeks=week, days=i),
                                   community_id=cid, kind="thanks", minutes=10, note=text,
                                   person_id=pid, resolution_id=rid))
        store.add(HelpReceived(date=today, note=SEPARATED, person_id=people[0]))
    return path


@pytest.fixture
def long_names(tmp_path, today):
    """Every long text in a community, a person and a resolution of their own."""
    return write_long_names(tmp_path / "long.sqlite", today)


def _texts(svg: str) -> list[str]:
    """Every piece of text an SVG draws."""
    return [e.text or "" for e in ET.fromstring(svg).iter() if e.tag.endswith("}text")]


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_the_charts_command_draws_every_chart_of_long_names(long_names, tmp_path, fmt, capsys):
    out = tmp_path / fmt
    assert main(["--db", str(long_names), "charts", "--out", str(out), "--format", fmt]) == 0

    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(f"{name}.{fmt}" for name in charts.CHART_NAMES)
    if fmt == "png":
        for path in out.iterdir():
            assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n"), path.name
        return
    for path in out.iterdir():
        svg = path.read_text(encoding="utf-8")
        root = ET.fromstring(svg)
        # a long name is cut, not drawn across the page: no chart grows wide for it
        assert float(root.get("width")) <= 800, path.name
        for text in _texts(svg):
            assert "\u2028" not in text and "\u2029" not in text, path.name
            assert text.count("🎶") <= 20, (path.name, text)
    bars = _texts((out / "balance_by_community.svg").read_text(encoding="utf-8"))
    assert "Harbour Choir end" in bars
    assert any(t.startswith("🎶🎶🎶") and t.endswith("…") for t in bars)


def test_the_plan_of_long_names_prints_on_one_page_and_its_charts_on_the_next(tmp_path,
                                                                               today):
    path = write_long_names(tmp_path / "long.sqlite", today, (SEPARATED, EMOJI, FAMILY * 40))
    with Store(path, readonly=True) as store:
        pdf = handouts.plan_pdf_bytes(store, today=today)
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages

    assert len(pages) == 2
    text = pages[0].extract_text()
    assert "Harbour Choir end" in text  # the separators read as spaces, on one line
    assert "\u2028" not in text and "\u2029" not in text
    # the owner's name is made smaller to fit its line; any other emoji run breaks at the
    # edge of its column (about 50 emoji a line at most), and a very long one is cut
    lines = [line for line in text.splitlines() if not line.startswith("Ann ")]
    assert len(lines) < len(text.splitlines())
    assert max(line.count("🎶") for line in lines) <= 60
    assert sum(line.count("🎶") for line in lines) < 4 * 150
    assert "…" in text
    assert "Progress in charts" in pages[1].extract_text()


def test_a_long_owners_name_is_made_smaller_not_cut(store, today):
    name = "x" * 80
    store.set_owner(name)
    text = pypdf.PdfReader(io.BytesIO(handouts.plan_pdf_bytes(store, today=today))).pages[0]
    assert name in text.extract_text()


@pytest.mark.parametrize("template, data", [
    ("worksheets.typ", worksheets.worksheets_data), ("ideas.typ", worksheets.ideas_data),
    ("facilitator.typ", worksheets.guide_data)], ids=["set", "ideas", "guide"])
def test_blank_handouts_print_as_they_did_before_typed_text_was_kept_in_its_box(
        template, data, tmp_path, monkeypatch):
    pages = [p.extract_text() for p in
             pypdf.PdfReader(io.BytesIO(handouts.render(template, data("a4")))).pages]
    # The same templates without the rule for typed text: nothing of their own was changed.
    before = shutil.copytree(handouts.TEMPLATES, tmp_path / "templates")
    common = before / "common.typ"
    rule = "  show: plain-text\n"
    assert rule in common.read_text(encoding="utf-8")
    common.write_text(common.read_text(encoding="utf-8").replace(rule, ""), encoding="utf-8")
    monkeypatch.setattr(handouts, "TEMPLATES", before)
    old = [p.extract_text() for p in
           pypdf.PdfReader(io.BytesIO(handouts.render(template, data("a4")))).pages]

    assert pages == old


@pytest.mark.parametrize("text", [*LONG_TEXTS, *HOSTILE, "a" + "🎶" * 12, "🎶" * 11 + "x" * 30,
                                  "ok", ""])
@pytest.mark.parametrize(("limit", "size"), [(150, 10), (220, 10), (270, 12), (60, 10)])
def test_a_label_fits_where_vega_would_otherwise_cut_half_an_emoji(text, limit, size):
    label = _label(text, limit, size)
    assert "\u2028" not in label and "\u2029" not in label and "\n" not in label
    graphemes = list(wcwidth.iter_graphemes(label.removesuffix("…")))
    assert "".join(graphemes) in " ".join(text.split())  # cut between whole graphemes
    # vl-convert draws it with Vega's own limit in place: text with an emoji whole, other
    # text perhaps cut by Vega (safely: no half of a character there)
    frame = pd.DataFrame({"name": [label], "n": [1]})
    spec = alt.Chart(frame).mark_bar().encode(
        y=alt.Y("name:N", axis=alt.Axis(labelLimit=limit, labelFontSize=size)), x="n:Q")
    drawn = _texts(vl_convert.vegalite_to_svg(spec.to_json(), allowed_base_urls=[]))
    if any(ord(c) > 0xFFFF for c in label):
        assert label in drawn
    else:
        assert not label or any(label.startswith(t.removesuffix("…")) for t in drawn if t)
