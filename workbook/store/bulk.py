"""A whole workbook written at once: every table emptied and filled again in one transaction.

SQLite's foreign keys and indexes cost most when rows arrive by the hundred thousand, so the
transaction runs without them: the indexes are made again once the rows are in, and the
references are checked once for the whole set, with the message a single write would give.
"""

from __future__ import annotations

import datetime as dt
import operator
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from ..model import Person, WorkbookError
from .rules import _check_all_links, _integrity_message
from .schema import _TABLES, NEW_VERSION, _sql_value

# Children before the tables they point to.
EMPTIED = ("membership", "log_entry", "help_received", "reflection", "pause", "resolution",
           "person", "community")
# What SQLite takes as it is (dates by the adapter the schema registers, bools as numbers).
_PLAIN = (int, str, float, bool, dt.date, type(None))
_DANGLING = _integrity_message("FOREIGN KEY constraint failed", "INSERT")


@contextmanager
def unchecked_transaction(con: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One all-or-nothing unit of work with foreign keys off: the work checks the references.

    SQLite only switches foreign keys outside a transaction; they are on again afterwards,
    whatever happened.
    """
    con.execute("PRAGMA foreign_keys = OFF")
    try:
        con.execute("BEGIN IMMEDIATE")
        try:
            yield con
        except BaseException:
            if con.in_transaction:  # a full disk has rolled it back already
                con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
    finally:
        con.execute("PRAGMA foreign_keys = ON")


def refuse_dangling(con: sqlite3.Connection) -> None:
    """Refuse rows that point to a row not there, as a write with foreign keys on would."""
    if con.execute("PRAGMA foreign_key_check").fetchone() is not None:
        raise WorkbookError(_DANGLING)


def replace_rows(con: sqlite3.Connection, records: Iterable,
                 insert: Callable[[sqlite3.Connection, object], int]) -> None:
    """Empty every table of records and fill them with these, in a transaction of
    `unchecked_transaction`.

    Records with ids go in one statement per table; ``insert`` writes each record without
    one, row by row, once the others are in (it makes their ids). The rules are those of a
    single write, checked for the whole set.
    """
    groups: dict[type, list] = {t: [] for t in _TABLES}
    loose = []
    for record in records:
        if type(record) not in groups:
            raise TypeError(f"not a workbook record: {record!r}")
        (groups[type(record)] if record.id is not None else loose).append(record)
    indexes = con.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({', '.join('?' for _ in EMPTIED)}) ORDER BY name", EMPTIED).fetchall()
    for name, _sql in indexes:
        con.execute(f'DROP INDEX "{name}"')
    for table in EMPTIED:
        con.execute(f"DELETE FROM {table}")
    for record_type, group in groups.items():  # tables before the tables that point to them
        if not group:
            continue
        table, cols = _TABLES[record_type]
        quoted = ", ".join(f'"{c}"' for c in ("id", *cols))
        marks = ", ".join("?" for _ in range(len(cols) + 1))
        # Each row a new version, as a single write gives it: none matches an earlier read.
        _run_many(con, f"INSERT INTO {table} ({quoted}, version) VALUES ({marks}, {NEW_VERSION})",
                  _rows(group, cols))
        if record_type is Person:
            _run_many(con, "INSERT INTO membership (person_id, community_id) VALUES (?, ?)",
                      [(p.id, c) for p in group for c in p.communities])
    for _name, sql in indexes:
        con.execute(sql)
    refuse_dangling(con)  # before the links: a single write refuses a missing row first
    _check_all_links(con)
    order = {t: i for i, t in enumerate(_TABLES)}
    for record in sorted(loose, key=lambda r: order[type(r)]):
        insert(con, record)
    if loose:
        refuse_dangling(con)


def _run_many(con, sql, rows):
    try:
        return con.executemany(sql, rows)
    except sqlite3.IntegrityError as e:
        raise WorkbookError(_integrity_message(str(e), sql)) from None


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
