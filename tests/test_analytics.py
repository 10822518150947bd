"""Progress analytics against small workbooks whose answers were worked out by hand."""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys

import pandas as pd
import pytest

from workbook import analytics
from workbook.model import PERIOD_DAYS, Community, HelpReceived, LogEntry, Person, Resolution
from workbook.store import FRAME_NAMES

D = dt.date


def frames(store, *records) -> dict[str, pd.DataFrame]:
    """Save the records in a real workbook file and read every table back."""
    store.add_many(records)
    return {name: store.frame(name) for name in FRAME_NAMES}


def give(date, community_id=1, *, minutes=5, kind="advice", person_id=None, resolution_id=None):
    """One log entry."""
    return LogEntry(date=date, community_id=community_id, minutes=minutes, kind=kind,
                    person_id=person_id, resolution_id=resolution_id)


def days(first: dt.date, count: int, step: int = 1) -> list[dt.date]:
    """``count`` dates from ``first``, ``step`` days apart."""
    return [first + dt.timedelta(days=step * i) for i in range(count)]


# -- plan vs actual ----------------------------------------------------------------------------

@pytest.fixture
def plans(store):
    """Four resolutions: on track, behind (ended), ahead, not started yet."""
    return frames(
        store,
        Community(name="Choir", id=1),
        Community(name="Library", id=2),
        Resolution(cue="rehearsal ends", give="share a link", community_id=1, times=2,
                   per="week", start=D(2026, 11, 1), id=1),
        Resolution(cue="a month starts", give="call the chair", community_id=2, times=1,
                   per="month", start=D(2026, 1, 1), end=D(2026, 6, 30), id=2),
        Resolution(cue="Friday", give="thank a colleague", community_id=2, times=1,
                   per="week", start=D(2026, 11, 12), id=3),
        Resolution(cue="next month", give="visit", community_id=1, times=1, per="month",
                   start=D(2026, 12, 1), id=4),
        *[give(d, 1, resolution_id=1) for d in days(D(2026, 11, 2), 7, 3)],
        give(D(2026, 10, 31), 1),  # before the start: it could not be credited to it
        give(D(2026, 11, 20), 1),  # no resolution named
        give(D(2026, 2, 3), 2, resolution_id=2),
        give(D(2026, 5, 3), 2, resolution_id=2),
        give(D(2026, 7, 5), 2),  # after the end: it could not be credited to it
        *[give(d, 2, resolution_id=3) for d in days(D(2026, 11, 12), 5, 3)],
    )


def test_plan_vs_actual_counts_and_status(plans, today):
    out = analytics.plan_vs_actual(plans["resolutions"], plans["log"], today)
    by_id = out.set_index("resolution_id")

    assert list(by_id.index) == [1, 2, 3, 4]
    # 1 to 26 November is 26 days at 2 a week.
    assert by_id.loc[1, "days"] == 26
    assert by_id.loc[1, "expected"] == pytest.approx(26 * 2 / 7)
    assert by_id.loc[1, "logged"] == 7
    assert by_id.loc[1, "status"] == "on track"  # 7 vs 7.43: inside the 20 % band
    # Counted up to the end date, not today: 181 days of January to June.
    assert by_id.loc[2, "until"] == pd.Timestamp("2026-06-30")
    assert by_id.loc[2, "days"] == 181
    assert by_id.loc[2, "expected"] == pytest.approx(181 / PERIOD_DAYS["month"])
    assert by_id.loc[2, "logged"] == 2
    assert by_id.loc[2, "status"] == "behind"  # 2 of 5.95: below half
    assert by_id.loc[3, "expected"] == pytest.approx(15 / 7)
    assert by_id.loc[3, "logged"] == 5
    assert by_id.loc[3, "difference"] == pytest.approx(5 - 15 / 7)
    assert by_id.loc[3, "share"] == pytest.approx(5 / (15 / 7))
    assert by_id.loc[3, "status"] == "ahead"
    assert by_id.loc[4, "days"] == 0
    assert by_id.loc[4, "expected"] == 0
    assert math.isnan(by_id.loc[4, "share"])
    assert by_id.loc[4, "status"] == "not started"


