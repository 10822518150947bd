"""The schema: migrations, tables, the typed frames, and values as SQLite stores them."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pandas as pd

from ..model import (
    Community,
    HelpReceived,
    LogEntry,
    Pause,
    Person,
    Reflection,
    Resolution,
)

APPLICATION_ID = 0x4E57424B  # "NWBK"
# A new version for a row on each write: 62 random bits from SQLite's generator, which the
# operating system seeds. Never a count, that a restored or re-made row could meet again.
NEW_VERSION = "(random() & 4611686018427387903)"

# Each migration runs in one transaction; its index + 1 is the schema version it produces.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE community (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        role TEXT NOT NULL DEFAULT '',
        activity INTEGER NOT NULL CHECK (activity BETWEEN 0 AND 4),
        since INTEGER,
        notes TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE person (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        circle INTEGER NOT NULL CHECK (circle IN (5, 15, 50, 150)),
        notes TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE membership (
        person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        community_id INTEGER NOT NULL REFERENCES community(id) ON DELETE CASCADE,
        PRIMARY KEY (person_id, community_id)
    );
    CREATE TABLE resolution (
        id INTEGER PRIMARY KEY,
        cue TEXT NOT NULL,
        give TEXT NOT NULL,
        community_id INTEGER NOT NULL REFERENCES community(id) ON DELETE RESTRICT,
        person_id INTEGER REFERENCES person(id) ON DELETE SET NULL,
        times INTEGER NOT NULL CHECK (times BETWEEN 1 AND 31),
        per TEXT NOT NULL CHECK (per IN ('week', 'month', 'quarter', 'year')),
        start TEXT NOT NULL,
        "end" TEXT,
        active INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE log_entry (
        id INTEGER PRIMARY KEY,
        date TEXT NOT NULL,
        community_id INTEGER NOT NULL REFERENCES community(id) ON DELETE RESTRICT,
        person_id INTEGER REFERENCES person(id) ON DELETE SET NULL,
        resolution_id INTEGER REFERENCES resolution(id) ON DELETE SET NULL,
        kind TEXT NOT NULL,
        minutes INTEGER NOT NULL,
        note TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE reflection (
        id INTEGER PRIMARY KEY,
        prompt_id TEXT NOT NULL,
        date TEXT NOT NULL,
        answer TEXT NOT NULL
    );
    """,
    # Version 2: help received, the give idea behind a resolution, indexes for long logs.
    """
    CREATE TABLE help_received (
        id INTEGER PRIMARY KEY,
        date TEXT NOT NULL,
        community_id INTEGER REFERENCES community(id) ON DELETE SET NULL,
        person_id INTEGER REFERENCES person(id) ON DELETE SET NULL,
        note TEXT NOT NULL
    );
    ALTER TABLE resolution ADD COLUMN idea_id TEXT;
    CREATE INDEX log_entry_date ON log_entry(date);
    CREATE INDEX log_entry_community ON log_entry(community_id);
    CREATE INDEX membership_community ON membership(community_id);
    """,
    # Version 3: days off (pauses), and when and on which weekdays a resolution's reminder rings.
    """
    CREATE TABLE pause (
        id INTEGER PRIMARY KEY,
        start TEXT NOT NULL,
        "end" TEXT,
        community_id INTEGER REFERENCES community(id) ON DELETE CASCADE,
        note TEXT NOT NULL DEFAULT ''
    );
    ALTER TABLE resolution ADD COLUMN weekdays TEXT NOT NULL DEFAULT '';
    ALTER TABLE resolution ADD COLUMN remind_at TEXT NOT NULL DEFAULT '09:00';
    CREATE INDEX log_entry_resolution ON log_entry(resolution_id);
    """,
    # Version 4: settings of the workbook as a whole, such as its owner's name ("owner").
    """
    CREATE TABLE setting (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    # Version 5: which write of a record each row holds, so a save from an old read is refused.
    # A random number rather than a count: a restored row must never match an earlier read.
    """
    ALTER TABLE community ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
    UPDATE community SET version = {NEW};
    ALTER TABLE person ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
    UPDATE person SET version = {NEW};
    ALTER TABLE resolution ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
    UPDATE resolution SET version = {NEW};
    ALTER TABLE log_entry ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
    UPDATE log_entry SET version = {NEW};
    ALTER TABLE help_received ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
    UPDATE help_received SET version = {NEW};
    ALTER TABLE reflection ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
    UPDATE reflection SET version = {NEW};
    ALTER TABLE pause ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
    UPDATE pause SET version = {NEW};
    """.replace("{NEW}", NEW_VERSION),
)
SCHEMA_VERSION = len(MIGRATIONS)


# record type -> (table, columns in storage order, dtypes of the DataFrame)
_TABLES: dict[type, tuple[str, tuple[str, ...]]] = {
    Community: ("community", ("name", "kind", "role", "activity", "since", "notes")),
    Person: ("person", ("name", "circle", "notes")),
    Resolution: (
        "resolution",
        ("cue", "give", "community_id", "person_id", "times", "per", "start", "end", "active",
         "idea_id", "weekdays", "remind_at"),
    ),
    LogEntry: (
        "log_entry",
        ("date", "community_id", "person_id", "resolution_id", "kind", "minutes", "note"),
    ),
    HelpReceived: ("help_received", ("date", "community_id", "person_id", "note")),
    Reflection: ("reflection", ("prompt_id", "date", "answer")),
    Pause: ("pause", ("start", "end", "community_id", "note")),
}

# name of a DataFrame -> (SQL, dtypes)
_FRAMES: dict[str, tuple[str, dict[str, str]]] = {
    "communities": (
        "SELECT id, name, kind, role, activity, since, notes FROM community ORDER BY id",
        {"id": "int64", "name": "str", "kind": "str", "role": "str", "activity": "int64",
         "since": "Int64", "notes": "str"},
    ),
    "people": (
        "SELECT id, name, circle, notes FROM person ORDER BY id",
        {"id": "int64", "name": "str", "circle": "int64", "notes": "str"},
    ),
    "memberships": (
        "SELECT person_id, community_id FROM membership ORDER BY person_id, community_id",
        {"person_id": "int64", "community_id": "int64"},
    ),
    "resolutions": (
        'SELECT id, cue, give, community_id, person_id, times, per, start, "end", active, idea_id,'
        " weekdays, remind_at FROM resolution ORDER BY id",
        {"id": "int64", "cue": "str", "give": "str", "community_id": "int64",
         "person_id": "Int64", "times": "int64", "per": "str", "start": "datetime64[ns]",
         "end": "datetime64[ns]", "active": "bool", "idea_id": "object", "weekdays": "str",
         "remind_at": "str"},
    ),
    "log": (
        "SELECT id, date, community_id, person_id, resolution_id, kind, minutes, note"
        " FROM log_entry ORDER BY date, id",
        {"id": "int64", "date": "datetime64[ns]", "community_id": "int64",
         "person_id": "Int64", "resolution_id": "Int64", "kind": "str", "minutes": "int64",
         "note": "str"},
    ),
    "help": (
        "SELECT id, date, community_id, person_id, note FROM help_received ORDER BY date, id",
        {"id": "int64", "date": "datetime64[ns]", "community_id": "Int64",
         "person_id": "Int64", "note": "str"},
    ),
    "reflections": (
        "SELECT id, prompt_id, date, answer FROM reflection ORDER BY date, id",
        {"id": "int64", "prompt_id": "str", "date": "datetime64[ns]", "answer": "str"},
    ),
    "pauses": (
        'SELECT id, start, "end", community_id, note FROM pause ORDER BY start, id',
        {"id": "int64", "start": "datetime64[ns]", "end": "datetime64[ns]",
         "community_id": "Int64", "note": "str"},
    ),
}
FRAME_NAMES = tuple(_FRAMES)


# Dates go into SQLite as ISO text, as `_sql_value` writes them, also when a bulk write hands
# them over as they are (Python 3.12 deprecates the adapter sqlite3 used to bring for them).
sqlite3.register_adapter(dt.date, dt.date.isoformat)


def _sql_value(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, tuple):  # weekdays: "MO,TH"
        return ",".join(value)
    return value


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _typed(df: pd.DataFrame, dtypes: dict[str, str]) -> pd.DataFrame:
    out = {}
    for col, dtype in dtypes.items():
        values = df[col]
        if dtype.startswith("datetime"):
            out[col] = pd.to_datetime(values, format="%Y-%m-%d").astype(dtype)
        elif dtype == "bool":
            out[col] = values.astype("int64").astype(bool)
        elif dtype == "object":
            out[col] = values.astype(object).where(values.notna(), None)
        else:
            out[col] = values.astype(dtype)
    return pd.DataFrame(out, index=pd.RangeIndex(len(df)))
