"""The Store: one workbook file, opened, migrated, written in transactions, read as DataFrames."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import operator
import os
import sqlite3
import stat
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from ..model import RECORD_TYPES, LogEntry, Owner, Person, Resolution, WorkbookError
from .files import NotAWorkbookError, _check_ids, check_file, write_refused
from .identity import OpenedFile
from .rules import (
    _check_all_links,
    _check_link,
    _check_linked_gives,
    _integrity_message,
    link_problem,
)
from .schema import (
    _FRAMES,
    _TABLES,
    APPLICATION_ID,
    MIGRATIONS,
    SCHEMA_VERSION,
    _sql_value,
    _statements,
    _typed,
)
from .shape import refuse_foreign_shape

BUSY_SECONDS = 30  # how long a write waits for another program's write to finish
MIN_DAY = dt.date(1900, 1, 1)


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
        _refuse_special(self.path)
        if self.path.exists():
            if self.path.is_dir():
                raise NotAWorkbookError(f"{self.path} is a folder, not a workbook file.")
            check_file(self.path)
        elif readonly:
            raise NotAWorkbookError(f"There is no workbook at {self.path}.")
        else:
            _create_private(self.path)
        if not readonly:
            _keep_private(self.path)
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
        self.opened = OpenedFile(self.path)  # each write checks it is still the file there

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
            refuse_foreign_shape(con, self.path, version)  # no trigger or view of another's
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
            self.opened.check()
            try:
                self._con.execute("BEGIN IMMEDIATE")
                try:
                    yield self._con
                except BaseException:
                    # SQLite may have rolled back already (a full disk does): keep its reason.
                    if self._con.in_transaction:
                        self._con.execute("ROLLBACK")
                    raise
                self._con.execute("COMMIT")
            except sqlite3.OperationalError as e:
                raise write_refused(e, self.path) from None
            self.opened.saves += 1

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

    def replace_all(self, records: Iterable, owner: str | None = None) -> None:
        """Empty the workbook and save these records instead, in one transaction.

        ``owner`` is the owner's name to keep with them (``""``: none); None leaves it as it is.
        """
        name = None if owner is None else Owner(owner).name
        with self.transaction() as con:
            for table in ("membership", "log_entry", "help_received", "reflection", "pause",
                          "resolution", "person", "community"):
                con.execute(f"DELETE FROM {table}")
            self._insert_all(con, records)
            if name is not None:
                _write_owner(con, name)

    @property
    def owner(self) -> str:
        """The owner's name, as they wrote it; empty when they gave none."""
        with self._lock:
            row = self._con.execute("SELECT value FROM setting WHERE key = 'owner'").fetchone()
        return "" if row is None else row[0]

    def set_owner(self, name: str) -> str:
        """Keep the owner's name (checked by `workbook.model.Owner`; empty removes it) and
        return it as kept."""
        kept = Owner(name).name
        with self.transaction() as con:
            _write_owner(con, kept)
        return kept

    def _insert_all(self, con, records: Iterable) -> None:
        """Records of every kind: one statement per table for those with ids, links checked once.

        The rules are those of `_insert`, checked for the whole set instead of row by row.
        """
        groups: dict[type, list] = {t: [] for t in _TABLES}
        loose = []  # records without an id take the row-by-row way: their ids are made here
        for record in records:
            if type(record) not in groups:
                raise TypeError(f"not a workbook record: {record!r}")
            (groups[type(record)] if record.id is not None else loose).append(record)
        for record_type, group in groups.items():  # tables before the tables that point to them
            if not group:
                continue
            table, cols = _TABLES[record_type]
            quoted = ", ".join(f'"{c}"' for c in ("id", *cols))
            marks = ", ".join("?" for _ in range(len(cols) + 1))
            self._run_many(con, f"INSERT INTO {table} ({quoted}) VALUES ({marks})",
                           _rows(group, cols))
            if record_type is Person:
                self._run_many(con, "INSERT INTO membership (person_id, community_id) "
                               "VALUES (?, ?)", [(p.id, c) for p in group for c in p.communities])
        _check_all_links(con)
        order = {t: i for i, t in enumerate(_TABLES)}
        for record in sorted(loose, key=lambda r: order[type(r)]):
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
        try:
            Owner(self.owner)
        except WorkbookError as e:
            problems.append(f"setting owner: {e}")
        return problems


def _write_owner(con, name: str) -> None:
    """The owner's name in the settings; no row at all for no name."""
    if name:
        con.execute("INSERT OR REPLACE INTO setting (key, value) VALUES ('owner', ?)", [name])
    else:
        con.execute("DELETE FROM setting WHERE key = 'owner'")


def open_store(path: str | os.PathLike) -> Store:
    """Open (or create) the workbook at ``path``."""
    return Store(path)


# What SQLite takes as it is (dates by the adapter the schema registers, bools as numbers).
_PLAIN = (int, str, float, bool, dt.date, type(None))


def _rows(records: list, cols: tuple[str, ...]) -> list[tuple]:
    """Rows for a table: the id, then each column as SQLite keeps it.

    Only the weekdays' tuples need `_sql_value`: the first record tells whether the table has
    one (a field holds one type in every record, or None).
    """
    values = operator.attrgetter("id", *cols)
    plain = [type(v) in _PLAIN for v in values(records[0])]
    if all(plain):
        return [values(r) for r in records]
    return [tuple(v if keep else _sql_value(v) for v, keep in zip(values(r), plain, strict=True))
            for r in records]


def _refuse_special(path: Path) -> None:
    """Refuse, before any read, a path that would hang or write where nobody meant to.

    A pipe would block the first read for ever, a device is no file to keep, and a link to
    nothing would create its target, wherever it points.
    """
    if path.is_symlink() and not path.exists():
        raise NotAWorkbookError(f"{path} is a link to {os.readlink(path)}, which is not there: "
                                "give the workbook file itself, or remove the link.")
    try:
        kind = path.stat().st_mode
    except OSError:
        return  # not there (a new workbook) or not readable: opening it says which
    if not (stat.S_ISREG(kind) or stat.S_ISDIR(kind)):
        raise NotAWorkbookError(f"{path} is not a workbook file: it is a pipe, a socket or a "
                                "device, not a file on disk.")


def _create_private(path: Path) -> None:
    """An empty workbook file only its owner can read, in a folder made for it only their own.

    SQLite gives the -wal and -shm files beside it the file's own permissions. A folder that
    already exists is left as it is: it may be the person's own working folder.
    """
    folder = path.parent
    if not folder.exists():
        folder.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass  # another program created it a moment ago: it is opened as theirs


def _keep_private(path: Path) -> None:
    """Take group and others' access from a workbook of this person's made by an older version."""
    if not hasattr(os, "getuid"):
        return  # Windows: a file's access is its folder's, not these bits
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            info = name.stat()
            if info.st_uid == os.getuid() and info.st_mode & 0o077:
                os.chmod(name, info.st_mode & 0o700)
        except OSError:
            continue  # not there, or not ours to change: SQLite says what it cannot open
