"""The spreadsheet reads in plain words: names beside ids, labels for codes, real dates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess

import openpyxl
import pandas as pd
import pytest
from shared import HOSTILE

from workbook import content, exports, sheets
from workbook.model import (
    TEXT_MAX,
    Community,
    HelpReceived,
    LogEntry,
    Pause,
    Person,
    Reflection,
    Resolution,
)

# Text that must come back as the same text: markup, right to left, emoji, a Unicode line
# separator, a formula, and a note as long as a note may be.
LONG = ("A long note, " * 400)[: TEXT_MAX - 1] + "🎶"
AWKWARD = (*HOSTILE, "line one\u2028line two", "=1+1", "@SUM(A1)", "مرحبا بالجميع", LONG)


@pytest.fixture
def kept(store, today):
    """A small workbook with every kind of entry, and the same name for two communities."""
    choir = store.add(Community(name="Harbour Voices", kind="hobby", activity=3, since=2019))
    pantry = store.add(Community(name="Food pantry", kind="volunteering", activity=0))
    again = store.add(Community(name="Food pantry", kind="Allotment society", activity=4))
    mum = store.add(Person(name="Mum", circle=5, communities=(choir, pantry)))
    kofi = store.add(Person(name="Kofi", circle=150, communities=(again,)))
    thanks = store.add(Resolution(cue="rehearsal ends", give="I will thank the organiser",
                                  community_id=choir, person_id=mum, times=2, per="month",
                                  start=dt.date(2026, 1, 5), weekdays=("MO", "TH"),
                                  idea_id="answer-newcomer"))
    store.add(Resolution(cue="the shift ends", give="stack the shelves", community_id=pantry,
                         times=1, per="week", start=dt.date(2026, 2, 1), active=False))
    store.add(LogEntry(date=dt.date(2026, 3, 1), community_id=choir, person_id=mum,
                       resolution_id=thanks, kind="thanks", minutes=5))
    store.add(LogEntry(date=dt.date(2026, 3, 2), community_id=again, person_id=kofi,
                       kind="time", minutes=90))
    store.add(HelpReceived(date=dt.date(2026, 4, 1), note="a lead for a job"))
    store.add(HelpReceived(date=dt.date(2026, 4, 2), note="a lift", person_id=kofi,
                           community_id=again))
    store.add(Reflection(prompt_id="map-bridges", answer="Mum, surely", date=today))
    store.add(Pause(start=dt.date(2026, 8, 1), end=dt.date(2026, 8, 14), note="away"))
    store.add(Pause(start=dt.date(2026, 9, 1), community_id=choir))
    return store


def _book(store, today) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(exports.xlsx_bytes(store, today)))


def _records(sheet) -> list[dict]:
    """The rows of a sheet as header -> value."""
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_a_sheet_per_kind_of_entry_with_a_bold_frozen_header_in_plain_words(kept, today):
    book = _book(kept, today)

    assert book.sheetnames == ["Communities", "People", "Memberships", "Resolutions", "Gives",
                               "Help received", "Reflections", "Breaks"]
    headers = {sheet.title: [c.value for c in sheet[1]] for sheet in book.worksheets}
    assert headers["Gives"] == ["Date given", "Community", "Person", "Resolution", "Kind of give",
                                "Minutes", "Note", "Give id", "Community id", "Person id",
                                "Resolution id"]
    assert headers["Communities"][:2] == ["Community", "Kind"]
    assert headers["Help received"][:3] == ["Date received", "Community", "From"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert all(cell.font.b for cell in sheet[1]), sheet.title
        # readable columns first, the ids after them all
        words = headers[sheet.title]
        ids = [i for i, word in enumerate(words) if word.endswith(" id")]
        assert ids == list(range(len(words) - len(ids), len(words))), sheet.title
        for letter, column in sheet.column_dimensions.items():
            assert sheets.WIDTH_MIN <= column.width <= sheets.WIDTH_MAX + 2, (sheet.title, letter)


def test_each_name_beside_an_id_is_that_record_s_name(kept, today):
    book = _book(kept, today)
    communities = {c.id: c.name for c in kept.records(Community)}
    people = {p.id: p.name for p in kept.records(Person)}
    plans = {r.id: r for r in kept.records(Resolution)}

    gives = _records(book["Gives"])
    assert len(gives) == len(kept.records(LogEntry)) == 2
    choir, pantry, again = communities
    for row in gives:
        assert row["Person"] == people[row["Person id"]]
    assert gives[0]["Community"] == "Harbour Voices"
    assert gives[0]["Resolution"] == exports.short_title(plans[gives[0]["Resolution id"]],
                                                         "Harbour Voices")
    assert gives[0]["Resolution"] == "Harbour Voices: thank the organiser"
    # two communities of one name: each gets its number
    assert gives[1]["Community"] == f"Food pantry (#{again})"
    assert {r["Community"] for r in _records(book["Communities"])} == {"Harbour Voices",
                                                                       "Food pantry"}
    members = _records(book["Memberships"])
    assert [(m["Person"], m["Community"]) for m in members] == [
        ("Mum", "Harbour Voices"), ("Mum", f"Food pantry (#{pantry})"),
        ("Kofi", f"Food pantry (#{again})")]
    assert all(people[m["Person id"]] == m["Person"] for m in members)
    assert [p["Communities"] for p in _records(book["People"])] == [
        f"Harbour Voices; Food pantry (#{pantry})", f"Food pantry (#{again})"]
    helped = _records(book["Help received"])
    assert (helped[0]["From"], helped[0]["Community"], helped[0]["Person id"]) == (None,) * 3
    assert (helped[1]["From"], helped[1]["Community id"]) == ("Kofi", again)
    breaks = _records(book["Breaks"])
    assert [b["For"] for b in breaks] == ["All my communities", "Harbour Voices"]
    assert breaks[1]["Community id"] == choir and breaks[0]["Community id"] is None


def test_codes_read_as_the_words_the_app_uses(kept, today):
    book = _book(kept, today)

    communities = _records(book["Communities"])
    assert [(c["Kind"], c["How active"]) for c in communities] == [
        ("Hobby or club", "Active"), (content.kind_labels()["volunteering"], "Dormant"),
        ("Allotment society", "Core")]  # a kind of one's own stays as typed
    assert [c["Member since"] for c in communities] == [2019, None, None]
    assert [p["Circle"] for p in _records(book["People"])] == ["Closest 5", "Acquaintances 150"]
    plans = _records(book["Resolutions"])
    assert [p["How often"] for p in plans] == ["twice a month", "once a week"]
    assert [p["Active"] for p in plans] == ["Yes", "No"]
    assert plans[0]["On which days"] == "Monday, Thursday"
    idea = next(i for i in content.give_ideas() if i.id == "answer-newcomer")
    assert (plans[0]["Give idea"], plans[0]["Give idea id"]) == (idea.text, "answer-newcomer")
    assert [g["Kind of give"] for g in _records(book["Gives"])] == ["Thanks", "Time"]
    prompt = next(p for p in content.reflection_prompts() if p.id == "map-bridges")
    assert _records(book["Reflections"])[0]["Prompt"] == prompt.text


def test_dates_are_date_cells(kept, today):
    book = _book(kept, today)

    for title, column in (("Gives", "A"), ("Help received", "A"), ("Reflections", "A"),
                          ("Resolutions", "G"), ("Breaks", "A")):
        cells = book[title][column][1:]
        assert cells and all(c.is_date and c.number_format == "yyyy-mm-dd" for c in cells), title
    assert book["Gives"]["A2"].value == dt.datetime(2026, 3, 1)
    assert book["Reflections"]["A2"].value.date() == today
    ends = book["Breaks"]["B"][1:]
    assert ends[0].value == dt.datetime(2026, 8, 14) and ends[1].value is None  # still away


def test_a_time_of_day_is_kept_in_a_date_and_time_cell():
    stamps = pd.Series(pd.to_datetime(["2026-03-01 18:30", None]))
    data = sheets.xlsx_bytes({"Times": pd.DataFrame({"When": stamps, "What": ["tea", "cake"]})})

    cell, empty = openpyxl.load_workbook(io.BytesIO(data))["Times"]["A"][1:]
    assert cell.is_date and cell.value == dt.datetime(2026, 3, 1, 18, 30)
    assert "h" in cell.number_format and empty.value is None


def test_awkward_text_comes_back_as_the_same_text(store, today):
    for i, text in enumerate(AWKWARD):
        cid = store.add(Community(name=f"{text[:150]} #{i}", notes=text))
        pid = store.add(Person(name=f"{text[:150]} #{i}", circle=15, communities=(cid,)))
        store.add(LogEntry(date=today, community_id=cid, person_id=pid, note=text))
    book = _book(store, today)

    for title, column in (("Communities", "Notes"), ("Gives", "Note")):
        sheet = book[title]
        rows = _records(sheet)
        assert [r[column] for r in rows] == [exports.neutralise(t) for t in AWKWARD]
        for row in sheet.iter_rows(min_row=2):
            assert all(c.data_type == "s" or not isinstance(c.value, str) for c in row), title
    gives = _records(book["Gives"])
    assert [g["Community"] for g in gives] == [g["Person"] for g in gives] == [
        exports.neutralise(f"{t[:150]} #{i}") for i, t in enumerate(AWKWARD)]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is absent")
def test_libreoffice_opens_the_file_and_reads_the_names_and_dates(kept, today, tmp_path):
    path = tmp_path / "my-workbook.xlsx"
    path.write_bytes(exports.xlsx_bytes(kept, today))
    # 44,34,76: comma, double quote, UTF-8; 1: first line; then "as shown"; 5: the fifth sheet
    sheet = sheets.SHEET_NAMES.index("Gives") + 1
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", f"csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,"
                    f"true,false,false,{sheet}", "--outdir", str(tmp_path / "out"), str(path)],
                   check=True, capture_output=True, timeout=300)

    written = sorted((tmp_path / "out").glob("*.csv"))
    assert len(written) == 1, written
    rows = list(csv.reader(io.StringIO(written[0].read_text(encoding="utf-8"), newline="")))
    assert rows[0][:5] == ["Date given", "Community", "Person", "Resolution", "Kind of give"]
    assert rows[1][:5] == ["2026-03-01", "Harbour Voices", "Mum",
                           "Harbour Voices: thank the organiser", "Thanks"]
    assert rows[2][1].startswith("Food pantry (#") and rows[2][2] == "Kofi"
