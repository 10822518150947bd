"""The words of the workbook as small validated records: communities, people, resolutions, gives."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace

from . import clock
from .errors import StaleRecordError as StaleRecordError  # raised by the store, named here
from .errors import WorkbookError

COMMUNITY_KINDS = (
    "hobby",
    "work",
    "education",
    "family",
    "neighbourhood",
    "volunteering",
    "faith",
    "online",
)
GIVE_KINDS = (
    "advice",
    "link",
    "introduction",
    "visit",
    "time",
    "recommendation",
    "thanks",
    "skill",
    "other",
)
# Dunbar's layers, closest first, in the words a person reads.
CIRCLE_WORDS = {5: "Closest 5", 15: "Good friends 15", 50: "Friends 50", 150: "Acquaintances 150"}
CIRCLES = tuple(CIRCLE_WORDS)
PERIODS = ("week", "month", "quarter", "year")
PERIOD_DAYS = {"week": 7.0, "month": 365.25 / 12, "quarter": 365.25 / 4, "year": 365.25}
ACTIVITY_LEVELS = ("dormant", "occasional", "regular", "active", "core")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # iCalendar's names, Monday first
REMIND_AT = "09:00"  # when a reminder rings unless a person chooses another time

NAME_MAX = 200
OWNER_MAX = 80  # a name printed under a plan's title, on one line
SHORT_TEXT_MAX = 300
TEXT_MAX = 5_000
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)
ID_MAX = 2**63 - 1  # the largest integer SQLite can store
MINUTES_MAX = 24 * 60  # a give's minutes: at most a day

# Words a person reads in an error message, by field.
LABELS = {
    "name": "Name",
    "kind": "Kind",
    "role": "Your role",
    "activity": "Activity level",
    "since": "Member since",
    "notes": "Notes",
    "circle": "Circle",
    "communities": "Communities",
    "cue": "When (the cue)",
    "give": "I will (the give)",
    "community_id": "Community",
    "person_id": "Person",
    "resolution_id": "Resolution",
    "times": "How many times",
    "per": "Per",
    "start": "Start date",
    "end": "End date",
    "active": "Active",
    "date": "Date",
    "minutes": "Minutes",
    "note": "Note",
    "prompt_id": "Prompt",
    "answer": "Answer",
    "idea_id": "Give idea",
    "weekdays": "On which days",
    "remind_at": "Reminder at",
}


class ValidationError(WorkbookError, ValueError):
    """A value a person typed cannot be kept; ``field`` names the form field.

    ``wording`` is the message with ``{field}`` where the field's name goes (and ``{start}``,
    ``{end}``... for other fields it names), so that a form can name each field by the label
    it shows (`worded`); ``str()`` names them by the `LABELS` of the model.
    """

    def __init__(self, field: str, message: str = "", *, wording: str = ""):
        self.field = field
        self.wording = wording
        super().__init__(message or self.worded())

    def worded(self, labels: Mapping[str, str] | None = None) -> str:
        """The message, naming each field by ``labels`` (a form's) or else by `LABELS`."""
        if not self.wording:
            return str(self)
        labels = labels or {}

        def name(match: re.Match) -> str:
            key = self.field if match[1] == "field" else match[1]
            return labels.get(key) or _label(key)

        return _NAMED.sub(name, self.wording)


def _refused(name: str, rest: str) -> ValidationError:
    """A ValidationError whose message is the field's name and then ``rest``."""
    return ValidationError(name, wording="{field} " + rest)


def _label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " ").capitalize())


_NAMED = re.compile(r"\{(field|" + "|".join(LABELS) + r")\}")


# Unicode's control characters (category Cc) but tab and line breaks, and lone surrogates (Cs).
_UNSAVABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def unsavable(text: str) -> bool:
    """Whether text holds a character a workbook cannot keep (a control character, a lone
    surrogate)."""
    return _UNSAVABLE.search(text) is not None


def _check_chars(name: str, value: str) -> None:
    if _UNSAVABLE.search(value):
        raise _refused(
            name, "contains a control character that cannot be saved."
        )


