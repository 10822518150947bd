"""The records refuse bad input with one plain ValidationError and keep good input exactly."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from decimal import Decimal
from fractions import Fraction

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbook import clock
from workbook.model import (
    ACTIVITY_LEVELS,
    CIRCLES,
    COMMUNITY_KINDS,
    GIVE_KINDS,
    LABELS,
    PERIOD_DAYS,
    PERIODS,
    VERSION,
    WEEKDAYS,
    Community,
    HelpReceived,
    LogEntry,
    Pause,
    Person,
    Reflection,
    Resolution,
    ValidationError,
    WorkbookError,
    cadence,
)
from workbook.store import Store

TODAY = clock.today()  # the date pyproject.toml pins for the test run
SOON = TODAY - dt.timedelta(days=25)

# The smallest valid set of arguments for each record type; a test changes one field at a time.
BASE = {
    Community: {"name": "Choir"},
    Person: {"name": "Ana"},
    Resolution: {"cue": "the choir meets", "give": "bring cake", "community_id": 1},
    LogEntry: {"date": SOON, "community_id": 1},
    HelpReceived: {"date": SOON, "note": "A tip about a job"},
    Reflection: {"prompt_id": "start-1", "answer": "The choir, mostly."},
    Pause: {"start": SOON},
}
# The version is the workbook file's, never a person's: no check, no comparison.
FIELDS = [(cls, f.name) for cls in BASE for f in dataclasses.fields(cls) if f.name != VERSION]

# Characters a person may really type, and the awkward ones that must still be kept as text.
SPECIAL = [
    "Zoë 🎶👩🏽‍🦱",
    "שלום עליכם",
    "مرحبا بالجميع",
    "<script>alert(1)</script>",
    "</script><img src=x onerror=alert(1)>",
    "Tom & Jerry <b>bold</b> &amp;",
    "line one\nline two\r\n\ttabbed",
    "\u202eevil\u202c bidi",
    "zero\u200bwidth",
]
ANY_CHAR = st.characters(exclude_categories=())  # surrogates and control characters included
GOOD_CHAR = st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from("\t\n\r")
LONG_TEXT = st.builds(lambda ch, n, tail: ch * n + tail, ANY_CHAR, st.integers(0, 6_000),
                      st.text(ANY_CHAR, max_size=5))
ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**62, max_value=2**70),
    st.floats(),
    st.decimals(),
    st.fractions(),
    st.text(ANY_CHAR),
    LONG_TEXT,
    st.sampled_from(SPECIAL),
    st.integers(-5, 200).map(str),
    st.dates(),
    st.dates().map(dt.date.isoformat),
    st.datetimes(),
    st.binary(max_size=20),
    st.lists(st.integers(-3, 2**64), max_size=4),
    st.lists(st.text(ANY_CHAR, max_size=3), max_size=3),
    st.tuples(),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)

TEXT_LIMITS = {"name": 200, "role": 200, "kind": 200, "notes": 5_000, "note": 5_000,
               "pause.note": 300,
               "answer": 5_000, "cue": 300, "give": 300, "prompt_id": 100, "idea_id": 100}
ID_FIELDS = {"id", "community_id", "person_id", "resolution_id"}
DATE_FIELDS = {"start", "end", "date"}


def _savable_text(value: str) -> bool:
    """Only tab, newline and carriage return among control characters; no lone surrogates."""
    return all(
        ch in "\t\n\r" or unicodedata.category(ch) not in ("Cc", "Cs") for ch in value
    )


def _check_kept(record, name: str) -> None:
    """An accepted value has the type and range the rest of the workbook relies on."""
    value = getattr(record, name)
    cls = type(record)
    if name in TEXT_LIMITS:
        if name == "idea_id" and value is None:
            return
        assert type(value) is str and _savable_text(value)
        assert len(value) <= TEXT_LIMITS["pause.note" if cls is Pause else name]
        if name in ("name", "cue", "give", "prompt_id", "answer") or (
            cls is HelpReceived and name == "note"
        ):
            assert value.strip()
    elif name in ID_FIELDS:
        assert value is None or (type(value) is int and 1 <= value < 2**63)
    elif name in DATE_FIELDS:
        assert value is None or type(value) is dt.date
        if value is not None:
            assert dt.date(1900, 1, 1) <= value <= dt.date(2100, 12, 31)
            if cls in (LogEntry, HelpReceived, Reflection):
                assert value <= TODAY
    elif name == "communities":
        assert type(value) is tuple and list(value) == sorted(set(value))
        assert all(type(c) is int and 1 <= c < 2**63 for c in value)
    elif name == "active":
        assert type(value) is bool
    elif name == "weekdays":
        assert type(value) is tuple and list(value) == [d for d in WEEKDAYS if d in value]
    elif name == "remind_at":
        assert re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value)
    else:
        ranges = {"activity": range(0, 5), "since": range(1900, TODAY.year + 1),
                  "times": range(1, 32), "minutes": range(0, 24 * 60 + 1), "circle": CIRCLES,
                  "per": PERIODS}
        if cls is LogEntry and name == "kind":
            assert value in GIVE_KINDS
        elif name == "since" and value is None:
            pass
        else:
            assert type(value) in (int, str) and value in ranges[name]


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory):
    """One workbook for the whole module with two communities, a person and a resolution."""
    with Store(tmp_path_factory.mktemp("model") / "workbook.sqlite") as s:
        s.add_many([Community("Choir"), Community("Library", kind="work"),
                    Person("Ana", communities=(1,)),
                    Resolution("the choir meets", "bring cake", 1, start=SOON)])
        yield s


PROPERTY = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


@pytest.mark.parametrize(("cls", "name"), FIELDS, ids=[f"{c.__name__}.{n}" for c, n in FIELDS])
@PROPERTY
@given(value=ANYTHING)
def test_any_value_is_kept_or_refused_in_plain_words(cls, name, value, shared_store):
    kwargs = {**BASE[cls], name: value}
    try:
        record = cls(**kwargs)
    except ValidationError as e:
        assert e.field == name
        message = str(e)
        if name in LABELS:
            assert LABELS[name].lower() in message.lower(), message
        assert message[0].isupper() and message.endswith("."), message
        assert "Traceback" not in message and len(message) < 300
        return
    _check_kept(record, name)
    # Whatever the model accepts, the workbook either saves or refuses in the same plain way.
    try:
        new_id = shared_store.add(record)
    except WorkbookError:
        return
    assert shared_store.get(cls, new_id) == dataclasses.replace(record, id=new_id)
    shared_store.delete(cls, new_id)


# -- valid values keep their exact text through a real workbook ---------------------------------

def _text(min_size=0, max_size=80):
    return st.one_of(st.text(GOOD_CHAR, min_size=min_size, max_size=max_size),
                     st.sampled_from(SPECIAL))


NAMES = _text(1, 60).filter(str.strip)
OPTIONAL_ID = st.sampled_from([None, 1])
PAST = st.dates(dt.date(1900, 1, 1), TODAY)
ANY_DATE = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))
VALID = {
    Community: st.builds(Community, name=NAMES, kind=st.sampled_from(COMMUNITY_KINDS) | NAMES,
                         role=_text(), activity=st.integers(0, 4),
                         since=st.none() | st.integers(1900, TODAY.year), notes=_text()),
    Person: st.builds(Person, name=NAMES, circle=st.sampled_from(CIRCLES), notes=_text(),
                      communities=st.lists(st.sampled_from([1, 2]), unique=True).map(tuple)),
    Resolution: st.builds(
        lambda start, days, **kw: Resolution(
            start=start, end=None if days is None else start + dt.timedelta(days), **kw),
        start=st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)),
        days=st.none() | st.integers(0, 365), cue=NAMES, give=NAMES,
        community_id=st.sampled_from([1, 2]), person_id=OPTIONAL_ID,
        times=st.integers(1, 31), per=st.sampled_from(PERIODS), active=st.booleans(),
        idea_id=st.none() | st.sampled_from(["choir-1", "x y"]),
        weekdays=st.lists(st.sampled_from(WEEKDAYS), unique=True).map(tuple),
        remind_at=st.sampled_from(["07:30", "09:00", "21:05"])),
    LogEntry: st.one_of(
        st.builds(LogEntry, date=PAST, community_id=st.sampled_from([1, 2]),
                  kind=st.sampled_from(GIVE_KINDS), minutes=st.integers(0, 1440),
                  note=_text(), person_id=OPTIONAL_ID),
        # credited to the module's resolution: in its community, on a day it runs
        st.builds(LogEntry, date=st.dates(SOON, TODAY), community_id=st.just(1),
                  kind=st.sampled_from(GIVE_KINDS), minutes=st.integers(0, 1440),
                  note=_text(), person_id=OPTIONAL_ID, resolution_id=st.just(1))),
    HelpReceived: st.builds(HelpReceived, date=PAST, note=NAMES, community_id=OPTIONAL_ID,
                            person_id=OPTIONAL_ID),
    Reflection: st.builds(Reflection, prompt_id=NAMES, answer=NAMES, date=PAST),
    Pause: st.builds(lambda start, days, **kw: Pause(
        start=start, end=None if days is None else start + dt.timedelta(days), **kw),
        start=ANY_DATE.filter(lambda d: d < dt.date(2100, 1, 1)),
        days=st.none() | st.integers(0, 300), community_id=OPTIONAL_ID, note=_text(0, 60)),
}
FRAME_OF = {Community: "communities", Person: "people", Resolution: "resolutions",
            LogEntry: "log", HelpReceived: "help", Reflection: "reflections", Pause: "pauses"}


def _plain(value):
    """A frame cell as the plain value `to_dict` gives."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