def test_one_give_short_is_on_track_when_little_is_due(store, today):
    f = frames(
        store,
        Community(name="Choir", id=1),
        Resolution(cue="a month starts", give="call", community_id=1, times=1, per="month",
                   start=D(2026, 11, 1), id=1),
    )
    out = analytics.plan_vs_actual(f["resolutions"], f["log"], today)
    assert out.loc[0, "expected"] == pytest.approx(26 / PERIOD_DAYS["month"])  # 0.85
    assert out.loc[0, "logged"] == 0
    assert out.loc[0, "status"] == "on track"  # within one give


def test_plan_vs_actual_of_a_new_workbook(store, today):
    f = frames(store)
    out = analytics.plan_vs_actual(f["resolutions"], f["log"], today)
    assert out.empty
    assert "status" in out.columns


# -- visibility --------------------------------------------------------------------------------

def daily_plan(first: dt.date, count: int):
    """One community, a daily plan from ``first``, a give on each of ``count`` days."""
    return [
        Community(name="Choir", id=1),
        Resolution(cue="morning", give="a message", community_id=1, times=7, per="week",
                   start=first, id=1),
        *[give(d) for d in days(first, count)],
    ]


def test_a_kept_daily_plan_reaches_eighty_percent_in_thirty_days(store, today):
    first = today - dt.timedelta(days=29)  # 30 days, today included
    f = frames(store, *daily_plan(first, 30))
    now = analytics.visibility_now(f["communities"], f["resolutions"], f["log"], today)
    assert now.loc[0, "score"] == pytest.approx(1 - 0.5 ** (30 / 13))
    assert round(now.loc[0, "score"], 3) == 0.798


def test_a_pause_of_thirteen_days_halves_a_daily_score(store, today):
    first = today - dt.timedelta(days=42)  # 30 days of gives, then 13 without
    f = frames(store, *daily_plan(first, 30))
    now = analytics.visibility_now(f["communities"], f["resolutions"], f["log"], today)
    assert now.loc[0, "score"] == pytest.approx((1 - 0.5 ** (30 / 13)) * 0.5)


def test_a_weekly_plan_kept_every_week(store, today):
    first = today - dt.timedelta(days=27)  # 28 days; gives on days 0, 7, 14, 21
    f = frames(
        store,
        Community(name="Choir", id=1),
        Resolution(cue="rehearsal", give="a link", community_id=1, times=1, per="week",
                   start=first, id=1),
        *[give(d) for d in days(first, 4, 7)],
    )
    daily = analytics.visibility(f["communities"], f["resolutions"], f["log"], today)
    m = 0.5 ** (math.sqrt(1 / 7) / 13)
    # Loop doubles the window for a plan of less than one a day: 2 gives in 14 days. The first
    # week has half of that; from the second give on, every 14-day window holds two.
    expected, score = [], 0.0
    for day in range(28):
        score = score * m + (0.5 if day < 7 else 1.0) * (1 - m)
        expected.append(score)
    assert list(daily["score"]) == pytest.approx(expected)
    assert list(daily["date"]) == list(pd.date_range(first, today))


def test_a_community_without_a_plan_is_scored_against_one_give_a_month(store, today):
    first = today - dt.timedelta(days=70)
    f = frames(store, Community(name="Choir", id=1), Community(name="Pantry", id=2), give(first))
    daily = analytics.visibility(f["communities"], f["resolutions"], f["log"], today)
    choir = daily[daily["community"] == "Choir"]["score"].to_numpy()
    m = 0.5 ** (math.sqrt(1 / 30) / 13)  # Loop's monthly habit: 1 in 30 days
    # One give is half of the two planned in the doubled 60-day window, for 60 days; then none.
    assert choir[59] == pytest.approx(0.5 * (1 - m ** 60))
    assert choir[70] == pytest.approx(0.5 * (1 - m ** 60) * m ** 11)
    assert (daily[daily["community"] == "Pantry"]["score"] == 0).all()
    assert len(daily) == 71 * 2


