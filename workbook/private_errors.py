"""In a kernel the app's server runs, errors stay on the server: a visitor reads one sentence.

Whoever holds a page's websocket receives all that its kernel publishes: the errors of widget
callbacks (IPython's full traceback) and whatever reaches stderr, where Python's logging and
warnings go when nothing else takes them. Each can name the files of the package and of its
libraries. Here the traceback goes to the server's own output instead (the terminal or the
service log), and the page gets a plain sentence; a `WorkbookError` keeps its own sentence.
Outside Voila (JupyterLab, a script) nothing changes: there the person is the developer.
"""

from __future__ import annotations

import io
import logging
import os
import re
import sys

from .errors import WorkbookError

SERVED_VAR = "VOILA_PREHEAT"  # Voila sets it in every kernel it starts, pooled or not
SENTENCE = "Something went wrong here. Reload the page; the details are in the app's log."
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

log = logging.getLogger(__name__)


def served() -> bool:
    """True in a kernel that Voila started."""
    return SERVED_VAR in os.environ


def server_stream() -> io.TextIOBase:
    """The server's own stderr, which the kernel does not forward to the page."""
    # ipykernel forwards file descriptor 2 to the page too; it keeps a copy of the original.
    copy = getattr(sys.stderr, "_original_stdstream_copy", None)
    if copy is not None:
        return open(copy, "w", encoding="utf-8", errors="replace", closefd=False,  # noqa: SIM115
                    buffering=1)
    return sys.__stderr__


def keep_errors_private(shell=None) -> bool:
    """Send this kernel's tracebacks, log records and warnings to the server only.

    Parameters
    ----------
    shell
        The IPython shell; the running one by default.

    Returns
    -------
    bool
        True when it was done now; False outside a kernel Voila started, or when it was done
        before.
    """
    if not served():
        return False
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if shell is None or getattr(shell, "_workbook_private", False):
        return False
    stream = server_stream()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("[%(levelname)s %(name)s] %(message)s"))
    logging.getLogger().addHandler(handler)
    logging.captureWarnings(True)  # a warning names the file that raised it
    sys.stderr = stream  # print(file=sys.stderr), traceback.print_exc(), thread errors
    publish = shell._showtraceback  # IPython's hook for where a traceback is shown

    def show_privately(etype, evalue, stb):
        if isinstance(evalue, WorkbookError):
            publish(etype, evalue, [str(evalue)])
            return
        log.error("an error in the page's kernel:\n%s", _ANSI.sub("", "\n".join(stb)))
        publish(WorkbookError, WorkbookError(SENTENCE), [SENTENCE])

    shell._showtraceback = show_privately
    shell._workbook_private = True
    return True
