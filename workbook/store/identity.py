"""Which file a Store opened: a write goes only into the file that is still at its path.

An open SQLite connection keeps writing to the file it opened, even after that file was moved,
replaced (a backup copied back, a synced folder's newer version) or deleted. Such a save would
land where nobody looks, so a write first checks that the path still leads to the same file.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..model import WorkbookError


class FileGoneError(WorkbookError):
    """The workbook file was moved, replaced or deleted after it was opened."""


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


class OpenedFile:
    """The file at ``path`` as it is now, to compare with the file there at each write.

    ``saves`` counts the writes kept in it since (the app tells the page of each).
    """

    def __init__(self, path: Path):
        self.path = path
        self.identity = _identity(path)
        self.saves = 0

    def check(self) -> None:
        """Refuse when ``path`` no longer leads to the file that was opened."""
        if _identity(self.path) != self.identity:
            raise FileGoneError(
                f"Nothing was saved: the workbook file {self.path} was moved, replaced or "
                "deleted while it was open. Put it back and save again, or reload the page to "
                "open what is at that place now (a new, empty workbook if nothing is)."
            )
