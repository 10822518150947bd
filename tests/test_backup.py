"""The JSON backup: exact round trips, and strict refusal of anything else."""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbook import backup
from workbook.atomic import atomic_write
from workbook.backup import BackupError
from workbook.cli import main
from workbook.model import (
    ACTIVITY_LEVELS,
    CIRCLES,
    COMMUNITY_KINDS,
    GIVE_KINDS,
    PERIODS,
    WEEKDAYS,
    Community,
    HelpReceived,
    LogEntry,
    Owner,
    Pause,
    Person,
    Reflection,
    Resolution,
    WorkbookError,
)
from workbook.store import Store

# Dates stay before the pinned day so the same workbook is valid on the real clock too
# (subprocess runs do not see the pinned clock).
HOSTILE = (
    "Chorale 🎶👩🏽‍🤝‍👩🏻",
    "جوقة الكنيسة שלום",
    "</script><script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "quotes \"double\" 'single' `back` \\ backslash",
    "line one\nline two\r\nwith\ttab",
    "\u202eright-to-left override\u202c and zero\u200bwidth",
)


def hostile_records() -> list:
    """A small workbook whose every text field is something a careless app would break on."""
    long_note = ("long " * 1000)[:5000]
    communities = [
        Community(name=text[:200], kind=kind, role=HOSTILE[i - 1], activity=i % 5,
                  since=2000 + i, notes=HOSTILE[-i], id=i * 10)
        for i, (text, kind) in enumerate(zip(HOSTILE, [*COMMUNITY_KINDS[:6], "my own kind"],
                                             strict=True), start=1)
    ]
    people = [
        Person(name=HOSTILE[i], circle=CIRCLES[i % 4], notes=long_note if i == 0 else HOSTILE[i],
               communities=(10, 20 + 10 * (i % 3)), id=i + 1)
        for i in range(len(HOSTILE))
    ]
    resolutions = [
        Resolution(cue=HOSTILE[2], give=HOSTILE[3], community_id=10, times=2, per="month",
                   start="2026-01-01", end="2026-12-31", person_id=2, idea_id="idea-1", id=5),
        Resolution(cue="when the newsletter lands", give="share one useful link",
                   community_id=70, times=1, per="week", start="2026-02-01", active=False, id=9),
    ]
    log = [
        # a give counts for resolution 5 only in its own community, community 10
        LogEntry(date=dt.date(2026, 1, 1) + dt.timedelta(days=7 * i),
                 community_id=10 if i % 3 == 0 else 10 * (1 + i % 7),
                 kind=GIVE_KINDS[i % len(GIVE_KINDS)], minutes=5 * i,
                 note=long_note if i == 3 else HOSTILE[i % len(HOSTILE)],
                 person_id=(i % 7) + 1 if i % 2 else None, resolution_id=5 if i % 3 == 0 else None,
                 id=100 + i)
        for i in range(20)
    ]
    help_received = [
        HelpReceived(date="2026-05-05", note=HOSTILE[0], community_id=30, id=1),
        HelpReceived(date="2026-06-06", note=long_note, person_id=3, id=2),
    ]
    reflections = [
        Reflection(prompt_id="gave-most", answer=HOSTILE[1], date="2026-03-03", id=1),
        Reflection(prompt_id="neglected", answer=HOSTILE[4] + "\n" + long_note[:4000],
                   date="2026-10-10", id=4),
    ]
    return [*communities, *people, *resolutions, *log, *help_received, *reflections]


def snapshot(path: Path) -> dict[str, bytes]:
    """The bytes of a workbook file and any side files SQLite keeps next to it."""
    return {
        p.name: p.read_bytes()
        for p in sorted(path.parent.glob(path.name + "*"))
    }


@pytest.fixture
def hostile(tmp_path) -> Path:
    """A closed workbook file holding the hostile records."""
    path = tmp_path / "hostile.sqlite"
    with Store(path) as s:
        s.add_many(hostile_records())
    return path


@pytest.fixture
def backup_text(hostile) -> str:
    with Store(hostile) as s:
        return backup.dump(s)


