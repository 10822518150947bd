"""The open workbook that every page shares, and `open_session` to open it."""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable
from pathlib import Path

from .. import clock
from ..paths import workbook_path
from ..season import plan_year_for, season
from ..store import Store

log = logging.getLogger(__name__)

DEMO_FILE = "demo.sqlite"


class Session:
    """One open workbook shared by every page, with listeners told about each change.

    Parameters
    ----------
    path
        The workbook file to open (created if missing).

    Attributes
    ----------
    store : workbook.store.Store
        The open workbook.
    path : pathlib.Path
        Its file.
    home : pathlib.Path
        The file the session started with: the person's own workbook.
    navigate : callable or None
        ``navigate(step)`` shows another step, when the pages sit together in the web app;
        None in a notebook.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.home = self.path
        self.store = Store(self.path)
        self._listeners: list[Callable[[], None]] = []
        self._year: int | None = None
        self.navigate: Callable[[str], None] | None = None

    @property
    def today(self) -> dt.date:
        """Today's date, from the workbook's clock."""
        return clock.today()

    @property
    def year(self) -> int:
        """The year the review, the calendar and the plan show: the year under review by
        default (in January, the year that just ended)."""
        return self._year if self._year is not None else season(self.today).review_year

    @year.setter
    def year(self, value: int) -> None:
        if int(value) != self.year:
            self._year = int(value)
            self.changed()

    @property
    def plan_year(self) -> int:
        """The year of the plan that goes with `year` (the coming year for the year reviewed)."""
        return plan_year_for(self.year, self.today)

    @property
    def demo_path(self) -> Path:
        """Where the demo workbook lives: beside the person's own workbook."""
        return self.home.parent / DEMO_FILE

    @property
    def is_demo(self) -> bool:
        """Whether the demo workbook is open rather than the person's own."""
        return self.path == self.demo_path and self.path != self.home

    def on_change(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` after every change to the workbook's data."""
        self._listeners.append(callback)

    def changed(self) -> None:
        """Tell every page that the data changed, so lists and choices refresh."""
        for callback in list(self._listeners):
            try:
                callback()
            except Exception:
                # One broken page must not stop the others from showing the new data.
                log.exception("a page failed to refresh")

    def switch(self, path: str | os.PathLike) -> None:
        """Open another workbook file and refresh every page.

        Raises
        ------
        workbook.store.NotAWorkbookError
            If the file is not a workbook; the current one then stays open.
        """
        new = Store(path)
        old, self.store, self.path = self.store, new, Path(path)
        old.close()
        self.changed()

    def open_demo(self) -> dict[str, int]:
        """Open the demo workbook, writing the demo persona into it the first time.

        Returns
        -------
        dict
            Row counts of the demo workbook.
        """
        from ..demo import write_demo  # the demo is only needed when someone asks for it

        if self.path != self.demo_path:
            with Store(self.demo_path) as demo:
                if demo.counts()["communities"] == 0:
                    write_demo(demo, today=self.today)
            self.switch(self.demo_path)
        return self.store.counts()

    def go_home(self) -> None:
        """Open the person's own workbook again."""
        if self.path != self.home:
            self.switch(self.home)

    def close(self) -> None:
        """Close the workbook file."""
        self.store.close()


def open_session(db: str | os.PathLike | None = None) -> Session:
    """Open the workbook and return a session for the pages.

    Parameters
    ----------
    db
        A workbook file; without it ``$WORKBOOK_DB`` or the user's data folder is used
        (see `workbook.paths.workbook_path`).

    Returns
    -------
    Session

    Raises
    ------
    workbook.clock.ClockError
        When ``$WORKBOOK_TODAY`` is not a date: no page starts on a wrong day.
    """
    clock.today()
    return Session(workbook_path(db))
