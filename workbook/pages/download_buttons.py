"""The files to take away: a button for each, built from the open workbook when pressed."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence

import ipywidgets as widgets

from .. import downloads
from ..forms import FORM_WIDTH
from ..model import WorkbookError
from ..widgets_text import ERROR_COLOR, MUTED_COLOR, TextLine
from .session import Session

log = logging.getLogger(__name__)


class DownloadButtons(widgets.VBox):
    """A button per file to take away; a click builds the file and shows a link to save it.

    Parameters
    ----------
    session : Session
        The files are built from the workbook open when the button is pressed.
    keys : sequence of str, optional
        Which files (keys of `workbook.downloads.DOWNLOADS`); all of them by default.
    year : callable, optional
        ``year()`` gives the year of the plan and the reminders (the session's `plan_year`
        by default); the buttons name it.

    Attributes
    ----------
    buttons, links : dict
        By download key (see `workbook.downloads.DOWNLOADS`): the Button, and the HTML widget
        that shows the link once the file is ready.
    status : TextLine
        "Preparing ..." while a file is being built.
    error : TextLine
        Why a file could not be made.
    """

    def __init__(self, session: Session, keys: Sequence[str] | None = None,
                 year: Callable[[], int] | None = None):
        self.session = session
        self.year = year or (lambda: session.plan_year)
        self.buttons: dict[str, widgets.Button] = {}
        self.links: dict[str, widgets.HTML] = {}
        rows = []
        for item in downloads.DOWNLOADS:
            if keys is not None and item.key not in keys:
                continue
            button = widgets.Button(description=item.label, icon="download",
                                    layout=widgets.Layout(width="17em"))
            button.on_click(lambda _button, key=item.key: self.make(key))
            self.buttons[item.key] = button
            self.links[item.key] = widgets.HTML("", layout=widgets.Layout(margin="0 0 0 1em"))
            rows.append(widgets.HBox([button, self.links[item.key]],
                                     layout=widgets.Layout(align_items="center",
                                                           flex_flow="row wrap")))
        self.status = TextLine("", color=MUTED_COLOR, width=FORM_WIDTH)
        self.error = TextLine("", color=ERROR_COLOR, width=FORM_WIDTH)
        super().__init__([*rows, self.status, self.error])
        self.clear()

    def make(self, key: str) -> None:
        """Build one file from the open workbook and show the link that saves it.

        In a kernel the file is built on a thread of its own, so the page stays live and a
        line says how long it has taken so far; `job` is that thread.
        """
        item = downloads.BY_KEY[key]
        for button in self.buttons.values():
            button.disabled = True  # one file at a time: a second click would wait anyway
        self.links[key].value = ""
        self.error.text = ""
        slow = " The plan with its charts takes a few seconds." if key == "plan" else ""
        self.status.text = f"Preparing {item.filename}\u2026{slow}"
        store, today, year = self.session.store, self.session.today, self.year()
        began = time.monotonic()

        def build() -> None:
            try:
                data = downloads.file_bytes(key, store, today, year)
                href = downloads.publish(key, data)
            except WorkbookError as e:
                self.error.text = f"{item.filename} could not be made: {e}"
            except Exception:
                # Whatever went wrong, the page must not stay stuck on "Preparing".
                log.exception("building %s failed", item.filename)
                self.error.text = (f"{item.filename} could not be made. The other files may "
                                   "still work; the details are in the log.")
            else:
                self.links[key].value = downloads.link_html(key, data, href)
            finally:
                done.set()
                self.status.text = ""
                for button in self.buttons.values():
                    button.disabled = False

        def tick() -> None:
            while not done.wait(1.0):
                seconds = round(time.monotonic() - began)
                self.status.text = f"Preparing {item.filename}\u2026 {seconds} s{slow}"

        done = threading.Event()
        if _in_kernel():
            self.job = threading.Thread(target=build, name=f"download-{key}", daemon=True)
            self.job.start()
            threading.Thread(target=tick, name=f"download-{key}-tick", daemon=True).start()
        else:
            build()

    def clear(self) -> None:
        """Drop the links (after a change they would hand out old data); name the year again."""
        for link in self.links.values():
            link.value = ""
        self.error.text = ""
        year = self.year()
        for key, button in self.buttons.items():
            button.description = downloads.BY_KEY[key].label_for(year)


def _in_kernel() -> bool:
    """Whether this runs in a Jupyter kernel (where a long piece of work gets a thread)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return getattr(get_ipython(), "kernel", None) is not None
