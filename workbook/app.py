"""The web app: every step of the loop on one page, with numbered steps to move between them.

The app is one widget built from the same page builders as the guided notebooks. Voila serves it
from ``notebooks/app.ipynb``; moving between steps only shows another part of the same page, so it
never waits for a new kernel. The page arrives first with its header and steps, and the workbook
opens a moment later; each step is built the first time someone opens it, so the charts (and the
libraries they need) load only when a step shows one.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import ipywidgets as widgets

from . import steps
from .clock import ClockError
from .kernel_limits import cap_client_widgets
from .paths import workbook_path
from .private_errors import keep_errors_private
from .widgets_text import MUTED_COLOR, TextLine, error_line, escaped

log = logging.getLogger(__name__)

PRODUCT = "Networking Workbook"
# Voila sets this in the kernels it starts ahead of time for its pool (``preheat_kernel``).
PREHEAT_VAR = "VOILA_PREHEAT"


class Step(NamedTuple):
    """One step of the app: its key, the label on its button, its page builder and heading."""

    key: str
    label: str
    builder: str
    heading: str


_BUILDERS = {"start": "start_page", "communities": "communities_page", "plan": "plan_page",
             "log": "log_page", "progress": "progress_page", "reflect": "reflect_page"}
STEPS = tuple(Step(key, steps.NAMES[key], _BUILDERS[key], steps.TITLES[key])
              for key in steps.KEYS)
STEP_KEYS = tuple(step.key for step in STEPS)

# The guided notebooks beside the app notebook: the same steps with more to read around them.
GUIDED_NOTEBOOKS = tuple((steps.NOTEBOOKS[key], steps.TITLES[key]) for key in steps.KEYS)


def header_html(path: Path, demo: bool = False) -> str:
    """The app's header: the product's name and the open workbook's file name, escaped."""
    badge = '<span class="wb-badge">demo</span>' if demo else ""
    return (
        f'<div class="wb-header"><span class="wb-product">{escaped(PRODUCT)}</span>'
        f'<span class="wb-file" title="{escaped(path)}">{escaped(path.name)}{badge}</span></div>'
    )


def guided_links_html() -> str:
    """Links to the guided notebooks; they open in a new tab beside the app."""
    items = "".join(
        f'<li><a href="{escaped(name)}" target="_blank" rel="noopener">{escaped(title)}</a></li>'
        for name, title in GUIDED_NOTEBOOKS
    )
    return f'<ul class="wb-guided">{items}</ul>'


def _file_stamp(path: Path) -> tuple:
    """Size and modification time of the workbook and its write-ahead log: change on each write."""
    stamp = []
    for suffix in ("", "-wal"):
        try:
            info = os.stat(f"{path}{suffix}")
        except OSError:
            stamp.append(None)
        else:
            stamp.append((info.st_mtime_ns, info.st_size))
    return tuple(stamp)


