"""Files to take away from the workbook: the one-page plan, calendar reminders, a spreadsheet and
a backup, built in memory and handed to the browser as a download link.

In the app, the file is written to a folder of its own that the app's server serves (beside the
charts' JavaScript, see `workbook.chart_bundle`), under a random name, and the link points
there: the bytes never travel inside a widget. Elsewhere (JupyterLab) the link carries the file
itself, as a base64 ``data:`` address. Either way its markup holds only our own file name and
the address; nothing a person typed is ever part of it.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import os
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import backup
from .season import season


@dataclass(frozen=True)
class Download:
    """One file a person can take away.

    Attributes
    ----------
    key : str
        Its name in code and tests (``"plan"``, ``"ics"``, ``"xlsx"``, ``"backup"``).
    label : str
        The button text.
    filename : str
        The name the browser saves it under: fixed, never taken from the workbook.
    mimetype : str
        Its media type, for the ``data:`` address.
    build : callable
        ``build(store, today, year) -> bytes``; ``year`` is the plan's year (None: the default
        of `workbook.season.season`), ignored by the files that hold everything.
    yearly : str
        The button text for one year, with ``{year}``; empty for a file of everything.
    """

    key: str
    label: str
    filename: str
    mimetype: str
    build: Callable[[object, dt.date, int | None], bytes]
    yearly: str = ""

    def label_for(self, year: int | None) -> str:
        """The button text, naming the year when the file is for one."""
        return self.yearly.format(year=year) if self.yearly and year else self.label


# The builders import their libraries (typst, openpyxl, icalendar, ...) only when a file is asked
# for: every app kernel imports this module, few of them ever build a file.
def _plan(store, today: dt.date, year: int | None) -> bytes:
    """The one-page plan with its page of charts."""
    from . import handouts

    return handouts.plan_pdf_bytes(store, year=year, today=today)


def _ics(store, today: dt.date, year: int | None) -> bytes:
    """Calendar reminders for the resolutions that run in the plan's year."""
    from . import exports

    return exports.ics_bytes(store, today, year or season(today).plan_year)


def _xlsx(store, today: dt.date, year: int | None) -> bytes:
    """The spreadsheet, a sheet per kind of entry in plain words."""
    from . import exports

    return exports.xlsx_bytes(store, today)


def _backup(store, today: dt.date, year: int | None) -> bytes:
    """The JSON backup as UTF-8 bytes."""
    return backup.dump(store).encode("utf-8")


DOWNLOADS = (
    Download("plan", "My one-page plan (PDF)", "my-plan.pdf", "application/pdf", _plan,
             "My plan for {year} (PDF)"),
    Download("ics", "Calendar reminders (.ics)", "my-reminders.ics", "text/calendar", _ics,
             "Reminders for {year} (.ics)"),
    Download("xlsx", "Spreadsheet (.xlsx)", "my-workbook.xlsx",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             _xlsx),
    Download("backup", "Backup (.json)", "my-workbook-backup.json", "application/json",
             _backup),
)
BY_KEY = {d.key: d for d in DOWNLOADS}


def file_bytes(key: str, store, today: dt.date, year: int | None = None) -> bytes:
    """Build one download's file from a workbook.

    Parameters
    ----------
    key
        One of the keys in ``DOWNLOADS``.
    store
        An open :class:`workbook.store.Store`.
    today
        The day the plan counts progress to and the calendar is stamped with.
    year
        The year of the plan and of the calendar's reminders; by default the coming year from
        1 November, else this year.

    Returns
    -------
    bytes
        The whole file.

    Raises
    ------
    KeyError
        For an unknown key.
    """
    return BY_KEY[key].build(store, today, year)


def size_text(size: int) -> str:
    """A file size in words people read: '850 bytes', '43 KB', '2.1 MB'."""
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{round(size / 1000)} KB"
    return f"{size / 1_000_000:.1f} MB"


KEEP_SECONDS = 3600  # a file handed out is removed after an hour (the link is gone by then)


def files_dir() -> Path | None:
    """The served folder for files handed out, when the app's server serves one (else None)."""
    from . import chart_bundle

    if not os.environ.get(chart_bundle.URL_VAR):
        return None
    return chart_bundle.bundle_path().parent / "files"


def publish(key: str, data: bytes) -> str | None:
    """Put a built file where the app's server hands it out; its address, or None outside it.

    Each file gets a folder with a random name (nobody can guess another's), readable by this
    user only; files older than `KEEP_SECONDS` are removed on the way.
    """
    from . import chart_bundle
    from .atomic import atomic_write

    folder = files_dir()
    if folder is None:
        return None
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    token = secrets.token_urlsafe(16)
    target = folder / token
    target.mkdir(mode=0o700)
    atomic_write(target / BY_KEY[key].filename, data)
    # Ages are measured against the folder just made, so no clock is read here: the workbook's
    # date may be pinned, the file system's times never are.
    now = target.stat().st_mtime
    for old in folder.iterdir():
        try:
            if now - old.stat().st_mtime > KEEP_SECONDS:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            continue
    return chart_bundle.bundle_url().rsplit("/", 1)[0] + f"/files/{token}/{BY_KEY[key].filename}"


def link_html(key: str, data: bytes, href: str | None = None) -> str:
    """A download link that carries the file in its address.

    Parameters
    ----------
    key
        One of the keys in ``DOWNLOADS``; it fixes the file name and media type.
    data
        The file.

    href
        Where the server hands the file out (from `publish`); without it the link carries the
        file itself.

    Returns
    -------
    str
        ``<a download="NAME" href="...">Download NAME (SIZE)</a>`` in a paragraph: our own
        words, the file name and the address (or base64 characters), nothing else.
    """
    item = BY_KEY[key]
    name = html.escape(item.filename, quote=True)
    if href is None:
        encoded = base64.b64encode(data).decode("ascii")
        href = f"data:{item.mimetype};base64,{encoded}"
    href = html.escape(href, quote=True)
    return (f'<div style="margin:0.2em 0;line-height:1.4;"><a download="{name}" href="{href}" '
            f'style="font-weight:600;color:#0b5cad;text-decoration:underline;">Download {name} '
            f'({size_text(len(data))})</a></div>')