def test_visibility_rows_and_explicit_start(store, today):
    f = frames(store, *daily_plan(today - dt.timedelta(days=9), 10))
    daily = analytics.visibility(f["communities"], f["resolutions"], f["log"], today,
                                 start=today - dt.timedelta(days=4))
    assert list(daily.columns) == ["date", "community_id", "community", "score"]
    assert len(daily) == 5
    assert daily["score"].iloc[-1] == pytest.approx(1 - 0.5 ** (5 / 13))
    assert daily["score"].is_monotonic_increasing


def test_visibility_of_a_new_workbook(store, today):
    f = frames(store)
    assert analytics.visibility(f["communities"], f["resolutions"], f["log"], today).empty
    now = analytics.visibility_now(f["communities"], f["resolutions"], f["log"], today)
    assert now.empty and list(now.columns) == ["community_id", "community", "score"]


def test_two_plans_in_one_community_add_up(store, today):
    first = today - dt.timedelta(days=29)
    f = frames(
        store,
        Community(name="Choir", id=1),
        *[Resolution(cue="c", give="g", community_id=1, times=7, per="week", start=first,
                     id=i) for i in (1, 2)],
        *[give(d) for d in days(first, 30) for _ in range(2)],
    )
    now = analytics.visibility_now(f["communities"], f["resolutions"], f["log"], today)
    assert now.loc[0, "score"] == pytest.approx(1 - 0.5 ** (30 * math.sqrt(2) / 13))


# -- rhythm ------------------------------------------------------------------------------------

STREAK_DAYS = [D(2026, 10, 7), D(2026, 10, 13), D(2026, 10, 25),  # three weeks in a row
               D(2026, 11, 3), D(2026, 11, 10)]  # a gap, then two weeks


def test_streaks_broken_run(store, today):
    f = frames(store, Community(name="Choir", id=1), *[give(d) for d in STREAK_DAYS])
    s = analytics.streaks(f["log"], today)
    # The week of 16 November had no give, and it is over: no current streak.
    assert (s.current_weeks, s.longest_weeks) == (0, 3)
    assert (s.longest_from, s.longest_to) == (D(2026, 10, 5), D(2026, 10, 19))


def test_streaks_this_week_not_over_yet(store, today):
    f = frames(store, Community(name="Choir", id=1),
               *[give(d) for d in [*STREAK_DAYS, D(2026, 11, 17)]])
    s = analytics.streaks(f["log"], today)
    assert (s.current_weeks, s.longest_weeks) == (3, 3)
    assert s.longest_from == D(2026, 11, 2)  # a tie goes to the latest run


def test_streaks_including_this_week(store, today):
    f = frames(store, Community(name="Choir", id=1),
               *[give(d) for d in [*STREAK_DAYS, D(2026, 11, 17), D(2026, 11, 26)]])
    s = analytics.streaks(f["log"], today)
    assert (s.current_weeks, s.longest_weeks) == (4, 4)
    assert (s.longest_from, s.longest_to) == (D(2026, 11, 2), D(2026, 11, 23))


def test_streaks_of_a_new_workbook(store, today):
    assert analytics.streaks(frames(store)["log"], today) == analytics.Streaks(0, 0, None, None)


@pytest.fixture
def three_gives(store):
    return frames(
        store,
        Community(name="Choir", kind="hobby", id=1),
        Community(name="Library", kind="work", id=2),
        give(D(2026, 11, 2), 1, minutes=10, kind="link"),  # a Monday
        give(D(2026, 11, 8), 1, minutes=5, kind="advice"),  # the Sunday of that week
        give(D(2026, 11, 17), 2, minutes=20, kind="link"),
    )