class App(widgets.VBox):
    """The whole app: a header, the numbered steps, the step shown, and buttons to move on.

    Parameters
    ----------
    path : pathlib.Path
        The workbook file; it is opened by `open_workbook`, not here, so the page can show at once.
    step : str
        The step to show first (one of `STEP_KEYS`).

    Attributes
    ----------
    session : workbook.pages.Session or None
        The open workbook, once `open_workbook` succeeded.
    nav : ipywidgets.ToggleButtons
        The numbered steps; its ``value`` is the key of the step shown.
    built : dict
        The steps built so far, by key (each a `workbook.pages.Page`).
    saves : int
        The writes kept in the workbook from this page; ``saved_mark`` tells the page of each.
    """

    def __init__(self, path: str | os.PathLike, step: str = "start"):
        if step not in STEP_KEYS:
            raise ValueError(f"no step called {step!r}; the steps are {', '.join(STEP_KEYS)}")
        self.path = Path(path)
        self.session = None
        self.built: dict[str, widgets.Widget] = {}
        self._views: dict[str, widgets.Widget] = {}
        self._seen: dict[str, tuple] = {}
        self.header = widgets.HTML(header_html(self.path))
        self.nav = widgets.ToggleButtons(
            options=[(s.label, s.key) for s in STEPS], value=step, disabled=True,
            style={"button_width": "auto"}, layout=widgets.Layout(width="auto"),
        )
        self.nav.add_class("wb-nav")
        self.status = TextLine("Opening your workbook…", color=MUTED_COLOR, size="1.1em")
        self.error = error_line()
        self.body = widgets.VBox(layout=widgets.Layout(width="100%"))
        self.body.add_class("wb-body")
        self.back_button = widgets.Button(layout=widgets.Layout(width="auto"))
        self.next_button = widgets.Button(button_style="primary",
                                          layout=widgets.Layout(width="auto"))
        self.back_button.on_click(lambda _b: self._move(-1))
        self.next_button.on_click(lambda _b: self._move(+1))
        self.footer = widgets.HBox([self.back_button, self.next_button],
                                   layout=widgets.Layout(display="none"))
        self.footer.add_class("wb-footer")
        # Never shown: the page notes the time each save is kept, to tell which one is safe
        # if the connection to the kernel is lost (see the page template).
        self.saved_mark = widgets.HTML(layout=widgets.Layout(display="none"))
        self.saved_mark.add_class("wb-saved-mark")
        self.saves = 0
        self._counted: tuple[object, int] = (None, 0)
        # Never shown either: the steps' keys in button order, for each step's own address.
        self.step_mark = widgets.HTML(f'<span data-steps="{",".join(STEP_KEYS)}"></span>',
                                      layout=widgets.Layout(display="none"))
        self.step_mark.add_class("wb-step-mark")
        # Never shown: the page presses it once its widgets are live (see the page template),
        # so a kernel that ran the app ahead of the visit shows what was saved since.
        self.arrived = widgets.Button(description="arrived", layout=widgets.Layout(display="none"))
        self.arrived.add_class("wb-arrived")
        self.arrived.on_click(lambda _b: self.visited())
        # Never shown: pressed in by the page while its window is phone-sized, so the charts
        # are drawn for a phone instead of shrinking (see the page template).
        self.phone = widgets.ToggleButton(description="phone",
                                          layout=widgets.Layout(display="none"))
        self.phone.add_class("wb-phone")
        self.phone.observe(lambda change: self._phone_changed(), names="value")
        super().__init__([self.header, self.nav, self.status, self.error, self.body,
                          self.footer, self.saved_mark, self.step_mark, self.arrived,
                          self.phone])
        self.add_class("wb-app")
        self.nav.observe(lambda change: self.show(change["new"]), names="value")

    @property
    def step(self) -> str:
        """The key of the step shown now."""
        return self.nav.value

    def open_workbook(self) -> bool:
        """Open the workbook and show the first step.

        Returns
        -------
        bool
            False when the file cannot be used; the app then says why, in plain words.
        """
        from . import pages  # pandas and the pages: loaded after the page has been sent

        try:
            self.session = pages.open_session(self.path)
        except ClockError as e:
            # Better no app than one that files every give under a wrong date.
            self.status.text = ("Start the app again with WORKBOOK_TODAY unset, or set to a "
                                "date written year-month-day.")
            self.error.text = str(e)
            return False
        except Exception as e:
            # A person should never meet a traceback: one plain message, the details in the log.
            log.exception("the workbook could not be opened")
            self.status.text = ("Start the app with another file (workbook app --db PATH), or "
                                "move this file aside to begin a new workbook.")
            self.error.text = f"The workbook could not be opened: {e}"
            return False
        # "owner": the owner's name is saved without any page to refresh, but it is a save
        self.session.on_change(self._changed, pages.session.EVERYTHING | {"owner"})
        self.session.navigate = self.show
        self.session.set_narrow(self.phone.value)
        self.status.text = ""
        self.nav.disabled = False
        self.footer.layout.display = None
        self.show(self.step)
        return True

    def page(self, key: str) -> widgets.Widget:
        """The page of a step, built the first time it is asked for."""
        from . import pages

        if key not in self.built:
            step = STEPS[STEP_KEYS.index(key)]
            page = getattr(pages, step.builder)(self.session)
            view = widgets.VBox([page, _guided_section()]) if key == "start" else page
            view.add_class(f"wb-step-{key}")
            page.label(key)
            self.built[key] = page
            self._views[key] = view
            self._seen[key] = _file_stamp(self.session.path)
            self.body.children = [*self.body.children, view]
        return self.built[key]

    def show(self, key: str) -> None:
        """Show a step (building it on its first visit) and hide the others."""
        if key not in STEP_KEYS:
            raise ValueError(f"no step called {key!r}; the steps are {', '.join(STEP_KEYS)}")
        if self.nav.value != key:
            self.nav.value = key  # comes back here through the observer
            return
        if self.session is None:
            return  # open_workbook() shows it
        self.error.text = ""
        try:
            self.page(key)
        except Exception as e:
            log.exception("the %s step could not be built", key)
            self.error.text = f"This step could not be opened: {e}"
        else:
            self._refresh_if_written(key)
        for other, view in self._views.items():
            view.layout.display = None if other == key else "none"
            if hasattr(self.built[other], "shown"):
                # a page out of sight leaves its charts undrawn until it is shown again
                self.built[other].shown = other == key
        index = STEP_KEYS.index(key)
        self.back_button.layout.visibility = "visible" if index > 0 else "hidden"
        self.next_button.layout.visibility = "visible" if index < len(STEPS) - 1 else "hidden"
        self.back_button.description = f"Back: {STEPS[max(index - 1, 0)].label}"
        self.next_button.description = f"Next: {STEPS[min(index + 1, len(STEPS) - 1)].label}"

    def refresh(self) -> None:
        """Read the workbook again and show what it holds now, on every step built so far."""
        if self.session is not None:
            self.session.changed()

    def welcome(self) -> None:
        """Get a kernel that waited in Voila's pool ready for the visitor who just asked for it."""
        self.refresh()
        # A message from the kernel counts as activity, also when nothing on the page changed:
        # a kernel that waited longer than the idle timeout must not be culled before the
        # visitor's browser connects to it. The app's views ignore it.
        self.send({"event": "visitor"})

    def visited(self) -> None:
        """The page in a browser has connected: show what other pages saved since it was built."""
        if self.session is not None:
            self._refresh_if_written(self.step)

    def _phone_changed(self) -> None:
        if self.session is not None:
            self.session.set_narrow(self.phone.value)

    def _move(self, offset: int) -> None:
        index = STEP_KEYS.index(self.step) + offset
        if 0 <= index < len(STEPS):
            self.show(STEP_KEYS[index])

    def _changed(self, _tables=None) -> None:
        self.header.value = header_html(self.session.path, self.session.is_demo)
        stamp = _file_stamp(self.session.path)
        for key in self.built:
            self._seen[key] = stamp
        self._count_saves()

    def _count_saves(self) -> None:
        """Add the writes kept since the last change to `saves`, and tell the page."""
        store = self.session.store
        before = self._counted[1] if self._counted[0] is store else 0  # the demo: a new store
        self._counted = (store, store.opened.saves)
        if store.opened.saves > before:
            self.saves += store.opened.saves - before
            self.saved_mark.value = f'<span data-saves="{self.saves}"></span>'

    def _refresh_if_written(self, key: str) -> None:
        """Refresh a step whose file was written since (from another tab or a notebook)."""
        stamp = _file_stamp(self.session.path)
        if self._seen.get(key) != stamp:
            # Another program wrote: nothing read before can be trusted, on any step.
            self.session.changed()
            self._seen[key] = stamp


