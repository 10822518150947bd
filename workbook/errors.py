"""The one kind of error the workbook reports to a person: a plain sentence, no traceback."""

from __future__ import annotations

STALE_MESSAGE = "This was changed in another tab or window: reload it to see the change"


class WorkbookError(Exception):
    """Any problem the workbook reports to a person in one plain sentence."""

    def _render_traceback_(self) -> list[str]:
        # IPython calls this instead of printing a traceback: a notebook shows the sentence.
        return [f"{type(self).__name__}: {self}"]


class StaleRecordError(WorkbookError):
    """A save or removal of a record that was changed since it was read: nothing is written."""

    def __init__(self, message: str = STALE_MESSAGE):
        super().__init__(message)


class UsageError(Exception):
    """The command line itself is wrong (exit status 2)."""
