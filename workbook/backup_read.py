"""Reading a backup strictly: every value, every field and every link checked, one sentence
naming the first problem and where it is (the format: `workbook.backup`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import operator
import os
import re
import stat
import types
import typing

from . import clock, memory, model
from .backup_format import (
    _NOUN,
    _REFERENCES,
    FIELDS,
    FORMAT,
    FORMAT_VERSION,
    MAX_BYTES,
    SECTIONS,
    BackupError,
    _sections,
    _top_keys,
)
from .model import LABELS, LogEntry, Owner, Resolution, ValidationError
from .store import link_problem

# Fields the model fills with today's date when empty: a backup must state them.
_ALWAYS_SET = frozenset({"id", "start", "date"})
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MAX_INT = 2**63 - 1  # the largest number SQLite stores
# Reading takes up to about this many times the file's size at its peak (measured: 1.45 GB for a
# 171 MB backup of 1.1 million gives, most of it the parsed text).
MEMORY_PER_BYTE = 9


def _field_specs(cls: type, names: tuple[str, ...]) -> dict[str, tuple[type, bool]]:
    """Field name -> (JSON-side type, may be null), for the fields a format version holds."""
    hints = typing.get_type_hints(cls)
    specs = {}
    for f in dataclasses.fields(cls):
        if f.name not in names:
            continue
        hint = hints[f.name]
        args = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        base = next(a for a in args if a is not type(None))
        if typing.get_origin(base) is tuple:
            # a list of ids (a person's communities), or of words (a resolution's weekdays)
            base = list if typing.get_args(base)[0] is str else tuple
        specs[f.name] = (base, type(None) in args and f.name not in _ALWAYS_SET)
    return specs


_SPECS = {version: {cls: _field_specs(cls, names) for cls, names in fields.items()}
          for version, fields in FIELDS.items()}


def _no_constant(name: str):
    raise BackupError(f"The backup contains {name}, which is not a valid number in a backup.")


def _unique_keys(pairs):
    """Build a JSON object, refusing a key written twice."""
    out = dict(pairs)
    if len(out) < len(pairs):
        seen = set()
        for key, _value in pairs:
            if key in seen:
                raise BackupError(f'The backup contains the key "{key}" twice in one object.')
            seen.add(key)
    return out


def _too_large(size: int) -> BackupError:
    return BackupError(f"The backup is too large: {size:,} bytes, at most {MAX_BYTES:,} bytes.")


def _check_memory(size: int) -> None:
    """Refuse, before reading, a backup that this computer has too little memory to read."""
    need, left = size * MEMORY_PER_BYTE, memory.available()
    if left is not None and need > left:
        raise BackupError(
            f"Reading this backup ({size:,} bytes) needs about {memory.gigabytes(need)} of "
            f"memory, and only {memory.gigabytes(left)} is free: close other programs and try "
            "again. Nothing was changed."
        )


def _decode(data: bytes | str) -> dict:
    """Bytes or text -> the top-level JSON object, with size, encoding and syntax checked."""
    if isinstance(data, str):
        size = len(data) if len(data) > MAX_BYTES else len(data.encode("utf-8", "surrogatepass"))
    elif isinstance(data, bytes | bytearray):
        size = len(data)
    else:
        raise TypeError("a backup is bytes or text")
    if size > MAX_BYTES:
        raise _too_large(size)
    if not isinstance(data, str):
        try:
            data = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise BackupError(
                f"The backup is not UTF-8 text (a bad byte at position {e.start:,})."
            ) from None
    try:
        doc = json.loads(data, parse_constant=_no_constant, object_pairs_hook=_unique_keys)
    except RecursionError:
        raise BackupError("The backup is nested too deeply to be a workbook backup.") from None
    except json.JSONDecodeError as e:
        raise BackupError(
            f"The backup is not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}."
        ) from None
    except ValueError as e:  # e.g. an integer with thousands of digits
        raise BackupError(f"The backup is not valid JSON: {e}.") from None
    if not isinstance(doc, dict):
        raise BackupError("The backup must be a JSON object, not a list or a single value.")
    return doc


def _check_header(doc: dict) -> int:
    """Refuse another program's file, a newer format, or unknown top-level keys; the version."""
    if doc.get("format") != FORMAT:
        raise BackupError(
            f'This is not a Networking Workbook backup (its "format" is not "{FORMAT}").'
        )
    version = doc.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise BackupError('The backup\'s "format_version" must be a whole number from 1.')
    if version > FORMAT_VERSION:
        raise BackupError(
            f"The backup was written by a newer version of the workbook (format_version "
            f"{version}; this version reads up to {FORMAT_VERSION}). Please update the program."
        )
    keys = _top_keys(version)
    unknown = [k for k in doc if k not in keys]
    if unknown:
        raise BackupError(f'The backup has an unknown key "{unknown[0]}" at the top level.')
    missing = [k for k in keys if k not in doc]
    if missing:
        raise BackupError(f'The backup has no "{missing[0]}" list.')
    return version