def _guided_section() -> widgets.VBox:
    return widgets.VBox([
        widgets.HTML('<div class="wb-h2">Guided notebooks</div>'),
        TextLine("The same steps, one at a time, with more to read around them. They open in a "
                 "new tab and work on the same workbook file.", color=MUTED_COLOR),
        widgets.HTML(guided_links_html()),
    ], layout=widgets.Layout(margin="0 0 0 0.5em"))


def build_app(db: str | os.PathLike | None = None, step: str = "start") -> App:
    """Build the app for a workbook file, ready to display.

    Parameters
    ----------
    db
        A workbook file; without it the usual rule applies (`workbook.paths.workbook_path`).
    step
        The step shown first.

    Returns
    -------
    App
        Displayed in a kernel, it shows its header and steps at once and opens the workbook
        right after the cell has run; elsewhere (tests, scripts) the workbook is open already.

    Notes
    -----
    In a kernel that Voila starts ahead of time (``preheat_kernel``), the whole app is ready
    before anyone asks for the page: it reads the workbook again as soon as someone does, and
    meanwhile loads the charts' libraries, so the first step with a chart opens without a wait.
    """
    keep_errors_private()  # served by Voila: no traceback reaches the page
    cap_client_widgets()  # served by Voila: a page cannot fill the kernel with widgets
    app = App(workbook_path(db), step)
    if os.environ.get(PREHEAT_VAR) == "True":
        app.open_workbook()
        loop = _kernel_loop()
        if loop is not None:
            _in_background(_when_requested(app.welcome, loop), "wait-for-visitor")
            _in_background(warm_up, "warm-up")
        return app
    loop = _kernel_loop()
    if loop is None:
        app.open_workbook()
    else:
        # after the cell: the page is sent without waiting for pandas and the workbook
        loop.add_callback(app.open_workbook)
    return app


def warm_up() -> None:
    """Import the charts' libraries and load their JavaScript, ahead of the first chart."""
    from . import charts  # noqa: F401  (imported to have it loaded)
    from .chartview import load_chart_bundle

    load_chart_bundle()


def _kernel_loop():
    """The running kernel's event loop, or None outside a kernel."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return getattr(getattr(get_ipython(), "kernel", None), "io_loop", None)


def _in_background(work: Callable[[], None], name: str) -> None:
    def run():
        try:
            work()
        except Exception:
            log.exception("%s failed", name)

    threading.Thread(target=run, name=f"workbook-{name}", daemon=True).start()


def _when_requested(work: Callable[[], None], loop) -> Callable[[], None]:
    """Work for a thread: wait until Voila hands this kernel to a visitor, then do ``work``."""
    from voila.utils import wait_for_request

    def wait_then_work():
        # Voila's wait returns without the request when its websocket drops (a ping not
        # answered in time on a busy machine); the request is kept for the next connection.
        for attempt in range(1, 1000):
            wait_for_request()
            if os.environ.get("SERVER_SOFTWARE", "").startswith("voila/"):
                break
            log.warning("waiting for a visitor again (attempt %d): Voila's wait ended early",
                        attempt)
            time.sleep(1)
        loop.add_callback(work)  # widgets belong to the kernel's own thread

    return wait_then_work
