"""Tests for the demo persona: sizes, determinism, the story it tells, and a clean write."""

from __future__ import annotations

import datetime as dt
import math
import statistics
import subprocess
import sys
from collections import Counter
from dataclasses import fields
from types import SimpleNamespace

import pandas as pd
import pytest
from shared import DemoFile

from workbook import clock, content
from workbook.demo import DemoSize, demo_records, demo_size, write_demo
from workbook.model import (
    CIRCLES,
    GIVE_KINDS,
    Community,
    HelpReceived,
    LogEntry,
    Person,
    Reflection,
    Resolution,
    WorkbookError,
)

TODAY = clock.today()  # the date pyproject.toml pins for the test run
ORDER = (Community, Person, Resolution, LogEntry, HelpReceived, Reflection)


def _by_type(records) -> dict[type, list]:
    out = {t: [] for t in ORDER}
    for record in records:
        out[type(record)].append(record)
    return out


def _workbook(demo: DemoFile) -> SimpleNamespace:
    """What the tests look at in a demo workbook written to a real file (once, by conftest)."""
    records = demo_records(years=demo.years)
    with demo.read() as store:
        counts = store.counts()
        problems = store.check()
        saved = {t: store.records(t) for t in ORDER} if demo.years == 1 else None
        log = store.frame("log")
    print(f"years={demo.years}: {counts}, write_demo {demo.seconds:.2f} s")
    return SimpleNamespace(records=records, by=_by_type(records), counts=counts,
                           seconds=demo.seconds, problems=problems, saved=saved, log=log)


@pytest.fixture(scope="module")
def one_year(demo_one_year):
    return _workbook(demo_one_year)


@pytest.fixture(scope="module")
def ten_years(demo_ten_years):
    return _workbook(demo_ten_years)


@pytest.fixture(params=["one_year", "ten_years"])
def demo(request):
    return request.getfixturevalue(request.param)


# -- sizes ----------------------------------------------------------------------------------------


def test_one_year_has_the_size_of_a_real_workbook(one_year):
    counts = one_year.counts
    assert counts["communities"] == 8
    assert counts["people"] == 40
    assert counts["resolutions"] == 6
    assert 250 <= counts["log"] <= 450
    assert 12 <= counts["help"] <= 39  # about 1-3 a month over 13 calendar months
    assert 8 <= counts["reflections"] <= 20


def test_ten_years_is_a_stress_fixture_written_in_seconds(ten_years):
    counts = ten_years.counts
    assert counts["log"] >= 36_500
    assert counts["people"] == 500
    assert counts["communities"] == 20
    assert counts["resolutions"] == 60
    assert ten_years.seconds < 10


def test_log_size_is_exact_not_left_to_chance():
    size = demo_size(10)
    log = _by_type(demo_records(years=10, seed=1, size=size))[LogEntry]
    assert len(log) == math.ceil(size.gives_per_day * round(10 * 365.25)) >= 36_500


def test_size_can_be_overridden():
    size = DemoSize(communities=3, people=10, gives_per_day=2, resolutions=2,
                    help_per_month=1, reflections_per_quarter=1)
    by = _by_type(demo_records(size=size))
    assert [len(by[t]) for t in (Community, Person, Resolution)] == [3, 10, 2]
    assert len(by[LogEntry]) == 2 * 365


def test_sizes_refuse_nonsense(today):
    with pytest.raises(ValueError, match="years"):
        demo_size(0)
    with pytest.raises(ValueError, match="communities"):
        DemoSize(communities=1)
    with pytest.raises(ValueError, match="today"):
        demo_records(today=today + dt.timedelta(days=1))


# -- determinism and validity --------------------------------------------------------------------


def test_same_arguments_give_equal_records_and_another_seed_differs(one_year, today):
    assert demo_records(years=1, seed=2026, today=today) == one_year.records
    other = demo_records(years=1, seed=2027, today=today)
    assert other != one_year.records
    assert _by_type(other)[LogEntry] != one_year.by[LogEntry]


def test_records_come_in_dependency_order_with_explicit_ids(demo):
    kinds = [ORDER.index(type(r)) for r in demo.records]
    assert kinds == sorted(kinds)
    for records in demo.by.values():
        assert [r.id for r in records] == list(range(1, len(records) + 1))