def test_gives_per_week_per_community(three_gives):
    out = analytics.gives_per_period(three_gives["log"], three_gives["communities"], "W")
    assert list(out.columns) == ["period", "community_id", "community", "gives", "minutes"]
    assert out.values.tolist() == [
        [pd.Timestamp("2026-11-02"), 1, "Choir", 2, 15],
        [pd.Timestamp("2026-11-02"), 2, "Library", 0, 0],
        [pd.Timestamp("2026-11-09"), 1, "Choir", 0, 0],
        [pd.Timestamp("2026-11-09"), 2, "Library", 0, 0],
        [pd.Timestamp("2026-11-16"), 1, "Choir", 0, 0],
        [pd.Timestamp("2026-11-16"), 2, "Library", 1, 20],
    ]


def test_gives_per_month_by_kind(three_gives):
    by_kind = analytics.gives_per_period(three_gives["log"], three_gives["communities"], "MS",
                                         by="kind")
    assert by_kind.values.tolist() == [[pd.Timestamp("2026-11-01"), "advice", 1, 5],
                                       [pd.Timestamp("2026-11-01"), "link", 2, 30]]
    by_place = analytics.gives_per_period(three_gives["log"], three_gives["communities"], "MS",
                                          by="community_kind")
    assert by_place[["community_kind", "gives"]].values.tolist() == [["hobby", 2], ["work", 1]]


def test_gives_per_period_checks_its_arguments(three_gives):
    with pytest.raises(ValueError, match="freq"):
        analytics.gives_per_period(three_gives["log"], three_gives["communities"], "D")
    with pytest.raises(ValueError, match="by"):
        analytics.gives_per_period(three_gives["log"], three_gives["communities"], by="person")


def test_gives_per_period_of_a_new_workbook(store):
    f = frames(store)
    out = analytics.gives_per_period(f["log"], f["communities"])
    assert out.empty and {"period", "gives", "minutes"} <= set(out.columns)


# -- balance and neglect -----------------------------------------------------------------------

def test_balance_over_the_last_week(store, today):
    f = frames(
        store,
        Community(name="Choir", id=1), Community(name="Library", id=2),
        Community(name="Pantry", id=3),
        give(D(2026, 11, 19), 1, minutes=99),  # eight days ago: outside a one-week window
        give(D(2026, 11, 20), 1, minutes=10),
        give(D(2026, 11, 26), 1, minutes=30),
        give(D(2026, 11, 25), 2, minutes=60),
    )
    out = analytics.balance(f["communities"], f["log"], today, weeks=1)
    assert out[["community", "gives", "minutes"]].values.tolist() == [
        ["Choir", 2, 40], ["Library", 1, 60], ["Pantry", 0, 0]]
    assert out["share_gives"].tolist() == pytest.approx([2 / 3, 1 / 3, 0])
    assert out["share_minutes"].tolist() == pytest.approx([0.4, 0.6, 0])


def test_balance_with_nothing_given(store, today):
    f = frames(store, Community(name="Choir", id=1))
    out = analytics.balance(f["communities"], f["log"], today)
    assert out[["gives", "share_gives", "share_minutes"]].values.tolist() == [[0, 0, 0]]


def test_neglected_communities(store, today):
    f = frames(
        store,
        Community(name="Choir", activity=3, id=1),
        Community(name="Pantry", activity=2, id=2),
        Community(name="Library", activity=4, id=3),
        Community(name="Alumni", activity=1, id=4),
        Community(name="Forum", activity=2, id=5),
        give(D(2026, 11, 20), 1),
        give(D(2026, 9, 1), 2),
        give(D(2026, 10, 1), 5),  # exactly 8 weeks ago: outside the window
    )
    out = analytics.neglected(f["communities"], f["log"], today, weeks=8)
    assert out["community"].tolist() == ["Library", "Pantry", "Forum"]
    assert pd.isna(out.loc[0, "days_since"]) and pd.isna(out.loc[0, "last_give"])
    assert out["days_since"].tolist()[1:] == [86, 56]
    assert out.loc[1, "last_give"] == pd.Timestamp("2026-09-01")


