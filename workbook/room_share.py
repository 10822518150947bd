"""A workshop room's shared counts: what a participant shares, and what the facilitator reads.

In a room, every participant's server is given the same folder in ``$WORKBOOK_ROOM_DIR``. A
participant who chooses to share writes one file there: counts only (communities of each kind,
people, resolutions, gives per week, help received, reflections), never a name, a note or the
id of a record. The file is named by a random id kept beside the workbook, so sharing again
replaces it and stopping removes it. The facilitator reads the folder, and treats every file in
it as hostile input: each is checked strictly, and a bad one is reported and left out.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import stat
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from . import analytics, content
from .atomic import atomic_write
from .errors import WorkbookError
from .season import season

ENV_VAR = "WORKBOOK_ROOM_DIR"
FORMAT = "networking-workbook-room-summary"
VERSION = 1
WEEKS = 12  # gives per week: this ISO week and the eleven before it
OWN_KIND = "own"  # every kind a person named themselves: its name is theirs, not the room's
MAX_BYTES = 64 * 1024  # a summary is under 1 KB; anything near this is not one of ours
MAX_FILES = 2_000
MAX_COUNT = 10_000_000
FILE_MODE = 0o640  # the owner and the folder's group (the facilitators) read it
ID_SUFFIX = ".room-share"
_ID = re.compile(r"[0-9a-f]{32}")
_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
COUNTS = ("people", "resolutions", "running", "help_received", "reflections")
KEYS = frozenset(("format", "version", "shared_on", "plan_year", "new_year_resolution",
                  "communities", "gives_per_week", *COUNTS))

# room_figures()["totals"] key -> how a person reads it ({year}: the plan year)
TOTAL_LABELS = {
    "participants": "Participants who shared",
    "communities": "Communities",
    "people": "People",
    "resolutions": "Resolutions",
    "running": "Resolutions running",
    "new_year": "Made a New Year's resolution for {year}",
    "gives": f"Gives in the last {WEEKS} weeks",
    "help": "Help received",
    "reflections": "Reflections written",
}


# -- where the room is --------------------------------------------------------------------------
def room_dir() -> Path | None:
    """The room's shared folder from ``$WORKBOOK_ROOM_DIR``, or None when unset or not there."""
    text = os.environ.get(ENV_VAR, "").strip()
    if not text:
        return None
    folder = Path(text).expanduser()
    return folder if folder.is_dir() else None


def kind_ids() -> tuple[str, ...]:
    """The kinds a summary counts communities by: the content's kinds, then ``own``."""
    return (*(kind.id for kind in content.community_kinds()), OWN_KIND)


def kind_label(kind: str) -> str:
    """How a person reads a kind id."""
    return "Kinds of their own" if kind == OWN_KIND else content.kind_labels().get(kind, kind)


