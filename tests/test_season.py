"""The yearly calendar: which year is reviewed and which is planned, at the edges of the season."""

from __future__ import annotations

import datetime as dt

import pytest

from workbook.season import new_resolution_start, plan_year_for, same_day_of, season

D = dt.date

# day -> (year under review, year planned, in the season of giving)
EDGES = {
    D(2026, 10, 31): (2026, 2026, False),
    D(2026, 11, 1): (2026, 2027, True),
    D(2026, 12, 1): (2026, 2027, True),
    D(2026, 12, 31): (2026, 2027, True),
    D(2027, 1, 1): (2026, 2027, True),
    D(2027, 1, 31): (2026, 2027, True),
    D(2027, 2, 1): (2027, 2027, False),
    D(2028, 2, 29): (2028, 2028, False),
    D(2028, 12, 31): (2028, 2029, True),
}


@pytest.mark.parametrize("day", EDGES, ids=str)
def test_the_year_rule_at_the_edges(day):
    s = season(day)
    assert (s.review_year, s.plan_year, s.in_season) == EDGES[day]
    if s.in_season:
        assert s.headline == (f"The season of giving: review {s.review_year} and plan "
                              f"{s.plan_year}")
    else:
        assert s.headline == ""
    assert s.review_is_over == (day.month == 1)


def test_every_day_of_four_years_follows_the_rule():
    day = D(2026, 1, 1)
    while day < D(2030, 1, 1):
        s = season(day)
        assert s.plan_year - s.review_year in (0, 1)
        assert s.in_season == (s.plan_year != s.review_year or day.month in (11, 12, 1))
        assert s.review_year <= day.year <= s.plan_year
        day += dt.timedelta(days=1)


@pytest.mark.parametrize("day, start", [
    (D(2026, 10, 31), D(2026, 10, 31)),
    (D(2026, 11, 1), D(2027, 1, 1)),
    (D(2026, 12, 31), D(2027, 1, 1)),
    (D(2027, 1, 6), D(2027, 1, 6)),
    (D(2028, 2, 29), D(2028, 2, 29)),
])
def test_new_resolutions_start_on_new_years_day_from_november(day, start):
    assert new_resolution_start(day) == start


def test_the_same_day_in_another_year():
    assert same_day_of(2025, D(2026, 12, 1)) == D(2025, 12, 1)
    assert same_day_of(2027, D(2028, 2, 29)) == D(2027, 2, 28)
    assert same_day_of(2024, D(2028, 2, 29)) == D(2024, 2, 29)


@pytest.mark.parametrize("year, day, plan", [
    (2026, D(2026, 12, 1), 2027), (2026, D(2027, 1, 6), 2027), (2027, D(2026, 12, 1), 2027),
    (2025, D(2026, 12, 1), 2025), (2027, D(2027, 6, 1), 2027), (2026, D(2027, 6, 1), 2026),
])
def test_the_plan_that_goes_with_a_year(year, day, plan):
    assert plan_year_for(year, day) == plan