@pytest.mark.parametrize("cls", list(VALID), ids=lambda c: c.__name__)
@PROPERTY
@given(data=st.data())
def test_valid_records_round_trip_through_a_workbook(cls, data, shared_store):
    record = data.draw(VALID[cls])
    new_id = shared_store.add(record)
    saved = dataclasses.replace(record, id=new_id)
    assert shared_store.get(cls, new_id) == saved
    row = shared_store.frame(FRAME_OF[cls]).set_index("id").loc[new_id]
    expected = saved.to_dict()
    expected.pop("communities", None)
    if cls is Resolution:  # the table keeps the weekdays as written in the file: "MO,TH"
        expected["weekdays"] = ",".join(expected["weekdays"])
    assert {k: _plain(v) for k, v in row.items()} | {"id": new_id} == expected
    if cls is Person:
        members = shared_store.frame("memberships")
        mine = members.loc[members.person_id == new_id, "community_id"].tolist()
        assert tuple(mine) == record.communities


@given(name=_text(1, 60).filter(str.strip), pad=st.sampled_from(["", " ", "\n\t ", "\u3000"]),
       notes=_text())
@settings(max_examples=100, deadline=None)
def test_names_are_stripped_and_notes_kept_exactly(name, pad, notes):
    c = Community(pad + name + pad, notes=pad + notes + pad)
    assert c.name == name.strip()
    assert c.notes == pad + notes + pad


