"""The list of saved records that pages show beside a form: Edit, Remove and more buttons."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import ipywidgets as widgets

from ..model import WorkbookError
from ..widgets_text import OK_COLOR, TextLine, error_line
from .base import _layout, _set_options

log = logging.getLogger(__name__)


class RecordList:
    """A list of saved records as plain text, with Edit, Remove (asks twice) and extra buttons.

    Attributes
    ----------
    widget : ipywidgets.VBox
        What to display.
    select : ipywidgets.Select
        The list; option labels are plain text, values are record ids.
    error, status : TextLine
        A refusal (in red) or a confirmation of the last action.
    """

    def __init__(self, *, rows: int = 8, empty: str = "Nothing here yet.", title: str = "",
                 remove_label: str = "Remove", width: str = "auto"):
        self.empty = empty
        self.max_rows = rows
        self.remove_label = remove_label
        self.title = TextLine(title, bold=True, size="1.1em")
        self.select = widgets.Select(rows=rows, layout=_layout(width))
        self.empty_line = TextLine(empty, color="#555", width=width)
        self.edit_button = widgets.Button(description="Edit", layout=widgets.Layout(width="10em"))
        self.remove_button = widgets.Button(description=remove_label,
                                            layout=widgets.Layout(width="10em"))
        self.error = error_line(width)
        self.status = TextLine("", color=OK_COLOR, width=width)
        self.buttons = widgets.HBox([self.edit_button, self.remove_button],
                                    layout=widgets.Layout(grid_gap="0.5em"))
        self._on_edit: list[Callable[[int], None]] = []
        self._on_remove: list[Callable[[int], None]] = []
        self._armed: int | None = None
        self.edit_button.on_click(lambda _button: self._run(self._on_edit))
        self.remove_button.on_click(self._clicked_remove)
        self.select.observe(lambda _change: self._disarm(), names="value")
        self.widget = widgets.VBox(
            [self.title, self.empty_line, self.select, self.buttons, self.error, self.status],
            layout=widgets.Layout(margin="0 0 0.8em 0"),
        )
        self.set_items([])

    def set_items(self, items: Sequence[tuple[str, int]]) -> None:
        """Show these (label, id) pairs, keeping the selection if it is still there."""
        _set_options(self.select, items, pick_first=False)
        self.select.rows = max(2, min(len(items), self.max_rows))
        has_items = bool(items)
        self.empty_line.layout.display = None if not has_items else "none"
        self.select.layout.display = None if has_items else "none"
        self.buttons.layout.display = None if has_items else "none"
        self._disarm()

    def on_edit(self, callback: Callable[[int], None]) -> None:
        """Call ``callback(id)`` when Edit is pressed with a record selected."""
        self._on_edit.append(callback)

    def on_remove(self, callback: Callable[[int], None]) -> None:
        """Call ``callback(id)`` on the second press of Remove for the same record."""
        self._on_remove.append(callback)

    def add_button(self, description: str, callback: Callable[[int], None],
                   width: str = "11em") -> widgets.Button:
        """Add a button that calls ``callback(id)`` for the selected record."""
        button = widgets.Button(description=description, layout=widgets.Layout(width=width))
        button.on_click(lambda _button: self._run([callback]))
        self.buttons.children = (*self.buttons.children, button)
        return button

    def _clicked_remove(self, _button) -> None:
        selected = self.select.value
        if selected is None:
            self._run([])
            return
        if self._armed != selected:
            self._armed = selected
            self.remove_button.description = "Yes, remove it"
            self.remove_button.button_style = "danger"
            self.error.text = ""
            self.status.text = f"Press 'Yes, remove it' to remove '{self.select.label}' for good."
            return
        self._run(self._on_remove)

    def _disarm(self) -> None:
        self._armed = None
        self.remove_button.description = self.remove_label
        self.remove_button.button_style = ""

    def _run(self, callbacks) -> None:
        self.error.text = ""
        self.status.text = ""
        selected = self.select.value
        if selected is None:
            self.error.text = "Choose an entry in the list first."
            return
        label = self.select.label
        try:
            for callback in callbacks:
                callback(selected)
        except WorkbookError as e:
            self.error.text = str(e)
        except Exception as e:
            log.exception("an action on the list failed")
            self.error.text = f"Something went wrong: {e}"
        finally:
            self._disarm()
        if callbacks is self._on_remove and not self.error.text:
            self.status.text = f"Removed '{label}'."

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