def _text(name: str, value, limit: int, *, required: bool, strip: bool) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _refused(name, "must be text.")
    _check_chars(name, value)
    if strip:
        value = value.strip()
    if required and not value.strip():
        raise _refused(name, "must not be empty.")
    if len(value) > limit:
        raise _refused(
            name, f"is too long: {len(value):,} characters, at most {limit:,}."
        )
    return value


def _int(name: str, value, low: int, high: int, *, required: bool = True) -> int | None:
    if value is None or value == "":
        if required:
            raise _refused(name, "is required.")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            if isinstance(value, bool) or float(value) != int(float(value)):
                raise ValueError
            value = int(float(value))
        except (TypeError, ValueError, OverflowError):
            raise _refused(name, "must be a whole number.") from None
    if not low <= value <= high:
        # No thousands separator: the same message serves years ("between 1900 and 2026").
        raise _refused(name, f"must be between {low} and {high}.")
    return value


def _id(name: str, value, *, required: bool) -> int | None:
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= ID_MAX:
        raise ValidationError(name, wording="{field}: please choose one.")
    return value


def _date(name: str, value, *, not_future: bool = False, required: bool = True) -> dt.date | None:
    if value is None:
        if required:
            raise _refused(name, "is required.")
        return None
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise _refused(
                name, "must be a date like 2026-12-31."
            ) from None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        raise _refused(name, "must be a date.")
    if not MIN_DATE <= value <= MAX_DATE:
        raise _refused(name, "must be between 1900 and 2100.")
    if not_future and value > clock.today():
        raise _refused(name, "cannot be in the future.")
    return value


def _choice(name: str, value, choices) -> object:
    if value not in choices:
        shown = ", ".join(str(c) for c in choices)
        raise _refused(name, f"must be one of: {shown}.")
    return value


# Which write of a saved record this is, as the workbook file gave it (None: not read from one).
# A save names it so that a record changed meanwhile elsewhere is refused, not overwritten; it
# is no value a person types, so it takes no part in checks, comparisons, backups or exports.
VERSION = "version"


def _version():
    return field(default=None, compare=False, repr=False, kw_only=True)


class _Record:
    """Shared behaviour: validation on creation, copies with changes, plain dicts."""

    def __post_init__(self):
        given = self.__dict__
        for key, value in self._validated().items():
            if value is not given[key]:  # most values are kept as they came
                object.__setattr__(self, key, value)

    def _validated(self) -> dict:
        raise NotImplementedError

    def with_changes(self, **changes):
        """A validated copy with some fields changed."""
        return replace(self, **changes)

    def to_dict(self) -> dict:
        """Plain values (dates as ISO text) for JSON and tables; no version."""
        out = {}
        for f in fields(self):
            if f.name == VERSION:
                continue
            value = getattr(self, f.name)
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name] = value
        return out


@dataclass(frozen=True)
class Community(_Record):
    """A group you belong to."""

    name: str
    kind: str = "hobby"
    role: str = ""
    activity: int = 2
    since: int | None = None
    notes: str = ""
    id: int | None = None
    version: int | None = _version()

    def _validated(self):
        kind = _text("kind", self.kind, NAME_MAX, required=True, strip=True)
        if kind.lower() in COMMUNITY_KINDS:
            kind = kind.lower()
        return {
            "name": _text("name", self.name, NAME_MAX, required=True, strip=True),
            "kind": kind,
            "role": _text("role", self.role, NAME_MAX, required=False, strip=True),
            "activity": _int("activity", self.activity, 0, len(ACTIVITY_LEVELS) - 1),
            "since": _int("since", self.since, MIN_DATE.year, clock.today().year, required=False),
            "notes": _text("notes", self.notes, TEXT_MAX, required=False, strip=False),
            "id": _id("id", self.id, required=False),
        }