def test_special_text_survives_a_workbook_exactly(store):
    cid = store.add(Community(SPECIAL[0], notes="\n".join(SPECIAL)))
    pid = store.add(Person(SPECIAL[3], notes=SPECIAL[4], communities=(cid,)))
    store.add(LogEntry(SOON, cid, person_id=pid, note=SPECIAL[4] + "  "))
    store.add(Reflection("p", "  " + SPECIAL[1] + "\n"))
    assert store.get(Community, cid).notes == "\n".join(SPECIAL)
    assert store.frame("people").name.tolist() == [SPECIAL[3]]
    assert store.frame("log").note.tolist() == [SPECIAL[4] + "  "]
    assert store.frame("reflections").answer.tolist() == ["  " + SPECIAL[1] + "\n"]


# -- one example for each rule ------------------------------------------------------------------

def _refused(cls, field, value, words):
    with pytest.raises(ValidationError) as info:
        cls(**{**BASE[cls], field: value})
    assert info.value.field == field
    assert words in str(info.value), str(info.value)
    return str(info.value)


@pytest.mark.parametrize("cls", [Community, Person])
def test_name_rules(cls):
    assert cls("  Choir\n").name == "Choir"
    assert cls("x" * 200).name == "x" * 200
    assert cls("  " + "x" * 200 + "  ").name == "x" * 200
    assert _refused(cls, "name", "", "Name") == "Name must not be empty."
    _refused(cls, "name", " \t\n ", "must not be empty")
    _refused(cls, "name", None, "must not be empty")
    assert _refused(cls, "name", "x" * 201, "too long") == (
        "Name is too long: 201 characters, at most 200."
    )
    _refused(cls, "name", 42, "Name must be text")
    _refused(cls, "name", "bell\x07", "control character")
    _refused(cls, "name", "half \ud83c pair", "cannot be saved")


