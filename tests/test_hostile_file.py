"""A file that carries the workbook's id but was changed by another program is refused whole;
a write the disk or file system will not take says so and keeps everything saved before."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time

import pytest

from workbook.model import Community, Person
from workbook.store import NotAWorkbookError, NotSavedError, Store
from workbook.store.shape import expected, problems

WIPE = ("CREATE TRIGGER wipe AFTER INSERT ON community BEGIN DELETE FROM person; END")
FOREVER = ("CREATE VIEW forever AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
           "SELECT i + 1 FROM n) SELECT i FROM n")
CHANGES = {
    "a trigger": (WIPE, "trigger 'wipe'"),
    "a view that never ends": (FOREVER, "view 'forever'"),
    "a table of its own": ("CREATE TABLE extra (x)", "table 'extra'"),
    "an index dropped": ("DROP INDEX log_entry_date", "no index 'log_entry_date'"),
    "an index of its own": ("CREATE INDEX person_name ON person(name)", "index 'person_name'"),
    "a column added": ("ALTER TABLE person ADD COLUMN secret TEXT",
                       "table 'person' changed"),
}


@pytest.fixture
def workbook(tmp_path):
    path = tmp_path / "workbook.sqlite"
    with Store(path) as store:
        store.add(Community(name="Harbour Choir", kind="hobby"))
        store.add(Person(name="Ana", circle=15, communities=(1,)))
    return path


def _changed(path, statement):
    con = sqlite3.connect(path, isolation_level=None)
    con.execute(statement)
    con.close()
    return path.read_bytes()


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_a_file_changed_by_another_program_is_refused_in_one_line(workbook, change):
    statement, named = CHANGES[change]
    before = _changed(workbook, statement)
    for readonly in (False, True):
        with pytest.raises(NotAWorkbookError) as refused:
            Store(workbook, readonly=readonly)
        message = str(refused.value)
        assert named in message and "\n" not in message
        assert "was changed by another program" in message
    assert workbook.read_bytes() == before  # refused before anything was read or written


def test_the_trigger_never_gets_to_wipe_the_people(workbook):
    _changed(workbook, WIPE)
    with pytest.raises(NotAWorkbookError):
        with Store(workbook) as store:
            store.add(Community(name="Food pantry", kind="volunteering"))
    con = sqlite3.connect(workbook)
    assert con.execute("SELECT count(*) FROM person").fetchone()[0] == 1
    con.close()


def test_every_command_refuses_a_view_that_never_ends_at_once(workbook):
    _changed(workbook, FOREVER)
    for command in (["check"], ["info"], ["export", "--format", "json"],
                    ["charts", "--out", str(workbook.parent / "charts")]):
        start = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "workbook", *command, "--db", str(workbook)],
                              capture_output=True, text=True, timeout=60)
        assert time.monotonic() - start < 30
        assert done.returncode == 1, (command, done.stdout, done.stderr)
        assert "view 'forever'" in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1


def test_plans_from_a_folder_name_each_changed_file_and_go_on(workbook, tmp_path):
    folder = tmp_path / "room"
    folder.mkdir()
    good = folder / "ana.sqlite"
    good.write_bytes(workbook.read_bytes())
    for name, statement in (("ben", WIPE), ("cat", FOREVER)):
        copy = folder / f"{name}.sqlite"
        copy.write_bytes(workbook.read_bytes())
        _changed(copy, statement)
    out = tmp_path / "plans"
    done = subprocess.run([sys.executable, "-m", "workbook", "handouts", "plan", "--from-dir",
                           str(folder), "--out-dir", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert sorted(p.name for p in out.glob("*.pdf")) == ["ana-plan.pdf"]
    assert "trigger 'wipe'" in done.stderr and "view 'forever'" in done.stderr


def test_every_schema_version_has_the_shape_its_migrations_make(tmp_path):
    with Store(tmp_path / "new.sqlite") as store:
        con = store._con
        assert problems(con, store.schema_version) == []
    assert expected(1) != expected(2)  # the versions differ, so the comparison can tell


def test_a_full_disk_says_so_and_keeps_what_was_saved(workbook):
    with Store(workbook) as store:
        pages = store._con.execute("PRAGMA page_count").fetchone()[0]
        store._con.execute(f"PRAGMA max_page_count = {pages}")  # as a disk with no room left
        with pytest.raises(NotSavedError) as refused:
            store.add_many([Person(name="x" * 200, circle=150, communities=(1,), notes="n" * 4000)
                            for _ in range(50)])
        assert "the disk is full" in str(refused.value)
        assert "cannot rollback" not in str(refused.value)
        store._con.execute("PRAGMA max_page_count = 1073741823")
        assert store.counts()["people"] == 1
        store.add(Person(name="Ben", circle=50, communities=(1,)))  # room again: saves work
        assert store.counts()["people"] == 2


def test_a_read_only_file_says_so(workbook):
    with Store(workbook) as store:
        store._con.execute("PRAGMA query_only = ON")  # as a file the system will not write
        with pytest.raises(NotSavedError, match="read-only"):
            store.add(Person(name="Ben", circle=50, communities=(1,)))
        store._con.execute("PRAGMA query_only = OFF")
        assert store.counts()["people"] == 1
