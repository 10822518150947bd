"""What many test files share: text that must stay text, and the demo persona written once.

The demo workbooks are written once per run by the session fixtures in ``conftest.py``
(``demo_one_year``, ``demo_ten_years``); a test that changes one works on a copy.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from workbook import room_share
from workbook.demo import write_demo
from workbook.store import Store

# Text that would run if a page, a chart or a file ever took it for markup. The browser tests
# look for window.__pwned; the others check that it comes back as the same text, or escaped.
IMG = "<img src=x onerror=window.__pwned=1>"
SCRIPT = "</script><script>window.__pwned=1</script>"
BREAKOUT = "</script>" + IMG  # ends a script block, then an image that runs
HOSTILE = (IMG, SCRIPT, BREAKOUT, '"></a><script>alert(2)</script>', "javascript:alert(3)",
           "שלום 🎶")


@dataclass(frozen=True)
class DemoFile:
    """A demo workbook written for the whole run: open it read-only, or work on a copy."""

    path: Path
    years: int
    seconds: float  # how long write_demo took

    def read(self) -> Store:
        """The workbook, open for reading only."""
        return Store(self.path, readonly=True)

    def copy(self, folder: Path, name: str = "workbook.sqlite") -> Path:
        """A copy of the workbook in ``folder``, to change as a test likes."""
        folder.mkdir(parents=True, exist_ok=True)
        return Path(shutil.copyfile(self.path, folder / name))


def write_demo_file(folder: Path, years: int) -> DemoFile:
    """Write the demo persona over ``years`` years (ending on the pinned day) into ``folder``."""
    path = folder / "workbook.sqlite"
    with Store(path) as store:
        began = time.perf_counter()
        write_demo(store, years=years)
        seconds = time.perf_counter() - began
    # Closed, the write-ahead log is folded into the file: the file alone is the whole workbook.
    assert not path.with_name(path.name + "-wal").exists()
    return DemoFile(path, years, seconds)


def write_hostile_file(folder: Path) -> Path:
    """A workbook whose community, person and give carry each hostile text as name and note."""
    from workbook import clock
    from workbook.model import Community, LogEntry, Person

    path = folder / "hostile.sqlite"
    with Store(path) as s:
        for text in HOSTILE:
            c = s.add(Community(name=text, kind="hobby", notes=text))
            p = s.add(Person(name=text, circle=5, notes=text, communities=(c,)))
            s.add(LogEntry(date=clock.today(), community_id=c, kind="advice", note=text,
                           person_id=p))
    return path


def grow_log(path: Path, size: int) -> int:
    """Copy a closed workbook's own gives, under new ids, until the file holds ``size`` bytes;
    the number of gives it then holds. A large workbook in seconds, with real gives' values."""
    con = sqlite3.connect(path)
    try:
        first = con.execute("SELECT max(id) FROM log_entry").fetchone()[0]
        copies = 1
        while path.stat().st_size < size:
            con.execute(
                "INSERT INTO log_entry (id, date, community_id, person_id, resolution_id, kind,"
                " minutes, note, version) SELECT id + ?, date, community_id, person_id, NULL,"
                " kind, minutes, note, abs(random()) FROM log_entry WHERE id <= ?",
                [copies * first, first])
            con.commit()
            copies += 1
        return con.execute("SELECT count(*) FROM log_entry").fetchone()[0]
    finally:
        con.close()


def room_summary(**changes) -> dict:
    """A valid summary of counts shared with a workshop room, with some values changed."""
    value = {
        "format": room_share.FORMAT, "version": room_share.VERSION, "shared_on": "2026-11-26",
        "communities": {"hobby": 2, "work": 1, "own": 1}, "people": 12, "resolutions": 3,
        "running": 2, "plan_year": 2027, "new_year_resolution": True,
        "gives_per_week": {"2026-W47": 3, "2026-W48": 1}, "help_received": 4,
        "reflections": 2,
    }
    value.update(changes)
    return value


def write_file(folder: Path, name: str, value) -> Path:
    """A file of text, or of a value as JSON, in ``folder``."""
    path = folder / name
    path.write_text(value if isinstance(value, str) else json.dumps(value), encoding="utf-8")
    return path