@pytest.mark.parametrize(("cls", "field"), [(Community, "notes"), (Person, "notes"),
                                            (LogEntry, "note"), (HelpReceived, "note"),
                                            (Reflection, "answer")])
def test_long_text_limit(cls, field):
    kept = cls(**{**BASE[cls], field: " " + "é" * 4_998 + "\n"})
    assert getattr(kept, field) == " " + "é" * 4_998 + "\n"
    _refused(cls, field, "x" * 5_001, "at most 5,000")
    _refused(cls, field, "nul\x00byte", "control character")


def test_cue_and_give_limit():
    assert Resolution(**{**BASE[Resolution], "cue": "c" * 300}).cue == "c" * 300
    _refused(Resolution, "cue", "c" * 301, "When (the cue) is too long")
    _refused(Resolution, "give", "", "I will (the give) must not be empty")


def test_optional_and_required_text():
    assert Community("C", role=None, notes=None).notes == ""
    assert LogEntry(SOON, 1, note=None).note == ""
    _refused(HelpReceived, "note", "   ", "Note must not be empty")
    _refused(Reflection, "answer", "", "Answer must not be empty")
    _refused(Reflection, "prompt_id", " ", "Prompt must not be empty")


@pytest.mark.parametrize(("cls", "field"), [(Resolution, "start"), (Resolution, "end")])
def test_dates_between_1900_and_2100(cls, field):
    base = {**BASE[cls], "start": dt.date(1900, 1, 1)}
    assert cls(**{**base, field: dt.date(1900, 1, 1)})
    assert cls(**{**base, field: dt.date(2100, 12, 31)})
    assert cls(**{**base, field: "2030-05-01"}).__getattribute__(field) == dt.date(2030, 5, 1)
    for bad in (dt.date(1899, 12, 31), dt.date(2101, 1, 1)):
        with pytest.raises(ValidationError, match="between 1900 and 2100") as info:
            cls(**{**base, field: bad})
        assert info.value.field == field
    _refused(cls, field, "31/12/2026", "must be a date like 2026-12-31")
    _refused(cls, field, 20261231, "must be a date")


@pytest.mark.parametrize("cls", [LogEntry, HelpReceived, Reflection])
def test_given_and_received_dates_are_not_in_the_future(cls, today):
    assert clock.today() == today == TODAY
    assert cls(**{**BASE[cls], "date": today}).date == today
    assert cls(**{**BASE[cls], "date": dt.datetime.combine(today, dt.time(23, 59))}).date == today
    msg = _refused(cls, "date", today + dt.timedelta(days=1), "future")
    assert msg == "Date cannot be in the future."
    _refused(cls, "date", dt.date(1899, 12, 31), "between 1900 and 2100")


def test_dates_default_to_today(today):
    assert Reflection("p", "a").date == today
    assert Resolution("c", "g", 1).start == today
    _refused(LogEntry, "date", None, "Date is required")


def test_cadence_times_1_to_31():
    for times in (1, 31, "7", 4.0):
        assert Resolution(**{**BASE[Resolution], "times": times}).times == int(times)
    for times in (0, 32, -1):
        assert _refused(Resolution, "times", times, "How many times") == (
            "How many times must be between 1 and 31."
        )
    _refused(Resolution, "times", 2.5, "must be a whole number")
    _refused(Resolution, "times", True, "must be a whole number")
    _refused(Resolution, "times", "twice", "must be a whole number")
    _refused(Resolution, "per", "fortnight", "Per must be one of: week, month, quarter, year.")


def test_circle_is_a_dunbar_layer():
    for circle in CIRCLES:
        assert Person("A", circle=circle).circle == circle
    assert Person("A", circle="15").circle == 15
    for circle in (0, 10, 151, 500):
        _refused(Person, "circle", circle, "Circle must be one of: 5, 15, 50, 150.")


def test_activity_0_to_4_and_since():
    assert len(ACTIVITY_LEVELS) == 5
    for level in range(5):
        assert Community("C", activity=level).activity == level
    for level in (-1, 5):
        _refused(Community, "activity", level, "Activity level must be between 0 and 4.")
    year = TODAY.year
    assert Community("C", since=year).since == year
    assert Community("C", since=1900).since == 1900
    # A year reads without a thousands separator.
    _refused(Community, "since", year + 1, f"Member since must be between 1900 and {year}.")
    _refused(Community, "since", 1899, f"between 1900 and {year}")


