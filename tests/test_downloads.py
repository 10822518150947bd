"""Files to take away: each one is a real file of its kind, and its link carries no user text."""

from __future__ import annotations

import base64
import datetime as dt
import io
import os
import re

import icalendar
import openpyxl
import pypdf
import pytest

from workbook import backup, downloads
from workbook.model import Community, LogEntry, Person, Resolution
from workbook.sheets import SHEET_NAMES

LINK = re.compile(
    r'<div style="[^"<>]*"><a download="(?P<name>[a-z-]+\.[a-z]+)" '
    r'href="data:(?P<type>[a-z./+-]+);base64,(?P<data>[A-Za-z0-9+/]*={0,2})" '
    r'style="[^"<>]*">Download (?P=name) \((?P<size>[0-9.]+ (?:bytes|KB|MB))\)</a></div>'
)


@pytest.fixture
def demo(demo_one_year):
    """The demo persona's year, open for reading only."""
    with demo_one_year.read() as store:
        yield store


@pytest.fixture
def hostile(store, today, hostile_texts):
    """A workbook whose every name and note is text that would be markup or a link."""
    ids = [store.add(Community(name=text, notes=text, activity=3)) for text in hostile_texts]
    for text in hostile_texts:
        person = store.add(Person(name=text, circle=5, communities=tuple(ids[:2]), notes=text))
        resolution = store.add(Resolution(cue=text, give=text, community_id=ids[0],
                                          person_id=person))
        store.add(LogEntry(date=today, community_id=ids[0], person_id=person,
                           resolution_id=resolution, note=text))
    return store


def test_the_plan_is_a_pdf_with_the_communities(demo, today):
    data = downloads.file_bytes("plan", demo, today)
    assert data.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for name in ("Harbour Street Library", "Harbour Voices choir", "Gull Lane neighbours"):
        assert name in text
    assert len(reader.pages) == 2  # the plan, and a page of charts


def test_the_calendar_has_an_event_per_active_resolution_of_the_year(demo, today):
    year = today.year
    calendar = icalendar.Calendar.from_ical(downloads.file_bytes("ics", demo, today, year))
    events = calendar.walk("VEVENT")
    active = [r for r in demo.records(Resolution)
              if r.active and r.start.year <= year and (r.end is None or r.end.year >= year)]
    assert len(events) == len(active) > 0
    assert all(event.get("rrule") for event in events)
    assert {str(event["description"]).split("\n")[0] for event in events} == {
        r.sentence(demo.get(Community, r.community_id).name) for r in active}
    assert all(len(str(event["summary"])) <= 60 for event in events)


def test_the_spreadsheet_opens_with_a_sheet_per_table(demo, today):
    book = openpyxl.load_workbook(io.BytesIO(downloads.file_bytes("xlsx", demo, today)))
    assert book.sheetnames == list(SHEET_NAMES)
    assert book["Gives"].max_row == demo.counts()["log"] + 1  # and a header row
    assert book["Communities"]["A2"].value == "Harbour Street Library"


def test_the_backup_reads_back_as_the_same_workbook(demo, today):
    data = downloads.file_bytes("backup", demo, today)
    assert backup.load(data) == backup.all_records(demo)


@pytest.mark.parametrize("item", downloads.DOWNLOADS, ids=lambda d: d.key)
def test_an_empty_workbook_gives_valid_files(store, today, item):
    data = downloads.file_bytes(item.key, store, today)
    assert data
    if item.key == "plan":
        assert data.startswith(b"%PDF")
    elif item.key == "ics":
        assert icalendar.Calendar.from_ical(data).walk("VEVENT") == []
    elif item.key == "xlsx":
        assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames == list(SHEET_NAMES)
    else:
        assert backup.load(data) == []


@pytest.mark.parametrize("item", downloads.DOWNLOADS, ids=lambda d: d.key)
def test_the_link_holds_only_a_fixed_name_and_base64(hostile, today, item, hostile_texts):
    data = downloads.file_bytes(item.key, hostile, today)
    link = downloads.link_html(item.key, data)
    match = LINK.fullmatch(link)
    assert match, link[:300]
    assert match["name"] == item.filename and match["type"] == item.mimetype
    assert base64.b64decode(match["data"]) == data
    assert match["size"] == downloads.size_text(len(data))
    for text in hostile_texts:
        assert text not in link
    assert "<script" not in link and "javascript:" not in link
    assert link.count("<a ") == 1 and link.count("<") == 4  # div, a, /a, /div