def test_every_record_passes_validation_again(demo):
    for record in demo.records:
        again = type(record)(**{f.name: getattr(record, f.name) for f in fields(record)})
        assert again == record


def test_written_workbook_is_healthy_and_reads_back_equal(one_year, ten_years):
    assert one_year.problems == []
    assert ten_years.problems == []
    for record_type in ORDER:
        assert one_year.saved[record_type] == one_year.by[record_type], record_type.__name__


def test_links_point_to_records_that_exist(demo):
    by = demo.by
    communities = {c.id for c in by[Community]}
    people = {p.id: p for p in by[Person]}
    resolutions = {r.id: r for r in by[Resolution]}
    for entry in by[LogEntry]:
        assert entry.community_id in communities
        if entry.person_id is not None:
            assert entry.community_id in people[entry.person_id].communities
        if entry.resolution_id is not None:
            resolution = resolutions[entry.resolution_id]
            assert resolution.community_id == entry.community_id
            assert resolution.start <= entry.date <= resolution.end
    for help_ in by[HelpReceived]:
        assert help_.community_id in communities | {None}
        assert help_.person_id in people.keys() | {None}


# -- the story the demo tells ---------------------------------------------------------------------


def test_nothing_is_dated_after_today(demo):
    dated = demo.by[LogEntry] + demo.by[HelpReceived] + demo.by[Reflection]
    assert max(r.date for r in dated) <= TODAY
    assert all(c.since is None or c.since <= TODAY.year for c in demo.by[Community])


def test_an_earlier_today_moves_the_whole_year():
    earlier = dt.date(2025, 3, 1)
    by = _by_type(demo_records(today=earlier))
    dates = [r.date for t in (LogEntry, HelpReceived, Reflection) for r in by[t]]
    assert max(dates) <= earlier
    assert min(dates) >= earlier - dt.timedelta(days=365)


def _quiet_communities(by, days: int = 90) -> list[Community]:
    since = TODAY - dt.timedelta(days=days)
    recent = Counter(e.community_id for e in by[LogEntry] if e.date > since)
    return [c for c in by[Community] if recent[c.id] == 0]


@pytest.mark.parametrize("seed", [2026, 1, 7])
def test_one_busy_community_is_neglected_lately(seed):
    by = _by_type(demo_records(seed=seed, today=TODAY))
    quiet = [c for c in _quiet_communities(by) if c.activity >= 3]
    assert len(quiet) == 1
    neglected = quiet[0]
    assert any(e.community_id == neglected.id for e in by[LogEntry])  # it had gives before
    busy = [c for c in by[Community] if c.activity >= 2 and c != neglected]
    assert busy and all(c not in _quiet_communities(by) for c in busy)
    dropped = [r for r in by[Resolution] if r.community_id == neglected.id]
    assert dropped and not any(r.active for r in dropped)


def test_default_demo_has_gives_everywhere_but_the_neglected_one(one_year):
    assert [c.name for c in _quiet_communities(one_year.by)] == ["Harbour Voices choir"]
    latest = one_year.by[Reflection][-1]
    assert latest.prompt_id == "plan-neglected"
    assert "Harbour Voices choir" in latest.answer


def test_about_one_person_in_five_is_a_bridge(demo):
    people = demo.by[Person]
    share = sum(len(p.communities) >= 2 for p in people) / len(people)
    assert 0.15 <= share <= 0.25


def test_circles_follow_dunbars_layers(demo):
    counts = Counter(p.circle for p in demo.by[Person])
    assert [c for c in CIRCLES if counts[c]] == list(CIRCLES)
    assert counts[5] < counts[15] < counts[50] < counts[150]
    assert counts[5] <= 5


def test_every_community_has_members(demo):
    members = Counter(c for p in demo.by[Person] for c in p.communities)
    assert all(members[c.id] > 0 for c in demo.by[Community])


def test_names_are_invented_and_diverse(one_year):
    people = one_year.by[Person]
    names = [p.name for p in people]
    assert len(set(names)) == len(names)
    assert any("\u0600" <= ch <= "\u06ff" for n in names for ch in n)  # Arabic script
    assert any("\u0590" <= ch <= "\u05ff" for n in names for ch in n)  # Hebrew script
    assert any(ord(ch) >= 0x1F300 for p in people for ch in p.notes)  # an emoji
    assert sum("Mum" in p.notes for p in people) >= 4  # her mother knows everyone