def test_minutes_and_kinds():
    assert LogEntry(SOON, 1, minutes=1440).minutes == 1440
    _refused(LogEntry, "minutes", 1441, "Minutes must be between 0 and 1440.")
    _refused(LogEntry, "kind", "bribe", "Kind must be one of: advice,")
    assert Community("C", kind=" Hobby ").kind == "hobby"
    assert Community("C", kind="Book club").kind == "Book club"


def test_end_not_before_start():
    start = dt.date(2026, 1, 1)
    base = {**BASE[Resolution], "start": start}
    assert Resolution(**base, end=start).end == start
    assert Resolution(**base, end=None).end is None
    with pytest.raises(ValidationError) as info:
        Resolution(**base, end=dt.date(2025, 12, 31))
    assert info.value.field == "end"
    assert str(info.value) == "End date must not be before Start date."


def test_ids():
    assert LogEntry(SOON, 2**63 - 1).community_id == 2**63 - 1
    for bad in (0, -1, True, "1", 1.0, 2**63):
        assert _refused(LogEntry, "community_id", bad, "ommunity") == (
            "Community: please choose one.")
    _refused(LogEntry, "person_id", 0, "Person: please choose one.")
    _refused(Person, "communities", [1, 0], "ommunities")
    _refused(Person, "communities", 3, "Communities must be a list.")
    assert Person("A", communities=[3, 1, 3]).communities == (1, 3)


def test_sentence_wording():
    base = {"community_id": 1, "times": 2, "per": "month"}
    r = Resolution("the choir meets", "bring cake", **base)
    assert r.sentence("Choir") == (
        "When the choir meets in Choir, I will bring cake (twice a month)."
    )
    assert r.sentence() == "When the choir meets, I will bring cake (twice a month)."
    prefixed = Resolution("When the choir meets", "I will  bring cake", **base)
    assert prefixed.sentence("Choir") == r.sentence("Choir")
    weekly = Resolution("WHEN someone is ill", "i will visit", community_id=1, times=1, per="week")
    assert weekly.sentence("Faith") == "When someone is ill in Faith, I will visit (once a week)."
    odd = Resolution("<b>x</b>", "y & z", community_id=1, times=3, per="quarter")
    assert odd.sentence("</script>") == (
        "When <b>x</b> in </script>, I will y & z (3 times a quarter)."
    )
    assert cadence(1, "year") == "once a year"
    assert cadence(31, "month") == "31 times a month"


def test_per_day():
    assert Resolution("c", "g", 1, times=2, per="month").per_day == pytest.approx(2 / 30.4375)
    assert Resolution("c", "g", 1, times=1, per="week").per_day == pytest.approx(1 / 7)
    assert PERIOD_DAYS["year"] == 365.25


def test_with_changes_validates_and_to_dict_is_plain():
    c = Community("Choir", since=2020)
    assert c.with_changes(name=" Band ").name == "Band"
    with pytest.raises(ValidationError):
        c.with_changes(name="")
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.name = "x"  # type: ignore[misc]
    r = Resolution("c", "g", 1, start=dt.date(2026, 1, 1))
    assert r.to_dict()["start"] == "2026-01-01" and r.to_dict()["end"] is None
    assert Person("A", communities=(2, 1)).to_dict()["communities"] == [1, 2]


def test_error_types():
    err = ValidationError("name", "Name must not be empty.")
    assert isinstance(err, WorkbookError) and isinstance(err, ValueError)
    assert err.field == "name"
    for odd in (Decimal("NaN"), Decimal("sNaN"), float("inf"), Fraction(1, 3), b"\xff", object()):
        _refused(Resolution, "times", odd, "How many times")


def test_the_characters_refused_are_exactly_unicodes_controls_and_lone_surrogates():
    import unicodedata

    from workbook.model import _UNSAVABLE

    every = map(chr, range(0x110000))
    refused = [c for c in every if _UNSAVABLE.search(c)]
    assert refused == [c for c in map(chr, range(0x110000)) if c not in "\t\n\r"
                       and unicodedata.category(c) in ("Cc", "Cs")]
