"""What every write must keep: gives credited only where they fit, no save from a stale read,
SQLite refusals in words."""

from __future__ import annotations

from ..model import LogEntry, Resolution, StaleRecordError, ValidationError, WorkbookError
from ..words import count


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


def _check_all_links(con) -> None:
    """As `_check_link`, for every give at once: one query after a bulk write."""
    row = con.execute(
        'SELECT l.community_id, l.date, r.community_id, r.start, r."end", r.give '
        "FROM log_entry l JOIN resolution r ON r.id = l.resolution_id "
        'WHERE l.community_id != r.community_id OR l.date < r.start '
        'OR (r."end" IS NOT NULL AND l.date > r."end") ORDER BY l.id LIMIT 1').fetchone()
    if row is not None:
        raise ValidationError("resolution_id",
                              f"The resolution \u201c{row[5]}\u201d {link_problem(*row[:5])}.")


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
        verb = "counts" if row[0] == 1 else "count"
        raise ValidationError(
            "start", f"{count(row[0], 'give')} from {row[1]} to {row[2]} {verb} for this "
                     "resolution: its community and dates must still hold them.")


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


def _matching(record_id, version) -> tuple[str, list]:
    """The WHERE clause and its values for one saved row, and its version when one is named."""
    if version is None:
        return "id = ?", [record_id]
    return "id = ? AND version = ?", [record_id, version]


def _refuse_missing(con, table: str, record_id) -> None:
    """Why a write matched no row: the record changed meanwhile, or it is not there at all."""
    if con.execute(f"SELECT 1 FROM {table} WHERE id = ?", [record_id]).fetchone() is not None:
        raise StaleRecordError()
    raise WorkbookError(f"There is no {table.replace('_', ' ')} number {record_id}.")
