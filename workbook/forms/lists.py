"""The list of saved records that pages show beside a form: Edit, Delete and more buttons.

Delete asks first, in a box of its own: what else in the workbook depends on the record, what
to do instead when there is something, and Delete or Cancel. After a delete, Undo stays for a
few seconds.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import ipywidgets as widgets

from ..later import later
from ..model import WorkbookError
from ..widgets_text import ERROR_COLOR, OK_COLOR, TextLine, error_line
from .base import _set_options
from .cards import card_list, card_style

log = logging.getLogger(__name__)

UNDO_SECONDS = 10  # how long a delete can be undone with one press
TOO_LATE = "It is too late to undo that delete."


@dataclass(frozen=True)
class Confirmation:
    """What a list asks before a delete; the page that knows the record makes it.

    Attributes
    ----------
    name : str
        The record in words: "Harbour Choir", "the give of 3 Nov 2026".
    says : str
        What depends on it, with counts, and what a delete does to that.
    delete : callable or None
        Deletes the record and returns the function that undoes it; None when the workbook
        refuses the delete (``says`` tells why).
    instead : tuple or None
        ``(button label, apply)``: what to do instead, when there is something; ``apply()``
        does it and returns a line saying what it did.
    """

    name: str
    says: str
    delete: Callable[[], Callable[[], None]] | None
    instead: tuple[str, Callable[[], str]] | None = None


class RecordList:
    """A list of saved records as plain text, with Edit, Delete (asks first) and extra buttons.

    Attributes
    ----------
    widget : ipywidgets.VBox
        What to display.
    select : ipywidgets.RadioButtons
        The list, as cards (`workbook.forms.cards`); option labels are plain text, told apart
        where two are the same, values are record ids. Its name for a screen reader is
        ``name``, else the title.
    edit_button, delete_button : ipywidgets.Button
        Delete shows once `on_delete` says what to ask.
    confirm : ipywidgets.VBox
        The question before a delete (hidden until Delete is pressed): ``confirm_title``,
        ``confirm_says``, then ``confirm_button`` (Delete), ``instead_button`` and
        ``cancel_button``.
    undo_button : ipywidgets.Button
        Shown for `undo_seconds` after a delete.
    error, status : TextLine
        A refusal (in red) or what the last action did.
    """

    def __init__(self, *, rows: int = 8, empty: str = "Nothing here yet.", title: str = "",
                 width: str = "auto", name: str = ""):
        self.empty = empty
        self.undo_seconds = UNDO_SECONDS
        self.title = TextLine(title, bold=True, size="1.1em")
        self.select = card_list(rows, name or title)
        self.empty_line = TextLine(empty, color="#555", width=width)
        self.edit_button = _button("Edit")
        self.delete_button = _button("Delete", display="none")
        self.error = error_line(width)
        self.status = TextLine("", color=OK_COLOR)
        self.undo_button = _button("Undo", display="none")
        self.buttons = widgets.HBox([self.edit_button, self.delete_button],
                                    layout=widgets.Layout(grid_gap="0.5em"))
        self.confirm_title = TextLine("", bold=True, color=ERROR_COLOR)
        self.confirm_says = TextLine("")
        self.confirm_button = _button("Delete", button_style="danger")
        self.instead_button = _button("", width="auto", display="none")
        self.cancel_button = _button("Cancel")
        self.confirm = widgets.VBox(
            [self.confirm_title, self.confirm_says,
             widgets.HBox([self.confirm_button, self.instead_button, self.cancel_button],
                          layout=widgets.Layout(grid_gap="0.5em", flex_flow="row wrap"))],
            layout=widgets.Layout(display="none", border=f"2px solid {ERROR_COLOR}",
                                  padding="0.3em 0.6em", margin="0.4em 0", width=width))
        self.confirm.add_class("wb-confirm-delete")
        self._on_edit: list[Callable[[int], None]] = []
        self._ask: Callable[[int], Confirmation] | None = None
        self._asked: tuple[int, Confirmation] | None = None
        # The delete that Undo takes back: (record id, name, undo, deadline); None when none.
        # A timer on the kernel's loop ends it while a press may come on another thread.
        self._undo: tuple[int, str, Callable[[], None], float] | None = None
        self._undo_lock = threading.Lock()
        self.edit_button.on_click(lambda _button: self._run(self._on_edit))
        self.delete_button.on_click(self._clicked_delete)
        self.confirm_button.on_click(self._clicked_confirm)
        self.instead_button.on_click(self._clicked_instead)
        self.cancel_button.on_click(lambda _button: self._disarm())
        self.undo_button.on_click(self._clicked_undo)
        self.select.observe(lambda _change: self._disarm(), names="value")
        self.widget = widgets.VBox(
            [card_style(), self.title, self.empty_line, self.select, self.buttons, self.confirm,
             self.error,
             widgets.HBox([self.status, self.undo_button],
                          layout=widgets.Layout(grid_gap="0.8em", align_items="center"))],
            layout=widgets.Layout(margin="0 0 0.8em 0"),
        )
        self.set_items([])

    def set_items(self, items: Sequence[tuple[str, int]]) -> None:
        """Show these (label, id) pairs, keeping the selection if it is still there."""
        _set_options(self.select, items, pick_first=False)
        has_items = bool(items)
        self.empty_line.layout.display = None if not has_items else "none"
        self.select.layout.display = None if has_items else "none"
        self.buttons.layout.display = None if has_items else "none"
        self._disarm()  # what the question said may no longer hold

    def on_edit(self, callback: Callable[[int], None]) -> None:
        """Call ``callback(id)`` when Edit is pressed with a record selected."""
        self._on_edit.append(callback)

    def on_delete(self, ask: Callable[[int], Confirmation]) -> None:
        """Offer Delete: on a press, ``ask(id)`` says what to ask (`Confirmation`).

        ``ask`` may raise `workbook.model.WorkbookError` to refuse before any question (a
        record changed in another tab, for one); its message is shown.
        """
        self._ask = ask
        self.delete_button.layout.display = None

    def add_button(self, description: str, callback: Callable[[int], None],
                   width: str = "11em") -> widgets.Button:
        """Add a button that calls ``callback(id)`` for the selected record."""
        button = _button(description, width=width)
        button.on_click(lambda _button: self._run([callback]))
        self.buttons.children = (*self.buttons.children, button)
        return button

    # -- a delete -------------------------------------------------------------------------------
    def _clicked_delete(self, _button) -> None:
        self._clear()
        selected = self.select.value
        if selected is None or self._ask is None:
            self.error.text = "Choose an entry in the list first."
            return
        asked = self._guarded(lambda: self._ask(selected))
        if asked is None:
            return
        self._asked = (selected, asked)
        if asked.delete is None:
            self.confirm_title.text = f"{asked.name} cannot be deleted."
        else:
            self.confirm_title.text = f"Delete {asked.name}?"
        self.confirm_says.text = asked.says
        self.confirm_button.layout.display = None if asked.delete else "none"
        self.instead_button.description = asked.instead[0] if asked.instead else ""
        self.instead_button.layout.display = None if asked.instead else "none"
        self.confirm.layout.display = None

    def _clicked_confirm(self, _button) -> None:
        if self._asked is None or self._asked[1].delete is None:
            return
        record_id, asked = self._asked
        self._disarm()
        self._clear()
        undo = self._guarded(asked.delete)
        if undo is None:
            return
        with self._undo_lock:
            self._undo = (record_id, asked.name, undo, time.monotonic() + self.undo_seconds)
            token = self._undo
        self.status.text = f"Deleted {asked.name}."
        self.undo_button.layout.display = None
        later(self.undo_seconds, lambda: self._expire(token))

    def _clicked_instead(self, _button) -> None:
        if self._asked is None or self._asked[1].instead is None:
            return
        apply = self._asked[1].instead[1]
        self._disarm()
        self._clear()
        done = self._guarded(apply)
        if done is not None:
            self.status.text = done

    def _clicked_undo(self, _button) -> None:
        with self._undo_lock:
            undo, self._undo = self._undo, None
        self.undo_button.layout.display = "none"
        self.error.text = ""
        if undo is None or time.monotonic() > undo[3]:
            self.status.text = TOO_LATE
            return
        record_id, name, take_back, _deadline = undo
        self.status.text = ""
        if self._guarded(lambda: take_back() or True):
            self.status.text = f"{name} is back."
            if record_id in [v for _, v in self.select.options]:
                self.select.value = record_id

    def _expire(self, token) -> None:
        """End the Undo of this delete, unless another has taken its place."""
        with self._undo_lock:
            if self._undo is not token:
                return
            self._undo = None
        self.undo_button.layout.display = "none"
        if self.status.text == f"Deleted {token[1]}.":
            self.status.text = f"Deleted {token[1]} for good."

    # -- shared ---------------------------------------------------------------------------------
    def _disarm(self) -> None:
        self._asked = None
        self.confirm.layout.display = "none"

    def _clear(self) -> None:
        """A new action: no message of the last one, and no Undo of an earlier delete."""
        self.error.text = ""
        self.status.text = ""
        with self._undo_lock:
            self._undo = None
        self.undo_button.layout.display = "none"

    def _guarded(self, work):
        """``work()``, with a refusal or a failure shown as one line (then None)."""
        try:
            return work()
        except WorkbookError as e:
            self.error.text = str(e)
        except Exception as e:
            log.exception("an action on the list failed")
            self.error.text = f"Something went wrong: {e}"
        return None

    def _run(self, callbacks) -> None:
        self._disarm()
        self._clear()
        selected = self.select.value
        if selected is None:
            self.error.text = "Choose an entry in the list first."
            return
        for callback in callbacks:
            if self._guarded(lambda c=callback: c(selected) or True) is None:
                return

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def _button(description: str, *, width: str = "10em", display: str | None = None,
            button_style: str = "") -> widgets.Button:
    return widgets.Button(description=description, button_style=button_style,
                          layout=widgets.Layout(width=width, display=display))