# -- round trips ------------------------------------------------------------------------------
def test_dump_has_the_documented_layout(backup_text):
    doc = json.loads(backup_text)
    assert list(doc) == ["format", "format_version", "owner", "communities", "people",
                         "resolutions", "log", "help_received", "reflections", "pauses"]
    assert doc["format"] == "networking-workbook" and doc["format_version"] == 3
    assert doc["owner"] is None
    assert doc["resolutions"][0]["weekdays"] == [] and doc["resolutions"][0]["remind_at"] == "09:00"
    assert [c["id"] for c in doc["communities"]] == [10, 20, 30, 40, 50, 60, 70]
    assert doc["people"][0] == {"id": 1, "name": HOSTILE[0], "circle": 5,
                                "notes": ("long " * 1000)[:5000], "communities": [10, 20]}
    assert doc["resolutions"][0]["start"] == "2026-01-01"
    assert doc["resolutions"][1]["end"] is None and doc["resolutions"][1]["active"] is False
    assert len(doc["log"]) == 20 and len(doc["help_received"]) == 2
    # Text is kept as written: no HTML escaping, emoji and right-to-left text unescaped.
    assert "</script><script>alert(1)</script>" in backup_text
    assert "🎶" in backup_text and "שלום" in backup_text
    assert backup_text.endswith("}\n")


def test_round_trip_is_byte_for_byte(backup_text, tmp_path):
    records = backup.load(backup_text.encode("utf-8"))
    assert records == hostile_records()
    with Store(tmp_path / "copy.sqlite") as copy:
        counts = backup.restore(copy, records)
        again = backup.dump(copy)
    assert again == backup_text
    assert counts["communities"] == 7 and counts["log"] == 20 and counts["memberships"] == 14


def test_round_trip_through_the_command_line(hostile, tmp_path, capsys):
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    copy = tmp_path / "new" / "copy.sqlite"
    assert main(["export", "--db", str(hostile), "--out", str(first)]) == 0
    assert main(["import", str(first), "--db", str(copy)]) == 0
    assert "Imported 40 records" in capsys.readouterr().out
    assert main(["export", "--db", str(copy), "--out", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()


def test_load_accepts_text_and_a_byte_order_mark(backup_text):
    assert backup.load(backup_text) == backup.load(b"\xef\xbb\xbf" + backup_text.encode())


def test_an_empty_workbook_round_trips(store, tmp_path):
    text = backup.dump(store)
    assert backup.load(text) == []
    with Store(tmp_path / "other.sqlite") as other:
        backup.restore(other, [])
        assert backup.dump(other) == text


# -- property-based round trip ----------------------------------------------------------------
TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\r\t"), max_size=40
)
NAME = TEXT.filter(lambda s: s.strip())
DATES = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2026, 11, 26))
IDS = st.integers(min_value=1, max_value=2**63 - 1)


