"""What every page is built from: the `Page`, its prose and the callbacks that save; with the
parts of their own modules (`ChartPanel`, `DownloadButtons`, `ActionRows`, `YearChoice`)
importable from here too.

Names with an underscore are for the page modules of this package.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as widgets
import pandas as pd
import traitlets

from ..forms import Form
from ..widgets_text import guidance, heading
from .chart_panel import NOTE_COLOR as NOTE_COLOR
from .chart_panel import ChartPanel
from .chart_panel import ChartView as ChartView
from .controls import ActionRows as ActionRows
from .controls import YearChoice as YearChoice
from .download_buttons import DownloadButtons as DownloadButtons
from .session import EVERYTHING, Frames, Session, written

PAGE_WIDTH = "60em"


# -- shared page pieces -------------------------------------------------------------------------


class Page(widgets.VBox):
    """One page: a VBox that shows the session's data and follows its changes.

    Parameters
    ----------
    session : Session
    children : sequence of widgets
    parts : dict
        Its forms, lists, tables and chart panels by name, for the web app and for tests.
    refresh : callable
        Copies the data into the widgets; it makes no widget of its own.
    prose : bool
        False leaves out the page's own title, introduction and what-next text.
    shows : set of str
        The tables (and "year") the page shows: a change elsewhere leaves it as it is.
    key : str, optional
        The builder's name: a page built again on the same session replaces (and closes) the
        one built before, so a notebook cell run twice leaves no page listening behind.

    Attributes
    ----------
    shown : bool
        Whether the page is in sight (True unless told otherwise). A page out of sight only
        notes that its data changed, and refreshes when it is shown again.
    """

    shown = traitlets.Bool(True)

    def __init__(self, session: Session, children: Sequence[widgets.Widget], parts: dict,
                 refresh: Callable[[], None], *, prose: bool = True,
                 shows=EVERYTHING, key: str | None = None):
        if not prose:
            children = [c for c in children if not isinstance(c, _Prose)]
        super().__init__(list(children), layout=widgets.Layout(
            max_width=PAGE_WIDTH, padding="0.5em 1em 1em 0.5em"))
        self.session = session
        self.parts = parts
        self._refresh_data = refresh
        self._path = session.path
        self._stale = False
        self._closed = False
        self._set_narrow(session.narrow)
        self.refresh()
        before = session.pages.get(key) if key else None
        if before is not None:
            before.close()
        self._unsubscribe = session.on_change(self._notified, shows, key=key or self)
        if key:
            session.pages[key] = self

    def label(self, step: str) -> None:
        """Give each part the class ``wb-<step>-<name>``, now and when it is added later.

        They are the stable handles of the stylesheet and the browser tests.
        """
        self._step = step
        for name, part in self.parts.items():
            self._label(name, part)

    def add_part(self, name: str, part) -> None:
        """A part made after the page, labelled as the others were."""
        self.parts[name] = part
        if getattr(self, "_step", None):
            self._label(name, part)

    def _label(self, name: str, part) -> None:
        target = getattr(part, "widget", part)
        if isinstance(target, widgets.DOMWidget):
            target.add_class(f"wb-{self._step}-{name}")

    def refresh(self) -> None:
        """Show the session's data now; forms start afresh when another file was opened."""
        self._stale = False
        if self.session.path != self._path:
            # A record being edited belongs to the file that was open before.
            self._path = self.session.path
            for part in self.parts.values():
                if isinstance(part, Form):
                    part.clear()
        self._refresh_data()
        if self.shown:
            self.draw_charts()

    def _notified(self, _tables) -> None:
        if self.shown:
            self.refresh()
        else:
            self._stale = True  # refreshed when shown again

    def set_narrow(self, narrow: bool) -> None:
        """Draw the page's charts for a phone, or not; those in sight are drawn again now."""
        self._set_narrow(narrow)
        if self.shown and not self._stale:
            self.draw_charts()

    def _set_narrow(self, narrow: bool) -> None:
        for part in self.parts.values():
            if isinstance(part, ChartPanel):
                part.set_narrow(narrow)

    def draw_charts(self) -> None:
        """Draw the page's charts whose data changed since they were last drawn."""
        for part in self.parts.values():
            if isinstance(part, ChartPanel):
                part.draw()

    @traitlets.observe("shown")
    def _shown_changed(self, change) -> None:
        if change.new:
            if self._stale:
                self.refresh()
            else:
                self.draw_charts()

    def close(self) -> None:
        """Stop following the session and close every widget of the page."""
        if getattr(self, "_closed", True):
            return  # closed already (ipywidgets closes a widget again when it is collected)
        self._closed = True
        self._unsubscribe()
        if self.session.pages.get(_key_of(self)) is self:
            del self.session.pages[_key_of(self)]
        for widget in list(_descendants(self))[::-1]:
            if widget is not self:
                widget.close()
        super().close()


def _key_of(page: Page):
    return next((k for k, p in page.session.pages.items() if p is page), None)


def _descendants(widget):
    """A widget and every widget inside it, with their layouts and styles (widgets too)."""
    yield widget
    for name in ("layout", "style"):
        part = getattr(widget, name, None)
        if isinstance(part, widgets.Widget):
            yield part
    for child in getattr(widget, "children", ()) or ():
        yield from _descendants(child)


class _Prose(widgets.VBox):
    """A page's title, introduction or what-next text: left out when a notebook brings its own."""


def _intro(title: str, *paragraphs: str) -> _Prose:
    return _Prose([heading(title, 1), guidance(*paragraphs)])


def _section(title: str, *children: widgets.Widget, intro: str = "") -> widgets.VBox:
    top = [heading(title, 2)]
    if intro:
        top.append(guidance(intro))
    return widgets.VBox([*top, *children], layout=widgets.Layout(margin="0.8em 0 0 0"))


def _what_next(text: str) -> _Prose:
    return _Prose(
        [heading("What next", 3), guidance(text)],
        layout=widgets.Layout(margin="1.2em 0 0 0", border_top="1px solid #ccc"),
    )


def _saver(session: Session, write: Callable, tables=None) -> Callable:
    """A form callback that writes a record and then tells the pages what changed."""

    def save(record):
        write(record)
        session.changed(written(type(record)) if tables is None else tables)

    return save


def _add_or_update(session: Session) -> Callable:
    def write(record):
        if record.id is None:
            session.store.add(record)
        else:
            session.store.update(record)

    return _saver(session, write)


def _editor(session: Session, record_type: type, form) -> Callable[[int], None]:
    return lambda record_id: form.load(session.store.get(record_type, record_id))


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _by_name(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values("name", key=lambda names: names.str.casefold(), kind="stable")


def _choices(frame: pd.DataFrame) -> list[tuple[str, int]]:
    return [(name, int(i)) for i, name in zip(frame["id"], frame["name"], strict=True)]


_Frames = Frames  # the name the page modules use