def test_unreached_close_people(store, today):
    f = frames(
        store,
        Community(name="Family", id=1),
        Person(name="Ada", circle=5, id=1),
        Person(name="Ben", circle=15, id=2),
        Person(name="Cy", circle=5, id=3),
        Person(name="Dee", circle=50, id=4),
        Person(name="Eve", circle=15, id=5),
        give(D(2026, 8, 26), 1, person_id=1),  # three months ago to the day
        give(D(2026, 8, 27), 1, person_id=2),
        give(D(2026, 1, 2), 1, person_id=5),
    )
    out = analytics.unreached_people(f["people"], f["log"], today, months=3)
    assert out["name"].tolist() == ["Cy", "Ada", "Eve"]
    assert out["days_since"].tolist()[1:] == [92, 328]
    assert pd.isna(out.loc[0, "days_since"])
    wider = analytics.unreached_people(f["people"], f["log"], today, circles=(50,))
    assert wider["name"].tolist() == ["Dee"]


def test_nobody_named_in_the_log_means_nobody_reached(store, today):
    f = frames(store, Community(name="Family", id=1), Person(name="Ada", circle=5, id=1),
               give(D(2026, 11, 1), 1))
    out = analytics.unreached_people(f["people"], f["log"], today)
    assert out["name"].tolist() == ["Ada"] and pd.isna(out.loc[0, "last_give"])
    empty = analytics.neglected(f["communities"], f["log"].iloc[:0], today)
    assert empty["community"].tolist() == ["Family"]


def test_bridges(store):
    f = frames(
        store,
        Community(name="Choir", id=1), Community(name="Library", id=2),
        Community(name="Allotments", id=3),
        Person(name="Ada", communities=(1, 2, 3), id=1),
        Person(name="Ben", communities=(2, 1), id=2),
        Person(name="Cy", communities=(1,), id=3),
        Person(name="Dee", id=4),
    )
    out = analytics.bridges(f["people"], f["memberships"], f["communities"])
    assert out[["name", "community_count", "communities"]].values.tolist() == [
        ["Ada", 3, "Allotments, Choir, Library"], ["Ben", 2, "Choir, Library"]]


def test_repeated_community_names_stay_apart(store, today):
    f = frames(store, Community(name="Choir", id=1), Community(name="Choir", id=2),
               give(today, 2))
    out = analytics.balance(f["communities"], f["log"], today)
    assert out["community"].tolist() == ["Choir (#2)", "Choir (#1)"]


# -- the year ----------------------------------------------------------------------------------

@pytest.fixture
def two_years(store):
    return frames(
        store,
        Community(name="Choir", id=1), Community(name="Library", id=2),
        Community(name="Pantry", id=3),
        Person(name="Ada", id=1), Person(name="Ben", id=2),
        give(D(2024, 12, 31), 3, minutes=500),  # two years back: left out
        give(D(2025, 3, 1), 1, minutes=10, kind="link", person_id=1),
        give(D(2025, 12, 31), 2, minutes=20, kind="visit"),
        give(D(2026, 1, 1), 2, minutes=30, kind="visit", person_id=1),
        give(D(2026, 1, 15), 2, minutes=15, kind="link", person_id=2),
        give(D(2026, 11, 26), 1, minutes=5, kind="visit", person_id=1),
        HelpReceived(date=D(2025, 6, 1), note="a lift to the station"),
        HelpReceived(date=D(2026, 2, 1), note="a reference"),
        HelpReceived(date=D(2026, 3, 1), note="a job tip"),
    )


def review_on(frames_, day, year=None):
    return analytics.year_in_review(frames_["communities"], frames_["log"], frames_["help"], day,
                                    year)