def test_the_hostile_text_is_in_the_files_as_plain_data(hostile, today, hostile_texts):
    records = backup.load(downloads.file_bytes("backup", hostile, today))
    assert {r.name for r in records if isinstance(r, Community)} == set(hostile_texts)
    sheet = openpyxl.load_workbook(io.BytesIO(downloads.file_bytes("xlsx", hostile, today)))
    assert {row[0] for row in sheet["Communities"].iter_rows(min_row=2, values_only=True)} == set(
        hostile_texts)


def test_file_names_and_sizes():
    assert [d.filename for d in downloads.DOWNLOADS] == [
        "my-plan.pdf", "my-reminders.ics", "my-workbook.xlsx", "my-workbook-backup.json"]
    assert downloads.size_text(850) == "850 bytes"
    assert downloads.size_text(43_210) == "43 KB"
    assert downloads.size_text(2_140_000) == "2.1 MB"
    with pytest.raises(KeyError):
        downloads.file_bytes("exe", None, None)


def test_the_calendar_of_a_year_leaves_out_what_ends_before_it(store, today):
    choir = store.add(Community(name="Choir"))
    store.add_many([
        Resolution(cue="a", give="ends this year", community_id=choir,
                   start=dt.date(today.year, 1, 1), end=dt.date(today.year, 12, 31)),
        Resolution(cue="b", give="starts next year", community_id=choir,
                   start=dt.date(today.year + 1, 1, 1)),
        Resolution(cue="c", give="runs on", community_id=choir,
                   start=dt.date(today.year, 3, 1)),
    ])

    def gives(year):
        calendar = icalendar.Calendar.from_ical(downloads.file_bytes("ics", store, today, year))
        return sorted(str(e["summary"]).split(": ", 1)[1] for e in calendar.walk("VEVENT"))
    assert gives(today.year + 1) == ["runs on", "starts next year"]
    assert gives(today.year) == ["ends this year", "runs on"]


def test_in_the_app_a_file_is_handed_out_by_the_server_under_a_random_name(
        store, today, tmp_path, monkeypatch):
    from workbook import chart_bundle

    monkeypatch.setenv(chart_bundle.URL_VAR, chart_bundle.bundle_url())
    monkeypatch.setattr(chart_bundle, "cache_dir", lambda: tmp_path)
    store.add(Community(name="Choir"))
    data = downloads.file_bytes("backup", store, today)
    href = downloads.publish("backup", data)
    assert href.startswith("/voila/templates/networking-workbook/static/files/")
    assert href.endswith("/my-workbook-backup.json")
    served = chart_bundle.bundle_path().parent / href.split("/static/", 1)[1]
    assert served.read_bytes() == data
    assert oct(served.stat().st_mode & 0o777) == "0o600"
    assert oct(served.parent.stat().st_mode & 0o777) == "0o700"
    other = downloads.publish("backup", data)
    assert other != href  # a new name each time
    # A file older than the time files are kept is removed when the next one is made.
    stale = served.parent
    aged = stale.stat().st_mtime - downloads.KEEP_SECONDS - 60
    os.utime(stale, (aged, aged))
    downloads.publish("backup", data)
    assert not stale.exists()
    assert (chart_bundle.bundle_path().parent / other.split("/static/", 1)[1]).exists()
    link = downloads.link_html("backup", data, href)
    assert f'href="{href}"' in link and "base64" not in link


def test_outside_the_app_the_link_carries_the_file(store, today, monkeypatch):
    from workbook import chart_bundle

    monkeypatch.delenv(chart_bundle.URL_VAR, raising=False)
    assert downloads.publish("backup", b"{}") is None


def test_the_plan_and_the_backup_carry_the_owners_name(store, today, hostile_texts):
    for name in hostile_texts:
        store.set_owner(name)
        plan = pypdf.PdfReader(io.BytesIO(downloads.file_bytes("plan", store, today)))
        assert name in plan.pages[0].extract_text()
        records = backup.load(downloads.file_bytes("backup", store, today))
        assert records[0].name == name
