"""Numbers in words: counts with the right plural and a thousands separator.

Every sentence the workbook shows counts things through these functions, so that no page, form,
review or handout says "1 times" or "about 1510 hours".
"""

from __future__ import annotations

import math


def number(n: float) -> str:
    """A whole number with thousands separators: 4466 -> '4,466' (rounded half up)."""
    return f"{_whole(n):,}"


def count(n: float, one: str, many: str | None = None) -> str:
    """'1 time', '2 times', '4,466 gives', '0 gives'.

    Parameters
    ----------
    n : number
        How many; a fraction is rounded to the nearest whole number first.
    one : str
        The word for one of them.
    many : str, optional
        The plural when it is not ``one`` + "s" ("person", "people"; "community",
        "communities").
    """
    whole = _whole(n)
    return f"{whole:,} {one if abs(whole) == 1 else many or one + 's'}"


def hours(minutes: float) -> str:
    """'about 1 hour', 'about 1,510 hours', or 'under half an hour' for less than 30 minutes."""
    if minutes < 30:
        return "under half an hour" if minutes > 0 else "no time"
    return f"about {count(minutes / 60, 'hour')}"


def _whole(n: float) -> int:
    # Python's round() goes to the even neighbour (2.5 -> 2); people expect 2.5 -> 3.
    return int(math.floor(abs(n) + 0.5)) * (-1 if n < 0 else 1)