@st.composite
def workbooks(draw) -> list:
    """Random valid records whose references all point inside the workbook."""
    cids = draw(st.lists(IDS, min_size=1, max_size=4, unique=True))
    communities = [
        Community(name=draw(NAME), kind=draw(st.sampled_from(COMMUNITY_KINDS) | NAME),
                  role=draw(TEXT), activity=draw(st.integers(0, len(ACTIVITY_LEVELS) - 1)),
                  since=draw(st.none() | st.integers(1900, 2026)), notes=draw(TEXT), id=i)
        for i in cids
    ]
    pids = draw(st.lists(IDS, max_size=4, unique=True))
    people = [
        Person(name=draw(NAME), circle=draw(st.sampled_from(CIRCLES)), notes=draw(TEXT),
               communities=tuple(draw(st.lists(st.sampled_from(cids), max_size=3))), id=i)
        for i in pids
    ]
    rids = draw(st.lists(IDS, max_size=3, unique=True))
    resolutions = []
    for i in rids:
        start = draw(DATES)
        end = draw(st.none() | st.dates(min_value=start, max_value=dt.date(2100, 12, 31)))
        resolutions.append(Resolution(
            cue=draw(NAME), give=draw(NAME), community_id=draw(st.sampled_from(cids)),
            times=draw(st.integers(1, 31)), per=draw(st.sampled_from(PERIODS)), start=start,
            end=end, person_id=draw(st.none() | st.sampled_from(pids)) if pids else None,
            active=draw(st.booleans()), idea_id=draw(st.none() | NAME),
            weekdays=tuple(draw(st.lists(st.sampled_from(WEEKDAYS), unique=True, max_size=3))),
            remind_at=f"{draw(st.integers(0, 23)):02}:{draw(st.integers(0, 59)):02}", id=i))
    log = []
    for i in draw(st.lists(IDS, max_size=6, unique=True)):
        day, community = draw(DATES), draw(st.sampled_from(cids))
        # a give counts only for a resolution of its community that runs on its day
        fits = [r.id for r in resolutions if r.community_id == community and r.start <= day
                and (r.end is None or day <= r.end)]
        log.append(LogEntry(
            date=day, community_id=community, kind=draw(st.sampled_from(GIVE_KINDS)),
            minutes=draw(st.integers(0, 1440)), note=draw(TEXT),
            person_id=draw(st.none() | st.sampled_from(pids)) if pids else None,
            resolution_id=draw(st.none() | st.sampled_from(fits)) if fits else None, id=i))
    pauses = [
        Pause(start=(start := draw(DATES)),
              end=draw(st.none() | st.dates(min_value=start, max_value=dt.date(2100, 12, 31))),
              community_id=draw(st.none() | st.sampled_from(cids)), note=draw(TEXT), id=i)
        for i in draw(st.lists(IDS, max_size=2, unique=True))
    ]
    helps = [
        HelpReceived(date=draw(DATES), note=draw(NAME),
                     community_id=draw(st.none() | st.sampled_from(cids)),
                     person_id=draw(st.none() | st.sampled_from(pids)) if pids else None, id=i)
        for i in draw(st.lists(IDS, max_size=3, unique=True))
    ]
    reflections = [
        Reflection(prompt_id=draw(NAME), answer=draw(NAME), date=draw(DATES), id=i)
        for i in draw(st.lists(IDS, max_size=3, unique=True))
    ]
    return [*communities, *people, *resolutions, *log, *helps, *reflections, *pauses]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(workbooks())
def test_any_workbook_round_trips_exactly(records):
    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "a.sqlite") as a:
            backup.restore(a, records)
            text = backup.dump(a)
        loaded = backup.load(text.encode("utf-8"))
        assert sorted(loaded, key=repr) == sorted(records, key=repr)
        with Store(Path(tmp) / "b.sqlite") as b:
            backup.restore(b, loaded)
            assert backup.dump(b) == text


# -- refusals ----------------------------------------------------------------------------------
def _edit(text: str, change) -> bytes:
    doc = json.loads(text)
    change(doc)
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _set(section, index, key, value):
    def change(doc):
        doc[section][index][key] = value
    return change


def _drop(section, index, key):
    def change(doc):
        del doc[section][index][key]
    return change


def _top(key, value=None, delete=False):
    def change(doc):
        if delete:
            del doc[key]
        else:
            doc[key] = value
    return change


def _duplicate(section):
    def change(doc):
        doc[section].append(dict(doc[section][0]))
    return change


