"""The yearly calendar of the workbook: which year is under review, which one is being planned.

The season of giving runs from 1 November to 31 January. In November and December the year
that is ending is reviewed and the next one planned; in January the year that just ended is
still the one to review, and the plan is for the year that has just begun.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
SEASON_MONTHS = (11, 12, 1)
PLAN_AHEAD_FROM = 11  # from 1 November, plans are for the coming year


@dataclass(frozen=True)
class Season:
    """Where today falls in the yearly loop.

    ``review_year`` is the year a review covers by default, ``plan_year`` the year a new plan
    is for, and ``in_season`` whether today lies between 1 November and 31 January.
    """

    today: dt.date
    review_year: int
    plan_year: int
    in_season: bool

    @property
    def review_is_over(self) -> bool:
        """Whether the year under review has ended (in January it has)."""
        return self.today.year > self.review_year

    @property
    def headline(self) -> str:
        """'The season of giving: review 2026 and plan 2027', or '' outside the season."""
        if not self.in_season:
            return ""
        return f"The season of giving: review {self.review_year} and plan {self.plan_year}"


def season(today: dt.date) -> Season:
    """The review year, the plan year and the season for a day.

    Parameters
    ----------
    today : datetime.date

    Returns
    -------
    Season
        31 Oct 2026: review 2026, plan 2026, not in season. 1 Nov and 31 Dec 2026: review 2026,
        plan 2027. 1 and 31 Jan 2027: review 2026, plan 2027. 1 Feb 2027: review 2027, plan
        2027, not in season.
    """
    review = today.year - 1 if today.month == 1 else today.year
    plan = today.year + 1 if today.month >= PLAN_AHEAD_FROM else today.year
    return Season(today, review, plan, today.month in SEASON_MONTHS)


def plan_year_for(year: int, today: dt.date) -> int:
    """The plan that goes with a year looked at: the year under review leads on to the coming
    year's plan (2026 in December, or in January, gives the plan for 2027); any other year is
    planned as itself."""
    now = season(today)
    return now.plan_year if year == now.review_year else year


def new_resolution_start(today: dt.date) -> dt.date:
    """Where a new resolution starts by default: 1 January of the coming year from 1 November,
    else today (a plan made in January starts the day it is made, not days in the past)."""
    if today.month >= PLAN_AHEAD_FROM:
        return dt.date(today.year + 1, 1, 1)
    return today


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """1 January and 31 December of a year."""
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def same_day_of(year: int, day: dt.date) -> dt.date:
    """The same month and day in another year; 29 February becomes the 28th in a common year."""
    try:
        return day.replace(year=year)
    except ValueError:
        return dt.date(year, 2, 28)


def long_date(day: dt.date) -> str:
    """'1 December 2026', the same in every locale."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"