def test_ten_year_names_are_unique(ten_years):
    names = [p.name for p in ten_years.by[Person]]
    assert len(set(names)) == len(names)


def test_resolutions_are_if_then_plans_from_give_ideas(demo):
    resolutions = demo.by[Resolution]
    names = {c.id: c.name for c in demo.by[Community]}
    for r in resolutions:
        idea = content.give_idea(r.idea_id)
        assert r.give == idea.give
        kind = next(c.kind for c in demo.by[Community] if c.id == r.community_id)
        assert kind in idea.kinds
        assert r.sentence(names[r.community_id]).startswith("When ")
        assert r.end == r.start + dt.timedelta(days=364) or not r.active
    active = [r for r in resolutions if r.active]
    assert active and all(TODAY - r.start < dt.timedelta(days=365) for r in active)
    cadences = {(r.times, r.per) for r in resolutions}
    assert len(cadences) >= 2
    assert cadences <= {(2, "month"), (1, "week"), (1, "quarter"), (1, "month"), (3, "month")}


def test_gives_look_human(demo):
    log = demo.by[LogEntry]
    assert {e.kind for e in log} <= set(GIVE_KINDS)
    minutes = [e.minutes for e in log]
    assert min(minutes) >= 5 and max(minutes) <= 120
    assert statistics.median(minutes) <= 15  # most gives are small
    assert 0.4 <= sum(e.person_id is not None for e in log) / len(log) <= 0.65
    assert 0.02 <= sum(e.resolution_id is not None for e in log) / len(log) <= 0.5
    assert 0.15 <= sum(bool(e.note) for e in log) / len(log) <= 0.45


def test_weekends_december_and_holidays_show(ten_years):
    log = ten_years.log
    days = pd.date_range(log.date.min(), pd.Timestamp(TODAY), freq="D")
    per_day = log.groupby("date").size().reindex(days, fill_value=0)
    december = per_day[per_day.index.month == 12].mean()
    assert december > 1.3 * per_day[per_day.index.month != 12].mean()
    names = {c.id: c.name for c in ten_years.by[Community]}
    pantry = log[log.community_id.map(names) == "Food pantry at the Seamen's Hall"]
    weekday = pantry.date.dt.day_of_week.value_counts()
    assert weekday[5] > 3 * weekday.drop(5).mean()  # her Saturday shift
    weekly = per_day.resample("W").sum()
    assert weekly.min() < 0.3 * weekly.median()  # quiet weeks and holidays
    assert weekly.max() > 1.5 * weekly.median()  # bursts and the season of giving


def test_help_comes_back_one_to_three_times_a_month(demo):
    months = Counter((h.date.year, h.date.month) for h in demo.by[HelpReceived])
    assert 1.5 <= statistics.mean(months.values()) <= 2.5
    assert max(months.values()) <= 3


def test_reflections_answer_real_prompts_a_few_times_a_quarter(demo):
    reflections = demo.by[Reflection]
    prompts = {p.id for p in content.reflection_prompts()}
    assert {r.prompt_id for r in reflections} <= prompts
    quarters = Counter((r.date.year, (r.date.month - 1) // 3) for r in reflections)
    assert 2 <= statistics.mean(quarters.values()) <= 4
    assert all("{" not in r.answer for r in reflections)


# -- writing ------------------------------------------------------------------------------------


def test_write_demo_refuses_a_workbook_with_a_community(store):
    store.add(Community(name="My own club"))
    before = store.counts()
    with pytest.raises(WorkbookError, match="empty workbook"):
        write_demo(store)
    assert store.counts() == before
    assert [c.name for c in store.records(Community)] == ["My own club"]


def test_write_demo_refuses_any_entries_and_a_second_run(store, today):
    store.add(Reflection(prompt_id="map-energy", answer="The choir.", date=today))
    with pytest.raises(WorkbookError):
        write_demo(store)
    assert store.counts()["communities"] == 0


def test_write_demo_twice_keeps_the_first(store):
    first = write_demo(store)
    with pytest.raises(WorkbookError):
        write_demo(store, seed=1)
    assert store.counts() == first


def test_demo_imports_no_widgets_or_charts():
    code = (
        "import sys, workbook.demo; "
        "print(sorted({'ipywidgets', 'IPython', 'altair'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
