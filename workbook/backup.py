"""A whole workbook as one JSON file: write it, read it back strictly, restore it.

Backups are written in ``format_version`` 3 and read in 1, 2 and 3. Version 2 is version 1 with
``weekdays`` and ``remind_at`` on each resolution and a ``pauses`` list
(``{"id", "start", "end", "community_id", "note"}``); version 3 adds ``"owner"`` after
``format_version``: ``{"name": ...}``, or null when the owner gave no name. Each version's fields
are written out in `workbook.backup_format`, so a field added to the model later cannot make an
older backup unreadable. Version 1::

    {
     "format": "networking-workbook",
     "format_version": 1,
     "communities": [{"id": 1, "name": ..., "kind": ..., "role": ..., "activity": 2,
                      "since": 2019 or null, "notes": ...}, ...],
     "people": [{"id": 1, "name": ..., "circle": 15, "notes": ..., "communities": [1, 3]}, ...],
     "resolutions": [{"id": 1, "cue": ..., "give": ..., "community_id": 1, "times": 2,
                      "per": "month", "start": "2026-01-01", "end": null, "person_id": null,
                      "active": true, "idea_id": null}, ...],
     "log": [{"id": 1, "date": "2026-02-03", "community_id": 1, "kind": "advice", "minutes": 5,
              "note": ..., "person_id": null, "resolution_id": 1}, ...],
     "help_received": [{"id": 1, "date": ..., "note": ..., "community_id": null,
                        "person_id": 2}, ...],
     "reflections": [{"id": 1, "prompt_id": ..., "answer": ..., "date": ...}, ...]
    }

Every list is ordered by id and every record carries every field of its model class
(``record.to_dict()``, dates as ISO text). The file holds no timestamp, so exporting, importing
into an empty workbook and exporting again gives the same bytes.

Writing and restoring are here; reading, strictly, is `workbook.backup_read`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .atomic import atomic_write
from .backup_format import (
    FIELDS,
    FORMAT,
    FORMAT_VERSION,
    MAX_BYTES,
    SECTIONS,
    BackupError,
    _owner_entry,
    _sections,
)
from .backup_read import check_references, load, read
from .model import (
    Community,
    HelpReceived,
    LogEntry,
    Owner,
    Pause,
    Person,
    Reflection,
    Resolution,
    WorkbookError,
)

__all__ = [
    "FIELDS", "FORMAT", "FORMAT_VERSION", "FRAME_OF", "MAX_BYTES", "SECTIONS", "BackupError",
    "all_records", "check_references", "document", "dump", "load", "pieces", "read",
    "restore", "to_document", "to_text", "write",
]


def all_records(store) -> list:
    """Every record in a workbook, type by type in the backup's order, each list by id; first
    the `Owner` when the workbook has an owner's name."""
    owner = [Owner(store.owner)] if store.owner else []
    return owner + [r for cls, _ in SECTIONS.values() for r in store.records(cls)]


def to_document(records, version: int = FORMAT_VERSION) -> dict:
    """The backup as plain JSON values, from model records (an older ``version`` leaves out
    what it cannot hold)."""
    names = [r.name for r in records if type(r) is Owner]
    doc: dict = {"format": FORMAT, "format_version": version,
                 **_owner_entry(names[0] if names else "", version)}
    for name, (cls, _) in _sections(version).items():
        chosen = sorted((r for r in records if type(r) is cls), key=lambda r: r.id)
        names = FIELDS[version][cls]
        plain = [r.to_dict() for r in chosen]
        doc[name] = [{k: d[k] for k in names} for d in plain]
    return doc


# record type -> the frame of `Store.frames` that holds its table
FRAME_OF = {Community: "communities", Person: "people", Resolution: "resolutions",
            LogEntry: "log", HelpReceived: "help", Reflection: "reflections", Pause: "pauses"}


def _plain_column(series) -> list:
    """A frame's column as the JSON values of a backup: dates as text, missing as null."""
    if str(series.dtype).startswith("datetime"):
        text = series.dt.strftime("%Y-%m-%d")
        return [None if v is None or v != v else v for v in text.astype(object).tolist()]
    if str(series.dtype) == "Int64":
        return [None if v is None or v is pd.NA else int(v)
                for v in series.astype(object).tolist()]
    return series.astype(object).where(series.notna(), None).tolist()


def document(store, version: int = FORMAT_VERSION) -> dict:
    """The backup as plain JSON values, read in one pass per table (the same values as
    `to_document` of every record, without building a record for each row)."""
    return {key: value if isinstance(value, str | int | dict) or value is None else list(value)
            for key, value in _items(store, version)}


_SLICE = 20_000  # rows turned into JSON values at a time: a long log is never held twice


def _items(store, version: int):
    """The backup's top-level keys with their values; each list is an iterator of entries,
    read one table at a time."""
    yield "format", FORMAT
    yield "format_version", version
    yield from _owner_entry(store.owner, version).items()
    for name, (cls, _) in _sections(version).items():
        yield name, _entries(store, cls, FIELDS[version][cls])