# name -> (how to make the bad input from a good backup, words the one-line message holds)
BAD_INPUTS = {
    "empty file": (lambda t: b"", "not valid JSON"),
    "plain text": (lambda t: b"my gives this year", "not valid JSON"),
    "truncated": (lambda t: t[: len(t) // 2].encode(), "not valid JSON"),
    "invalid utf-8": (lambda t: t.encode().replace(b"Chorale", b"Chor\xffle"), "not UTF-8"),
    "a list": (lambda t: b"[1, 2, 3]", "must be a JSON object"),
    "wrong format": (lambda t: _edit(t, _top("format", "other-app")), "not a Networking Workbook"),
    "no format": (lambda t: _edit(t, _top("format", delete=True)), "not a Networking Workbook"),
    "newer version": (lambda t: _edit(t, _top("format_version", backup.FORMAT_VERSION + 1)),
                      "newer version"),
    "version as text": (lambda t: _edit(t, _top("format_version", "1")), "format_version"),
    "unknown top key": (lambda t: _edit(t, _top("passwords", [])), 'unknown key "passwords"'),
    "missing list": (lambda t: _edit(t, _top("log", delete=True)), 'no "log" list'),
    "list is an object": (lambda t: _edit(t, _top("people", {})), '"people" must be a list'),
    "record not an object": (lambda t: _edit(t, _top("reflections", [7])),
                             "reflection at position 1: It must be a JSON object"),
    "unknown field": (lambda t: _edit(t, _set("log", 2, "colour", "red")),
                      'log entry 102: Unknown field "colour"'),
    "missing field": (lambda t: _edit(t, _drop("communities", 0, "kind")),
                      'community 10: The field "kind" is missing'),
    "text as number": (lambda t: _edit(t, _set("log", 0, "minutes", "5")),
                       "log entry 100: Minutes must be a whole number"),
    "float as number": (lambda t: _edit(t, _set("log", 0, "minutes", 5.0)),
                        "log entry 100: Minutes must be a whole number"),
    "bool as number": (lambda t: _edit(t, _set("communities", 0, "activity", True)),
                       "community 10: Activity level must be a whole number"),
    "number as text": (lambda t: _edit(t, _set("people", 1, "name", 42)),
                       "person 2: Name must be text"),
    "text as bool": (lambda t: _edit(t, _set("resolutions", 0, "active", "yes")),
                     "resolution 5: Active must be true or false"),
    "null where required": (lambda t: _edit(t, _set("log", 1, "date", None)),
                            "log entry 101: Date is required"),
    "future date": (lambda t: _edit(t, _set("log", 3, "date", "2099-01-01")),
                    "log entry 103: Date cannot be in the future."),
    "impossible date": (lambda t: _edit(t, _set("reflections", 0, "date", "2026-02-30")),
                        "reflection 1: Date must be a date like 2026-12-31"),
    "compact date": (lambda t: _edit(t, _set("reflections", 0, "date", "20260203")),
                     "reflection 1: Date must be a date like 2026-12-31"),
    "model rule": (lambda t: _edit(t, _set("people", 0, "circle", 7)),
                   "person 1: Circle must be one of: 5, 15, 50, 150"),
    "too long": (lambda t: _edit(t, _set("log", 0, "note", "x" * 5001)),
                 "log entry 100: Note is too long"),
    "control character": (lambda t: _edit(t, _set("communities", 1, "name", "a\x00b")),
                          "community 20: Name contains a control character"),
    "lone surrogate": (lambda t: t.replace('"gave-most"', '"\\ud800"').encode(),
                       "reflection 1: Prompt contains a control character"),
    "id missing": (lambda t: _edit(t, _drop("help_received", 0, "id")),
                   'help-received entry at position 1: Its "id" must be a whole number'),
    "id zero": (lambda t: _edit(t, _set("people", 0, "id", 0)), "person at position 1"),
    "id too large": (lambda t: _edit(t, _set("people", 0, "id", 2**70)), "person at position 1"),
    "huge number": (lambda t: t.replace('"minutes": 0', '"minutes": ' + "9" * 5000).encode(),
                    "not valid JSON"),
    "NaN": (lambda t: t.replace('"minutes": 0', '"minutes": NaN').encode(), "NaN"),
    "Infinity": (lambda t: t.replace('"minutes": 0', '"minutes": -Infinity').encode(),
                 "-Infinity"),
    "duplicate key": (lambda t: t.replace('"minutes": 0', '"minutes": 0, "minutes": 1').encode(),
                      'key "minutes" twice'),
    "duplicate id": (lambda t: _edit(t, _duplicate("log")), "log entry 100 appears twice"),
    "dangling person": (lambda t: _edit(t, _set("log", 1, "person_id", 999)),
                        "log entry 101: It refers to person 999, which is not in the backup"),
    "dangling membership": (lambda t: _edit(t, _set("people", 0, "communities", [10, 11])),
                            "person 1: It refers to community 11"),
    "dangling resolution": (lambda t: _edit(t, _set("log", 1, "resolution_id", 6)),
                            "log entry 101: It refers to resolution 6"),
    "membership of text": (lambda t: _edit(t, _set("people", 0, "communities", ["10"])),
                           "person 1: Communities must be a list of numbers"),
    "deeply nested": (lambda t: b"[" * 200_000 + b"]" * 200_000, "nested too deeply"),
    "nested in a record": (
        lambda t: t.replace('"note": "', '"note": ' + "[" * 100_000 + "]" * 100_000 + ', "x": "',
                            1).encode(),
        "nested too deeply",
    ),
}


@pytest.mark.parametrize(("first", "second", "words"), [
    (("date", "2099-01-01"), ("minutes", "5"), "log entry 101: Date cannot be in the future."),
    (("minutes", "5"), ("date", "2099-01-01"), "log entry 101: Minutes must be a whole number."),
    (("minutes", 5.0), ("colour", "red"), "log entry 101: Minutes must be a whole number."),
    (("colour", "red"), ("minutes", 5.0), 'log entry 101: Unknown field "colour".'),
    (("note", "x" * 5001), ("id", 0), "log entry 101: Note is too long"),
    (("id", 0), ("note", "x" * 5001), "log entry at position 2"),
])
def test_of_two_faults_in_a_list_the_first_is_named(backup_text, first, second, words):
    # Whatever kind each fault is (a field's type, a model rule, the fields themselves).
    data = _edit(_edit(backup_text, _set("log", 1, *first)).decode(), _set("log", 3, *second))
    with pytest.raises(BackupError) as caught:
        backup.load(data)
    assert str(caught.value).startswith(words)


@pytest.fixture
def target(tmp_path) -> Path:
    """A workbook that already holds something, to prove a failed import leaves it alone."""
    path = tmp_path / "target.sqlite"
    with Store(path) as s:
        s.add(Community(name="Food pantry", kind="volunteering"))
    return path


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_backup_fails_with_one_line_and_changes_nothing(
    name, backup_text, target, tmp_path, capsys
):
    make, words = BAD_INPUTS[name]
    data = make(backup_text)
    with pytest.raises(BackupError) as caught:
        backup.load(data)
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)

    bad = tmp_path / "bad.json"
    bad.write_bytes(data)
    before = snapshot(target)
    capsys.readouterr()
    assert main(["import", str(bad), "--replace", "--db", str(target)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("workbook: error: ") and err.count("\n") == 1
    assert words in err and "Traceback" not in err
    assert snapshot(target) == before

    fresh = tmp_path / "never" / "made.sqlite"
    assert main(["import", str(bad), "--db", str(fresh)]) == 1
    assert not fresh.parent.exists()


def test_over_long_input_is_refused_before_reading(tmp_path, target, capsys):
    with pytest.raises(BackupError, match="too large"):
        backup.load(b" " * (backup.MAX_BYTES + 1))
    big = tmp_path / "big.json"
    with open(big, "wb") as f:  # sparse: the size is what counts
        f.truncate(backup.MAX_BYTES + 1)
    before = snapshot(target)
    assert main(["import", str(big), "--db", str(target), "--replace"]) == 1
    assert f"too large: {backup.MAX_BYTES + 1:,} bytes" in capsys.readouterr().err
    assert snapshot(target) == before


def test_import_into_a_non_empty_workbook_needs_replace(backup_text, target, tmp_path, capsys):
    good = tmp_path / "good.json"
    good.write_text(backup_text, encoding="utf-8")
    before = snapshot(target)
    assert main(["import", str(good), "--db", str(target)]) == 1
    err = capsys.readouterr().err
    assert "not empty (communities: 1)" in err and "--replace" in err
    assert snapshot(target) == before

    assert main(["import", str(good), "--db", str(target), "--replace"]) == 0
    with Store(target) as s:
        assert backup.dump(s) == backup_text


def test_restore_checks_references_and_writes_nothing_on_failure(target):
    with Store(target) as s:
        before = backup.dump(s)
        broken = [Community(name="Choir", id=1), LogEntry(date="2026-01-01", community_id=2, id=1)]
        with pytest.raises(BackupError, match="log entry 1: It refers to community 2"):
            backup.restore(s, broken, replace=True)
        with pytest.raises(BackupError, match="needs its id"):
            backup.restore(s, [Community(name="No id")], replace=True)
        assert backup.dump(s) == before


@pytest.mark.parametrize(("broken", "message"), [
    ([Community(name="Choir", id=1), Community(name="Band", id=1)], "community 1 appears twice."),
    ([Community(name="Choir", id=1), Person(name="Ana", communities=(1, 4), id=2)],
     "person 2: It refers to community 4, which is not in the backup."),
    ([Community(name="Choir", id=1), Community(name="Band", id=2),
      Resolution(cue="c", give="g", community_id=1, start="2026-01-01", id=3),
      LogEntry(date="2026-02-01", community_id=2, resolution_id=3, id=7)],
     "log entry 7: Its resolution 3 belongs to another community."),
    ([Community(name="Choir", id=1),
      Resolution(cue="c", give="g", community_id=1, start="2026-03-01", id=3),
      LogEntry(date="2026-02-01", community_id=1, resolution_id=3, id=7)],
     "log entry 7: Its resolution 3 starts on 2026-03-01, after this give."),
])
@pytest.mark.parametrize("replace", [False, True])
def test_restore_names_the_record_at_fault_into_any_workbook(tmp_path, broken, message, replace):
    # Into an empty workbook, a full one with --replace, or a full one without: the same words.
    for filled in (False, True):
        path = tmp_path / f"{filled}-{replace}.sqlite"
        with Store(path) as s:
            if filled:
                s.add(Community(name="Kept"))
            before = backup.dump(s)
            with pytest.raises(BackupError) as refused:
                backup.restore(s, broken, replace=replace)
            assert str(refused.value) == message
            assert backup.dump(s) == before
        with pytest.raises(BackupError) as refused:
            backup.check_references(broken)
        assert str(refused.value) == message


def test_restore_is_one_transaction(target):
    # A record the database itself refuses comes last; nothing before it may stay.
    with Store(target) as s:
        before = backup.dump(s)
        records = [Community(name="Choir", id=1), Person(name="Ana", id=1)]
        records.append(Resolution(cue="c", give="g", community_id=1, start="2026-01-01", id=1))
        bad = records[-1]
        object.__setattr__(bad, "times", 99)  # slips past the model, caught by SQLite's CHECK
        with pytest.raises(WorkbookError, match="refused"):
            backup.restore(s, records, replace=True)
        assert backup.dump(s) == before


def test_atomic_write_replaces_whole_files(tmp_path):
    path = tmp_path / "out.json"
    atomic_write(path, "first ✓")
    assert path.read_text(encoding="utf-8") == "first ✓"
    assert path.stat().st_mode & 0o777 == 0o600
    path.chmod(0o644)
    atomic_write(path, b"second")
    assert path.read_bytes() == b"second"
    assert path.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary file left
    with pytest.raises(TypeError):
        atomic_write(path, 12345)
    assert path.read_bytes() == b"second"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_atomic_write_names_a_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="No such folder") as caught:
        atomic_write(tmp_path / "gone" / "out.json", "x")
    assert caught.value.filename == str(tmp_path / "gone")
    assert list(tmp_path.iterdir()) == []


# -- older formats ------------------------------------------------------------------------------
def test_each_format_version_names_its_fields_and_the_newest_holds_the_whole_model():
    import dataclasses

    newest = backup.FIELDS[backup.FORMAT_VERSION]
    for cls, names in newest.items():
        assert set(names) == {f.name for f in dataclasses.fields(cls)
                              if f.name != "version"}, cls.__name__
    assert Pause not in backup.FIELDS[1] and "weekdays" not in backup.FIELDS[1][Resolution]


def test_a_version_1_backup_written_today_still_imports(backup_text, tmp_path):
    records = backup.load(backup_text)
    old = json.dumps(backup.to_document(records, version=1), ensure_ascii=False, indent=1)
    doc = json.loads(old)
    assert doc["format_version"] == 1 and "pauses" not in doc
    assert "weekdays" not in doc["resolutions"][0]
    again = backup.load(old)
    assert [r for r in again if type(r) is Resolution] == [
        r.with_changes(weekdays=(), remind_at="09:00") for r in records if type(r) is Resolution]
    with Store(tmp_path / "from-v1.sqlite") as store:
        backup.restore(store, again)
        assert store.check() == []
    # A version-1 file that carries a field of version 2 is not a version-1 file.
    doc["resolutions"][0]["weekdays"] = ["MO"]
    with pytest.raises(BackupError, match='Unknown field "weekdays"'):
        backup.load(json.dumps(doc))


def test_a_give_credited_to_another_communitys_resolution_is_refused(backup_text, tmp_path):
    doc = json.loads(backup_text)
    give = next(g for g in doc["log"] if g["resolution_id"] == 5)
    give["community_id"] = 20
    with pytest.raises(BackupError) as caught:
        backup.load(json.dumps(doc))
    assert str(caught.value) == (f"log entry {give['id']}: Its resolution 5 belongs to another "
                                 "community.")
    give["community_id"], give["date"] = 10, "2025-12-31"
    with pytest.raises(BackupError, match="Its resolution 5 starts on 2026-01-01, after this"):
        backup.load(json.dumps(doc))


# -- the owner's name (format_version 3) --------------------------------------------------------
# One-line names only: a name is printed on one line of a plan.
OWNER_NAMES = [h for h in HOSTILE if "\n" not in h and "\t" not in h] + [
    "x" * 80, "Ana María 👩🏽‍🦱", "عائشة بنت يوسف", "<img src=x onerror=alert(1)>"]


@pytest.mark.parametrize("name", OWNER_NAMES)
def test_the_owners_name_round_trips_exactly(hostile, tmp_path, name):
    with Store(hostile) as s:
        s.set_owner(name)
        text = backup.dump(s)
    doc = json.loads(text)
    assert list(doc)[:3] == ["format", "format_version", "owner"]
    assert doc["owner"] == {"name": name}
    records = backup.load(text)
    assert records[0] == Owner(name) and records[1:] == hostile_records()
    with Store(tmp_path / "copy.sqlite") as copy:
        backup.restore(copy, records)
        assert copy.owner == name
        assert backup.dump(copy) == text


def test_import_replace_restores_the_owner_and_an_older_backup_leaves_none(hostile, tmp_path,
                                                                          capsys):
    with Store(hostile) as s:
        s.set_owner("Ana 🎶 <b>")
    first = tmp_path / "first.json"
    target = tmp_path / "target.sqlite"
    assert main(["export", "--db", str(hostile), "--out", str(first)]) == 0
    with Store(target) as t:
        t.add(Community("Something else"))
        t.set_owner("Ben")
    assert main(["import", str(first), "--db", str(target), "--replace"]) == 0
    with Store(target) as t:
        assert t.owner == "Ana 🎶 <b>" and t.counts()["communities"] == 7
    # A version-2 backup has no owner: replacing the workbook with it leaves no name behind,
    # and importing it into an empty workbook keeps the name given there.
    older = tmp_path / "v2.json"
    older.write_text(json.dumps(backup.to_document(backup.load(first.read_text()), version=2)))
    assert "owner" not in json.loads(older.read_text())
    assert main(["import", str(older), "--db", str(target), "--replace"]) == 0
    with Store(target) as t:
        assert t.owner == "" and t.counts()["communities"] == 7
    fresh = tmp_path / "fresh.sqlite"
    with Store(fresh) as f:
        f.set_owner("Cleo")
    assert main(["import", str(older), "--db", str(fresh)]) == 0
    with Store(fresh) as f:
        assert f.owner == "Cleo" and f.counts()["communities"] == 7
    capsys.readouterr()


@pytest.mark.parametrize("owner, words", [
    ("Ana", '"owner" must be a JSON object or null'),
    ({"name": 5}, "owner: Name must be text"),
    ({"name": None}, "owner: Name is required"),
    ({"name": "x" * 81}, "owner: Name is too long: 81 characters, at most 80"),
    ({"name": "Ana\nBen"}, "owner: Name must be on one line"),
    ({"name": "Ana", "email": "a@b"}, 'owner: Unknown field "email"'),
    ({}, 'owner: The field "name" is missing'),
])
def test_a_bad_owner_entry_is_refused(backup_text, owner, words):
    with pytest.raises(BackupError, match=re.escape(words)):
        backup.load(_edit(backup_text, _top("owner", owner)))


def test_a_version_2_backup_with_an_owner_is_not_a_version_2_backup(backup_text):
    doc = backup.to_document(backup.load(backup_text), version=2)
    assert backup.load(json.dumps(doc)) == hostile_records()
    doc["owner"] = {"name": "Ana"}
    with pytest.raises(BackupError, match='unknown key "owner"'):
        backup.load(json.dumps(doc))


def test_an_empty_owner_name_reads_as_none_and_two_owners_are_refused(backup_text, store):
    assert backup.load(_edit(backup_text, _top("owner", {"name": "  "}))) == hostile_records()
    with pytest.raises(BackupError, match="one owner"):
        backup.restore(store, [Owner("Ana"), Owner("Ben")])
    assert store.owner == ""


# -- the log, checked a column at a time ----------------------------------------------------------

from shared import IMG  # noqa: E402

from workbook import backup_read, model  # noqa: E402

_EDGE_NOTES = st.sampled_from(["", "ok", "x" * 5_000, "x" * 5_001, "tab\there", "a\x00b",
                               "\ud800", "\u2028", "\x7f", "\x85", "שלום 🎶", IMG])
_EDGE_DATES = st.sampled_from(["2026-01-01", "1900-01-01", "1899-12-31", "2026-11-26",
                               "2026-11-27", "2100-12-31", "2026-02-30", "0000-01-01"])
_LOG_ITEM = st.fixed_dictionaries({
    "id": st.integers(1, 2**63 - 1),
    "date": _EDGE_DATES,
    "community_id": st.sampled_from([1, 0, -1, 2**63 - 1]),
    "kind": st.sampled_from([*model.GIVE_KINDS[:3], "bribe", "Advice", ""]),
    "minutes": st.sampled_from([0, 5, 1440, 1441, -1]),
    "note": _EDGE_NOTES,
    "person_id": st.sampled_from([None, 1, 0, 7]),
    "resolution_id": st.sampled_from([None, 3, -2]),
})


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LOG_ITEM, max_size=6))
def test_the_column_check_of_the_log_agrees_with_each_record_s_own(items):
    quick = backup_read._log_entries(items)
    try:
        one_by_one = [LogEntry(**item) for item in items]
    except model.ValidationError:
        assert quick is None  # anything a record refuses, the columns leave to the records
        return
    if quick is not None:
        assert quick == one_by_one
        assert [r.__dict__ for r in quick] == [r.__dict__ for r in one_by_one]


def test_a_sound_log_goes_the_column_way_and_each_bad_value_the_record_way(backup_text):
    items = json.loads(backup_text)["log"]
    assert items and backup_read._log_entries(items) == [LogEntry(**i) for i in items]
    bad = {"date": "2026-11-27", "kind": "bribe", "minutes": 1441, "note": "a\x00b",
           "community_id": 0, "person_id": -1, "resolution_id": 0}
    for key, value in bad.items():
        assert backup_read._log_entries([*items, {**items[0], key: value}]) is None, key
    assert backup_read._log_entries([*items, {**items[0], "note": "x" * 5_001}]) is None
