"""The Store: one workbook file, opened, migrated, written in transactions, read as DataFrames."""

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

from ..model import LogEntry, Owner, Person, Resolution, StaleRecordError, WorkbookError
from . import removal
from .bulk import _run_many, replace_rows, unchecked_transaction
from .files import (
    NotAWorkbookError,
    _check_ids,
    _create_private,
    _keep_private,
    _refuse_special,
    check_file,
    write_refused,
)
from .health import problems
from .identity import OpenedFile
from .reads import read_all, read_one
from .removal import Deleted
from .rules import (
    _check_link,
    _check_linked_gives,
    _integrity_message,
    _matching,
    _refuse_missing,
)
from .schema import (
    _FRAMES,
    _TABLES,
    APPLICATION_ID,
    MIGRATIONS,
    NEW_VERSION,
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
            # One snapshot for the version and the shape: another program may be creating or
            # upgrading this file at this very moment, and a shape read after its next commit
            # would not be the shape of the version read before it.
            con.execute("BEGIN")
            try:
                app_id = con.execute("PRAGMA application_id").fetchone()[0]
                version = con.execute("PRAGMA user_version").fetchone()[0]
                is_empty = con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
                if not (is_empty and app_id == 0 and version == 0):
                    _check_ids(self.path, app_id, version)
                    refuse_foreign_shape(con, self.path, version)  # nothing of another's
            finally:
                if con.in_transaction:
                    con.execute("ROLLBACK")  # only read: nothing to keep
        except sqlite3.DatabaseError as e:
            raise NotAWorkbookError(f"{self.path} is not a readable workbook: {e}.") from None
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

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads that see one state of the file, however long they take (another program's
        write in between is not seen)."""
        with self._lock:
            if self._con.in_transaction:
                yield
                return
            self._con.execute("BEGIN")
            try:
                yield
            finally:
                if self._con.in_transaction:
                    self._con.execute("ROLLBACK")

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
        """Replace a saved record (matched by its id) with new values.

        A record read from the workbook carries its ``version``: when the saved record has been
        written since (in another tab, window or program), nothing is written and
        `StaleRecordError` says so. A record with no version replaces whatever is saved.
        """
        with self.transaction() as con:
            self._update(con, record)

    def save(self, records: Iterable) -> list[int]:
        """Add the records without an id and update those with one, in one transaction
        (refused whole, as `update` refuses one, when any of them changed meanwhile)."""
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
            con.execute(f"UPDATE log_entry SET resolution_id = ?, version = {NEW_VERSION} "
                        "WHERE resolution_id = ? AND date >= ?",
                        [new_id, ended.id, copy.start.isoformat()])
            self._update(con, ended)
            return new_id

    def _update(self, con, record) -> None:
        table, cols = _TABLES[type(record)]
        if record.id is None:
            raise WorkbookError("Cannot update a record that was never saved.")
        if record.version is not None:  # a stale record is told so before any rule about it
            row = con.execute(f"SELECT version FROM {table} WHERE id = ?", [record.id]).fetchone()
            if row is not None and row[0] != record.version:
                raise StaleRecordError()
        if isinstance(record, LogEntry):
            _check_link(con, record)
        elif isinstance(record, Resolution):
            _check_linked_gives(con, record)
        sets = ", ".join(f'"{c}" = ?' for c in cols)
        values = [_sql_value(getattr(record, c)) for c in cols]
        where, keys = _matching(record.id, record.version)
        cur = self._run(con, f"UPDATE {table} SET {sets}, version = {NEW_VERSION} WHERE {where}",
                        [*values, *keys])
        if cur.rowcount != 1:
            _refuse_missing(con, table, record.id)
        if isinstance(record, Person):
            self._write_memberships(con, record.id, record.communities)

    def delete(self, record_type: type, record_id: int, version: int | None = None) -> Deleted:
        """Delete one record with what the schema takes along (`removal`); refuses while
        other records keep it, and, given the ``version`` it was read with, when it has been
        changed since (`StaleRecordError`). Returns what `restore` needs to undo it."""
        table, _ = _TABLES[record_type]
        with self.transaction() as con:
            record = self.get(record_type, record_id)
            rows, unlinked = removal.take_out(con, table, record_id, version)
            return Deleted(record, rows, unlinked)

    def restore(self, deleted: Deleted) -> None:
        """Undo a `delete`: the same rows under the same ids, links and all, in one transaction."""
        with self.transaction() as con:
            try:
                removal.put_back(con, deleted)
            except sqlite3.IntegrityError:
                raise WorkbookError(removal.UNDO_REFUSED) from None

    @_locked
    def dependents(self, record_type: type, record_id: int) -> dict[removal.Link, int]:
        """How many rows of other tables point to one record, by `removal.Link`."""
        return removal.dependents(self._con, _TABLES[record_type][0], record_id)

    @_locked
    def versions(self, record_type: type, ids: Iterable[int] | None = None) -> dict[int, int]:
        """The version of each saved record of one type (or of those ``ids``), by id."""
        sql = f"SELECT id, version FROM {_TABLES[record_type][0]}"
        if ids is None:
            return dict(self._con.execute(sql))
        ids = [int(i) for i in ids]
        return dict(self._con.execute(f"{sql} WHERE id IN ({', '.join('?' for _ in ids)})", ids))

    def replace_all(self, records: Iterable, owner: str | None = None) -> None:
        """Empty the workbook and save these records instead, in one transaction.

        ``owner`` is the owner's name to keep with them (``""``: none); None leaves it as it is.
        """
        name = None if owner is None else Owner(owner).name
        if self.readonly:
            raise WorkbookError(f"{self.path} is open for reading only.")
        with self._lock:
            self.opened.check()
            try:
                with unchecked_transaction(self._con) as con:
                    replace_rows(con, records, self._insert)
                    if name is not None:
                        _write_owner(con, name)
            except sqlite3.OperationalError as e:
                raise write_refused(e, self.path) from None
            self.opened.saves += 1

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
        cur = self._run(con, f"INSERT INTO {table} ({quoted}, version) "
                             f"VALUES ({marks}, {NEW_VERSION})", values)
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

    _run_many = staticmethod(_run_many)

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
        return read_one(self._con, record_type, record_id)

    @_locked
    def records(self, record_type: type) -> list:
        """Every saved record of one type, in id order (one query, whatever their number)."""
        return read_all(self._con, record_type)

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
        return problems(self._con, self.owner)


def _write_owner(con, name: str) -> None:
    """The owner's name in the settings; no row at all for no name."""
    if name:
        con.execute("INSERT OR REPLACE INTO setting (key, value) VALUES ('owner', ?)", [name])
    else:
        con.execute("DELETE FROM setting WHERE key = 'owner'")


def open_store(path: str | os.PathLike) -> Store:
    """Open (or create) the workbook at ``path``."""
    return Store(path)
