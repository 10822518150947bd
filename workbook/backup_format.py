"""The backup's format: its versions, the lists and fields of each, and its one error.

`workbook.backup` describes the file and writes it; `workbook.backup_read` reads it.
"""

from __future__ import annotations

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

FORMAT = "networking-workbook"
FORMAT_VERSION = 3
MAX_BYTES = 1024 * 1024 * 1024

# list name in the file -> (record type, how one record is named in a message)
SECTIONS: dict[str, tuple[type, str]] = {
    "communities": (Community, "community"),
    "people": (Person, "person"),
    "resolutions": (Resolution, "resolution"),
    "log": (LogEntry, "log entry"),
    "help_received": (HelpReceived, "help-received entry"),
    "reflections": (Reflection, "reflection"),
    "pauses": (Pause, "pause"),
}
# The fields of every record, per format version, frozen: reading a version never depends on
# what the model holds today. A field that is not in a version takes the model's default.
# The owner is no list but one object (or null) at the top: it has no id.
_V1 = {
    Community: ("id", "name", "kind", "role", "activity", "since", "notes"),
    Person: ("id", "name", "circle", "notes", "communities"),
    Resolution: ("id", "cue", "give", "community_id", "times", "per", "start", "end",
                 "person_id", "active", "idea_id"),
    LogEntry: ("id", "date", "community_id", "kind", "minutes", "note", "person_id",
               "resolution_id"),
    HelpReceived: ("id", "date", "note", "community_id", "person_id"),
    Reflection: ("id", "prompt_id", "answer", "date"),
}
_V2 = {**_V1, Resolution: (*_V1[Resolution], "weekdays", "remind_at"),
       Pause: ("id", "start", "end", "community_id", "note")}
FIELDS: dict[int, dict[type, tuple[str, ...]]] = {
    1: _V1,
    2: _V2,
    3: {**_V2, Owner: ("name",)},
}


def _sections(version: int) -> dict[str, tuple[type, str]]:
    """The lists of one format version, in the file's order."""
    return {name: kept for name, kept in SECTIONS.items() if kept[0] in FIELDS[version]}


def _top_keys(version: int) -> tuple[str, ...]:
    owner = ("owner",) if Owner in FIELDS[version] else ()
    return ("format", "format_version", *owner, *_sections(version))


def _owner_entry(name: str, version: int) -> dict:
    """The top-level owner entry of a version that holds one (none for an older version)."""
    if Owner not in FIELDS[version]:
        return {}
    return {"owner": {"name": name} if name else None}


# field -> record type it points to, per record type
_REFERENCES: dict[type, dict[str, type]] = {
    Person: {"communities": Community},
    Resolution: {"community_id": Community, "person_id": Person},
    LogEntry: {"community_id": Community, "person_id": Person, "resolution_id": Resolution},
    HelpReceived: {"community_id": Community, "person_id": Person},
    Pause: {"community_id": Community},
}
_NOUN = {cls: noun for cls, noun in SECTIONS.values()}


class BackupError(WorkbookError):
    """A backup file cannot be read or restored; the message says what and where."""