def test_year_in_review_totals_so_far_are_like_for_like(two_years, today):
    review = review_on(two_years, today)
    assert (review.year, review.previous, review.so_far) == (2026, 2025, True)
    assert (review.until, review.previous_until) == (today, D(2025, 11, 26))
    # 2025 counts to 26 November too: its gives of 31 December are not compared yet.
    assert review.totals.to_dict() == {
        2025: {"Gives": 1, "Minutes given": 10, "Communities reached": 1, "People reached": 1,
               "Help received": 1},
        2026: {"Gives": 3, "Minutes given": 50, "Communities reached": 2, "People reached": 2,
               "Help received": 2},
    }


def test_on_new_years_eve_and_in_january_the_whole_years_are_compared(two_years):
    whole = {
        2025: {"Gives": 2, "Minutes given": 30, "Communities reached": 2, "People reached": 1,
               "Help received": 1},
        2026: {"Gives": 3, "Minutes given": 50, "Communities reached": 2, "People reached": 2,
               "Help received": 2},
    }
    for day in (D(2026, 12, 31), D(2027, 1, 1), D(2027, 1, 31)):
        review = review_on(two_years, day)
        assert (review.year, review.so_far, review.begun) == (2026, False, True), day
        assert review.totals.to_dict() == whole, day
        assert len(review.by_month) == 24
    february = review_on(two_years, D(2027, 2, 1))
    assert (february.year, february.so_far) == (2027, True)  # the new year, so far
    assert february.totals[2026].tolist() == [2, 45, 1, 2, 1]  # 1 January to 1 February 2026


def test_a_leap_day_is_compared_with_the_last_day_of_february(store, monkeypatch):
    monkeypatch.setenv("WORKBOOK_TODAY", "2028-02-29")  # gives on that day are not in the future
    f = frames(store, Community(name="Choir", id=1),
               give(D(2027, 2, 28), 1), give(D(2027, 3, 1), 1), give(D(2028, 2, 29), 1))
    review = review_on(f, D(2028, 2, 29))
    assert (review.until, review.previous_until) == (D(2028, 2, 29), D(2027, 2, 28))
    assert review.totals.loc["Gives"].to_dict() == {2027: 1, 2028: 1}


def test_the_coming_year_has_not_begun(two_years):
    review = review_on(two_years, D(2026, 12, 1), year=2027)
    assert (review.year, review.so_far, review.begun) == (2027, True, False)
    assert review.totals[2027].sum() == 0
    assert review.totals.loc["Gives", 2026] == 3  # the year before, to 1 December
    assert sorted(set(review.by_month["month"])) == list(range(1, 13))


def test_year_in_review_months_communities_and_kinds(two_years, today):
    review = review_on(two_years, today)
    months = review.by_month.set_index(["year", "month"])
    assert len(months) == 11 + 11  # January to November of both years
    assert months.loc[(2026, 1)].tolist() == [2, 45]
    assert (2025, 12) not in months.index
    assert months.loc[(2026, 6)].tolist() == [0, 0]
    assert review.by_community[["year", "community", "gives"]].values.tolist() == [
        [2025, "Library", 0], [2026, "Library", 2], [2025, "Choir", 1], [2026, "Choir", 1]]
    assert review.top_kinds.values.tolist() == [
        [2025, "visit", 0], [2026, "visit", 2], [2025, "link", 1], [2026, "link", 1]]


def test_year_in_review_of_an_earlier_year(two_years, today):
    review = analytics.year_in_review(two_years["communities"], two_years["log"],
                                      two_years["help"], today, year=2025)
    assert review.totals[2024].tolist() == [1, 500, 1, 0, 0]
    assert len(review.by_month) == 24


def test_year_in_review_of_a_new_workbook(store, today):
    f = frames(store)
    review = analytics.year_in_review(f["communities"], f["log"], f["help"], today)
    assert not review.totals.to_numpy().any()
    assert review.by_community.empty and review.top_kinds.empty


def test_analytics_imports_no_user_interface():
    code = ("import sys, workbook.analytics; "
            "print(sorted(m for m in ('altair', 'ipywidgets', 'IPython') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
