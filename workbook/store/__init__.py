"""One person's workbook in one SQLite file: open, migrate, write records, read DataFrames."""

from __future__ import annotations

import datetime as dt
import functools
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from ..model import (
    RECORD_TYPES,
    Community,
    HelpReceived,
    LogEntry,
    Pause,
    Person,
    Reflection,
    Resolution,
    ValidationError,
    WorkbookError,
)

APPLICATION_ID = 0x4E57424B  # "NWBK"
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_SECONDS = 30  # how long a write waits for another program's write to finish
MIN_DAY = dt.date(1900, 1, 1)

# Each migration runs in one transaction; its index + 1 is the schema version it produces.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE community (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        role TEXT NOT NULL DEFAULT '',
        activity INTEGER NOT NULL CHECK (activity BETWEEN 0 AND 4),
        since INTEGER,
        notes TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE person (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        circle INTEGER NOT NULL CHECK (circle IN (5, 15, 50, 150)),
        notes TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE membership (
        person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        community_id INTEGER NOT NULL REFERENCES community(id) ON DELETE CASCADE,
        PRIMARY KEY (person_id, community_id)
    );
    CREATE TABLE resolution (
        id INTEGER PRIMARY KEY,
        cue TEXT NOT NULL,
        give TEXT NOT NULL,
        community_id INTEGER NOT NULL REFERENCES community(id) ON DELETE RESTRICT,
        person_id INTEGER REFERENCES person(id) ON DELETE SET NULL,
        times INTEGER NOT NULL CHECK (times BETWEEN 1 AND 31),
        per TEXT NOT NULL CHECK (per IN ('week', 'month', 'quarter', 'year')),
        start TEXT NOT NULL,
        "end" TEXT,
        active INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE log_entry (
        id INTEGER PRIMARY KEY,
        date TEXT NOT NULL,
        community_id INTEGER NOT NULL REFERENCES community(id) ON DELETE RESTRICT,
        person_id INTEGER REFERENCES person(id) ON DELETE SET NULL,
        resolution_id INTEGER REFERENCES resolution(id) ON DELETE SET NULL,
        kind TEXT NOT NULL,
        minutes INTEGER NOT NULL,
        note TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE reflection (
        id INTEGER PRIMARY KEY,
        prompt_id TEXT NOT NULL,
        date TEXT NOT NULL,
        answer TEXT NOT NULL
    );
    """,
    # Version 2: help received, the give idea behind a resolution, indexes for long logs.
    """
    CREATE TABLE help_received (
        id INTEGER PRIMARY KEY,
        date TEXT NOT NULL,
        community_id INTEGER REFERENCES community(id) ON DELETE SET NULL,
        person_id INTEGER REFERENCES person(id) ON DELETE SET NULL,
        note TEXT NOT NULL
    );
    ALTER TABLE resolution ADD COLUMN idea_id TEXT;
    CREATE INDEX log_entry_date ON log_entry(date);
    CREATE INDEX log_entry_community ON log_entry(community_id);
    CREATE INDEX membership_community ON membership(community_id);
    """,
    # Version 3: days off (pauses), and when and on which weekdays a resolution's reminder rings.
    """
    CREATE TABLE pause (
        id INTEGER PRIMARY KEY,
        start TEXT NOT NULL,
        "end" TEXT,
        community_id INTEGER REFERENCES community(id) ON DELETE CASCADE,
        note TEXT NOT NULL DEFAULT ''
    );
    ALTER TABLE resolution ADD COLUMN weekdays TEXT NOT NULL DEFAULT '';
    ALTER TABLE resolution ADD COLUMN remind_at TEXT NOT NULL DEFAULT '09:00';
    CREATE INDEX log_entry_resolution ON log_entry(resolution_id);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class NotAWorkbookError(WorkbookError):
    """The file exists but is not a workbook this version can open."""


# record type -> (table, columns in storage order, dtypes of the DataFrame)
_TABLES: dict[type, tuple[str, tuple[str, ...]]] = {
    Community: ("community", ("name", "kind", "role", "activity", "since", "notes")),
    Person: ("person", ("name", "circle", "notes")),
    Resolution: (
        "resolution",
        ("cue", "give", "community_id", "person_id", "times", "per", "start", "end", "active",
         "idea_id", "weekdays", "remind_at"),
    ),
    LogEntry: (
        "log_entry",
        ("date", "community_id", "person_id", "resolution_id", "kind", "minutes", "note"),
    ),
    HelpReceived: ("help_received", ("date", "community_id", "person_id", "note")),
    Reflection: ("reflection", ("prompt_id", "date", "answer")),
    Pause: ("pause", ("start", "end", "community_id", "note")),
}

# name of a DataFrame -> (SQL, dtypes)
_FRAMES: dict[str, tuple[str, dict[str, str]]] = {
    "communities": (
        "SELECT id, name, kind, role, activity, since, notes FROM community ORDER BY id",
        {"id": "int64", "name": "str", "kind": "str", "role": "str", "activity": "int64",
         "since": "Int64", "notes": "str"},
    ),
    "people": (
        "SELECT id, name, circle, notes FROM person ORDER BY id",
        {"id": "int64", "name": "str", "circle": "int64", "notes": "str"},
    ),
    "memberships": (
        "SELECT person_id, community_id FROM membership ORDER BY person_id, community_id",
        {"person_id": "int64", "community_id": "int64"},
    ),
    "resolutions": (
        'SELECT id, cue, give, community_id, person_id, times, per, start, "end", active, idea_id,'
        " weekdays, remind_at FROM resolution ORDER BY id",
        {"id": "int64", "cue": "str", "give": "str", "community_id": "int64",
         "person_id": "Int64", "times": "int64", "per": "str", "start": "datetime64[ns]",
         "end": "datetime64[ns]", "active": "bool", "idea_id": "object", "weekdays": "str",
         "remind_at": "str"},
    ),
    "log": (
        "SELECT id, date, community_id, person_id, resolution_id, kind, minutes, note"
        " FROM log_entry ORDER BY date, id",
        {"id": "int64", "date": "datetime64[ns]", "community_id": "int64",
         "person_id": "Int64", "resolution_id": "Int64", "kind": "str", "minutes": "int64",
         "note": "str"},
    ),
    "help": (
        "SELECT id, date, community_id, person_id, note FROM help_received ORDER BY date, id",
        {"id": "int64", "date": "datetime64[ns]", "community_id": "Int64",
         "person_id": "Int64", "note": "str"},
    ),
    "reflections": (
        "SELECT id, prompt_id, date, answer FROM reflection ORDER BY date, id",
        {"id": "int64", "prompt_id": "str", "date": "datetime64[ns]", "answer": "str"},
    ),
    "pauses": (
        'SELECT id, start, "end", community_id, note FROM pause ORDER BY start, id',
        {"id": "int64", "start": "datetime64[ns]", "end": "datetime64[ns]",
         "community_id": "Int64", "note": "str"},
    ),
}
FRAME_NAMES = tuple(_FRAMES)


def _header(path: Path) -> bytes:
    with open(path, "rb") as f:
        return f.read(100)


def check_file(path: Path) -> None:
    """Refuse a file that is plainly not a workbook, reading only its header.

    The connection checks the rest (see ``Store._configure``).
    """
    try:
        head = _header(path)
    except OSError as e:
        raise NotAWorkbookError(f"Cannot read {path}: {e.strerror or e}.") from None
    if not head:
        return  # an empty file becomes a new workbook
    if not head.startswith(SQLITE_MAGIC) or len(head) < 100:
        raise NotAWorkbookError(f"{path} is not a workbook file (it is not an SQLite database).")
    app_id = int.from_bytes(head[68:72], "big")
    if app_id == 0 and _may_be_unsettled(path, head):
        # A workbook that another program holds open, or whose creation was interrupted, keeps
        # its identity in the -wal file until a checkpoint; the connection reads it from there.
        return
    _check_ids(path, app_id, int.from_bytes(head[60:64], "big"))


def _may_be_unsettled(path: Path, head: bytes) -> bool:
    """True when the header may be older than the file's content (WAL mode or a journal beside)."""
    wal_mode = head[18] == 2
    return wal_mode or any(
        path.with_name(path.name + suffix).exists() for suffix in ("-wal", "-journal")
    )


def _check_ids(path: Path, app_id: int, version: int) -> None:
    if app_id != APPLICATION_ID:
        raise NotAWorkbookError(
            f"{path} is an SQLite database from another program, not a workbook."
        )
    if version > SCHEMA_VERSION:
        raise NotAWorkbookError(
            f"{path} was written by a newer version of the workbook (schema {version}; "
            f"this version reads up to {SCHEMA_VERSION}). Please update the program."
        )


def _sql_value(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, tuple):  # weekdays: "MO,TH"
        return ",".join(value)
    return value


def _locked(method):
    """Run a method holding the store's lock: one connection, used from any thread."""

    @functools.wraps(method)
    def run(self, *args, **kwargs):
        with self._lock:
            return method(self, *args, **kwargs)

    return run


class Store:
    """A workbook file. Writes take model records; reads return typed DataFrames.

    Every public write is one transaction: it is kept whole or not at all. One connection
    serves every thread (ipykernel runs widget callbacks on threads of its own), one call at
    a time.

    Parameters
    ----------
    path
        The workbook file; created (and its folder) when missing, unless ``readonly``.
    readonly
        Open for reading only (SQLite ``mode=ro``): nothing is migrated, the journal mode is
        left as it is, and no write can happen. A workbook of an older schema is read through
        an upgraded copy in memory; the file stays as it was.
    """

    def __init__(self, path: str | os.PathLike, readonly: bool = False):
        self.path = Path(path)
        self.readonly = readonly
        self._lock = threading.RLock()
        if self.path.exists():
            if self.path.is_dir():
                raise NotAWorkbookError(f"{self.path} is a folder, not a workbook file.")
            check_file(self.path)
        elif readonly:
            raise NotAWorkbookError(f"There is no workbook at {self.path}.")
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            if readonly:
                # A file at rest (no -wal or -shm beside it: nobody has it open) is read as
                # immutable, so that reading leaves no file behind in someone else's folder.
                at_rest = not any(Path(f"{self.path}{x}").exists() for x in ("-wal", "-shm"))
                mode = "ro&immutable=1" if at_rest else "ro"
                self._con = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode={mode}",
                                            uri=True, isolation_level=None,
                                            timeout=BUSY_SECONDS, check_same_thread=False)
            else:
                self._con = sqlite3.connect(self.path, isolation_level=None,
                                            timeout=BUSY_SECONDS, check_same_thread=False)
        except sqlite3.Error as e:
            raise NotAWorkbookError(f"Cannot open {self.path}: {e}.") from None
        try:
            self._configure()
        except BaseException:
            self._con.close()
            raise

    def _configure(self) -> None:
        con = self._con
        try:
            # One snapshot: another program may be creating this file at this very moment.
            con.execute("BEGIN")
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            version = con.execute("PRAGMA user_version").fetchone()[0]
            is_empty = con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
            con.execute("COMMIT")
        except sqlite3.DatabaseError as e:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise NotAWorkbookError(f"{self.path} is not a readable workbook: {e}.") from None
        if not (is_empty and app_id == 0 and version == 0):
            _check_ids(self.path, app_id, version)
        self.file_version = version  # as found in the file, before any upgrade
        con.execute("PRAGMA foreign_keys = ON")
        con.execute(f"PRAGMA busy_timeout = {BUSY_SECONDS * 1000}")
        if self.readonly:
            if version < SCHEMA_VERSION:
                self._read_upgraded_copy()
            return
        self._use_wal()
        # FULL makes a returned commit survive a crash of the whole machine, not only the program.
        con.execute("PRAGMA synchronous = FULL")
        self._migrate()

    def _read_upgraded_copy(self) -> None:
        """Read an older workbook through a copy in memory, upgraded there; the file stays."""
        copy = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        self._con.backup(copy)
        self._con.close()
        self._con = copy
        copy.execute("PRAGMA foreign_keys = ON")
        self._migrate()
        copy.execute("PRAGMA query_only = ON")

    def _use_wal(self) -> None:
        """Switch to write-ahead logging, waiting while another program does the same."""
        # Two programs creating one new file race for this switch, and SQLite refuses the
        # loser at once instead of calling the busy handler: wait here as busy_timeout would.
        deadline = time.monotonic() + BUSY_SECONDS
        while True:
            try:
                self._con.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) or time.monotonic() > deadline:
                    raise
                time.sleep(0.005)

    def _migrate(self) -> None:
        con = self._con
        while True:
            con.execute("BEGIN IMMEDIATE")
            try:
                version = con.execute("PRAGMA user_version").fetchone()[0]
                if version >= SCHEMA_VERSION:
                    con.execute("COMMIT")
                    return
                for statement in _statements(MIGRATIONS[version]):
                    con.execute(statement)
                con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                con.execute(f"PRAGMA user_version = {version + 1}")
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise

    # -- life cycle -------------------------------------------------------------------------
    @_locked
    def close(self) -> None:
        """Close the file."""
        self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        """The schema version the workbook is read with (the file's own: `file_version`)."""
        with self._lock:
            return self._con.execute("PRAGMA user_version").fetchone()[0]

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One all-or-nothing unit of work."""
        if self.readonly:
            raise WorkbookError(f"{self.path} is open for reading only.")
        with self._lock:
            self._con.execute("BEGIN IMMEDIATE")
            try:
                yield self._con
            except BaseException:
                self._con.execute("ROLLBACK")
                raise
            self._con.execute("COMMIT")

    # -- writes ------------------------------------------------------------------------------
    def add(self, record) -> int:
        """Save a new record and return its id."""
        with self.transaction() as con:
            return self._insert(con, record)

    def add_many(self, records: Iterable) -> list[int]:
        """Save many records in one transaction (ids kept when given)."""
        with self.transaction() as con:
            return [self._insert(con, r) for r in records]

    def update(self, record) -> None:
        """Replace a saved record (matched by its id) with new values."""
        with self.transaction() as con:
            self._update(con, record)

    def save(self, records: Iterable) -> list[int]:
        """Add the records without an id and update those with one, in one transaction."""
        with self.transaction() as con:
            ids = []
            for record in records:
                if record.id is None:
                    ids.append(self._insert(con, record))
                else:
                    self._update(con, record)
                    ids.append(record.id)
            return ids

    def carry_over(self, ended: Resolution, copy: Resolution) -> int:
        """Keep a resolution for a new year, in one step, and return the copy's id.

        ``ended`` is the saved resolution with its new end date, ``copy`` the new one that
        starts the day after. Gives already logged for the old one from the copy's start on
        are credited to the copy (in January, the first days of the year).
        """
        with self.transaction() as con:
            new_id = self._insert(con, copy)
            con.execute("UPDATE log_entry SET resolution_id = ? WHERE resolution_id = ? "
                        "AND date >= ?", [new_id, ended.id, copy.start.isoformat()])
            self._update(con, ended)
            return new_id

    def _update(self, con, record) -> None:
        table, cols = _TABLES[type(record)]
        if record.id is None:
            raise WorkbookError("Cannot update a record that was never saved.")
        if isinstance(record, LogEntry):
            _check_link(con, record)
        elif isinstance(record, Resolution):
            _check_linked_gives(con, record)
        sets = ", ".join(f'"{c}" = ?' for c in cols)
        values = [_sql_value(getattr(record, c)) for c in cols]
        cur = self._run(con, f"UPDATE {table} SET {sets} WHERE id = ?", [*values, record.id])
        if cur.rowcount != 1:
            raise WorkbookError(f"There is no {table.replace('_', ' ')} number {record.id}.")
        if isinstance(record, Person):
            self._write_memberships(con, record.id, record.communities)

    def delete(self, record_type: type, record_id: int) -> None:
        """Remove one record; refuses when other records still need it."""
        table, _ = _TABLES[record_type]
        with self.transaction() as con:
            cur = self._run(con, f"DELETE FROM {table} WHERE id = ?", [record_id])
            if cur.rowcount != 1:
                raise WorkbookError(f"There is no {table.replace('_', ' ')} number {record_id}.")

    def replace_all(self, records: Iterable) -> None:
        """Empty the workbook and save these records instead, in one transaction."""
        with self.transaction() as con:
            for table in ("membership", "log_entry", "help_received", "reflection", "pause",
                          "resolution", "person", "community"):
                con.execute(f"DELETE FROM {table}")
            order = {t: i for i, t in enumerate(_TABLES)}
            for record in sorted(records, key=lambda r: order.get(type(r), -1)):
                self._insert(con, record)

    def _insert(self, con, record) -> int:
        try:
            table, cols = _TABLES[type(record)]
        except KeyError:
            raise TypeError(f"not a workbook record: {record!r}") from None
        if isinstance(record, LogEntry):
            _check_link(con, record)
        names = list(cols)
        values = [_sql_value(getattr(record, c)) for c in cols]
        if record.id is not None:
            names.insert(0, "id")
            values.insert(0, record.id)
        quoted = ", ".join(f'"{c}"' for c in names)
        marks = ", ".join("?" for _ in names)
        cur = self._run(con, f"INSERT INTO {table} ({quoted}) VALUES ({marks})", values)
        new_id = cur.lastrowid
        if isinstance(record, Person):
            self._write_memberships(con, new_id, record.communities)
        return new_id

    def _write_memberships(self, con, person_id: int, community_ids) -> None:
        con.execute("DELETE FROM membership WHERE person_id = ?", [person_id])
        self._run_many(
            con,
            "INSERT INTO membership (person_id, community_id) VALUES (?, ?)",
            [(person_id, cid) for cid in community_ids],
        )

    @staticmethod
    def _run(con, sql, values):
        try:
            return con.execute(sql, values)
        except sqlite3.IntegrityError as e:
            raise WorkbookError(_integrity_message(str(e), sql)) from None

    @staticmethod
    def _run_many(con, sql, rows):
        try:
            return con.executemany(sql, rows)
        except sqlite3.IntegrityError as e:
            raise WorkbookError(_integrity_message(str(e), sql)) from None

    # -- reads -------------------------------------------------------------------------------
    @_locked
    def frame(self, name: str) -> pd.DataFrame:
        """One table as a typed DataFrame: communities, people, memberships, resolutions, log,
        help or reflections."""
        try:
            sql, dtypes = _FRAMES[name]
        except KeyError:
            raise KeyError(f"no table called {name!r}; choose from {', '.join(_FRAMES)}") from None
        # Nullable reading keeps large ids exact; NumPy would pass them through float64.
        df = pd.read_sql_query(sql, self._con, dtype_backend="numpy_nullable")
        return _typed(df, dtypes)

    @_locked
    def log_frame(self, since: dt.date | None = None, last: int | None = None) -> pd.DataFrame:
        """Part of the ``log`` frame, read without the rest: the gives from ``since`` on, or
        the ``last`` ones (in date order either way). A long log costs no more to look at."""
        sql, dtypes = _FRAMES["log"]
        columns = sql.split("SELECT ", 1)[1].split(" FROM", 1)[0]
        if last is not None:
            query = (f"SELECT {columns} FROM (SELECT {columns} FROM log_entry ORDER BY date DESC,"
                     f" id DESC LIMIT ?) ORDER BY date, id")
            params = [int(last)]
        else:
            query = f"SELECT {columns} FROM log_entry WHERE date >= ? ORDER BY date, id"
            params = [(since or MIN_DAY).isoformat()]
        df = pd.read_sql_query(query, self._con, params=params, dtype_backend="numpy_nullable")
        return _typed(df, dtypes)

    @_locked
    def get(self, record_type: type, record_id: int):
        """One saved record as a model object."""
        table, cols = _TABLES[record_type]
        quoted = ", ".join(f'"{c}"' for c in cols)
        row = self._con.execute(
            f"SELECT {quoted} FROM {table} WHERE id = ?", [record_id]
        ).fetchone()
        if row is None:
            raise WorkbookError(f"There is no {table.replace('_', ' ')} number {record_id}.")
        values = dict(zip(cols, row, strict=True))
        if record_type is Person:
            values["communities"] = tuple(
                r[0] for r in self._con.execute(
                    "SELECT community_id FROM membership WHERE person_id = ? ORDER BY 1",
                    [record_id],
                )
            )
        if record_type is Resolution:
            values["active"] = bool(values["active"])
        return record_type(**values, id=record_id)

    @_locked
    def records(self, record_type: type) -> list:
        """Every saved record of one type, in id order (one query, whatever their number)."""
        table, cols = _TABLES[record_type]
        quoted = ", ".join(f'"{c}"' for c in cols)
        rows = self._con.execute(f"SELECT id, {quoted} FROM {table} ORDER BY id").fetchall()
        members: dict[int, list[int]] = {}
        if record_type is Person:
            for person, community in self._con.execute(
                    "SELECT person_id, community_id FROM membership ORDER BY 1, 2"):
                members.setdefault(person, []).append(community)
        out = []
        for rid, *values in rows:
            fields_ = dict(zip(cols, values, strict=True))
            if record_type is Person:
                fields_["communities"] = tuple(members.get(rid, ()))
            if record_type is Resolution:
                fields_["active"] = bool(fields_["active"])
            out.append(record_type(**fields_, id=rid))
        return out

    def frames(self) -> dict[str, pd.DataFrame]:
        """Every table as a typed DataFrame, by name (``FRAME_NAMES``)."""
        with self._lock:
            return {name: self.frame(name) for name in _FRAMES}

    @_locked
    def counts(self) -> dict[str, int]:
        """How many rows each table holds."""
        return {
            name: self._con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for name, table in (
                ("communities", "community"), ("people", "person"),
                ("memberships", "membership"), ("resolutions", "resolution"),
                ("log", "log_entry"), ("help", "help_received"), ("reflections", "reflection"),
                ("pauses", "pause"),
            )
        }

    @_locked
    def check(self) -> list[str]:
        """Problems found by SQLite's integrity check and our own rules; empty when healthy."""
        problems = [
            r[0] for r in self._con.execute("PRAGMA integrity_check") if r[0] != "ok"
        ]
        problems += [
            f"{r[0]} row {r[1]} points to a missing {r[2]}"
            for r in self._con.execute("PRAGMA foreign_key_check")
        ]
        # a give credited to a resolution of another community, or outside its dates
        for give, day, community, res, res_community, start, end in self._con.execute(
                'SELECT l.id, l.date, l.community_id, r.id, r.community_id, r.start, r."end" '
                "FROM log_entry l JOIN resolution r ON r.id = l.resolution_id ORDER BY l.id"):
            problem = link_problem(community, day, res_community, start, end)
            if problem:
                problems.append(f"log_entry row {give}: its resolution {res} {problem}")
        # then every saved record through the model's validation
        for record_type in RECORD_TYPES:
            table, cols = _TABLES[record_type]
            quoted = ", ".join(f'"{c}"' for c in cols)
            for row in self._con.execute(f"SELECT id, {quoted} FROM {table}"):
                values = dict(zip(cols, row[1:], strict=True))
                if record_type is Resolution:
                    values["active"] = bool(values["active"])
                try:
                    record_type(**values, id=row[0])
                except WorkbookError as e:
                    problems.append(f"{table} row {row[0]}: {e}")
        return problems


def _check_link(con, give: LogEntry) -> None:
    """A give may be credited only to a resolution of its community that runs on its day."""
    if give.resolution_id is None:
        return
    row = con.execute('SELECT community_id, start, "end", give FROM resolution WHERE id = ?',
                      [give.resolution_id]).fetchone()
    if row is None:
        return  # the foreign key refuses it, with its own message
    problem = link_problem(give.community_id, give.date.isoformat(), *row[:3])
    if problem:
        raise ValidationError("resolution_id", f"The resolution \u201c{row[3]}\u201d {problem}.")


def link_problem(community_id: int, day: str, res_community: int, start: str,
                 end: str | None) -> str:
    """Why a give on ``day`` in a community cannot count for a resolution, or ''."""
    if community_id != res_community:
        return "belongs to another community"
    if day < start:
        return f"starts on {start}, after this give"
    if end is not None and day > end:
        return f"ended on {end}, before this give"
    return ""


def _check_linked_gives(con, resolution: Resolution) -> None:
    """A resolution cannot move away from the gives already credited to it."""
    start, end = resolution.start.isoformat(), resolution.end and resolution.end.isoformat()
    row = con.execute(
        'SELECT count(*), min(date), max(date) FROM log_entry WHERE resolution_id = ? AND '
        '(community_id != ? OR date < ? OR (? IS NOT NULL AND date > ?))',
        [resolution.id, resolution.community_id, start, end, end]).fetchone()
    if row[0]:
        gives = "1 give" if row[0] == 1 else f"{row[0]} gives"
        raise ValidationError(
            "start", f"{gives} from {row[1]} to {row[2]} count for this resolution: its "
                     "community and dates must still hold them.")


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _typed(df: pd.DataFrame, dtypes: dict[str, str]) -> pd.DataFrame:
    out = {}
    for col, dtype in dtypes.items():
        values = df[col]
        if dtype.startswith("datetime"):
            out[col] = pd.to_datetime(values, format="%Y-%m-%d").astype(dtype)
        elif dtype == "bool":
            out[col] = values.astype("int64").astype(bool)
        elif dtype == "object":
            out[col] = values.astype(object).where(values.notna(), None)
        else:
            out[col] = values.astype(dtype)
    return pd.DataFrame(out, index=pd.RangeIndex(len(df)))


def _integrity_message(detail: str, sql: str) -> str:
    if "FOREIGN KEY" in detail and not sql.startswith("DELETE"):
        return "It refers to a community, person or resolution that is not in the workbook."
    if "FOREIGN KEY" in detail:
        return (
            "This cannot be saved or removed because other entries depend on it "
            "(for example gives logged in a community, or a resolution that names it)."
        )
    if "UNIQUE" in detail:
        return "An entry with this number already exists."
    return f"The workbook refused this change: {detail}."


def open_store(path: str | os.PathLike) -> Store:
    """Open (or create) the workbook at ``path``."""
    return Store(path)