@dataclass(frozen=True)
class Person(_Record):
    """Someone you know; a nickname or initials are enough."""

    name: str
    circle: int = 150
    notes: str = ""
    communities: tuple[int, ...] = field(default_factory=tuple)
    id: int | None = None
    version: int | None = _version()

    def _validated(self):
        try:
            ids = tuple(sorted(set(self.communities or ())))
        except TypeError:
            raise _refused("communities", "must be a list.") from None
        for cid in ids:
            try:
                _id("communities", cid, required=True)
            except ValidationError:
                raise ValidationError(
                    "communities", wording="{field} must be chosen from your list of communities."
                ) from None
        circle = _int("circle", self.circle, 0, 10_000)
        return {
            "name": _text("name", self.name, NAME_MAX, required=True, strip=True),
            "circle": _choice("circle", circle, CIRCLES),
            "notes": _text("notes", self.notes, TEXT_MAX, required=False, strip=False),
            "communities": ids,
            "id": _id("id", self.id, required=False),
        }


@dataclass(frozen=True)
class Resolution(_Record):
    """A planned give: when <cue> in <community>, I will <give>, N times per period."""

    cue: str
    give: str
    community_id: int
    times: int = 1
    per: str = "month"
    start: dt.date | None = None
    end: dt.date | None = None
    person_id: int | None = None
    active: bool = True
    idea_id: str | None = None
    weekdays: tuple[str, ...] = field(default_factory=tuple)
    remind_at: str = REMIND_AT
    id: int | None = None
    version: int | None = _version()

    def _validated(self):
        start = _date("start", self.start if self.start is not None else clock.today())
        end = _date("end", self.end, required=False)
        if end is not None and end < start:
            raise ValidationError("end", wording="{end} must not be before {start}.")
        idea = self.idea_id
        if idea is not None:
            idea = _text("idea_id", idea, 100, required=True, strip=True)
        return {
            "cue": _text("cue", self.cue, SHORT_TEXT_MAX, required=True, strip=True),
            "give": _text("give", self.give, SHORT_TEXT_MAX, required=True, strip=True),
            "community_id": _id("community_id", self.community_id, required=True),
            "times": _int("times", self.times, 1, 31),
            "per": _choice("per", self.per, PERIODS),
            "start": start,
            "end": end,
            "person_id": _id("person_id", self.person_id, required=False),
            "active": bool(self.active),
            "idea_id": idea,
            "weekdays": _weekdays(self.weekdays),
            "remind_at": _clock_time("remind_at", self.remind_at),
            "id": _id("id", self.id, required=False),
        }

    @property
    def per_day(self) -> float:
        """Planned gives per day."""
        return self.times / PERIOD_DAYS[self.per]

    def sentence(self, community_name: str = "") -> str:
        """The resolution in if-then wording: 'When ..., I will ... (twice a month).'"""
        cue = _without_prefix(self.cue, "when ")
        give = _without_prefix(self.give, "i will ")
        where = f" in {community_name}" if community_name else ""
        return f"When {cue}{where}, I will {give} ({cadence(self.times, self.per)})."


