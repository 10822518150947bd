"""The health check: what SQLite's own checks and the workbook's rules find wrong in a file."""

from __future__ import annotations

from ..model import RECORD_TYPES, Owner, Resolution, WorkbookError
from .rules import link_problem
from .schema import _TABLES


def problems(con, owner: str) -> list[str]:
    """Every problem found in an open workbook (``owner``: its owner's name); empty when healthy."""
    found = [r[0] for r in con.execute("PRAGMA integrity_check") if r[0] != "ok"]
    found += [
        f"{r[0]} row {r[1]} points to a missing {r[2]}"
        for r in con.execute("PRAGMA foreign_key_check")
    ]
    # a give credited to a resolution of another community, or outside its dates
    for give, day, community, res, res_community, start, end in con.execute(
            'SELECT l.id, l.date, l.community_id, r.id, r.community_id, r.start, r."end" '
            "FROM log_entry l JOIN resolution r ON r.id = l.resolution_id ORDER BY l.id"):
        problem = link_problem(community, day, res_community, start, end)
        if problem:
            found.append(f"log_entry row {give}: its resolution {res} {problem}")
    # then every saved record through the model's validation
    for record_type in RECORD_TYPES:
        table, cols = _TABLES[record_type]
        quoted = ", ".join(f'"{c}"' for c in cols)
        for row in con.execute(f"SELECT id, {quoted} FROM {table}"):
            values = dict(zip(cols, row[1:], strict=True))
            if record_type is Resolution:
                values["active"] = bool(values["active"])
            try:
                record_type(**values, id=row[0])
            except WorkbookError as e:
                found.append(f"{table} row {row[0]}: {e}")
    try:
        Owner(owner)
    except WorkbookError as e:
        found.append(f"setting owner: {e}")
    return found
