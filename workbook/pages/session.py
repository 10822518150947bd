"""The open workbook that every page shares, and `open_session` to open it."""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from .. import clock
from ..kernel_limits import cap_client_widgets
from ..model import Community, HelpReceived, LogEntry, Pause, Person, Reflection, Resolution
from ..paths import workbook_path
from ..private_errors import keep_errors_private
from ..season import plan_year_for, season
from ..store import FRAME_NAMES, Store

log = logging.getLogger(__name__)

DEMO_FILE = "demo.sqlite"
# What a change can touch: the workbook's tables, and "year", the year the pages show.
EVERYTHING = frozenset((*FRAME_NAMES, "year"))
# The tables a saved record changes (a deleted one can change more: see `removed`).
WRITES = {Community: {"communities"}, Person: {"people", "memberships"},
          Resolution: {"resolutions"}, LogEntry: {"log"}, HelpReceived: {"help"},
          Reflection: {"reflections"}, Pause: {"pauses"}}
# Deleting a record also empties the links to it (ON DELETE CASCADE or SET NULL).
REMOVES = {Community: {"memberships", "pauses", "help"},
           Person: {"memberships", "resolutions", "log", "help"},
           Resolution: {"log"}}


# The tables whose lists offer Delete, by their frame's name.
VERSIONED = {"communities": Community, "people": Person, "resolutions": Resolution,
             "help": HelpReceived, "pauses": Pause}


def written(record_type: type) -> frozenset[str]:
    """The tables that saving a record of this type changes."""
    return frozenset(WRITES.get(record_type, EVERYTHING))


def removed(record_type: type) -> frozenset[str]:
    """The tables that deleting a record of this type (or its undo) changes."""
    return written(record_type) | REMOVES.get(record_type, set())


class Frames(dict):
    """The workbook's tables by name, each read from the file the first time it is asked for,
    and kept until a change to that table (`forget`)."""

    def __init__(self, store: Store):
        super().__init__()
        self._store = store
        self._versions: dict[str, dict[int, int]] = {}

    def __missing__(self, name: str) -> pd.DataFrame:
        # The versions are read with the rows, in one snapshot: a list's delete passes the
        # version of the row it shows, and a write in between would part them.
        with self._store.snapshot():
            frame = self._store.frame(name)
            if name in VERSIONED:
                self._versions[name] = self._store.versions(VERSIONED[name])
        self[name] = frame
        return frame

    def versions(self, name: str) -> dict[int, int]:
        """The version of each record of the table ``name`` (as `VERSIONED` names them), read
        with its rows."""
        if name not in self._versions:
            self.pop(name, None)
        self[name]  # noqa: B018  (reads the rows and their versions together when missing)
        return self._versions[name]

    def forget(self, tables) -> None:
        """Read these tables again when next asked for."""
        for name in tables:
            self.pop(name, None)
            self._versions.pop(name, None)


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
    frames : Frames
        The tables, read once and shared by every page until a change touches them.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.home = self.path
        self.store = Store(self.path)
        self.frames = Frames(self.store)
        self._listeners: dict[object, tuple[Callable, frozenset]] = {}
        self.pages: dict[str, object] = {}  # the page built last by each builder
        self.narrow = False  # the pages are on a phone: charts drawn for it (`set_narrow`)
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
            self.changed({"year"})

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

    def on_change(self, callback: Callable[[frozenset], None], tables=EVERYTHING,
                  key: object = None) -> Callable[[], None]:
        """Call ``callback(tables)`` after a change that touches one of ``tables``.

        A listener given the ``key`` of an earlier one takes its place. Returns the function
        that unsubscribes it.
        """
        key = object() if key is None else key
        entry = (callback, frozenset(tables))
        self._listeners[key] = entry

        def unsubscribe() -> None:
            # only this listener: another may have taken the key since
            if self._listeners.get(key) is entry:
                del self._listeners[key]

        return unsubscribe

    def changed(self, tables=None) -> None:
        """Tell the pages that some tables changed (all of them when None)."""
        tables = EVERYTHING if tables is None else frozenset(tables)
        self.frames.forget(tables)
        for callback, shows in list(self._listeners.values()):
            if not shows & tables:
                continue
            try:
                callback(tables)
            except Exception:
                # One broken page must not stop the others from showing the new data.
                log.exception("a page failed to refresh")

    def set_narrow(self, narrow: bool) -> None:
        """Say whether the pages are shown on a phone-sized screen; charts follow."""
        narrow = bool(narrow)
        if narrow == self.narrow:
            return
        self.narrow = narrow
        for page in list(self.pages.values()):
            page.set_narrow(narrow)

    def switch(self, path: str | os.PathLike) -> None:
        """Open another workbook file and refresh every page.

        Raises
        ------
        workbook.store.NotAWorkbookError
            If the file is not a workbook; the current one then stays open.
        """
        new = Store(path)
        old, self.store, self.path = self.store, new, Path(path)
        self.frames = Frames(new)
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
    keep_errors_private()  # a guided notebook served by Voila: no traceback reaches the page
    cap_client_widgets()  # served by Voila: a page cannot fill the kernel with widgets
    clock.today()
    return Session(workbook_path(db))
