"""A delete and its undo: what the schema's ON DELETE rules take along with a record, read
from the schema itself, and the putting back of all of it.

A community's gives and resolutions keep it (RESTRICT); its memberships and breaks go with it
(CASCADE); help noted in it stays, without the community (SET NULL). The same rules, read with
``PRAGMA foreign_key_list``, decide for every other table, so no list here can fall behind them.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from ..model import StaleRecordError, WorkbookError
from ..words import count
from .rules import _integrity_message
from .schema import _TABLES, NEW_VERSION

# Every table that can point to another: the records' own and the memberships.
_LINKING = (*(table for table, _ in _TABLES.values()), "membership")
# How a refusal names the rows that keep a record (the RESTRICT links of the schema).
_KEEPERS = {"log_entry": ("give", "gives"), "resolution": ("resolution", "resolutions")}
_BATCH = 900  # ids per statement, well under SQLite's limit of bound values
UNDO_REFUSED = ("It cannot be undone: the workbook changed meanwhile, in another tab or window. "
                "Reload it to see the change.")


@dataclass(frozen=True)
class Link:
    """A column of ``table`` that points to a record, and what a delete of it does there:
    ``"CASCADE"`` (the row goes too), ``"SET NULL"`` (it stays, unlinked) or ``"RESTRICT"``
    (the delete is refused while the row is there)."""

    table: str
    column: str
    on_delete: str


@dataclass(frozen=True)
class Deleted:
    """A deleted record with everything its delete changed: enough for `Store.restore`.

    ``rows`` are the record's own row and then the rows deleted with it, each as
    ``(table, columns, values)``; ``unlinked`` are ``(table, column, ids)`` of rows that stay
    but no longer point to it.
    """

    record: object
    rows: tuple[tuple[str, tuple[str, ...], tuple], ...]
    unlinked: tuple[tuple[str, str, tuple[int, ...]], ...]


def links(con, table: str) -> tuple[Link, ...]:
    """The columns that point to rows of ``table``, as the schema declares them."""
    return tuple(
        Link(child, row[3], row[6].upper())
        for child in _LINKING
        for row in con.execute(f"PRAGMA foreign_key_list({child})")
        if row[2] == table
    )


def dependents(con, table: str, record_id: int) -> dict[Link, int]:
    """How many rows point to one record, by link; links with no row are left out."""
    found = {}
    for link in links(con, table):
        n = con.execute(f'SELECT count(*) FROM {link.table} WHERE "{link.column}" = ?',
                        [record_id]).fetchone()[0]
        if n:
            found[link] = n
    return found


def take_out(con, table: str, record_id: int, version: int | None):
    """Delete one row and return ``(rows, unlinked)`` as `Deleted` keeps them.

    Refused when the row is missing, when it was written since ``version`` was read
    (`StaleRecordError`), or by SQLite while rows that keep it are there (said in words,
    with their counts).
    """
    own = _rows(con, table, "id", record_id)
    if not own:
        raise WorkbookError(f"There is no {table.replace('_', ' ')} number {record_id}.")
    saved = dict(zip(own[0][1], own[0][2], strict=True)).get("version")
    if version is not None and saved != version:
        raise StaleRecordError()
    rows, unlinked, keepers = list(own), [], []
    for link, n in dependents(con, table, record_id).items():
        if link.on_delete == "CASCADE":
            rows += _rows(con, link.table, link.column, record_id)
        elif link.on_delete == "SET NULL":
            ids = tuple(r[0] for r in con.execute(
                f'SELECT id FROM {link.table} WHERE "{link.column}" = ? ORDER BY id',
                [record_id]))
            unlinked.append((link.table, link.column, ids))
        else:
            keepers.append((link.table, n))
    try:
        con.execute(f"DELETE FROM {table} WHERE id = ?", [record_id])
    except sqlite3.IntegrityError as e:  # SQLite keeps the rule; the words say who keeps it
        raise WorkbookError(_kept_by(keepers) or _integrity_message(str(e), "DELETE")) from None
    return tuple(rows), tuple(unlinked)


def put_back(con, deleted: Deleted) -> None:
    """Insert the deleted rows again, ids and all, and point the unlinked rows back to it.

    The rows come back as new writes, each with a new version: a form opened on the record
    before its delete cannot save over it. The unlinked rows keep theirs: SQLite emptied their
    link without a write of ours, so with it back they are exactly as any open form read them.
    """
    table, names, values = deleted.rows[0]
    record_id = dict(zip(names, values, strict=True))["id"]
    if con.execute(f"SELECT 1 FROM {table} WHERE id = ?", [record_id]).fetchone():
        raise WorkbookError(UNDO_REFUSED)  # a new record took its number meanwhile
    for table, names, values in deleted.rows:
        kept = [(n, v) for n, v in zip(names, values, strict=True) if n != "version"]
        cols = ", ".join(f'"{n}"' for n, _ in kept)
        marks = ", ".join("?" for _ in kept)
        versioned = len(kept) < len(names)
        con.execute(f"INSERT INTO {table} ({cols}{', version' if versioned else ''}) "
                    f"VALUES ({marks}{', ' + NEW_VERSION if versioned else ''})",
                    [v for _, v in kept])
    for table, column, ids in deleted.unlinked:
        # Only rows still unlinked: one linked elsewhere meanwhile keeps its new link.
        for start in range(0, len(ids), _BATCH):
            batch = ids[start:start + _BATCH]
            marks = ", ".join("?" for _ in batch)
            con.execute(f'UPDATE {table} SET "{column}" = ? WHERE "{column}" IS NULL '
                        f"AND id IN ({marks})", [record_id, *batch])


def _kept_by(keepers: list[tuple[str, int]]) -> str:
    """'It cannot be deleted while 3 gives and 1 resolution belong to it.'"""
    if not keepers:
        return ""
    order = list(_KEEPERS)
    keepers = sorted(keepers, key=lambda k: order.index(k[0]) if k[0] in order else len(order))
    named = [count(n, *_KEEPERS.get(t, ("entry", "entries"))) for t, n in keepers]
    verb = "belongs" if keepers == [(keepers[0][0], 1)] else "belong"
    return f"It cannot be deleted while {' and '.join(named)} {verb} to it."


def _rows(con, table: str, column: str, value) -> list[tuple[str, tuple[str, ...], tuple]]:
    cur = con.execute(f'SELECT * FROM {table} WHERE "{column}" = ? ORDER BY rowid', [value])
    names = tuple(d[0] for d in cur.description)
    return [(table, names, tuple(row)) for row in cur.fetchall()]
