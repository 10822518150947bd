"""A workshop room's outputs for its facilitator: the charts, the page, the PDF, the command."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from shared import room_summary, write_file

from workbook import charts, room_report, room_share
from workbook.cli import main


# -- charts ---------------------------------------------------------------------------------------
def dataset(spec: dict) -> list[dict]:
    (values,) = spec["datasets"].values()
    return values


def test_room_gives_per_week_is_a_bar_per_week():
    figures = room_share.room_figures([room_summary(),
                                       room_summary(gives_per_week={"2026-W48": 4})])
    spec = charts.room_gives_per_week(figures["weeks"]).to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["field"] == "monday"
    assert spec["encoding"]["y"]["field"] == "gives"
    rows = dataset(spec)
    assert len(rows) == room_share.WEEKS
    assert rows[-1] == {"week": "2026-W48", "monday": "2026-11-23", "gives": 5,
                        "participants": 2}
    assert spec["encoding"]["x"]["sort"][-1] == "2026-11-23"


def test_room_communities_by_kind_is_a_bar_per_kind():
    figures = room_share.room_figures([room_summary()])
    spec = charts.room_communities_by_kind(figures["by_kind"]).to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["y"]["field"] == "label"
    rows = {r["kind"]: r for r in dataset(spec)}
    assert rows["hobby"]["communities"] == 2 and rows["own"]["communities"] == 1
    assert rows["own"]["colour"] == charts.GREY
    assert spec["encoding"]["y"]["sort"][-1] == "Kinds of their own"
    assert spec["encoding"]["x"]["axis"]["values"] == [0, 1, 2]  # whole communities only


def test_room_charts_say_when_nobody_has_shared():
    figures = room_share.room_figures([])
    for chart in (charts.room_gives_per_week(figures["weeks"]),
                  charts.room_communities_by_kind(figures["by_kind"])):
        spec = chart.to_dict()
        assert spec["mark"]["type"] == "text"
        assert dataset(spec) == [{"message": charts.room.NOBODY_YET}] or \
            "No communities" in dataset(spec)[0]["message"]


# -- the page and the PDF -------------------------------------------------------------------------
@pytest.fixture
def full_room(tmp_path):
    """A room with two summaries and three files to leave out (one with a hostile name)."""
    folder = tmp_path / "full-room"
    folder.mkdir()
    write_file(folder, "a" * 32 + ".json", room_summary())
    write_file(folder, "b" * 32 + ".json", room_summary(people=3, new_year_resolution=False))
    write_file(folder, "<script>window.__pwned=1<script>.json", "nope")
    (folder / "huge.json").write_text(" " * (65 * 1024))
    write_file(folder, "bad.json", room_summary(people=-5))
    return folder


def test_room_page_is_one_offline_page_with_everything_escaped(full_room):
    page = room_report.room_page_html(full_room)
    assert page.startswith("<!DOCTYPE html>")
    assert "1 of 2 participants who shared made a New Year&#x27;s resolution for 2027" in page
    assert "<td>People</td><td>15</td>" in page
    assert page.count("<svg") == 2
    assert "Files left out (3)" in page
    assert "&lt;script&gt;window.__pwned=1&lt;script&gt;.json: not JSON" in page
    assert "<script" not in page
    assert not re.search(r"(src|href)=\"?(https?:)?//", page)
    assert "<link" not in page and "@import" not in page


def test_room_page_of_an_empty_room(tmp_path):
    page = room_report.room_page_html(tmp_path)
    assert "Nobody has shared yet." in page and "Files left out" not in page


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return len(reader.pages), " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def test_room_pdf_is_one_page(full_room):
    pages_, text = pdf_text(room_report.room_pdf(full_room))
    assert pages_ == 1
    assert "The room's progress" in text and "New Year" in text
    assert "Participants who shared 2" in text
    assert "huge.json: larger than 64 KB" in text


def test_room_pdf_stays_one_page_with_many_bad_files(full_room):
    for n in range(40):
        write_file(full_room, f"{n:02d}-{'long name ' * 6}.json", "[]")
    pages_, text = pdf_text(room_report.room_pdf(full_room, paper="letter"))
    assert pages_ == 1 and "more" in text


# -- the command line -----------------------------------------------------------------------------
def test_room_summary_prints_the_totals_and_the_files_left_out(full_room, capsys):
    assert main(["room", "summary", "--from-dir", str(full_room)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^Participants who shared +2$", out, re.M)
    assert re.search(r"^People +15$", out, re.M)
    assert re.search(r"^Made a New Year's resolution for 2027 +1$", out, re.M)
    assert "Left out 3 files:" in out and "  huge.json: larger than 64 KB" in out


@pytest.mark.parametrize("name", ["room.pdf", "room.html"])
def test_room_summary_writes_the_pdf_or_the_page(full_room, tmp_path, capsys, name):
    out = tmp_path / name
    assert main(["room", "summary", "--from-dir", str(full_room), "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    data = out.read_bytes()
    assert data.startswith(b"%PDF") if name.endswith(".pdf") else b"<svg" in data


@pytest.mark.parametrize("args, status, words", [
    (["room"], 2, "required"),
    (["room", "summary"], 2, "--from-dir"),
    (["room", "summary", "--from-dir", "{room}", "--out", "{tmp}/room.txt"], 2, ".pdf or .html"),
    (["room", "summary", "--from-dir", "{tmp}/gone"], 1, "no folder"),
])
def test_room_summary_errors_are_one_line(args, status, words, full_room, tmp_path, capsys):
    args = [a.format(room=full_room, tmp=tmp_path) for a in args]
    assert main(args) == status
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1
