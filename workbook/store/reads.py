"""Saved rows read back as model records, one or every one of a type."""

from __future__ import annotations

import sqlite3

from ..model import Person, Resolution, WorkbookError
from .schema import _TABLES


def read_one(con: sqlite3.Connection, record_type: type, record_id: int):
    """One saved record as a model object, with its version."""
    table, cols = _TABLES[record_type]
    quoted = ", ".join(f'"{c}"' for c in cols)
    row = con.execute(
        f"SELECT version, {quoted} FROM {table} WHERE id = ?", [record_id]
    ).fetchone()
    if row is None:
        raise WorkbookError(f"There is no {table.replace('_', ' ')} number {record_id}.")
    version, *row = row
    values = dict(zip(cols, row, strict=True))
    if record_type is Person:
        values["communities"] = tuple(
            r[0] for r in con.execute(
                "SELECT community_id FROM membership WHERE person_id = ? ORDER BY 1",
                [record_id],
            )
        )
    if record_type is Resolution:
        values["active"] = bool(values["active"])
    return record_type(**values, id=record_id, version=version)


def read_all(con: sqlite3.Connection, record_type: type) -> list:
    """Every saved record of one type, in id order, in one query."""
    table, cols = _TABLES[record_type]
    quoted = ", ".join(f'"{c}"' for c in cols)
    rows = con.execute(f"SELECT id, version, {quoted} FROM {table} ORDER BY id").fetchall()
    members: dict[int, list[int]] = {}
    if record_type is Person:
        for person, community in con.execute(
                "SELECT person_id, community_id FROM membership ORDER BY 1, 2"):
            members.setdefault(person, []).append(community)
    out = []
    for rid, version, *values in rows:
        fields_ = dict(zip(cols, values, strict=True))
        if record_type is Person:
            fields_["communities"] = tuple(members.get(rid, ()))
        if record_type is Resolution:
            fields_["active"] = bool(fields_["active"])
        out.append(record_type(**fields_, id=rid, version=version))
    return out
