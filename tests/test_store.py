"""The workbook file: creation, writes, typed frames, migration, and files it must refuse."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from shared import HOSTILE

from workbook.model import (
    Community,
    HelpReceived,
    LogEntry,
    Person,
    Reflection,
    Resolution,
    WorkbookError,
)
from workbook.store import (
    APPLICATION_ID,
    FRAME_NAMES,
    SCHEMA_VERSION,
    NotAWorkbookError,
    Store,
    check_file,
    open_store,
)

FIXTURES = Path(__file__).parent / "fixtures"
DAY = dt.date(2026, 3, 14)

# The contract every reader of the workbook relies on.
DTYPES = {
    "communities": {"id": "int64", "name": "str", "kind": "str", "role": "str",
                    "activity": "int64", "since": "Int64", "notes": "str"},
    "people": {"id": "int64", "name": "str", "circle": "int64", "notes": "str"},
    "memberships": {"person_id": "int64", "community_id": "int64"},
    "resolutions": {"id": "int64", "cue": "str", "give": "str", "community_id": "int64",
                    "person_id": "Int64", "times": "int64", "per": "str",
                    "start": "datetime64[ns]", "end": "datetime64[ns]", "active": "bool",
                    "idea_id": "object", "weekdays": "str", "remind_at": "str"},
    "log": {"id": "int64", "date": "datetime64[ns]", "community_id": "int64",
            "person_id": "Int64", "resolution_id": "Int64", "kind": "str", "minutes": "int64",
            "note": "str"},
    "help": {"id": "int64", "date": "datetime64[ns]", "community_id": "Int64",
             "person_id": "Int64", "note": "str"},
    "reflections": {"id": "int64", "prompt_id": "str", "date": "datetime64[ns]",
                    "answer": "str"},
    "pauses": {"id": "int64", "start": "datetime64[ns]", "end": "datetime64[ns]",
               "community_id": "Int64", "note": "str"},
}


def _pragma(store: Store, name: str):
    with store.transaction() as con:
        return con.execute(f"PRAGMA {name}").fetchone()[0]


def _dump(path: Path) -> list[str]:
    """Every schema statement and row, read through a separate connection."""
    con = sqlite3.connect(path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sidecars(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name != path.name)


def _fill(store: Store) -> dict[str, int]:
    """A small workbook with one of everything; returns the ids."""
    ids = {}
    ids["choir"] = store.add(Community("Harbour Choir", role="alto", activity=3, since=2019))
    ids["pantry"] = store.add(Community("Food Pantry", kind="volunteering"))
    ids["mara"] = store.add(Person("Mara", circle=15, communities=(ids["choir"], ids["pantry"])))
    ids["res"] = store.add(Resolution("rehearsal ends", "stack chairs", ids["choir"], times=2,
                                      start=dt.date(2026, 1, 1), person_id=ids["mara"],
                                      idea_id="choir-1"))
    ids["log"] = store.add(LogEntry(DAY, ids["choir"], kind="time", minutes=20,
                                    person_id=ids["mara"], resolution_id=ids["res"]))
    ids["help"] = store.add(HelpReceived(DAY, "A lead on a job", community_id=ids["pantry"]))
    ids["refl"] = store.add(Reflection("start-1", "The choir.", date=DAY))
    return ids


# -- creation -----------------------------------------------------------------------------------

def test_first_open_creates_a_workbook(tmp_path):
    path = tmp_path / "new" / "deeper" / "workbook.sqlite"
    with open_store(path) as store:
        assert path.is_file()
        assert _pragma(store, "application_id") == APPLICATION_ID
        assert _pragma(store, "user_version") == SCHEMA_VERSION == store.schema_version == 5
        assert _pragma(store, "journal_mode") == "wal"
        assert _pragma(store, "foreign_keys") == 1
        assert store.counts() == dict.fromkeys(DTYPES, 0)
        assert store.check() == []
    # Closing leaves one self-contained file.
    assert _sidecars(path) == []
    with Store(path) as again:
        assert again.schema_version == SCHEMA_VERSION


def test_an_empty_file_becomes_a_workbook(tmp_path):
    path = tmp_path / "empty.sqlite"
    path.touch()
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        store.add(Community("Choir"))
    with Store(path) as store:
        assert store.counts()["communities"] == 1


def test_a_second_program_can_open_a_new_workbook_while_it_is_open(tmp_path):
    # Until a checkpoint, a new workbook's identity lives in the -wal file, not the main file.
    path = tmp_path / "workbook.sqlite"
    with Store(path) as first:
        cid = first.add(Community("Choir"))
        with Store(path) as second:
            assert second.get(Community, cid).name == "Choir"
            second.add(LogEntry(DAY, cid))
        assert first.counts()["log"] == 1


# -- writes -------------------------------------------------------------------------------------

def test_add_get_update_delete_every_record_type(store):
    ids = _fill(store)
    choir, mara = ids["choir"], ids["mara"]
    changes = [
        (Community, choir, {"name": "Harbour Choir & Band", "notes": " new\n"}),
        (Person, mara, {"circle": 5, "communities": (choir,)}),
        (Resolution, ids["res"], {"times": 4, "per": "quarter", "active": False,
                                  "end": dt.date(2026, 12, 31), "idea_id": None}),
        (LogEntry, ids["log"], {"minutes": 45, "note": "<script>x</script>", "person_id": None}),
        (HelpReceived, ids["help"], {"note": "Advice on a CV", "community_id": None}),
        (Reflection, ids["refl"], {"answer": "Both choirs.", "date": dt.date(2026, 11, 26)}),
    ]
    for cls, rid, change in changes:
        before = store.get(cls, rid)
        assert before.id == rid
        after = before.with_changes(**change)
        store.update(after)
        assert store.get(cls, rid) == after
        assert after in store.records(cls)
    for cls, rid in [(LogEntry, ids["log"]), (HelpReceived, ids["help"]),
                     (Reflection, ids["refl"]), (Resolution, ids["res"]), (Person, mara),
                     (Community, ids["pantry"]), (Community, choir)]:
        store.delete(cls, rid)
        with pytest.raises(WorkbookError, match="There is no"):
            store.get(cls, rid)
    assert store.counts() == dict.fromkeys(DTYPES, 0)
    assert store.check() == []


def test_update_and_delete_of_missing_records_are_refused(store):
    with pytest.raises(WorkbookError, match="never saved"):
        store.update(Community("Choir"))
    with pytest.raises(WorkbookError, match="There is no community number 7"):
        store.update(Community("Choir", id=7))
    with pytest.raises(WorkbookError, match="There is no log entry number 3"):
        store.delete(LogEntry, 3)
    assert store.counts()["communities"] == 0


def test_references_to_missing_records_are_refused(store):
    cid = store.add(Community("Choir"))
    for record in (LogEntry(DAY, cid + 1), Person("A", communities=(cid, cid + 5)),
                   Resolution("c", "g", cid, person_id=99), HelpReceived(DAY, "x", person_id=4)):
        with pytest.raises(WorkbookError, match="refers to a community, person or resolution"):
            store.add(record)
    with pytest.raises(WorkbookError, match="already exists"):
        store.add(Community("Copy", id=cid))
    assert store.counts() == {**dict.fromkeys(DTYPES, 0), "communities": 1}


def test_memberships_follow_person_communities(store):
    a, b, c = (store.add(Community(n)) for n in ("Choir", "Library", "Pantry"))
    pid = store.add(Person("Mara", communities=(b, a)))
    assert store.get(Person, pid).communities == (a, b)
    assert store.frame("memberships").values.tolist() == [[pid, a], [pid, b]]
    store.update(store.get(Person, pid).with_changes(communities=(b, c)))
    assert store.frame("memberships").values.tolist() == [[pid, b], [pid, c]]
    # Leaving a community drops the membership, not the person.
    store.delete(Community, b)
    assert store.get(Person, pid).communities == (c,)
    store.update(store.get(Person, pid).with_changes(communities=()))
    assert store.frame("memberships").empty
    other = store.add(Person("R.K.", communities=(a, c)))
    store.delete(Person, other)
    assert store.frame("memberships").empty
    assert store.check() == []


def test_delete_is_refused_while_gives_point_to_a_community(store):
    ids = _fill(store)
    before, counts = _dump(store.path), store.counts()
    with pytest.raises(WorkbookError, match="^It cannot be deleted while 1 give and "
                                            "1 resolution belong to it.$"):
        store.delete(Community, ids["choir"])
    assert _dump(store.path) == before and store.counts() == counts
    # A resolution alone also keeps its community.
    store.delete(LogEntry, ids["log"])
    with pytest.raises(WorkbookError, match="while 1 resolution belongs to it"):
        store.delete(Community, ids["choir"])
    # Removing a person keeps the gives and forgets who they were for.
    store.add(LogEntry(DAY, ids["pantry"], person_id=ids["mara"]))
    store.delete(Person, ids["mara"])
    assert store.frame("log").person_id.isna().all()
    assert store.get(Resolution, ids["res"]).person_id is None
    assert store.check() == []


@pytest.mark.parametrize("how", ["add_many", "replace_all"])
def test_a_failing_write_changes_nothing(store, how):
    ids = _fill(store)
    before, counts = _dump(store.path), store.counts()
    good = [Community("New", id=50), Person("New", communities=(50,)), LogEntry(DAY, 50)]
    bad_batches = [
        good + [LogEntry(DAY, 777)],  # a give in a community that does not exist
        good + [Community("Duplicate", id=50)],
        good + ["not a record"],
    ]
    for batch in bad_batches:
        with pytest.raises((WorkbookError, TypeError)):
            getattr(store, how)(batch)
        assert store.counts() == counts
        assert _dump(store.path) == before
    assert store.check() == []
    assert store.get(Community, ids["choir"]).name == "Harbour Choir"


def test_replace_all_and_add_many_keep_given_ids(store):
    _fill(store)
    records = [LogEntry(DAY, 9, id=3), Community("Only", id=9),
               Person("P", communities=(9,), id=4), Reflection("p", "a", date=DAY, id=8)]
    store.replace_all(records)
    assert store.counts() == {**dict.fromkeys(DTYPES, 0), "communities": 1, "people": 1,
                              "memberships": 1, "log": 1, "reflections": 1, "pauses": 0}
    assert store.get(LogEntry, 3) == records[0]
    assert store.add_many([Community("Two"), Community("Three")]) == [10, 11]


def _indexes(store: Store) -> list[tuple[str, str]]:
    with store.transaction() as con:
        return con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                           "AND sql IS NOT NULL ORDER BY name").fetchall()


def test_replace_all_keeps_indexes_and_foreign_keys_whether_it_fails_or_not(store):
    # The bulk write runs without them; afterwards the file and the connection are as before.
    _fill(store)
    indexes = _indexes(store)
    assert len(indexes) == 4
    dangling = [[Community("Only", id=1), LogEntry(DAY, 2, id=1)],
                [Community("Only", id=1), Person("P", communities=(1, 7), id=1)],
                [Community("Only", id=1), LogEntry(DAY, 1, resolution_id=5)]]  # no id: row by row
    for records in dangling:
        with pytest.raises(WorkbookError) as refused:
            store.replace_all(records)
        assert str(refused.value) == ("It refers to a community, person or resolution that is "
                                      "not in the workbook.")
        assert _pragma(store, "foreign_keys") == 1 and _indexes(store) == indexes
        assert store.counts()["communities"] == 2
    store.replace_all([Community("Only", id=1), LogEntry(DAY, 1, id=4)])
    assert _pragma(store, "foreign_keys") == 1 and _indexes(store) == indexes
    with pytest.raises(WorkbookError, match="while 1 give belongs to it"):
        store.delete(Community, 1)  # the foreign keys hold again
    assert store.check() == []


def test_check_reports_rows_the_model_would_refuse(store):
    cid = store.add(Community("Choir"))
    with store.transaction() as con:
        con.execute("UPDATE community SET name = '' WHERE id = ?", [cid])
        con.execute("INSERT INTO log_entry (date, community_id, kind, minutes) "
                    "VALUES ('2030-01-01', ?, 'advice', 5)", [cid])
    problems = store.check()
    assert len(problems) == 2
    assert "community row 1: Name must not be empty." in problems
    assert any("log_entry row 1" in p and "future" in p for p in problems)


# -- the owner's name -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", [*HOSTILE, "Ana María 👩🏽‍🦱", "عائشة", "x" * 80])
def test_the_owners_name_is_kept_as_written_and_survives_reopening(tmp_path, name):
    path = tmp_path / "w.sqlite"
    with Store(path) as store:
        assert store.owner == ""
        assert store.set_owner(f"  {name} ") == name  # trimmed, as other names are
        assert store.owner == name
    with Store(path, readonly=True) as again:
        assert again.owner == name and again.check() == []


def test_a_bad_owner_name_is_refused_and_the_kept_one_stays(store):
    store.set_owner("Ana")
    for bad, words in (("x" * 81, "too long: 81 characters, at most 80"),
                       ("Ana\nBen", "on one line"), ("A\x00", "control character"),
                       (7, "must be text")):
        with pytest.raises(WorkbookError, match=words):
            store.set_owner(bad)
    assert store.owner == "Ana"
    store.set_owner("   ")  # empty: no name
    assert store.owner == ""
    with store.transaction() as con:
        assert con.execute("SELECT count(*) FROM setting").fetchone()[0] == 0


def test_a_read_only_workbook_refuses_a_new_owner(tmp_path):
    path = tmp_path / "w.sqlite"
    with Store(path) as store:
        store.set_owner("Ana")
    with Store(path, readonly=True) as store, pytest.raises(WorkbookError, match="reading only"):
        store.set_owner("Ben")
    with Store(path) as store:
        assert store.owner == "Ana"


def test_replace_all_sets_the_owner_only_when_given_one(store):
    store.set_owner("Ana")
    store.replace_all([Community("Only", id=1)])
    assert store.owner == "Ana"
    store.replace_all([], owner="Ben")
    assert store.owner == "Ben" and store.counts()["communities"] == 0
    store.replace_all([], owner="")
    assert store.owner == ""


def test_check_reports_an_owner_name_the_model_would_refuse(store):
    with store.transaction() as con:
        con.execute("INSERT INTO setting (key, value) VALUES ('owner', ?)", ["a\nb"])
    assert store.check() == ["setting owner: Name must be on one line."]


# -- reads --------------------------------------------------------------------------------------

@pytest.mark.parametrize("filled", [False, True], ids=["empty", "filled"])
def test_frame_dtypes(store, filled):
    assert set(FRAME_NAMES) == set(DTYPES)
    if filled:
        _fill(store)
        store.add(LogEntry(DAY, 1))  # a give with no person: nullable ids stay integers
    for name, dtypes in DTYPES.items():
        frame = store.frame(name)
        assert {c: str(t) for c, t in frame.dtypes.items()} == dtypes, name
        assert len(frame) == store.counts()[name]
        assert list(frame.index) == list(range(len(frame)))
    if filled:
        log = store.frame("log")
        assert log.person_id.tolist()[0] == 1 and log.person_id.isna().sum() == 1
        assert log.date.tolist() == [pd.Timestamp(DAY)] * 2
        res = store.frame("resolutions").iloc[0]
        assert res.start == pd.Timestamp("2026-01-01") and pd.isna(res.end)
        store.add(Resolution("c", "g", 1))
        assert store.frame("resolutions").idea_id.tolist() == ["choir-1", None]


def test_unknown_frame_name(store):
    with pytest.raises(KeyError, match="choose from communities"):
        store.frame("gives")


def test_large_ids_stay_exact_in_frames(store):
    big = 2**53 + 1  # not representable as a float
    store.add_many([Community("C", id=big), Person("P", id=big + 2, communities=(big,)),
                    LogEntry(DAY, big, person_id=big + 2), LogEntry(DAY, big)])
    log = store.frame("log")
    assert log.community_id.tolist() == [big, big]
    assert log.person_id.tolist()[0] == big + 2
    assert store.frame("memberships").values.tolist() == [[big + 2, big]]


# -- migration ----------------------------------------------------------------------------------

def test_a_version_1_workbook_is_migrated(tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURES / "workbook-v1.sqlite", path)
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 1
    old_rows = {t: con.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
                for t in ("community", "person", "membership", "log_entry", "reflection")}
    con.close()
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.check() == []
        with store.transaction() as con:
            for table, rows in old_rows.items():
                kept = con.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
                if table != "membership":  # each record also has a version now, none alike
                    versions = [row[-1] for row in kept]
                    assert len(set(versions)) == len(versions) and 0 not in versions
                    kept = [row[:-1] for row in kept]
                assert kept == rows
        assert store.get(Person, 1).name == "Mara 🎶"
        assert store.get(Person, 1).communities == (1, 2)
        assert store.get(Resolution, 1).idea_id is None and store.owner == ""
        assert store.frame("log").note.tolist()[0] == "Stacked chairs with <b>Mara</b>"
        hid = store.add(HelpReceived(DAY, "A tip", community_id=1, person_id=2))
        assert store.frame("help").id.tolist() == [hid]
        store.add(Resolution("c", "g", 2, idea_id="library-2"))
    with Store(path) as store:
        assert store.counts()["help"] == 1 and store.schema_version == SCHEMA_VERSION


# -- files that are not workbooks ---------------------------------------------------------------

def _workbook_file(path: Path) -> Path:
    with Store(path) as store:
        _fill(store)
    return path


def _random_bytes(path):
    path.write_bytes(os.urandom(8192))


def _text_file(path):
    path.write_text("name,circle\nMara,15\n" * 50, encoding="utf-8")


def _sqlite_header_only(path):
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 40)


def _other_program(path):
    con = sqlite3.connect(path)
    con.executescript("CREATE TABLE recipe (id INTEGER PRIMARY KEY, title TEXT);"
                      "INSERT INTO recipe (title) VALUES ('bread');")
    con.close()


def _other_program_wal(path):
    con = sqlite3.connect(path)
    con.executescript("PRAGMA journal_mode = WAL;"
                      "CREATE TABLE photo (id INTEGER PRIMARY KEY); INSERT INTO photo VALUES (1);")
    con.close()


def _other_program_with_its_id(path):
    con = sqlite3.connect(path)
    con.executescript("PRAGMA application_id = 1234; CREATE TABLE t (x);")
    con.close()


def _newer_workbook(path):
    _workbook_file(path)
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.close()


def _truncated(path):
    _workbook_file(path)
    data = path.read_bytes()
    assert len(data) > 8192
    path.write_bytes(data[: len(data) // 2])


def _truncated_at_a_page(path):
    _workbook_file(path)
    data = path.read_bytes()
    path.write_bytes(data[:4096])


REFUSALS = {
    _random_bytes: "not an SQLite database",
    _text_file: "not an SQLite database",
    _sqlite_header_only: "not an SQLite database",
    _other_program: "from another program",
    _other_program_wal: "from another program",
    _other_program_with_its_id: "from another program",
    _newer_workbook: "newer version of the workbook",
    _truncated: "not a readable workbook",
    _truncated_at_a_page: "not a readable workbook",
}


@pytest.mark.parametrize("make", list(REFUSALS), ids=lambda f: f.__name__.strip("_"))
def test_files_that_are_not_workbooks_are_refused_untouched(tmp_path, make):
    path = tmp_path / "file.sqlite"
    make(path)
    digest, sidecars = _digest(path), _sidecars(path)
    for _ in range(2):
        with pytest.raises(NotAWorkbookError, match=REFUSALS[make]) as info:
            Store(path)
        assert str(path) in str(info.value)
        assert _digest(path) == digest
        assert _sidecars(path) == sidecars == []


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(NotAWorkbookError, match="is a folder, not a workbook file"):
        Store(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_check_file_alone_refuses_plain_strangers(tmp_path):
    """The header check that batch tools run before opening anything."""
    for make in (_random_bytes, _text_file, _other_program, _other_program_with_its_id,
                 _newer_workbook):
        path = tmp_path / f"{make.__name__}.sqlite"
        make(path)
        with pytest.raises(NotAWorkbookError, match=REFUSALS[make]):
            check_file(path)
    check_file(_workbook_file(tmp_path / "good.sqlite"))
    check_file(FIXTURES / "workbook-v1.sqlite")