def _entries(store, cls, names):
    """One list's entries in id order, built a slice of rows at a time."""
    frame = store.frame(FRAME_OF[cls]).sort_values("id", kind="stable")
    members = {}
    if "communities" in names:
        members = (store.frame("memberships").groupby("person_id")["community_id"]
                   .apply(lambda ids: sorted(int(i) for i in ids)).to_dict())
    for first in range(0, len(frame), _SLICE):
        part = frame.iloc[first:first + _SLICE]
        columns = {}
        for field in names:
            if field == "communities":
                columns[field] = [members.get(int(i), []) for i in part["id"]]
            elif field == "weekdays":
                columns[field] = [w.split(",") if w else [] for w in part[field].tolist()]
            elif field == "active":
                columns[field] = [bool(v) for v in part[field].tolist()]
            else:
                columns[field] = _plain_column(part[field])
        for values in zip(*(columns[f] for f in names), strict=True):
            yield dict(zip(names, values, strict=True))


def dump(store) -> str:
    """The whole workbook as backup text.

    Parameters
    ----------
    store
        An open :class:`workbook.store.Store`.

    Returns
    -------
    str
        JSON text (UTF-8 when written): one entry per line inside each list, ending in a
        newline. The same workbook always gives the same text.
    """
    with store.snapshot():
        return "".join(pieces(store))


def write(store, path, limit: int = MAX_BYTES) -> Path:
    """Write the backup of `dump` to a file, piece by piece and atomically; a backup larger
    than ``limit`` (by default what `read` accepts) is not written, and an older file at
    ``path`` stays as it was."""
    with store.snapshot():
        return atomic_write(path, _capped(pieces(store), limit))


def _capped(texts, limit: int):
    size = 0
    for text in texts:
        data = text.encode("utf-8")
        size += len(data)
        if size > limit:
            raise BackupError(
                f"The backup would be larger than {limit:,} bytes, the most a backup may "
                "hold, so it was not written. The CSV export has no such limit."
            )
        yield data


def pieces(store, version: int = FORMAT_VERSION):
    """The text of `dump` in pieces of a few thousand entries, for writing a large workbook
    to a file without holding the whole text."""
    return _text_pieces(_items(store, version))


def to_text(doc: dict) -> str:
    """A backup document as text, one entry per line (diffs stay small, reading stays quick)."""
    return "".join(_text_pieces(iter(doc.items())))


def _text_pieces(items):
    """Backup text, one entry per line, from (key, value) pairs whose lists may be iterators."""
    # Each entry goes through the C encoder; json.dumps with indent falls back to pure Python.
    encode = json.JSONEncoder(ensure_ascii=False).encode
    pending = next(items, None)
    yield "{\n"
    while pending is not None:
        key, value = pending
        pending = next(items, None)
        comma = "," if pending is not None else ""
        if isinstance(value, str | int | dict) or value is None:
            yield f" {encode(key)}: {encode(value)}{comma}\n"
            continue
        entries = iter(value)
        entry = next(entries, None)
        if entry is None:
            yield f" {encode(key)}: []{comma}\n"
            continue
        lines = [f" {encode(key)}: [\n  {encode(entry)}"]
        for entry in entries:
            lines.append(f",\n  {encode(entry)}")
            if len(lines) >= 2_000:
                yield "".join(lines)
                lines = []
        lines.append(f"\n ]{comma}\n")
        yield "".join(lines)
    yield "}\n"


def restore(store, records, replace: bool = False) -> dict[str, int]:
    """Put records into a workbook in one transaction: all of them, or nothing on failure.

    Parameters
    ----------
    store
        An open :class:`workbook.store.Store`.
    records
        Model records with ids, usually from :func:`load`, and at most one `Owner` (an owner's
        name without an id).
    replace
        Empty the workbook first, the owner's name too unless the records bring one. Without
        it, a workbook that holds anything is refused, so two workbooks are never mixed by
        accident; an owner's name it holds stays unless the records bring another.

    Returns
    -------
    dict
        The workbook's counts afterwards (``store.counts()``).
    """
    records = list(records)
    owners = [r.name for r in records if type(r) is Owner]
    records = [r for r in records if type(r) is not Owner]
    if len(owners) > 1:
        raise BackupError("A workbook has one owner: the records to restore name more than one.")
    if any(r.id is None for r in records):
        raise BackupError("Every record to restore needs its id.")
    if not replace:
        held = {k: v for k, v in store.counts().items() if v and k != "memberships"}
        if held:
            check_references(records)  # records at fault are named first, as ever
            shown = ", ".join(f"{k}: {v}" for k, v in held.items())
            raise BackupError(
                f"The workbook is not empty ({shown}); import with --replace to overwrite it, "
                "or choose another workbook file."
            )
    try:
        store.replace_all(records, owner=owners[0] if owners else "" if replace else None)
    except WorkbookError:
        # The store refuses every record that `check_references` would (ids used twice,
        # references and links to nothing), so records that it accepts need no check of their
        # own; a refusal is named record by record.
        check_references(records)
        raise
    return store.counts()
