"""The shape of a workbook file: its tables, columns and indexes, as this program makes them.

A file can carry the workbook's application id and still have been changed by another program:
a trigger could rewrite or delete rows on every save, a view could make any read run forever.
Opening a workbook compares its shape with the one its schema version should have and refuses
anything else, before a single row is read or written. Only the catalogue and table pragmas
are read here, never a view, so the check itself cannot be made to hang.
"""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path

from .files import NotAWorkbookError
from .schema import MIGRATIONS


def _objects(con: sqlite3.Connection) -> list[tuple[str, str, str]]:
    return con.execute(
        "SELECT type, name, tbl_name FROM sqlite_master "
        "WHERE name NOT LIKE 'sqlite_autoindex_%' AND name != 'sqlite_sequence' "
        "ORDER BY type, name").fetchall()


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def shape(con: sqlite3.Connection) -> dict:
    """Tables (columns, foreign keys), indexes (table, unique, columns) and anything else."""
    tables, indexes, others = {}, {}, []
    for kind, name, table in _objects(con):
        if kind == "table":
            q = _quoted(name)
            columns = tuple(tuple(r[1:]) for r in con.execute(f"PRAGMA table_xinfo({q})"))
            keys = tuple(sorted(tuple(r[2:]) for r in
                                con.execute(f"PRAGMA foreign_key_list({q})")))
            tables[name] = (columns, keys)
        elif kind == "index":
            q = _quoted(name)
            listed = {r[1]: r[2] for r in con.execute(f"PRAGMA index_list({_quoted(table)})")}
            columns = tuple(r[2] for r in con.execute(f"PRAGMA index_info({q})"))
            indexes[name] = (table, listed.get(name), columns)
        else:
            others.append((kind, name))
    return {"tables": tables, "indexes": indexes, "others": others}


@functools.cache
def expected(version: int) -> dict:
    """The shape a workbook of schema ``version`` has when this program made it."""
    con = sqlite3.connect(":memory:")
    try:
        for script in MIGRATIONS[:version]:
            con.executescript(script)
        return shape(con)
    finally:
        con.close()


def problems(con: sqlite3.Connection, version: int) -> list[str]:
    """How the file's shape differs from its version's, one line each; empty when it is ours."""
    got, want = shape(con), expected(version)
    found = [f"a {kind} '{name}' that the workbook never makes" for kind, name in got["others"]]
    for what in ("tables", "indexes"):
        noun = what[:-1] if what == "tables" else "index"
        for name in sorted(set(got[what]) | set(want[what])):
            if name not in want[what]:
                found.append(f"a {noun} '{name}' that the workbook never makes")
            elif name not in got[what]:
                found.append(f"no {noun} '{name}'")
            elif got[what][name] != want[what][name]:
                found.append(f"the {noun} '{name}' changed from what the workbook makes")
    return found


def refuse_foreign_shape(con: sqlite3.Connection, path: Path, version: int) -> None:
    """Refuse, in one line, a file whose tables, indexes, triggers or views are not ours."""
    try:
        found = problems(con, version)
    except sqlite3.DatabaseError as e:
        raise NotAWorkbookError(f"{path} is not a readable workbook: {e}.") from None
    if found:
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise NotAWorkbookError(
            f"{path} was changed by another program and is not opened: it holds "
            f"{found[0]}{more}. Restore it from a backup (workbook import).")
