"""How big a demo workbook is: from one realistic year to a ten-year stress fixture."""

from __future__ import annotations

from dataclasses import dataclass

from .world import _PLACES


@dataclass(frozen=True)
class DemoSize:
    """How big a demo workbook is.

    Attributes
    ----------
    communities, people : int
        How many of each.
    gives_per_day : float
        Average log entries a day; the total is exactly ``ceil(gives_per_day * days)``.
    resolutions : int
        Resolutions in all, spread over the years (about six made each year).
    help_per_month : float
        Average help received a month.
    reflections_per_quarter : int
        Average reflections written a quarter.
    """

    communities: int = 8
    people: int = 40
    gives_per_day: float = 0.9
    resolutions: int = 6
    help_per_month: float = 2.0
    reflections_per_quarter: int = 3

    def __post_init__(self):
        if not 2 <= self.communities <= len(_PLACES):
            raise ValueError(f"communities must be between 2 and {len(_PLACES)}")
        if self.people < 1 or self.resolutions < 0 or self.reflections_per_quarter < 0:
            raise ValueError("people must be at least 1; resolutions and reflections not negative")
        if self.gives_per_day < 0 or self.help_per_month < 0:
            raise ValueError("gives_per_day and help_per_month must not be negative")


def demo_size(years: int) -> DemoSize:
    """Return the size of a demo workbook that covers ``years`` years.

    One year is a realistic workbook (8 communities, 40 people, about 330 gives); ten years is a
    stress fixture (20 communities, 500 people, at least 36,500 gives); sizes in between grow in
    a straight line.

    Parameters
    ----------
    years : int
        At least 1; more than 10 keeps the size of 10 years except for the log.
    """
    if isinstance(years, bool) or not isinstance(years, int) or years < 1:
        raise ValueError("years must be a whole number, at least 1")
    step = (min(years, 10) - 1) / 9
    return DemoSize(
        communities=8 + round(12 * step),
        people=40 + round(460 * step),
        gives_per_day=round(0.9 + 9.1 * step, 3),
        resolutions=6 * years,
    )
