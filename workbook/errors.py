"""The one kind of error the workbook reports to a person: a plain sentence, no traceback."""

from __future__ import annotations


class WorkbookError(Exception):
    """Any problem the workbook reports to a person in one plain sentence."""

    def _render_traceback_(self) -> list[str]:
        # IPython calls this instead of printing a traceback: a notebook shows the sentence.
        return [f"{type(self).__name__}: {self}"]


class UsageError(Exception):
    """The command line itself is wrong (exit status 2)."""