def _type_problem(name: str, value, base: type, nullable: bool) -> str | None:
    """Why a JSON value cannot go into a field, or None when it fits."""
    label = LABELS.get(name, name.replace("_", " ").capitalize())
    if value is None:
        return None if nullable else f"{label} is required."
    if base is int and (isinstance(value, bool) or not isinstance(value, int)):
        return f"{label} must be a whole number."
    if base is int and abs(value) > _MAX_INT:
        return f"{label} is too large."
    if base is str and not isinstance(value, str):
        return f"{label} must be text."
    if base is bool and not isinstance(value, bool):
        return f"{label} must be true or false."
    if base is dt.date and not (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        return f"{label} must be a date like 2026-12-31."
    if base is tuple and not (
        isinstance(value, list)
        and all(isinstance(v, int) and not isinstance(v, bool) and 0 < v <= _MAX_INT
                for v in value)
    ):
        return f"{label} must be a list of numbers from 1."
    if base is list and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        return f"{label} must be a list of words."
    return None


def _record(cls: type, noun: str, position: int, item, version: int = FORMAT_VERSION) -> object:
    """One JSON object -> a validated model record, or a BackupError naming it."""
    if not isinstance(item, dict):
        raise BackupError(f"{noun} at position {position}: It must be a JSON object.")
    rid = item.get("id")
    if type(rid) is not int or not 0 < rid <= _MAX_INT:
        raise BackupError(f'{noun} at position {position}: Its "id" must be a whole number '
                          "from 1.")
    specs = _SPECS[version][cls]
    if item.keys() != specs.keys():
        _refuse_keys(f"{noun} {rid}", item, specs)
    lists = False
    for key, (base, nullable) in specs.items():
        value = item[key]
        kind = type(value)
        # The common cases inline (this runs for every field of every record); the rest, and
        # every list, through `_type_problem`.
        if kind is base and kind is not list:
            if kind is not int or -_MAX_INT <= value <= _MAX_INT:
                continue
        elif kind is str and base is dt.date:
            if len(value) == 10 and _ISO_DATE.fullmatch(value):
                continue
        elif value is None and nullable:
            continue
        problem = _type_problem(key, value, base, nullable)
        if problem:
            raise BackupError(f"{noun} {rid}: {problem}")
        lists = lists or kind is list
    values = {k: tuple(v) if type(v) is list else v for k, v in item.items()} if lists else item
    try:
        return cls(**values)
    except ValidationError as e:
        raise BackupError(f"{noun} {rid}: {e}") from None


def _records(cls: type, noun: str, items: list, version: int) -> list:
    """A list of JSON objects -> validated model records, or a BackupError naming the first
    that is not one."""
    specs = _SPECS[version][cls]
    if not _fits(items, specs):
        return [_record(cls, noun, i, item, version) for i, item in enumerate(items, start=1)]
    if cls is LogEntry:  # most of a long backup: checked a column at a time when it can be
        quick = _log_entries(items)
        if quick is not None:
            return quick
    lists = [key for key, (base, _) in specs.items() if base in (list, tuple)]
    records = []
    for item in items:
        values = {**item, **{key: tuple(item[key]) for key in lists}} if lists else item
        try:
            records.append(cls(**values))
        except ValidationError as e:
            raise BackupError(f"{noun} {item['id']}: {e}") from None
    return records


def _log_entries(items: list) -> list | None:
    """Log entries that `_fits` passed, each value checked by the model's own rules a column
    at a time; None when any value might fail one, and then each record is built and checked
    on its own (which names the first at fault). A test holds the two ways to the same result."""
    column = {key: list(map(operator.itemgetter(key), items)) for key in _LOG_FIELDS}
    try:
        dates = list(map(dt.date.fromisoformat, column["date"]))
    except ValueError:
        return None
    today = clock.today()
    notes = column["note"]
    ids = [*column["id"], *column["community_id"],
           *(v for v in column["person_id"] if v is not None),
           *(v for v in column["resolution_id"] if v is not None)]
    if dates and not (model.MIN_DATE <= min(dates) and max(dates) <= min(today, model.MAX_DATE)):
        return None
    if (not set(column["kind"]) <= set(model.GIVE_KINDS)
            or (ids and min(ids) < 1)
            or (column["minutes"] and not (0 <= min(column["minutes"])
                                           and max(column["minutes"]) <= model.MINUTES_MAX))
            or (notes and max(map(len, notes)) > model.TEXT_MAX)
            or model.unsavable("".join(notes))):
        return None
    records = []
    new, kept = object.__new__, dict.update
    for values, day in zip(zip(*column.values(), strict=True), dates, strict=True):
        record = new(LogEntry)  # every value is one the model keeps as it is given
        kept(record.__dict__, zip(_LOG_FIELDS, values, strict=True), date=day, version=None)
        records.append(record)
    return records


_LOG_FIELDS = ("date", "community_id", "kind", "minutes", "note", "person_id", "resolution_id",
               "id")


def _fits(items: list, specs: dict) -> bool:
    """Whether every item is an object of exactly these fields, each value of its field's type,
    as `_record` would find it; checked a column at a time, which is quicker than record by
    record (`_record` then names the first that does not fit)."""
    keys = specs.keys()
    if not all(type(item) is dict and item.keys() == keys for item in items):
        return False
    for key, (base, nullable) in specs.items():
        values = list(map(operator.itemgetter(key), items))
        kinds = set(map(type, values))
        if nullable and type(None) in kinds:
            kinds.discard(type(None))
            values = [v for v in values if v is not None]
        if base is int:
            low = 1 if key == "id" else -_MAX_INT
            fits = kinds <= {int} and (not values or (low <= min(values)
                                                      and max(values) <= _MAX_INT))
        elif base is dt.date:
            fits = kinds <= {str} and all(map(_ISO_DATE.fullmatch, values))
        elif base is str or base is bool:
            fits = kinds <= {base}
        else:  # a list in each record: few of them
            fits = all(_type_problem(key, v, base, nullable) is None for v in values)
        if not fits:
            return False
    return True


def _owner(item, version: int) -> Owner | None:
    """The top-level owner entry -> an `Owner`, or None for null or an empty name."""
    if item is None:
        return None
    if not isinstance(item, dict):
        raise BackupError('The backup\'s "owner" must be a JSON object or null.')
    specs = _SPECS[version][Owner]
    if item.keys() != specs.keys():
        _refuse_keys("owner", item, specs)
    for key, (base, nullable) in specs.items():
        problem = _type_problem(key, item[key], base, nullable)
        if problem:
            raise BackupError(f"owner: {problem}")
    try:
        owner = Owner(**item)
    except ValidationError as e:
        raise BackupError(f"owner: {e}") from None
    return owner if owner.name else None


def _refuse_keys(where: str, item: dict, specs: dict) -> None:
    """The first unknown or missing field of a record, as a BackupError."""
    for key in item:
        if key not in specs:
            raise BackupError(f'{where}: Unknown field "{key}".')
    for key in specs:
        if key not in item:
            raise BackupError(f'{where}: The field "{key}" is missing.')


def check_references(records) -> None:
    """Refuse records that point to a community, person or resolution not among them.

    Parameters
    ----------
    records
        Model records with ids, as :func:`load` returns them.

    Raises
    ------
    BackupError
        Naming the first record with a broken reference, or the first id used twice.
    """
    records = [r for r in records if type(r) is not Owner]  # the one record without an id
    if not _all_found(records):
        _first_problem(records)


def _all_found(records: list) -> bool:
    """Whether no id is used twice and every reference and link holds, seen a table at a time
    (the record to name is found by `_first_problem`)."""
    groups: dict[type, list] = {cls: [] for cls, _ in SECTIONS.values()}
    for r in records:
        groups.setdefault(type(r), []).append(r)
    ids = {cls: {r.id for r in group} for cls, group in groups.items()}
    if any(len(ids[cls]) < len(group) for cls, group in groups.items()):
        return False
    for cls, fields in _REFERENCES.items():
        for name, target in fields.items():
            values = list(map(operator.attrgetter(name), groups[cls]))
            many = values and type(values[0]) is tuple  # a person's communities
            found = set().union(*values) if many else set(values)
            found.discard(None)
            if not found <= ids[target]:
                return False
    plans = {r.id: r for r in groups[Resolution]}
    for r in groups[LogEntry]:
        if r.resolution_id is not None:
            res = plans[r.resolution_id]
            if (r.community_id != res.community_id or r.date < res.start
                    or (res.end is not None and r.date > res.end)):
                return False
    return True


def _first_problem(records: list) -> None:
    """Raise the BackupError that names the first record, in order, that is used twice or
    refers to something not among the records."""
    ids: dict[type, set[int]] = {cls: set() for cls, _ in SECTIONS.values()}
    for r in records:
        seen = ids.setdefault(type(r), set())
        if r.id in seen:
            raise BackupError(f"{_NOUN[type(r)]} {r.id} appears twice.")
        seen.add(r.id)
    for r in records:
        for name, target in _REFERENCES.get(type(r), {}).items():
            value = getattr(r, name)
            for ref in value if isinstance(value, tuple) else (value,):
                if ref is not None and ref not in ids[target]:
                    raise BackupError(
                        f"{_NOUN[type(r)]} {r.id}: It refers to {_NOUN[target]} {ref}, "
                        "which is not in the backup."
                    )
    plans = {r.id: r for r in records if type(r) is Resolution}
    for r in records:
        if type(r) is LogEntry and r.resolution_id is not None:
            res = plans[r.resolution_id]
            problem = link_problem(r.community_id, r.date.isoformat(), res.community_id,
                                   res.start.isoformat(), res.end and res.end.isoformat())
            if problem:
                raise BackupError(f"log entry {r.id}: Its resolution {res.id} {problem}.")


def load(data: bytes | str) -> list:
    """Read backup text strictly and return its records.

    Parameters
    ----------
    data
        The file's bytes (UTF-8) or its text.

    Returns
    -------
    list
        Validated model records, ids kept, in the backup's order; first an `Owner` when the
        backup names one.

    Raises
    ------
    BackupError
        For anything that is not a complete, valid backup of this format or an older one: one
        sentence that names the problem and, for a record, which one
        (``log entry 12: Date cannot be in the future.``).
    """
    return _from_document(_decode(data))


def _from_document(doc: dict) -> list:
    """The records of a decoded backup; each list leaves the document once read, so a large
    backup is not held twice."""
    version = _check_header(doc)
    owner = _owner(doc["owner"], version) if "owner" in _top_keys(version) else None
    records = [] if owner is None else [owner]
    with clock.held():  # each give's date is checked against today: read it once
        for name, (cls, noun) in _sections(version).items():
            items = doc.pop(name)
            if not isinstance(items, list):
                raise BackupError(f'The backup\'s "{name}" must be a list.')
            records += _records(cls, noun, items, version)
            del items
    check_references(records)
    return records


def read(path) -> list:
    """Read a backup file strictly, refusing an over-long one before reading it.

    Parameters
    ----------
    path
        The backup file.

    Returns
    -------
    list
        The records, as :func:`load` returns them.
    """
    # Opened without waiting, so that a pipe given by mistake is refused instead of read for ever.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise BackupError(f"{path} is not a backup file: it is a pipe, a socket, a device or a "
                          "folder, not a file on disk.")
    with open(fd, "rb") as f:
        size = info.st_size
        if size > MAX_BYTES:
            raise _too_large(size)
        _check_memory(size)
        data = f.read(MAX_BYTES + 1)
    doc = _decode(data)
    del data  # the text is not needed once parsed
    return _from_document(doc)


