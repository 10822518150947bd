"""Two programs writing to one workbook at once lose nothing, and readers are never blocked."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import workbook.store.database as database
from workbook.model import Community
from workbook.store import MIGRATIONS, SCHEMA_VERSION, Store

OLD_WORKBOOK = Path(__file__).parent / "fixtures" / "workbook-v1.sqlite"

WRITER = Path(__file__).with_name("crash_writer.py")
N = 300


def _start(db: Path, tag: str, count: int = N) -> subprocess.Popen:
    """A writer process that has imported everything and waits for 'go'."""
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), str(db), "--count", str(count), "--tag", tag, "--barrier"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert proc.stdout.readline() == "ready\n", proc.stderr.read()
    return proc


def _go(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()


def _finish(proc: subprocess.Popen) -> list[int]:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return [int(line) for line in out.splitlines() if line.isdigit()]


def test_two_writers_and_a_reader_at_once(tmp_path, record_property):
    db = tmp_path / "workbook.sqlite"
    with Store(db) as store:
        store.add(Community("Harbour Choir"))
    procs = [_start(db, "A"), _start(db, "B")]
    started = time.perf_counter()
    reads, seen_while_writing, last = 0, set(), 0
    with Store(db) as reader:
        _go(procs)
        while any(p.poll() is None for p in procs):
            log = reader.frame("log")
            reads += 1
            assert log.id.is_unique
            assert len(log) >= last  # a reader sees whole commits, in order
            last = len(log)
            if all(p.poll() is None for p in procs):
                seen_while_writing.add(len(log))
        ids = {tag: _finish(p) for tag, p in zip("AB", procs, strict=True)}
        seconds = time.perf_counter() - started
        log = reader.frame("log")
        assert reader.check() == []
    assert len(ids["A"]) == len(ids["B"]) == N
    assert set(ids["A"]).isdisjoint(ids["B"])
    assert sorted(log.id) == sorted(ids["A"] + ids["B"])
    for tag in "AB":
        notes = log.set_index("id").loc[ids[tag], "note"]
        assert notes.str.startswith(f"{tag} #").all()
        # Each writer's own gives keep its order: the counter in the note rises with the id.
        counters = notes.str.extract(r"#(\d+)")[0].astype(int)
        assert counters.tolist() == list(range(N))
    assert reads >= 2 and seen_while_writing, "the reader never read while both were writing"
    summary = (f"2 x {N} gives in {seconds:.2f} s; {reads} frame reads meanwhile, "
               f"sizes seen while both wrote: {min(seen_while_writing)}..{max(seen_while_writing)}")
    record_property("concurrency_summary", summary)
    print(summary)


@pytest.mark.slow
def test_two_programs_create_the_same_new_workbook_at_once(tmp_path):
    # Both open the missing file in the same instant, so creation and the first writes race.
    for round_ in range(6):
        db = tmp_path / f"new-{round_}.sqlite"
        procs = [_start(db, "A", count=30), _start(db, "B", count=30)]
        _go(procs)
        ids = [_finish(p) for p in procs]
        with Store(db) as store:
            assert store.check() == []
            assert store.schema_version == SCHEMA_VERSION
            assert sorted(store.frame("log").id) == sorted(ids[0] + ids[1])
            # Both may have found no community and made one; nothing else may be doubled.
            assert store.counts()["communities"] in (1, 2)


def test_a_file_upgraded_by_another_program_while_it_opens_is_not_called_foreign(tmp_path,
                                                                                 monkeypatch):
    # The other program tries to commit its upgrade just after this one has read the version:
    # it must wait for this one's snapshot, or the shape checked here is not the version's.
    db = tmp_path / "old.sqlite"
    shutil.copyfile(OLD_WORKBOOK, db)
    check_ids, outcome = database._check_ids, []

    def version_read_then_upgrade_elsewhere(path, app_id, version):
        # Not a thread: under faketime a timed wait for a thread never times out.
        other = sqlite3.connect(db, isolation_level=None, timeout=0.2)
        try:
            other.executescript(
                f"BEGIN IMMEDIATE; {MIGRATIONS[1]}; PRAGMA user_version = 2; COMMIT;")
            outcome.append("committed in between")
        except sqlite3.OperationalError as e:
            outcome.append(str(e))
        finally:
            other.close()
        check_ids(path, app_id, version)

    monkeypatch.setattr(database, "_check_ids", version_read_then_upgrade_elsewhere)
    with Store(db) as store:
        assert store.file_version == 1
        assert store.schema_version == SCHEMA_VERSION
        assert store.check() == []
        assert store.frame("communities").name.tolist() == ["Harbour Choir", "Town Library"]
    assert outcome == ["database is locked"]
