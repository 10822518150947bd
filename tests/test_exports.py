"""Exports for other programs: CSV tables, an Excel file, a calendar and a network graph."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import zipfile
from zoneinfo import ZoneInfo

import icalendar
import networkx as nx
import openpyxl
import pandas as pd
import pytest
from dateutil import rrule

from workbook import atomic, exports, sheets
from workbook.model import (
    Community,
    HelpReceived,
    LogEntry,
    Person,
    Reflection,
    Resolution,
)

# Cells a spreadsheet would run as formulas if they were written as they are.
FORMULAS = ("=1+1", "+41 555 0100", "-2", "@SUM(A1:A2)", "\tTab first", "\rReturn first",
            '=HYPERLINK("http://x.invalid","click")')
SUMMARY_BREAKERS = "cake; coffee, and a chat\r\nthen\nmore\rend"


@pytest.fixture
def filled(store, today):
    """A small workbook with every kind of entry, formula-like text and awkward characters."""
    choir = store.add(Community(name="Harbour Voices 🎶", kind="hobby", role="=alto",
                                activity=3, since=2020, notes="+ sings on Thursdays"))
    pantry = store.add(Community(name="Pantry, Seamen's Hall", kind="volunteering",
                                 activity=2, notes="جوقة\nline two"))
    forum = store.add(Community(name="@librarians", kind="online", activity=1))
    people = [
        store.add(Person(name=name, circle=circle, communities=links, notes=note))
        for name, circle, links, note in [
            ("Mum", 5, (choir, pantry), "-"),
            ("Kofi", 15, (pantry,), ""),
            ("Marta", 50, (choir, pantry, forum), "<script>alert(1)</script>"),
            ("Dee", 150, (), "no communities"),
        ]
    ]
    plans = [
        Resolution(cue="Thursday rehearsal ends", give="thank the organiser",
                   community_id=choir, times=1, per="week", start=dt.date(2026, 1, 5),
                   end=dt.date(2026, 12, 31)),
        Resolution(cue=SUMMARY_BREAKERS, give="bring the tea, then wash up",
                   community_id=pantry, times=2, per="month", start=dt.date(2026, 2, 10)),
        Resolution(cue="=the digest arrives", give="answer a question",
                   community_id=forum, times=3, per="week", start=dt.date(2026, 3, 2),
                   person_id=people[2], idea_id="answer-newcomer"),
        Resolution(cue="the quarter starts", give="visit", community_id=pantry, times=1,
                   per="quarter", start=dt.date(2026, 1, 31)),
        Resolution(cue="my birthday", give="call everyone", community_id=choir, times=1,
                   per="year", start=dt.date(2026, 4, 1), active=False),
    ]
    res_ids = [store.add(r) for r in plans]
    store.add(LogEntry(date=today - dt.timedelta(days=2), community_id=choir, kind="thanks",
                       minutes=5, note="=cmd|' /C calc'!A0", person_id=people[0],
                       resolution_id=res_ids[0]))
    store.add(LogEntry(date=dt.date(2026, 3, 1), community_id=pantry, kind="time",
                       minutes=120, note="ordinary note"))
    store.add(HelpReceived(date=dt.date(2026, 6, 1), note="@Kofi found me a lead",
                           person_id=people[1]))
    store.add(Reflection(prompt_id="map-bridges", answer="-Marta, surely",
                         date=dt.date(2026, 5, 5)))
    for text in FORMULAS:
        store.add(Reflection(prompt_id="give-felt", answer=text, date=dt.date(2026, 7, 1)))
    return store


def expected_cell(value) -> str:
    """How a store value is written to a CSV cell."""
    if pd.isna(value):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(exports.csv_cell(value) if isinstance(value, str) else value)


# CSV ----------------------------------------------------------------------------------------------


def test_csv_zip_holds_every_table_with_the_same_rows(filled, tmp_path):
    out = exports.export(filled, "csv", tmp_path / "tables.zip")

    tables = sheets.readable_tables(filled)
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist() == [
            "communities.csv", "people.csv", "memberships.csv", "resolutions.csv", "gives.csv",
            "help-received.csv", "reflections.csv", "breaks.csv"]
        for name, frame in tables.items():
            text = archive.read(exports.csv_name(name)).decode("utf-8")
            rows = list(csv.reader(io.StringIO(text, newline="")))
            assert rows[0] == list(frame.columns)
            assert len(rows) == len(frame) + 1
            expected = [[expected_cell(v) for v in row]
                        for row in frame.astype(object).itertuples(index=False)]
            assert rows[1:] == expected, name


def test_csv_reads_back_into_pandas_with_the_same_values(filled, tmp_path):
    out = exports.export(filled, "csv", tmp_path / "tables.zip")

    with zipfile.ZipFile(out) as archive:
        back = pd.read_csv(io.BytesIO(archive.read("communities.csv")), keep_default_na=False,
                           dtype=str)
    frame = filled.frame("communities")
    assert back["Community"].tolist() == ["Harbour Voices 🎶", "Pantry, Seamen's Hall",
                                          "'@librarians"]
    assert back["Community"].tolist() == [exports.neutralise(n) for n in frame["name"]]
    assert back["Kind"].tolist() == ["Hobby or club", "Volunteering", "Online group"]
    assert back["How active"].tolist() == ["Active", "Regular", "Occasional"]
    assert back["Notes"].tolist() == ["'+ sings on Thursdays", "جوقة\nline two", ""]
    assert back["Your role"].tolist() == ["'=alto", "", ""]
    assert back["Member since"].tolist() == ["2020", "", ""]
    assert back["Community id"].astype(int).tolist() == frame["id"].tolist()


def test_csv_neutralises_every_formula_trigger(filled, tmp_path):
    out = exports.export(filled, "csv", tmp_path / "tables.zip")

    with zipfile.ZipFile(out) as archive:
        text = archive.read("reflections.csv").decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    answers = [row[rows[0].index("Answer")] for row in rows[1:]]
    for formula in FORMULAS:
        assert "'" + formula in answers
    for answer in answers:
        assert not answer.startswith(exports.FORMULA_TRIGGERS)


# XLSX ---------------------------------------------------------------------------------------------


def test_xlsx_has_one_sheet_per_table_and_the_same_rows(filled, tmp_path):
    out = exports.export(filled, "xlsx", tmp_path / "workbook.xlsx")

    tables = sheets.readable_tables(filled)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == list(tables)
    for name, frame in tables.items():
        rows = list(book[name].iter_rows(values_only=True))
        assert list(rows[0]) == list(frame.columns)
        assert len(rows) == len(frame) + 1
        for got, want in zip(rows[1:], frame.astype(object).itertuples(index=False),
                             strict=True):
            for g, w in zip(got, want, strict=True):
                if pd.isna(w):
                    assert g is None
                elif isinstance(w, pd.Timestamp):
                    assert g.date() == w.date()
                elif isinstance(w, str):
                    # An empty text cell reads None; line breaks are LF in a spreadsheet.
                    want_text = exports.neutralise(w).replace("\r\n", "\n").replace("\r", "\n")
                    assert (g or "") == want_text
                else:
                    assert g == w


def test_xlsx_never_holds_a_formula(filled, tmp_path):
    out = exports.export(filled, "xlsx", tmp_path / "workbook.xlsx")

    book = openpyxl.load_workbook(out)
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    for formula in FORMULAS:
        assert "'" + formula.replace("\r", "\n") in texts
    assert "'=cmd|' /C calc'!A0" in texts
    assert not any(t.startswith(("=", "+", "-", "@")) for t in texts)


# ICS ----------------------------------------------------------------------------------------------


def _events(path):
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return calendar, calendar.walk("VEVENT")


def test_ics_has_one_ringing_event_per_active_resolution(filled, tmp_path, today):
    out = exports.export(filled, "ics", tmp_path / "gives.ics")

    calendar, events = _events(out)
    active = [r for r in filled.records(Resolution) if r.active]
    assert len(events) == len(active) == 4
    assert str(calendar["version"]) == "2.0"
    names = {c.id: c.name for c in filled.records(Community)}
    by_uid = {str(e["uid"]): e for e in events}
    for res in active:
        event = by_uid[f"resolution-{res.id}@networking-workbook"]
        sentence = res.sentence(names[res.community_id])
        want = sentence.replace("\r\n", "\n").replace("\r", "\n")
        assert str(event["summary"]) == exports.short_title(res, names[res.community_id])
        assert len(str(event["summary"])) <= 60
        assert str(event["description"]).startswith(want)
        assert "RRULE" in event
        assert event["dtstamp"].dt.date() == today
        assert event["dtstart"].dt.time() == dt.time(9, 0)
        [alarm] = event.walk("VALARM")
        assert str(alarm["action"]) == "DISPLAY" and alarm["trigger"].dt == dt.timedelta(0)
    assert str(by_uid[f"resolution-{active[0].id}@networking-workbook"]["summary"]) == (
        "Harbour Voices 🎶: thank the organiser")


def test_ics_description_keeps_semicolons_commas_and_line_breaks(filled, tmp_path):
    out = exports.export(filled, "ics", tmp_path / "gives.ics")

    _, events = _events(out)
    texts = [str(e["description"]) for e in events]
    breaker = next(t for t in texts if "cake" in t)
    assert "cake; coffee, and a chat\nthen\nmore\nend in Pantry, Seamen's Hall," in breaker
    raw = out.read_bytes()
    assert b"cake\\; coffee\\, and a chat\\nthen\\nmore\\nend" in raw
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded as RFC 5545 asks


def test_ics_rules_match_the_cadence(filled, tmp_path, today):
    out = exports.export(filled, "ics", tmp_path / "gives.ics")

    _, events = _events(out)
    rules = {str(e["summary"]).split(": ", 1)[1]: e["rrule"] for e in events}
    weekly = rules["thank the organiser"]
    # "Thursday rehearsal ends": the cue names its day, so the reminder is on Thursdays.
    assert weekly["FREQ"] == ["WEEKLY"] and weekly["BYDAY"] == ["TH"]
    zone = exports.local_zone()
    assert weekly["UNTIL"] == [dt.datetime(2026, 12, 31, 9, tzinfo=zone).astimezone(dt.UTC)]
    three = rules["answer a question"]
    assert three["FREQ"] == ["WEEKLY"] and three["BYDAY"] == ["MO", "WE", "FR"]
    quarterly = rules["visit"]
    assert quarterly["FREQ"] == ["MONTHLY"] and quarterly["INTERVAL"] == [3]
    # Started on the 31st: the last day of the month, so short months are not skipped.
    assert quarterly["BYMONTHDAY"] == [-1]
    # No end date: the calendar runs for a year from today.
    assert quarterly["UNTIL"][0].date() == today.replace(year=today.year + 1) - dt.timedelta(1)


def test_the_monday_stand_up_rings_on_mondays_at_nine_in_the_local_zone(store, tmp_path,
                                                                         monkeypatch):
    import recurring_ical_events

    monkeypatch.setenv("TZ", "Europe/Berlin")
    work = store.add(Community(name="Acme, the whole engineering floor", kind="work"))
    store.add(Resolution(cue="the Monday stand-up ends", give="say whose idea it was when a "
                         "project goes well, and thank them by name in front of everyone",
                         community_id=work, times=1, per="week", start=dt.date(2027, 1, 1)))
    store.add(Resolution(cue="lunch", give="ask a newcomer along", community_id=work, times=2,
                         per="week", start=dt.date(2027, 1, 1), weekdays=("TU", "TH"),
                         remind_at="12:15"))
    raw = exports.ics_bytes(store, dt.date(2026, 12, 1), 2027)
    calendar = icalendar.Calendar.from_ical(raw)
    assert b"TZID=Europe/Berlin" in raw and calendar.walk("VTIMEZONE")
    stand_up, lunch = calendar.walk("VEVENT")
    assert str(stand_up["summary"]) == (
        "Acme, the whole engineering floor: say whose idea it was\u2026")
    assert len(str(stand_up["summary"])) <= 60
    assert str(stand_up["description"]).startswith(
        "When the Monday stand-up ends in Acme, the whole engineering floor, I will say whose")
    # A second parser expands the first dates: Mondays from 4 January 2027 (1 January is a
    # Friday), at 09:00 in Berlin; the lunch plan on Tuesdays and Thursdays at 12:15.
    first = recurring_ical_events.of(calendar).between(dt.date(2027, 1, 1), dt.date(2027, 1, 15))
    berlin = ZoneInfo("Europe/Berlin")
    assert sorted(e["DTSTART"].dt for e in first if "whose idea" in str(e["summary"])) == [
        dt.datetime(2027, 1, 4, 9, tzinfo=berlin), dt.datetime(2027, 1, 11, 9, tzinfo=berlin)]
    lunches = [e["DTSTART"].dt for e in first if "newcomer" in str(e["summary"])]
    assert sorted(lunches) == [dt.datetime(2027, 1, d, 12, 15, tzinfo=berlin)
                               for d in (5, 7, 12, 14)]
    assert all(e.walk("VALARM") for e in first)


@pytest.mark.parametrize(
    ("times", "per", "rule"),
    [
        (1, "week", {"FREQ": "WEEKLY", "BYDAY": ["MO"]}),
        (1, "month", {"FREQ": "MONTHLY"}),
        (1, "quarter", {"FREQ": "MONTHLY", "INTERVAL": 3}),
        (1, "year", {"FREQ": "YEARLY"}),
        (3, "week", {"FREQ": "WEEKLY", "BYDAY": ["MO", "WE", "FR"]}),
        (7, "week", {"FREQ": "WEEKLY", "BYDAY": list(exports.WEEKDAYS)}),
        (2, "month", {"FREQ": "MONTHLY", "BYMONTHDAY": [5, 19]}),
        (3, "quarter", {"FREQ": "MONTHLY"}),
        (6, "quarter", {"FREQ": "MONTHLY", "BYMONTHDAY": [5, 19]}),
        (4, "year", {"FREQ": "MONTHLY", "INTERVAL": 3}),
        (12, "year", {"FREQ": "MONTHLY"}),
        (24, "year", {"FREQ": "MONTHLY", "BYMONTHDAY": [5, 19]}),
        (2, "quarter", {"FREQ": "WEEKLY", "INTERVAL": 7}),
        (10, "week", {"FREQ": "DAILY", "INTERVAL": 1}),
    ],
)
def test_recurrence_rules(times, per, rule):
    assert exports.recurrence(times, per, dt.date(2026, 1, 5)) == rule  # a Monday, the 5th


def test_weekdays_chosen_for_a_weekly_plan_win():
    assert exports.recurrence(1, "week", dt.date(2027, 1, 1), ("MO",)) == {
        "FREQ": "WEEKLY", "BYDAY": ["MO"]}
    assert exports.recurrence(2, "month", dt.date(2027, 1, 1), ("MO",)) == {
        "FREQ": "MONTHLY", "BYMONTHDAY": [1, 15]}  # weekdays are for weekly plans


@pytest.mark.parametrize("per", ["week", "month", "quarter", "year"])
@pytest.mark.parametrize("times", [1, 2, 3, 4, 6, 7, 12])
@pytest.mark.parametrize("start", [dt.date(2026, 1, 5), dt.date(2026, 3, 31),
                                   dt.date(2028, 2, 29)])
def test_recurrence_gives_the_planned_number_in_a_year(times, per, start):
    rule = exports.recurrence(times, per, start)
    text = icalendar.vRecur(rule).to_ical().decode()
    first = dt.datetime.combine(start, dt.time())
    days = list(rrule.rrulestr(text, dtstart=first).between(
        first, first + dt.timedelta(days=364), inc=True))
    planned = min(365, times * 365.25 / exports.PERIOD_DAYS[per])  # one reminder a day at most
    exact = times == 1 or (per == "week" and times <= 7) or (per == "month") or \
        (per in ("quarter", "year") and (exports.MONTHS_IN[per] % times == 0
                                         or times % exports.MONTHS_IN[per] == 0))
    if exact:
        assert abs(len(days) - planned) <= max(1, times) * 0.1 + 1
    else:
        assert abs(len(days) - planned) <= 0.25 * planned + 1
    assert len(set(days)) == len(days)


# GraphML ------------------------------------------------------------------------------------------


def test_graphml_reads_back_with_the_same_nodes_edges_and_attributes(filled, tmp_path):
    out = exports.export(filled, "graphml", tmp_path / "network.graphml")

    graph = nx.read_graphml(out)
    counts = filled.counts()
    assert graph.number_of_nodes() == 1 + counts["communities"] + counts["people"]
    assert graph.number_of_edges() == counts["communities"] + counts["memberships"]
    assert graph.nodes["me"]["type"] == "me"
    for c in filled.records(Community):
        node = graph.nodes[f"community-{c.id}"]
        assert (node["label"], node["kind"], node["type"]) == (c.name, c.kind, "community")
        assert graph.has_edge("me", f"community-{c.id}")
    for p in filled.records(Person):
        node = graph.nodes[f"person-{p.id}"]
        assert (node["label"], node["circle"]) == (p.name, p.circle)
        assert {n for n in graph.neighbors(f"person-{p.id}")} == {
            f"community-{cid}" for cid in p.communities}
    assert "Harbour Voices 🎶" in {d["label"] for _, d in graph.nodes(data=True)}


# Writing ------------------------------------------------------------------------------------------


def test_unknown_format_is_refused(filled, tmp_path):
    with pytest.raises(ValueError, match="csv, xlsx, ics, graphml"):
        exports.export(filled, "pdf", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def _old_file(tmp_path, name):
    """A file from an earlier export, alone in its folder."""
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / name
    target.write_bytes(b"old content")
    return target


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_a_failing_serialiser_leaves_the_old_file(filled, tmp_path, monkeypatch, fmt):
    target = _old_file(tmp_path, f"out.{fmt}")

    def broken(store, today):
        raise RuntimeError("serialiser failed")

    monkeypatch.setattr(exports, f"{'csv_zip' if fmt == 'csv' else fmt}_bytes", broken)
    with pytest.raises(RuntimeError):
        exports.export(filled, fmt, target)
    assert target.read_bytes() == b"old content"
    assert os.listdir(target.parent) == [target.name]


def test_a_failure_while_writing_leaves_the_old_file_and_no_temp_file(
    filled, tmp_path, monkeypatch
):
    target = _old_file(tmp_path, "out.xlsx")

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full_disk)
    with pytest.raises(OSError):
        exports.export(filled, "xlsx", target)
    assert target.read_bytes() == b"old content"
    assert os.listdir(target.parent) == [target.name]


def test_a_successful_export_replaces_the_old_file(filled, tmp_path):
    target = _old_file(tmp_path, "out.ics")

    exports.export(filled, "ics", target)

    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert os.listdir(target.parent) == [target.name]