def _weekdays(value) -> tuple[str, ...]:
    """Days of the week as iCalendar names in week order, each once; empty means any day."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = value.split(",")
    try:
        days = {str(v).strip().upper() for v in value}
    except TypeError:
        raise _refused("weekdays", "must be a list of weekdays.") from None
    if days - set(WEEKDAYS):
        raise _refused("weekdays", "must be days of the week, written "
                                          f"{', '.join(WEEKDAYS)}.")
    return tuple(d for d in WEEKDAYS if d in days)


_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def weekdays_in(text: str) -> tuple[str, ...]:
    """The weekdays a cue names ("after the Monday stand-up" -> ("MO",)), in week order."""
    words = set("".join(ch if ch.isalpha() else " " for ch in text.casefold()).split())
    found = {day for day, name in zip(WEEKDAYS, _DAY_NAMES, strict=True)
             if name in words or f"{name}s" in words}
    return tuple(d for d in WEEKDAYS if d in found)


def _clock_time(name: str, value) -> str:
    """A time of day written HH:MM (24 hours)."""
    if value is None or value == "":
        return REMIND_AT
    if isinstance(value, dt.time):
        value = value.strftime("%H:%M")
    if not isinstance(value, str):
        raise _refused(name, "must be a time like 09:00.")
    try:
        parsed = dt.datetime.strptime(value.strip(), "%H:%M")
    except ValueError:
        raise _refused(name, "must be a time like 09:00.") from None
    return parsed.strftime("%H:%M")


def _without_prefix(text: str, prefix: str) -> str:
    return text[len(prefix):].lstrip() if text.lower().startswith(prefix) else text


def cadence(times: int, per: str) -> str:
    """'twice a month', 'once a week', '3 times a quarter'."""
    word = {1: "once", 2: "twice"}.get(times, f"{times} times")
    return f"{word} a {per}"


@dataclass(frozen=True)
class LogEntry(_Record):
    """A give that happened."""

    date: dt.date
    community_id: int
    kind: str = "advice"
    minutes: int = 5
    note: str = ""
    person_id: int | None = None
    resolution_id: int | None = None
    id: int | None = None
    version: int | None = _version()

    def _validated(self):
        return {
            "date": _date("date", self.date, not_future=True),
            "community_id": _id("community_id", self.community_id, required=True),
            "kind": _choice("kind", self.kind, GIVE_KINDS),
            "minutes": _int("minutes", self.minutes, 0, MINUTES_MAX),
            "note": _text("note", self.note, TEXT_MAX, required=False, strip=False),
            "person_id": _id("person_id", self.person_id, required=False),
            "resolution_id": _id("resolution_id", self.resolution_id, required=False),
            "id": _id("id", self.id, required=False),
        }


@dataclass(frozen=True)
class HelpReceived(_Record):
    """Help that came back, from anyone; never linked to a give."""

    date: dt.date
    note: str
    community_id: int | None = None
    person_id: int | None = None
    id: int | None = None
    version: int | None = _version()

    def _validated(self):
        return {
            "date": _date("date", self.date, not_future=True),
            "note": _text("note", self.note, TEXT_MAX, required=True, strip=False),
            "community_id": _id("community_id", self.community_id, required=False),
            "person_id": _id("person_id", self.person_id, required=False),
            "id": _id("id", self.id, required=False),
        }


@dataclass(frozen=True)
class Reflection(_Record):
    """A prompt and your dated answer."""

    prompt_id: str
    answer: str
    date: dt.date | None = None
    id: int | None = None
    version: int | None = _version()

    def _validated(self):
        return {
            "prompt_id": _text("prompt_id", self.prompt_id, 100, required=True, strip=True),
            "answer": _text("answer", self.answer, TEXT_MAX, required=True, strip=False),
            "date": _date("date", self.date if self.date is not None else clock.today(),
                          not_future=True),
            "id": _id("id", self.id, required=False),
        }


@dataclass(frozen=True)
class Pause(_Record):
    """Days off giving (ill, travelling): for one community, or for everything when it has none.

    A paused day leaves visibility as it was and is not counted in any plan. ``end`` empty means
    the pause goes on until it is ended.
    """

    start: dt.date
    end: dt.date | None = None
    community_id: int | None = None
    note: str = ""
    id: int | None = None
    version: int | None = _version()

    def _validated(self):
        start = _date("start", self.start)
        end = _date("end", self.end, required=False)
        if end is not None and end < start:
            raise ValidationError("end", wording="{end} must not be before {start}.")
        return {
            "start": start,
            "end": end,
            "community_id": _id("community_id", self.community_id, required=False),
            "note": _text("note", self.note, SHORT_TEXT_MAX, required=False, strip=True),
            "id": _id("id", self.id, required=False),
        }

    def covers(self, day: dt.date) -> bool:
        """Whether the pause holds on ``day``."""
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Owner(_Record):
    """The workbook owner's name, printed on their plan; empty when they keep it to themselves.

    One per workbook, so it has no id and is not one of the `RECORD_TYPES`.
    """

    name: str = ""

    def _validated(self):
        name = _text("name", self.name, OWNER_MAX, required=False, strip=True)
        if any(ch in name for ch in "\t\n\r\u2028\u2029"):
            raise _refused("name", "must be on one line.")
        return {"name": name}


RECORD_TYPES = (Community, Person, Resolution, LogEntry, HelpReceived, Reflection, Pause)
