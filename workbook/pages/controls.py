"""Controls that several pages share: rows of a sentence and buttons, and the year shown."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence

import ipywidgets as widgets

from ..forms import FORM_WIDTH
from ..model import WorkbookError
from ..widgets_text import ERROR_COLOR, MUTED_COLOR, TextLine, named
from .session import Session

log = logging.getLogger(__name__)


class ActionRows(widgets.VBox):
    """Rows of a sentence and a few buttons, such as the review's resolutions and suggestions.

    Rows are widgets made once and reused: showing new rows changes their text and buttons,
    and only a longer list than ever before adds a row.

    Parameters
    ----------
    on_action : callable
        ``on_action(key, action)`` when the button ``action`` of the row ``key`` is pressed.
    empty : str
        What shows when there is no row.

    Attributes
    ----------
    rows : list of ipywidgets.VBox
        Every row made so far; the ones in use are shown.
    """

    def __init__(self, on_action: Callable[[str, str], None], empty: str = ""):
        self._on_action = on_action
        self._keys: list[str] = []
        self.rows: list[widgets.VBox] = []
        self.empty = TextLine(empty, color=MUTED_COLOR, width=FORM_WIDTH)
        self.error = TextLine("", color=ERROR_COLOR, width=FORM_WIDTH)
        super().__init__([self.empty, self.error])

    def show(self, items: Sequence[tuple[str, str, str, Sequence[tuple[str, str]] | None]]
             ) -> None:
        """Show ``(key, sentence, note, [(action, button label), ...])`` items, one row each.

        An item whose actions are None is a heading for the rows after it.
        """
        while len(self.rows) < len(items):
            self.rows.append(self._new_row(len(self.rows)))
            self.children = (*self.children[:-1], self.rows[-1], self.error)
        self._keys = [key for key, *_ in items]
        for row, (_key, sentence, note, actions) in zip(self.rows, items, strict=False):
            text, muted, buttons = row.children
            header = actions is None
            text._style["bold"] = header
            row.layout.border_left = "none" if header else "3px solid #ddd"
            row.layout.padding = "0" if header else "0 0 0 0.6em"
            row.layout.margin = "0.6em 0 0.3em 0" if header else "0 0 0.7em 0"
            actions = actions or ()
            text.text, muted.text = sentence, note
            muted.layout.display = None if note else "none"
            for button, action in zip(buttons.children, [*actions, *[None] * 3], strict=False):
                if action is None:
                    button.layout.display = "none"
                else:
                    button._action = action[0]
                    button.description = action[1]
                    button.layout.display = None
            row.layout.display = None
        for row in self.rows[len(items):]:
            row.layout.display = "none"
        self.empty.layout.display = "none" if items else None
        self.error.text = ""

    def _new_row(self, index: int) -> widgets.VBox:
        buttons = []
        for _ in range(3):
            button = widgets.Button(layout=widgets.Layout(width="auto"))
            button._action = ""
            button.on_click(lambda b, i=index: self._pressed(i, b._action))
            buttons.append(button)
        return widgets.VBox(
            [TextLine("", width=FORM_WIDTH), TextLine("", color=MUTED_COLOR, size="0.92em",
                                                      width=FORM_WIDTH),
             widgets.HBox(buttons, layout=widgets.Layout(flex_flow="row wrap",
                                                         grid_gap="0.4em"))],
            layout=widgets.Layout(margin="0 0 0.7em 0", padding="0 0 0 0.6em",
                                  border_left="3px solid #ddd"))

    def _pressed(self, index: int, action: str) -> None:
        self.error.text = ""
        try:
            self._on_action(self._keys[index], action)
        except WorkbookError as e:
            self.error.text = str(e)
        except Exception as e:
            log.exception("an action failed")
            self.error.text = f"Something went wrong and nothing was changed: {e}"

    def press(self, key: str, action: str) -> None:
        """Press a row's button by its key and action (for tests and notebooks)."""
        self._pressed(self._keys.index(key), action)


class YearChoice(widgets.HBox):
    """"Year: [2026]": the session's year, shared by every page that shows one.

    Its options are the years with data and the coming year (`workbook.review.review_years`).
    """

    def __init__(self, session: Session):
        self.session = session
        self.dropdown = named(widgets.Dropdown(layout=widgets.Layout(width="7.5em")), "Year")
        self.dropdown.observe(self._chosen, names="value")
        super().__init__([widgets.Label("Year:"), self.dropdown],
                         layout=widgets.Layout(align_items="center", grid_gap="0.4em"))

    def update(self, frames: Mapping, today: dt.date) -> None:
        """Offer the years of this workbook, with the session's year chosen."""
        from ..review import review_years

        years = review_years(frames, today)
        if self.session.year not in years:
            years = sorted({*years, self.session.year}, reverse=True)
        self.dropdown.options = [(str(y), y) for y in years]
        self.dropdown.value = self.session.year

    def _chosen(self, change) -> None:
        if change["new"] is not None:
            self.session.year = change["new"]