# -- the participant's side ---------------------------------------------------------------------
def week_id(day: dt.date) -> str:
    """The ISO week of a day, as '2026-W48'."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def has_new_year_resolution(resolutions: pd.DataFrame, today: dt.date) -> bool:
    """Whether a resolution starts in January of the year being planned.

    The plan year follows the season (`workbook.season`): from 1 November it is the coming
    year, whose new resolutions start on 1 January by default; from January on it is this
    year, and a resolution made in January starts the day it is made. So on 26 November 2026
    this asks for one starting in January 2027, and on 10 March 2027 for January 2027 too.
    """
    year = season(today).plan_year
    start = resolutions["start"]
    return bool(((start >= pd.Timestamp(year, 1, 1)) & (start < pd.Timestamp(year, 2, 1))).any())


def summary(frames: Mapping[str, pd.DataFrame], today: dt.date) -> dict:
    """The counts a participant shares with the room: nothing a person typed.

    Parameters
    ----------
    frames
        From `Store.frames`.
    today
        The day shared.

    Returns
    -------
    dict
        ``communities`` per kind (a kind a person named themselves counts as ``own``),
        ``people``, ``resolutions``, ``running`` (as `analytics.running` counts them today),
        ``new_year_resolution`` (see `has_new_year_resolution`) and its ``plan_year``,
        ``gives_per_week`` for this ISO week and the eleven before it (a give dated after
        today is left out), ``help_received`` and ``reflections`` (all time), ``shared_on``.
    """
    known = kind_ids()
    kinds = frames["communities"]["kind"].where(frames["communities"]["kind"].isin(known),
                                                OWN_KIND)
    per_kind = kinds.value_counts()
    monday = today - dt.timedelta(days=today.weekday())
    mondays = [monday - dt.timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]
    log = frames["log"]
    dates = log.loc[(log["date"] >= pd.Timestamp(mondays[0]))
                    & (log["date"] <= pd.Timestamp(today)), "date"]
    per_week = dates.dt.to_period("W-SUN").dt.start_time.dt.date.value_counts()
    resolutions = frames["resolutions"]
    return {
        "format": FORMAT,
        "version": VERSION,
        "shared_on": today.isoformat(),
        "communities": {kind: int(per_kind.get(kind, 0)) for kind in known},
        "people": len(frames["people"]),
        "resolutions": len(resolutions),
        "running": int(analytics.running(resolutions, today).sum()),
        "plan_year": season(today).plan_year,
        "new_year_resolution": has_new_year_resolution(resolutions, today),
        "gives_per_week": {week_id(m): int(per_week.get(m, 0)) for m in mondays},
        "help_received": len(frames["help"]),
        "reflections": len(frames["reflections"]),
    }


def _id_file(store_path: str | os.PathLike) -> Path:
    return Path(f"{store_path}{ID_SUFFIX}")


def _known_id(store_path) -> str | None:
    """The id this workbook shares under, or None (a damaged id file counts as none)."""
    try:
        text = _id_file(store_path).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text if _ID.fullmatch(text) else None


def _shared_file(store_path, room: str | os.PathLike) -> Path | None:
    known = _known_id(store_path)
    return None if known is None else Path(room) / f"{known}.json"


def share(store, room: str | os.PathLike, today: dt.date) -> Path:
    """Write this workbook's `summary` into the room's folder, in one step.

    The file is named by a random id kept in ``<workbook>.room-share`` (readable by its owner
    only), so sharing again replaces the same file. It is made readable by its owner and the
    folder's group, the facilitators, before it takes its place.

    Returns
    -------
    Path
        The file written.
    """
    room = Path(room)
    if not room.is_dir():
        raise WorkbookError(f"The room's folder {room} is not there: ask the facilitator.")
    known = _known_id(store.path)
    if known is None:
        known = secrets.token_hex(16)
        atomic_write(_id_file(store.path), known + "\n", mode=0o600)
    text = json.dumps(summary(store.frames(), today), indent=1) + "\n"
    return atomic_write(room / f"{known}.json", text, mode=FILE_MODE)


def withdraw(store_path: str | os.PathLike, room: str | os.PathLike) -> None:
    """Remove this workbook's file from the room and forget its id (nothing shared: no-op)."""
    path = _shared_file(store_path, room)
    if path is not None:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
    try:
        _id_file(store_path).unlink()
    except FileNotFoundError:
        pass


def shared(store_path: str | os.PathLike, room: str | os.PathLike) -> bool:
    """Whether this workbook's counts are in the room now."""
    path = _shared_file(store_path, room)
    return path is not None and path.is_file()


def shared_on(store_path: str | os.PathLike, room: str | os.PathLike) -> dt.date | None:
    """The day this workbook's counts were last shared with the room, or None."""
    path = _shared_file(store_path, room)
    if path is None:
        return None
    try:
        return dt.date.fromisoformat(_read_one(path)["shared_on"])
    except (OSError, ValueError):
        return None


# -- the facilitator's side ---------------------------------------------------------------------
def _shown(name: str, limit: int = 80) -> str:
    """A file name as one short, printable line (a name is chosen by whoever wrote the file)."""
    text = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in name)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _read_one(path: Path) -> dict:
    """One summary file, read and checked; ValueError (or OSError) says what is wrong."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        if path.is_symlink():
            raise ValueError("a link, not a file") from None
        raise ValueError(f"cannot be read ({e.strerror})") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ValueError("not a plain file")
        data = os.read(fd, MAX_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:
        raise ValueError(f"larger than {MAX_BYTES // 1024} KB")
    try:
        value = json.loads(data.decode("utf-8"), object_pairs_hook=_no_repeats,
                           parse_constant=_no_constant)
    except (UnicodeDecodeError, RecursionError, ValueError):
        raise ValueError("not JSON") from None
    _check(value)
    return value


def _no_repeats(pairs) -> dict:
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("a key twice")
    return dict(pairs)


def _no_constant(name: str):
    raise ValueError(name)


def _count(value, what: str, high: int = MAX_COUNT) -> int:
    if type(value) is not int or not 0 <= value <= high:
        raise ValueError(f"{what} is not a count")
    return value


def _check(value) -> None:
    """Raise ValueError unless ``value`` is a summary as `summary` writes it."""
    if not isinstance(value, dict):
        raise ValueError("not a summary")
    if value.get("format") != FORMAT:
        raise ValueError("not a room summary")
    if value.get("version") != VERSION:
        raise ValueError(f"a summary of another version (this one reads {VERSION})")
    if set(value) != KEYS:
        odd = sorted(set(value) ^ KEYS)
        raise ValueError(f"unexpected or missing keys ({_shown(', '.join(odd), 60)})")
    day = value["shared_on"]
    if not isinstance(day, str) or not _DAY.fullmatch(day):
        raise ValueError("shared_on is not a date")
    dt.date.fromisoformat(day)  # ValueError for 2026-02-30
    if type(value["plan_year"]) is not int or not 1900 <= value["plan_year"] <= 9999:
        raise ValueError("plan_year is not a year")
    if type(value["new_year_resolution"]) is not bool:
        raise ValueError("new_year_resolution is not true or false")
    for key in COUNTS:
        _count(value[key], key)
    if value["running"] > value["resolutions"]:
        raise ValueError("more resolutions running than made")
    kinds = value["communities"]
    if not isinstance(kinds, dict) or not set(kinds) <= set(kind_ids()):
        raise ValueError("communities are not counted by the known kinds")
    for count in kinds.values():
        _count(count, "a kind's communities")
    weeks = value["gives_per_week"]
    if not isinstance(weeks, dict) or len(weeks) > WEEKS:
        raise ValueError(f"gives_per_week is not {WEEKS} weeks or fewer")
    for week, count in weeks.items():
        match = _WEEK.fullmatch(week)
        if not match:
            raise ValueError("gives_per_week has a key that is not a week")
        dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)  # ValueError for W54
        _count(count, "a week's gives")


def read_summaries(folder: str | os.PathLike) -> tuple[list[dict], list[str]]:
    """Every summary in a room's folder, checked; a bad file is reported and left out.

    Parameters
    ----------
    folder
        The room's folder (``*.json`` files are read, in name order, at most 2,000).

    Returns
    -------
    summaries, problems
        The good summaries, and one line per file left out ("x.json: not JSON").

    Raises
    ------
    WorkbookError
        When the folder is not there.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise WorkbookError(f"There is no folder at {folder}.")
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".json"))
    problems = []
    if len(names) > MAX_FILES:
        problems.append(f"{len(names) - MAX_FILES:,} files past the first {MAX_FILES:,} "
                        "were not read")
        names = names[:MAX_FILES]
    summaries = []
    for name in names:
        try:
            summaries.append(_read_one(folder / name))
        except ValueError as e:
            problems.append(f"{_shown(name)}: {e}")
    return summaries, problems


