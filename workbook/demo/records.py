"""The demo as records, and an empty workbook filled with them."""

from __future__ import annotations

import datetime as dt
import random

from .. import clock
from ..model import WorkbookError
from ..store import Store
from .persona import _Persona
from .size import DemoSize, demo_size


def demo_records(
    *,
    years: int = 1,
    seed: int = 2026,
    today: dt.date | None = None,
    size: DemoSize | None = None,
) -> list:
    """Return the demo persona's workbook as model records.

    Parameters
    ----------
    years : int
        How many years of history, ending on ``today``.
    seed : int
        The seed of the only source of randomness; the same arguments give equal records.
    today : datetime.date, optional
        The last day with gives; defaults to ``workbook.clock.today()`` and must not be later.
    size : DemoSize, optional
        Overrides ``demo_size(years)``.

    Returns
    -------
    list
        Records with explicit ids, in the order a store needs them: communities, people,
        resolutions, log entries, help received, reflections.
    """
    size = size or demo_size(years)
    today = today or clock.today()
    if today > clock.today():
        raise ValueError("today must not be later than the current date")
    return _Persona(random.Random(seed), size, years, today).records()


def write_demo(
    store: Store,
    *,
    years: int = 1,
    seed: int = 2026,
    today: dt.date | None = None,
    size: DemoSize | None = None,
) -> dict[str, int]:
    """Fill an empty workbook with the demo persona.

    Parameters
    ----------
    store : Store
        An open workbook with no entries at all.
    years, seed, today, size
        As in `demo_records`.

    Returns
    -------
    dict
        ``store.counts()`` after writing.

    Raises
    ------
    WorkbookError
        If the workbook already holds entries; nothing is written then.
    """
    if any(store.counts().values()):
        raise WorkbookError(
            "The demo can only be loaded into an empty workbook, and this one already has "
            "entries. Open a new workbook file to try the demo."
        )
    store.add_many(demo_records(years=years, seed=seed, today=today, size=size))
    return store.counts()
