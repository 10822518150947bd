"""Sharing your counts with a workshop room: a part of the progress page, shown in a room only."""

from __future__ import annotations

import logging
from pathlib import Path

import ipywidgets as widgets

from .. import room_share
from ..forms import FORM_WIDTH
from ..model import WorkbookError
from ..season import long_date
from ..widgets_text import ERROR_COLOR, MUTED_COLOR, TextLine
from .session import Session

log = logging.getLogger(__name__)

SHARE = "Share my counts with the room"
STOP = "Stop sharing"
WHAT_IS_SHARED = (
    "Sharing sends counts only: how many communities of each kind, people and resolutions you "
    f"have, your gives in each of the last {room_share.WEEKS} weeks, how often help came back, "
    "how many reflections you wrote, and whether you made a New Year's resolution. No names, no "
    "notes, nothing you typed. The workshop's facilitator sees your counts together with "
    "everyone else's; stop sharing and they are gone from the room."
)


class RoomShare(widgets.VBox):
    """Two buttons that share this workbook's counts with the room, or take them back.

    Parameters
    ----------
    session : Session
    folder : Path
        The room's folder (`workbook.room_share.room_dir`).

    Attributes
    ----------
    share, stop : widgets.Button
        "Share my counts with the room" (again: the counts are replaced) and "Stop sharing"
        (shown while shared).
    status, error : TextLine
        When the counts were shared, or that they are not; what went wrong.
    """

    def __init__(self, session: Session, folder: Path):
        self.session = session
        self.folder = Path(folder)
        self.share = widgets.Button(description=SHARE, icon="share", button_style="primary",
                                    layout=widgets.Layout(width="19em"))
        self.stop = widgets.Button(description=STOP, icon="times",
                                   layout=widgets.Layout(width="12em"))
        self.share.on_click(lambda _b: self._run(self._share))
        self.stop.on_click(lambda _b: self._run(self._withdraw))
        self.status = TextLine("", color=MUTED_COLOR, width=FORM_WIDTH)
        self.error = TextLine("", color=ERROR_COLOR, width=FORM_WIDTH)
        super().__init__([widgets.HBox([self.share, self.stop],
                                       layout=widgets.Layout(flex_flow="row wrap")),
                          self.status, self.error])
        self.update()

    def update(self) -> None:
        """Show whether this workbook's counts are in the room, and since when."""
        path = self.session.path
        if self.session.is_demo:
            self.share.disabled = True
            self.stop.layout.display = "none"
            self.status.text = ("The demo workbook is open: go back to your own workbook to "
                                "share your counts.")
            return
        self.share.disabled = False
        day = room_share.shared_on(path, self.folder)
        self.stop.layout.display = None if day else "none"
        self.status.text = (
            f"Shared on {long_date(day)}. Share again to update: what you log after that "
            "reaches the room only when you share again." if day
            else "Not shared: the facilitator sees nothing of yours.")

    def _share(self) -> None:
        if self.session.is_demo:
            raise WorkbookError("The demo workbook is open: go back to your own to share.")
        room_share.share(self.session.store, self.folder, self.session.today)

    def _withdraw(self) -> None:
        room_share.withdraw(self.session.path, self.folder)

    def _run(self, action) -> None:
        self.error.text = ""
        try:
            action()
        except WorkbookError as e:
            self.error.text = str(e)
        except OSError as e:
            log.warning("room folder %s: %s", self.folder, e)
            self.error.text = (f"The room's folder could not be used ({e.strerror or e}); "
                               "ask the facilitator.")
        self.update()