def room_figures(summaries: list[dict]) -> dict:
    """The room's totals from its participants' summaries.

    Returns
    -------
    dict
        ``totals`` (keys of `TOTAL_LABELS`; ``new_year`` counts the summaries that have a New
        Year's resolution for ``plan_year``, the latest plan year shared), ``plan_year``,
        ``shared`` (the first and the last day shared, or None), ``by_kind`` (a DataFrame:
        kind, label, communities) and ``weeks`` (a DataFrame: week, monday, gives,
        participants) for the 12 weeks that end with the latest week shared; each participant
        counts in the weeks their own summary covers.
    """
    plan_year = max((s["plan_year"] for s in summaries), default=None)
    by_kind = {kind: 0 for kind in kind_ids()}
    weeks: dict[str, list[int]] = {}
    for s in summaries:
        for kind, n in s["communities"].items():
            by_kind[kind] += n
        for week, n in s["gives_per_week"].items():
            weeks.setdefault(week, [0, 0])
            weeks[week][0] += n
            weeks[week][1] += 1
    totals = {
        "participants": len(summaries),
        "communities": sum(by_kind.values()),
        "people": sum(s["people"] for s in summaries),
        "resolutions": sum(s["resolutions"] for s in summaries),
        "running": sum(s["running"] for s in summaries),
        "new_year": sum(s["new_year_resolution"] and s["plan_year"] == plan_year
                        for s in summaries),
        "gives": sum(sum(s["gives_per_week"].values()) for s in summaries),
        "help": sum(s["help_received"] for s in summaries),
        "reflections": sum(s["reflections"] for s in summaries),
    }
    days = sorted(dt.date.fromisoformat(s["shared_on"]) for s in summaries)
    return {
        "totals": totals,
        "plan_year": plan_year,
        "shared": (days[0], days[-1]) if days else None,
        "by_kind": pd.DataFrame({"kind": list(by_kind),
                                 "label": [kind_label(k) for k in by_kind],
                                 "communities": list(by_kind.values())}),
        "weeks": _room_weeks(weeks),
    }


def _room_weeks(weeks: Mapping[str, list[int]]) -> pd.DataFrame:
    """The last `WEEKS` weeks up to the latest one shared, a row each (none shared: empty)."""
    columns = {"week": "str", "monday": "datetime64[ns]", "gives": "int64",
               "participants": "int64"}
    if not weeks:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})

    def monday(week: str) -> dt.date:
        year, number = _WEEK.fullmatch(week).groups()
        return dt.date.fromisocalendar(int(year), int(number), 1)

    last = max(monday(w) for w in weeks)
    mondays = [last - dt.timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]
    rows = [(week_id(m), m, *weeks.get(week_id(m), (0, 0))) for m in mondays]
    frame = pd.DataFrame(rows, columns=list(columns))
    return frame.astype(columns)


def room_rows(figures: Mapping) -> list[tuple[str, int]]:
    """The totals as (label, number) rows, in `TOTAL_LABELS` order."""
    year = figures["plan_year"] or "the coming year"
    return [(label.format(year=year), figures["totals"][key])
            for key, label in TOTAL_LABELS.items()]
