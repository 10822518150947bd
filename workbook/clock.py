"""Today's date for every part of the workbook: the real date, or the one WORKBOOK_TODAY pins.

The CLI, the app's server, every kernel it starts and the notebooks all read the date here, so
one environment variable runs any of them on a chosen day (for a test, a screenshot or a rehearsal
of a workshop on 31 December).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import os
import re
from collections.abc import Iterator

from .errors import WorkbookError

ENV_VAR = "WORKBOOK_TODAY"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_HELD: contextvars.ContextVar[dt.date | None] = contextvars.ContextVar("today", default=None)


class ClockError(WorkbookError):
    """WORKBOOK_TODAY holds something that is not a date."""


def pinned() -> dt.date | None:
    """The date in ``$WORKBOOK_TODAY``, or None when it is unset or empty.

    Raises
    ------
    ClockError
        When the variable holds anything but a date written ``YYYY-MM-DD``.
    """
    return _parsed(os.environ.get(ENV_VAR, "").strip())


@functools.lru_cache(maxsize=8)
def _parsed(text: str) -> dt.date | None:
    # Read for every record checked (an import of 100,000 gives): parse each text once.
    if not text:
        return None
    try:
        # fromisoformat alone would also take "20270106" and "2027-W01-3"
        if not _ISO_DATE.fullmatch(text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ClockError(f"{ENV_VAR} must be a date like 2027-01-06, not {text!r}") from None


def today() -> dt.date:
    """Today: ``$WORKBOOK_TODAY`` when it is set and not empty, else the computer's date."""
    return _HELD.get() or pinned() or dt.date.today()


@contextlib.contextmanager
def held() -> Iterator[dt.date]:
    """One today for a piece of work, such as reading a backup, that asks for it per record:
    read once, and the same from its first record to its last (also across midnight).

    In this thread (or task) only; outside the ``with`` block, today is read afresh.
    """
    token = _HELD.set(today())
    try:
        yield _HELD.get()
    finally:
        _HELD.reset(token)
