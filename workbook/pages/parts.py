"""What every page is built from: the `Page`, its prose, the callbacks that save, chart panels
and download buttons.

Names with an underscore are for the page modules of this package.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence

import ipywidgets as widgets
import pandas as pd
import traitlets

from .. import downloads
from ..forms import FORM_WIDTH, Form
from ..model import WorkbookError
from ..widgets_text import ERROR_COLOR, MUTED_COLOR, TextLine, guidance, heading
from .session import EVERYTHING, Frames, Session, removed, written

log = logging.getLogger(__name__)

PAGE_WIDTH = "60em"
NOTE_COLOR = "#0072B2"  # the blue of the charts


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


def _in_kernel() -> bool:
    """Whether this runs in a Jupyter kernel (where a long piece of work gets a thread)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return getattr(get_ipython(), "kernel", None) is not None


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


def _remover(session: Session, record_type: type, form=None) -> Callable[[int], None]:
    def remove(record_id: int) -> None:
        session.store.delete(record_type, record_id)
        if form is not None and form.editing is not None and form.editing.id == record_id:
            form.clear()
        session.changed(removed(record_type))

    return remove


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


# -- charts on a page ---------------------------------------------------------------------------

# A view: the label of its button, the chart's name in `workbook.charts`, and its advice.
ChartView = tuple[str, str, Callable[[Mapping, dt.date, int | None], str]]


class ChartPanel(widgets.VBox):
    """One chart with a sentence under it that says what to do next.

    With several views, toggle buttons above the chart choose which one is drawn. Only the
    chosen chart is built, at most once per change of data, and every view shares one chart
    widget: each chart widget carries the whole charting library to the browser.

    Parameters
    ----------
    views : dict
        View key -> (button label, chart name in `workbook.charts.CHART_NAMES`, advice), where
        ``advice(frames, today, year)`` returns the sentence shown under the chart.

    Attributes
    ----------
    choice : ipywidgets.ToggleButtons or None
        Which view is shown; None for a single view.
    chart_widget : altair.JupyterChart or None
        The chart (its ``.chart`` is the Altair chart); None until first drawn.
    note : TextLine
        The sentence under the chart.
    """

    def __init__(self, views: Mapping[str, ChartView]):
        self.views = dict(views)
        self.choice = None
        top = []
        if len(self.views) > 1:
            self.choice = widgets.ToggleButtons(
                options=[(label, key) for key, (label, _, _) in self.views.items()],
                style={"button_width": "8em"}, layout=widgets.Layout(width="auto"))
            self.choice.observe(lambda _change: self.draw(), names="value")
            # A label of its own: the buttons' description would sit on a line of its own.
            top = [widgets.HBox([widgets.Label("Show:"), self.choice],
                                layout=widgets.Layout(align_items="center", flex_flow="row wrap"))]
        self.chart_widget = None
        self._chart_box = widgets.Box(layout=widgets.Layout(overflow="auto"))
        # The sentence is the point of the chart: a rule on its left sets it apart.
        self.note = TextLine("", width=FORM_WIDTH)
        self.note.layout.margin = "0.3em 0 0.8em 0"
        self.note.layout.padding = "0 0 0 0.7em"
        self.note.layout.border_left = f"3px solid {NOTE_COLOR}"
        self._frames: Mapping | None = None
        self._today: dt.date | None = None
        self._year: int | None = None
        self._drawn: str | None = None
        super().__init__([*top, self._chart_box, self.note])

    @property
    def view(self) -> str:
        """The key of the view shown (or to be shown)."""
        return self.choice.value if self.choice else next(iter(self.views))

    def set_data(self, frames: Mapping, today: dt.date, year: int | None = None) -> None:
        """Take new data (and the year a calendar or a review shows); drawn on the next `draw`."""
        self._frames, self._today, self._year, self._drawn = frames, today, year, None

    def draw(self) -> None:
        """Build the chosen chart and its sentence, unless they already show the current data."""
        if self._frames is None or self._drawn == self.view:
            return
        # altair takes a second to import: a page without charts in sight never pays for it.
        from .. import charts, chartview

        _, name, advice = self.views[self.view]
        figure = charts.chart(name, self._frames, self._today, self._year)
        if self.chart_widget is None:
            self.chart_widget = chartview.chart_widget(figure)
            self._chart_box.children = (self.chart_widget,)
        else:
            self.chart_widget.chart = figure
        self.note.text = advice(self._frames, self._today, self._year)
        self._drawn = self.view


# -- files to take away -------------------------------------------------------------------------


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


# -- rows with buttons ---------------------------------------------------------------------------


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


# -- the year shown -------------------------------------------------------------------------------


class YearChoice(widgets.HBox):
    """"Year: [2026]": the session's year, shared by every page that shows one.

    Its options are the years with data and the coming year (`workbook.review.review_years`).
    """

    def __init__(self, session: Session):
        self.session = session
        self.dropdown = widgets.Dropdown(layout=widgets.Layout(width="7.5em"))
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
