"""The workbook's pages: each builds one widget from forms and lists, wired to one open workbook.

A `Session` holds the open workbook file and tells every page when its data changed, so a page
built here can sit alone in a notebook or beside the others as a tab of the web app.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
import traitlets

from .. import analytics, clock, content, downloads
from ..forms import (
    FORM_WIDTH,
    CommunityForm,
    Form,
    HelpForm,
    LogForm,
    PersonForm,
    RecordList,
    ReflectionForm,
    ResolutionForm,
    ReviewForm,
)
from ..model import (
    ACTIVITY_LEVELS,
    CIRCLE_WORDS,
    Community,
    HelpReceived,
    LogEntry,
    Person,
    Resolution,
    WorkbookError,
)
from ..paths import ENV_VAR, workbook_path
from ..store import Store
from ..widgets_text import (
    ERROR_COLOR,
    MUTED_COLOR,
    TextLine,
    error_line,
    guidance,
    heading,
    table,
    table_html,
)

log = logging.getLogger(__name__)

PAGE_WIDTH = "60em"
DEMO_FILE = "demo.sqlite"
# The window of "lately" on the progress page: the same twelve weeks as the balance chart.
RECENT_WEEKS = 12
NEGLECTED_WEEKS = 8  # a regular community without a give this long counts as neglected
UNREACHED_MONTHS = 3  # a close person without a give this long counts as not reached
ANSWERS_SHOWN = 10
NAMES_IN_A_SENTENCE = 3
NOTE_COLOR = "#0072B2"  # the blue of the charts


# -- the session --------------------------------------------------------------------------------


class Session:
    """One open workbook shared by every page, with listeners told about each change.

    Parameters
    ----------
    path
        The workbook file to open (created if missing).

    Attributes
    ----------
    store : workbook.store.Store
        The open workbook.
    path : pathlib.Path
        Its file.
    home : pathlib.Path
        The file the session started with: the person's own workbook.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.home = self.path
        self.store = Store(self.path)
        self._listeners: list[Callable[[], None]] = []

    @property
    def today(self) -> dt.date:
        """Today's date, from the workbook's clock."""
        return clock.today()

    @property
    def demo_path(self) -> Path:
        """Where the demo workbook lives: beside the person's own workbook."""
        return self.home.parent / DEMO_FILE

    @property
    def is_demo(self) -> bool:
        """Whether the demo workbook is open rather than the person's own."""
        return self.path == self.demo_path and self.path != self.home

    def on_change(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` after every change to the workbook's data."""
        self._listeners.append(callback)

    def changed(self) -> None:
        """Tell every page that the data changed, so lists and choices refresh."""
        for callback in list(self._listeners):
            try:
                callback()
            except Exception:
                # One broken page must not stop the others from showing the new data.
                log.exception("a page failed to refresh")

    def switch(self, path: str | os.PathLike) -> None:
        """Open another workbook file and refresh every page.

        Raises
        ------
        workbook.store.NotAWorkbookError
            If the file is not a workbook; the current one then stays open.
        """
        new = Store(path)
        old, self.store, self.path = self.store, new, Path(path)
        old.close()
        self.changed()

    def open_demo(self) -> dict[str, int]:
        """Open the demo workbook, writing the demo persona into it the first time.

        Returns
        -------
        dict
            Row counts of the demo workbook.
        """
        from ..demo import write_demo  # the demo is only needed when someone asks for it

        if self.path != self.demo_path:
            with Store(self.demo_path) as demo:
                if demo.counts()["communities"] == 0:
                    write_demo(demo, today=self.today)
            self.switch(self.demo_path)
        return self.store.counts()

    def go_home(self) -> None:
        """Open the person's own workbook again."""
        if self.path != self.home:
            self.switch(self.home)

    def close(self) -> None:
        """Close the workbook file."""
        self.store.close()


def open_session(db: str | os.PathLike | None = None) -> Session:
    """Open the workbook and return a session for the pages.

    Parameters
    ----------
    db
        A workbook file; without it ``$WORKBOOK_DB`` or the user's data folder is used
        (see `workbook.paths.workbook_path`).

    Returns
    -------
    Session

    Raises
    ------
    workbook.clock.ClockError
        When ``$WORKBOOK_TODAY`` is not a date: no page starts on a wrong day.
    """
    clock.today()
    return Session(workbook_path(db))


# -- shared page pieces -------------------------------------------------------------------------


class Page(widgets.VBox):
    """One page: a VBox that refreshes itself whenever the session's data changes.

    Attributes
    ----------
    parts : dict
        Its forms, lists, tables and chart panels by name, for the web app and for tests.
    shown : bool
        Whether the page is in sight (True unless told otherwise). A host that keeps pages out
        of sight, like the web app's other steps, sets it to False for them: their charts then
        wait, and are drawn once when the page is shown again.
    """

    shown = traitlets.Bool(True)

    def __init__(self, session: Session, children: Sequence[widgets.Widget], parts: dict,
                 refresh: Callable[[], None], *, prose: bool = True):
        if not prose:
            children = [c for c in children if not isinstance(c, _Prose)]
        super().__init__(list(children), layout=widgets.Layout(
            max_width=PAGE_WIDTH, padding="0.5em 1em 1em 0.5em"))
        self.session = session
        self.parts = parts
        self._refresh_data = refresh
        self._path = session.path
        self.refresh()
        session.on_change(self.refresh)

    def refresh(self) -> None:
        """Show the session's data now; forms start afresh when another file was opened."""
        if self.session.path != self._path:
            # A record being edited belongs to the file that was open before.
            self._path = self.session.path
            for part in self.parts.values():
                if isinstance(part, Form):
                    part.clear()
        self._refresh_data()
        if self.shown:
            self.draw_charts()

    def draw_charts(self) -> None:
        """Draw the page's charts whose data changed since they were last drawn."""
        for part in self.parts.values():
            if isinstance(part, ChartPanel):
                part.draw()

    @traitlets.observe("shown")
    def _shown_changed(self, change) -> None:
        if change.new:
            self.draw_charts()


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


def _saver(session: Session, write: Callable) -> Callable:
    """A form callback that writes a record and then tells every page."""

    def save(record):
        write(record)
        session.changed()

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
        session.changed()

    return remove


def _editor(session: Session, record_type: type, form) -> Callable[[int], None]:
    return lambda record_id: form.load(session.store.get(record_type, record_id))


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _communities_word(n: int) -> str:
    return "1 community" if n == 1 else f"{n} communities"


def _by_name(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values("name", key=lambda names: names.str.casefold(), kind="stable")


def _choices(frame: pd.DataFrame) -> list[tuple[str, int]]:
    return [(name, int(i)) for i, name in zip(frame["id"], frame["name"], strict=True)]


def _resolution_label(row, communities: Mapping[int, str]) -> str:
    record = Resolution(cue=row.cue, give=row.give, community_id=int(row.community_id),
                        times=int(row.times), per=row.per, start=row.start.date())
    paused = "" if row.active else "[paused] "
    return paused + record.sentence(communities.get(int(row.community_id), ""))


def _date_text(value) -> str:
    return "" if pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _days_text(days) -> str:
    return "never" if pd.isna(days) else f"{int(days)} days ago"


def _name(text: str) -> str:
    """A name set apart inside a sentence, so that right-to-left text cannot reorder its
    neighbours (Unicode first-strong isolate; browsers show nothing for the marks)."""
    return f"\u2068{text}\u2069"


def _and(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C', 'A, B, C and 2 more': names in a sentence."""
    names = [_name(n) for n in names]
    shown, rest = names[:NAMES_IN_A_SENTENCE], len(names) - NAMES_IN_A_SENTENCE
    if rest > 0:
        return ", ".join(shown) + f" and {rest} more"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


class _Frames(dict):
    """The workbook's tables by name, each read from the file the first time it is asked for."""

    def __init__(self, store: Store):
        super().__init__()
        self._store = store

    def __missing__(self, name: str) -> pd.DataFrame:
        self[name] = frame = self._store.frame(name)
        return frame


# -- figures in words ---------------------------------------------------------------------------


def next_step(counts: dict[str, int], last_give: dt.date | None, today: dt.date) -> str:
    """Suggest what to do next from where the workbook stands.

    Parameters
    ----------
    counts : dict
        `workbook.store.Store.counts` of the open workbook.
    last_give : datetime.date or None
        The date of the latest logged give.
    today : datetime.date

    Returns
    -------
    str
        One sentence naming the notebook (and web app step) to open.
    """
    if counts.get("communities", 0) == 0:
        return "Start by mapping your communities (01 Map your communities)."
    if counts.get("people", 0) == 0:
        return "Add a few people you know to your map, even as initials (01 Map your communities)."
    if counts.get("resolutions", 0) == 0:
        return "Turn one give idea into an if-then resolution (02 Plan your gives)."
    if last_give is None or (today - last_give).days > 14:
        return "Log the gives of the last days; a small one counts (03 Log your gives)."
    if today.month == 12 or counts.get("reflections", 0) == 0:
        return "Take a quiet moment to reflect and review your year (05 Reflect and review)."
    return "Look at your progress and which community could use you next (04 See your progress)."


def _where_you_stand(session: Session, frames: Mapping) -> tuple[list[tuple[str, int]], str]:
    counts = session.store.counts()
    gives = frames["log"]
    year = session.today.year
    totals = analytics.year_in_review(frames["communities"], gives, frames["help"],
                                      session.today).totals[year]
    bridges = analytics.bridges(frames["people"], frames["memberships"], frames["communities"])
    rows = [
        ("Communities", counts["communities"]),
        ("People", counts["people"]),
        ("Bridges (people in two or more communities)", len(bridges)),
        ("Active resolutions", int(frames["resolutions"]["active"].sum())),
        (f"Gives logged in {year}", int(totals["Gives"])),
        (f"Minutes given in {year}", int(totals["Minutes given"])),
        ("Times help came back", counts["help"]),
        ("Reflections written", counts["reflections"]),
    ]
    last = gives["date"].max() if len(gives) else None
    advice = next_step(counts, None if last is None else last.date(), session.today)
    return rows, advice


def _streak_text(log: pd.DataFrame, today: dt.date) -> str:
    """Current and longest runs of weeks with a give, in one sentence."""
    runs = analytics.streaks(log, today)
    if runs.longest_weeks == 0:
        return "No gives logged yet: your first one starts a run of weeks."
    now = (f"{runs.current_weeks} now" if runs.current_weeks
           else "none now (no give this week or last)")
    return (f"Weeks in a row with a give: {now}; {runs.longest_weeks} at most, from the week of "
            f"{_date_text(runs.longest_from)} to the week of {_date_text(runs.longest_to)}.")


# -- what to do next, under each chart ----------------------------------------------------------
# Each takes the workbook's frames and today and returns one plain sentence. The names in it are
# text a person typed: the sentence is shown in a TextLine, never as markup.


def _labels(frames: Mapping) -> pd.Series:
    return analytics.community_labels(frames["communities"])


def _map_advice(frames: Mapping, today: dt.date) -> str:
    """Who to add to the map, or which bridge to talk to."""
    communities, people = frames["communities"], frames["people"]
    if communities.empty:
        return "Add your first community above, and your map starts to grow here."
    if people.empty:
        return ("Add a few people you know in each community (initials are enough): each one "
                "shows up here as a dot.")
    labels = _labels(frames)
    members = frames["memberships"].groupby("community_id").size()
    busy = communities[communities["activity"] >= 2].sort_values("activity", ascending=False,
                                                                  kind="stable")
    empty = [labels[c] for c in busy["id"] if members.get(c, 0) == 0]
    if empty:
        return (f"Nobody from {_and(empty)} is on your map yet: add one or two people you know "
                "there, so you see who notices your gives.")
    bridges = analytics.bridges(people, frames["memberships"], communities)
    if bridges.empty:
        return ("Nobody on your map belongs to two of your communities yet: think of someone "
                "who does, and choose both communities for them.")
    first = bridges.iloc[0]
    return (f"Bridges are in orange. {_name(first['name'])} is in {first['community_count']} "
            f"of your communities ({_name(first['communities'])}): next time you meet, ask what "
            "is new in them, and pass on what you hear.")


def _plan_advice(frames: Mapping, today: dt.date) -> str:
    """The resolution furthest behind its plan, or praise for keeping them."""
    resolutions = frames["resolutions"]
    plans = analytics.plan_vs_actual(resolutions, frames["log"], today)
    plans = plans[resolutions["active"].to_numpy(dtype=bool)
                  & (plans["status"] != "not started").to_numpy()]
    if plans.empty:
        return ("No resolution is running yet: turn one give idea into an if-then plan in "
                "02 Plan your gives, and follow it here.")
    behind = plans[plans["status"] == "behind"].sort_values("share", kind="stable")
    if behind.empty:
        return ("Every running resolution is on track or ahead: keep the same cues, and log "
                "each give when it happens.")
    worst = behind.iloc[0]
    where = _labels(frames).get(int(worst["community_id"]), "")
    return (f"\u201c{_name(worst['give'])}\u201d in {_name(where)} is behind its plan "
            f"({int(worst['logged'])} of {worst['expected']:.0f} so far). Make it smaller rather "
            "than drop it: pause it and plan a cadence you can keep, in 02 Plan your gives.")


def _calendar_advice(frames: Mapping, today: dt.date) -> str:
    """What keeps the run of weeks going."""
    log = frames["log"]
    log = log[log["date"] <= pd.Timestamp(today)]
    if log.empty:
        return "Log your first give in 03 Log your gives, and its day turns blue here."
    runs = analytics.streaks(log, today)
    monday = pd.Timestamp(today - dt.timedelta(days=today.weekday()))
    n = runs.current_weeks
    if n == 0:
        return ("No give this week or last: one five-minute favour before Sunday starts a new "
                "run of weeks.")
    if (log["date"] >= monday).any():
        run = "a run of weeks begins" if n == 1 else f"{n} weeks in a row"
        return f"This week has its give: {run}. One small give next week keeps it going."
    run = "Last week had a give" if n == 1 else f"You have given {n} weeks in a row"
    return f"{run}: one small give before Sunday keeps the run going."


def _balance_advice(frames: Mapping, today: dt.date) -> str:
    """Where most gives went, and the busy community that saw none."""
    communities = frames["communities"]
    if communities.empty:
        return "Add your communities in 01 Map your communities to see where your gives go."
    spread = analytics.balance(communities, frames["log"], today, RECENT_WEEKS)
    if spread["gives"].sum() == 0:
        return (f"No give in the last {RECENT_WEEKS} weeks: choose the community you feel "
                "closest to, and give something small there this week.")
    activity = dict(zip(communities["id"], communities["activity"], strict=True))
    spread = spread.assign(activity=spread["community_id"].map(activity))
    top = spread.iloc[0]
    idle = spread[(spread["gives"] == 0) & (spread["activity"] >= 2)].sort_values(
        "activity", ascending=False, kind="stable")
    most = f"Most of your gives went to {_name(top['community'])} ({top['share_gives']:.0%})"
    if idle.empty:
        return (f"{most}, and every community you are active in saw a give lately. Keep the "
                "busiest one from taking all your time.")
    return (f"{most}, and none to {_and(idle['community'])}: plan one small give there this "
            "week.")


def _visibility_advice(frames: Mapping, today: dt.date) -> str:
    """The community that is fading, or the least visible one."""
    communities, log = frames["communities"], frames["log"]
    if communities.empty:
        return "Add your communities in 01 Map your communities to follow your visibility."
    if (log["date"] <= pd.Timestamp(today)).sum() == 0:
        return ("Log a give and watch its community rise here: regular small gives lift it, "
                "and a pause lets it fade only slowly.")
    quiet = analytics.neglected(communities, log, today, NEGLECTED_WEEKS)
    if not quiet.empty:
        first = quiet.iloc[0]
        since = ("has not seen a give from you yet" if pd.isna(first["days_since"])
                 else f"has not seen you for {int(first['days_since'])} days")
        return (f"A community fading here has not seen you lately: {_name(first['community'])} "
                f"{since}. Plan one small give there this week.")
    now = analytics.visibility_now(communities, frames["resolutions"], log, today)
    active = set(communities.loc[communities["activity"] >= 2, "id"])
    now = now[now["community_id"].isin(active)] if active else now
    low = now.iloc[-1]
    return (f"Every community you are active in saw you lately. {_name(low['community'])} is "
            f"the least visible now ({low['score']:.0%}): a small give there counts most.")


def _year_advice(frames: Mapping, today: dt.date) -> str:
    """The year in one sentence, and the community to think about for next year."""
    review = analytics.year_in_review(frames["communities"], frames["log"], frames["help"],
                                      today)
    gives = review.totals.loc["Gives"]
    this, before = int(gives[review.year]), int(gives[review.previous])
    if this == 0 and before == 0:
        return "Once you log gives, your year shows up here, next to the year before."
    reached = int(review.totals.loc["Communities reached", review.year])
    text = (f"In {review.year} you gave {this:,} times in "
            f"{'1 community' if reached == 1 else f'{reached} communities'}")
    if before:
        change = "more than" if this > before else "fewer than" if this < before else "as many as"
        text += f", {change} the {before:,} of {review.previous}"
    quiet = analytics.neglected(frames["communities"], frames["log"], today, NEGLECTED_WEEKS)
    if quiet.empty:
        return (text + ". Write below what you are proud of, and where you want to give more "
                "next year.")
    return (text + f". {_and(quiet['community'])} went quiet: is that where to give more next "
            "year? Say so in the review below.")


# -- charts on a page ---------------------------------------------------------------------------

# A view: the label of its button, the chart's name in `workbook.charts`, and its advice.
ChartView = tuple[str, str, Callable[[Mapping, dt.date], str]]


class ChartPanel(widgets.VBox):
    """One chart with a sentence under it that says what to do next.

    With several views, toggle buttons above the chart choose which one is drawn. Only the
    chosen chart is built, at most once per change of data, and every view shares one chart
    widget: each chart widget carries the whole charting library to the browser.

    Parameters
    ----------
    views : dict
        View key -> (button label, chart name in `workbook.charts.CHART_NAMES`, advice), where
        ``advice(frames, today)`` returns the sentence shown under the chart.

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
        self._drawn: str | None = None
        super().__init__([*top, self._chart_box, self.note])

    @property
    def view(self) -> str:
        """The key of the view shown (or to be shown)."""
        return self.choice.value if self.choice else next(iter(self.views))

    def set_data(self, frames: Mapping, today: dt.date) -> None:
        """Take new data; the chart is drawn from it on the next `draw`."""
        self._frames, self._today, self._drawn = frames, today, None

    def draw(self) -> None:
        """Build the chosen chart and its sentence, unless they already show the current data."""
        if self._frames is None or self._drawn == self.view:
            return
        # altair takes a second to import: a page without charts in sight never pays for it.
        from .. import charts, chartview

        _, name, advice = self.views[self.view]
        figure = charts.chart(name, self._frames, self._today)
        if self.chart_widget is None:
            self.chart_widget = chartview.chart_widget(figure)
            self._chart_box.children = (self.chart_widget,)
        else:
            self.chart_widget.chart = figure
        self.note.text = advice(self._frames, self._today)
        self._drawn = self.view


# -- files to take away -------------------------------------------------------------------------


class DownloadButtons(widgets.VBox):
    """A button per file to take away; a click builds the file and shows a link to save it.

    Parameters
    ----------
    session : Session
        The files are built from the workbook open when the button is pressed.

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

    def __init__(self, session: Session):
        self.session = session
        self.buttons: dict[str, widgets.Button] = {}
        self.links: dict[str, widgets.HTML] = {}
        rows = []
        for item in downloads.DOWNLOADS:
            button = widgets.Button(description=item.label, icon="download",
                                    layout=widgets.Layout(width="17em"))
            button.on_click(lambda _button, key=item.key: self.make(key))
            self.buttons[item.key] = button
            self.links[item.key] = widgets.HTML("", layout=widgets.Layout(margin="0 0 0 1em"))
            rows.append(widgets.HBox([button, self.links[item.key]],
                                     layout=widgets.Layout(align_items="center")))
        self.status = TextLine("", color=MUTED_COLOR, width=FORM_WIDTH)
        self.error = TextLine("", color=ERROR_COLOR, width=FORM_WIDTH)
        super().__init__([*rows, self.status, self.error])

    def make(self, key: str) -> None:
        """Build one file from the open workbook and show the link that saves it."""
        item = downloads.BY_KEY[key]
        for button in self.buttons.values():
            button.disabled = True  # one file at a time: a second click would wait anyway
        self.links[key].value = ""
        self.error.text = ""
        self.status.text = f"Preparing {item.filename}\u2026" + (
            " The plan with its charts takes a few seconds." if key == "plan" else "")
        try:
            data = downloads.file_bytes(key, self.session.store, self.session.today)
        except WorkbookError as e:
            self.error.text = f"{item.filename} could not be made: {e}"
        except Exception:
            # Whatever went wrong, the page must not stay stuck on "Preparing".
            log.exception("building %s failed", item.filename)
            self.error.text = (f"{item.filename} could not be made. The other files may still "
                               "work; the details are in the log.")
        else:
            self.links[key].value = downloads.link_html(key, data)
        finally:
            self.status.text = ""
            for button in self.buttons.values():
                button.disabled = False

    def clear(self) -> None:
        """Drop the links: after a change they would hand out old data."""
        for link in self.links.values():
            link.value = ""
        self.error.text = ""


# -- the pages ----------------------------------------------------------------------------------


def start_page(session: Session, *, prose: bool = True) -> Page:
    """The first page: which workbook is open, trying the demo, and where you stand.

    Parameters
    ----------
    session : Session
        From `open_session`.
    prose : bool
        False leaves out the page's title, introduction and what-next text, for a notebook
        that surrounds the page with its own words.

    Returns
    -------
    Page
        One widget; it refreshes when the data or the open file changes.
    """
    path_line = TextLine("", bold=True, width=PAGE_WIDTH)
    demo_line = TextLine("", color=MUTED_COLOR, width=PAGE_WIDTH)
    demo_button = widgets.Button(description="Try the demo workbook", button_style="info",
                                 layout=widgets.Layout(width="16em"))
    home_button = widgets.Button(description="Back to my own workbook",
                                 layout=widgets.Layout(width="16em"))
    error = error_line(PAGE_WIDTH)
    stand = table(["", ""], [])
    advice = TextLine("", bold=True, width=PAGE_WIDTH)

    def open_demo(_button):
        error.text = ""
        try:
            session.open_demo()
        except ImportError:
            error.text = "The demo is not available in this version of the workbook."
        except WorkbookError as e:
            error.text = str(e)

    def go_home(_button):
        error.text = ""
        try:
            session.go_home()
        except WorkbookError as e:
            error.text = str(e)

    demo_button.on_click(open_demo)
    home_button.on_click(go_home)

    def refresh():
        path_line.text = f"Open now: {session.path}"
        if session.is_demo:
            demo_line.text = (
                "You are looking at the demo: a made-up year of a woman who moved back to a "
                "small coastal town. Change anything you like; your own workbook is untouched."
            )
        else:
            demo_line.text = "This is your own workbook. Everything you save goes into this file."
        home_button.disabled = session.path == session.home
        demo_button.disabled = session.is_demo
        rows, next_text = _where_you_stand(session, _Frames(session.store))
        stand.value = table_html(["What", "How many"], rows)
        advice.text = f"Suggested next step: {next_text}"

    children = [
        _intro(
            "Start here",
            "This workbook helps you network the generous way: by giving small, regular help "
            "to the communities you already belong to. People remember who helped, and help "
            "finds its way back, often from someone you never helped directly.",
            "The steps go round in a loop: map your communities, plan gives as if-then "
            "resolutions, log what you gave, look at your progress, and reflect. At the end "
            "of the year, review and resolve again.",
        ),
        _section(
            "Your workbook file",
            path_line, demo_line,
            guidance(
                f"To use another file, start the app or the command line with --db PATH, set "
                f"the environment variable {ENV_VAR}=PATH, or in a notebook open the session "
                "with pages.open_session(db=\"PATH\")."
            ),
            widgets.HBox([demo_button, home_button], layout=widgets.Layout(grid_gap="0.6em")),
            error,
            intro="Your answers stay on this computer, in one file that only you open.",
        ),
        _section("Where you stand", stand, advice),
        _what_next(
            "Go to 01 Map your communities (step 1, Communities, in the app). If you just want to "
            "look around first, try the demo workbook and come back with the second button."
        ),
    ]
    parts = {"path": path_line, "demo_button": demo_button, "home_button": home_button,
             "error": error, "stand": stand, "advice": advice}
    return Page(session, children, parts, refresh, prose=prose)


def communities_page(session: Session, *, prose: bool = True) -> Page:
    """Map your communities and the people in them; bridges are highlighted.

    Parameters
    ----------
    session : Session
    prose : bool
        As in `start_page`.

    Returns
    -------
    Page
        Parts: ``community_form``, ``community_list``, ``person_form``, ``person_list``,
        ``bridges`` (HTML table) and ``map`` (a `ChartPanel` with the network map).
    """
    community_form = CommunityForm()
    person_form = PersonForm()
    community_list = RecordList(rows=8, empty="No communities yet: add the first one below.")
    person_list = RecordList(rows=8, empty="No people yet: add someone below.")
    bridges = table([], [])
    labels = content.kind_labels()

    community_form.on_submit(_add_or_update(session))
    person_form.on_submit(_add_or_update(session))
    community_list.on_edit(_editor(session, Community, community_form))
    community_list.on_remove(_remover(session, Community, community_form))
    person_list.on_edit(_editor(session, Person, person_form))
    person_list.on_remove(_remover(session, Person, person_form))

    map_panel = _map_charts(session)

    def refresh():
        frames = _Frames(session.store)
        communities = frames["communities"]
        people = frames["people"]
        memberships = frames["memberships"]
        community_list.set_items([
            (f"{row.name}  ({labels.get(row.kind, row.kind)}, {ACTIVITY_LEVELS[row.activity]})",
             int(row.id))
            for row in communities.itertuples()
        ])
        counts = memberships.groupby("person_id").size()
        person_list.set_items([
            (f"{row.name}  ({CIRCLE_WORDS.get(row.circle, row.circle)}, "
             f"{_communities_word(counts.get(row.id, 0))})", int(row.id))
            for row in _by_name(people).itertuples()
        ])
        person_form.set_choices(communities=_choices(communities))
        bridges.value = table_html(
            ["Person", "Circle", "Communities"],
            [(row.name, CIRCLE_WORDS.get(row.circle, str(row.circle)), row.communities)
             for row in analytics.bridges(people, memberships, communities).itertuples()],
            empty="No bridges yet: when someone belongs to two of your communities, "
                  "choose both for them and they show up here.",
        )
        map_panel.set_data(frames, session.today)

    children = [
        _intro(
            "Map your communities",
            "Everyone belongs to more communities than they first think: a hobby, work, "
            "school friends, family, the street you live on, a cause, a congregation, an "
            "online group. Each one is a place where a small, regular give is noticed.",
            "Add each community with your role and how active you are now. Then add a few "
            "people you know there; a nickname or initials are enough. Circles follow "
            "Dunbar's layers: about 5 closest, 15 good friends, 50 friends and 150 "
            "acquaintances.",
        ),
        _section("Your communities", community_list.widget, community_form.widget,
                 intro="Choose a community in the list to edit or remove it. A community "
                       "with logged gives cannot be removed; set it to dormant instead."),
        _section("People you know", person_list.widget, person_form.widget),
        _section(
            "Bridges",
            bridges,
            intro="Bridges are people in two or more of your communities. They carry news "
                  "between worlds: weak and moderately weak ties are where new information "
                  "and jobs most often come from (Granovetter 1973; Rajkumar et al., 2022).",
        ),
        _section(
            "Your map",
            map_panel,
            intro="You in the middle, your communities around you and the people you know "
                  "outside them. Hover a dot to see who it is.",
        ),
        _what_next(
            "When your main communities are on the map, go to 02 Plan your gives and pick "
            "one small give for one of them."
        ),
    ]
    parts = {"community_form": community_form, "community_list": community_list,
             "person_form": person_form, "person_list": person_list, "bridges": bridges,
             "map": map_panel}
    return Page(session, children, parts, refresh, prose=prose)


def _map_charts(session: Session) -> ChartPanel:
    """The map page's chart: the network map, with who to add or which bridge to talk to."""
    return ChartPanel({"map": ("Map", "network_map", _map_advice)})


def plan_page(session: Session, *, prose: bool = True) -> Page:
    """Find give ideas, turn them into if-then resolutions, and pause or resume them.

    Parameters
    ----------
    session : Session
    prose : bool
        As in `start_page`.

    Returns
    -------
    Page
        Parts: ``form`` (a `ResolutionForm`), ``list`` (a `RecordList` with ``pause_button``).
    """
    form = ResolutionForm(title="")
    resolutions = RecordList(rows=6, empty="No resolutions yet: make the first one above.")
    form.on_submit(_add_or_update(session))
    resolutions.on_edit(_editor(session, Resolution, form))
    resolutions.on_remove(_remover(session, Resolution, form))

    def pause_or_resume(record_id: int) -> None:
        record = session.store.get(Resolution, record_id)
        session.store.update(record.with_changes(active=not record.active))
        session.changed()

    pause_button = resolutions.add_button("Pause or resume", pause_or_resume, width="13em")

    def refresh():
        store = session.store
        communities = store.frame("communities")
        names = analytics.community_labels(communities)
        form.set_community_kinds(dict(zip(communities["id"], communities["kind"], strict=True)))
        form.set_choices(communities=_choices(communities),
                         people=_choices(_by_name(store.frame("people"))))
        resolutions.set_items([
            (_short(_resolution_label(row, names), 130), int(row.id))
            for row in store.frame("resolutions").itertuples()
        ])

    children = [
        _intro(
            "Plan your gives",
            "A good intention is easy to forget; a plan tied to a moment is not. Write each "
            "give as an if-then plan: when a cue that already happens comes round, you do "
            "one small thing. Across 94 tests such plans roughly doubled how often people "
            "followed through (Gollwitzer and Sheeran 2006, effect size about d = 0.65).",
            "Browse the give ideas, filter them by kind of community, and use one as it is "
            "or in your own words. Keep it small (a five-minute favour is plenty) and set a "
            "cadence you can keep: twice a month beats a grand gesture once a year.",
        ),
        _section("Make a resolution", form.widget),
        _section("Your resolutions", resolutions.widget,
                 intro="Pause a resolution when life is full, instead of dropping it; resume "
                       "it when there is room again."),
        _what_next("Go to 03 Log your gives, and log each give as it happens."),
    ]
    parts = {"form": form, "list": resolutions, "pause_button": pause_button}
    return Page(session, children, parts, refresh, prose=prose)


def log_page(session: Session, *, prose: bool = True) -> Page:
    """Log gives quickly, edit or delete recent ones, and note help that came back.

    Parameters
    ----------
    session : Session
    prose : bool
        As in `start_page`.

    Returns
    -------
    Page
        Parts: ``form`` (`LogForm`), ``list`` (recent gives), ``help_form``, ``help_list``.
    """
    form = LogForm(title="")
    recent = RecordList(rows=10, empty="No gives logged yet.", remove_label="Delete")
    help_form = HelpForm()
    help_list = RecordList(rows=5, title="Help you noted", empty="Nothing noted yet.",
                           remove_label="Delete")
    form.on_submit(_add_or_update(session))
    help_form.on_submit(_add_or_update(session))
    recent.on_edit(_editor(session, LogEntry, form))
    recent.on_remove(_remover(session, LogEntry, form))
    help_list.on_edit(_editor(session, HelpReceived, help_form))
    help_list.on_remove(_remover(session, HelpReceived, help_form))

    def refresh():
        store = session.store
        communities = store.frame("communities")
        names = analytics.community_labels(communities)
        people = _by_name(store.frame("people"))
        resolutions = store.frame("resolutions")
        form.set_choices(
            communities=_choices(communities),
            people=_choices(people),
            resolutions=[(_short(_resolution_label(r, names), 80), int(r.id))
                         for r in resolutions[resolutions["active"]].itertuples()],
        )
        help_form.set_choices(communities=_choices(communities), people=_choices(people))
        gives = store.frame("log")
        if form.editing is None and len(gives):
            form.remember(int(gives["community_id"].iloc[-1]))
        recent.set_items([
            (_short(f"{_date_text(g.date)} · {names.get(g.community_id, '?')} · {g.kind}, "
                    f"{g.minutes} min" + (f" · {g.note}" if g.note.strip() else ""), 130),
             int(g.id))
            for g in gives.tail(30).iloc[::-1].itertuples()
        ])
        helps = store.frame("help")
        help_list.set_items([
            (_short(f"{_date_text(h.date)} · {h.note}", 130), int(h.id))
            for h in helps.tail(15).iloc[::-1].itertuples()
        ])

    children = [
        _intro(
            "Log your gives",
            "Visibility grows from regularity: the same small help, again and again, until "
            "people think of you as someone who helps. Logging each give takes seconds and "
            "shows you where you have been present and where you have not.",
            "Pick the community (your last one is already chosen), say what kind of give it "
            "was, and press Log it. Open More details to add a person, a resolution, minutes "
            "or a note.",
        ),
        _section("Log a give", form.widget),
        _section("Recent gives", recent.widget,
                 intro="The latest 30, newest first. Choose one to edit or delete it."),
        _section(
            "Help that came back",
            help_form.widget, help_list.widget,
            intro="Help returns from unexpected places, rarely from the person you helped. "
                  "Note it here when it happens; it is never matched against your gives, "
                  "because this is not a ledger.",
        ),
        _what_next("Once a week or so, open 04 See your progress."),
    ]
    parts = {"form": form, "list": recent, "help_form": help_form, "help_list": help_list}
    return Page(session, children, parts, refresh, prose=prose)


def progress_page(session: Session, *, prose: bool = True) -> Page:
    """Where you stand, charts of your progress, who needs you, plans against what happened,
    and files to take away.

    Parameters
    ----------
    session : Session
    prose : bool
        As in `start_page`.

    Returns
    -------
    Page
        Parts: ``stand``, ``neglected``, ``unreached``, ``by_community``, ``plan_vs_actual``
        (HTML tables), ``streaks`` (a `TextLine`), ``charts`` (a `ChartPanel` with a view each
        for plan, calendar, balance and visibility) and ``downloads`` (`DownloadButtons`).
    """
    stand = table([], [])
    streak_line = TextLine("", bold=True, width=FORM_WIDTH)
    neglected = table([], [])
    unreached = table([], [])
    by_community = table([], [])
    plan = table([], [])
    chart_panel = _progress_charts(session)
    take_away = DownloadButtons(session)

    def refresh():
        frames = _Frames(session.store)
        today = session.today
        communities, log = frames["communities"], frames["log"]
        rows, _advice = _where_you_stand(session, frames)
        stand.value = table_html(["What", "How many"], rows)
        streak_line.text = _streak_text(log, today)
        chart_panel.set_data(frames, today)
        neglected.value = table_html(
            ["Community", "Last give", "When"],
            [(r.community, _date_text(r.last_give), _days_text(r.days_since))
             for r in analytics.neglected(communities, log, today,
                                          NEGLECTED_WEEKS).itertuples()],
            empty="Every community you are regularly part of saw a give from you in the last "
                  f"{NEGLECTED_WEEKS} weeks.",
        )
        unreached.value = table_html(
            ["Person", "Circle", "Last give to them", "When"],
            [(r.name, CIRCLE_WORDS.get(r.circle, str(r.circle)), _date_text(r.last_give),
              _days_text(r.days_since))
             for r in analytics.unreached_people(frames["people"], log, today,
                                                 UNREACHED_MONTHS).itertuples()],
            empty="Everyone in your two closest circles had a give from you in the last "
                  f"{UNREACHED_MONTHS} months.",
        )
        by_community.value = table_html(
            ["Community", "Visibility now", f"Gives, last {RECENT_WEEKS} weeks",
             f"Minutes, last {RECENT_WEEKS} weeks", "Last give"],
            _community_rows(frames, today),
            empty="No communities yet.",
        )
        plan.value = table_html(
            ["Resolution", "Planned so far", "Logged", "Kept", "Status"],
            _plan_rows(frames, today),
            empty="No active resolutions.",
        )
        take_away.clear()

    children = [
        _intro(
            "See your progress",
            "Progress here is about being present, not about keeping score. Look for the "
            "communities where you have shown up lately, the ones gone quiet, and whether "
            "your plans are the right size: a plan kept half the time is a plan to shrink, "
            "not a failure.",
        ),
        _section("Where you stand", stand, streak_line),
        _section("Your charts", chart_panel,
                 intro="Choose a chart. The sentence under it suggests what to do next."),
        _section("Who could use you now", neglected, unreached,
                 intro=f"Communities you are regularly part of with no give in "
                       f"{NEGLECTED_WEEKS} weeks, and people in your two closest circles you "
                       f"have not given to in {UNREACHED_MONTHS} months."),
        _section("Your communities", by_community,
                 intro="Visibility rises with each give that keeps pace with your plan and "
                       "fades slowly in a pause (100 % is a plan fully kept for a long time)."),
        _section("Plan and what happened", plan,
                 intro="For each active resolution: the gives its cadence plans from its start "
                       "until today, and the gives logged for it. On track means within a "
                       "fifth of the plan, or within one give."),
        _section("Take it with you", take_away,
                 intro="Your one-page plan to print, reminders for your calendar, every entry "
                       "as a spreadsheet, and a backup of the whole workbook. Press a button, "
                       "then the link that appears next to it."),
        _what_next(
            "If a community has gone quiet, plan one small give for it in 02 Plan your "
            "gives. Then write down what you notice in 05 Reflect and review."
        ),
    ]
    parts = {"stand": stand, "streaks": streak_line, "neglected": neglected,
             "unreached": unreached, "by_community": by_community, "plan_vs_actual": plan,
             "charts": chart_panel, "downloads": take_away}
    return Page(session, children, parts, refresh, prose=prose)


def _progress_charts(session: Session) -> ChartPanel:
    """The progress page's charts: one at a time, chosen with toggle buttons."""
    return ChartPanel({
        "plan": ("Plan", "plan_vs_actual", _plan_advice),
        "calendar": ("Calendar", "gives_calendar", _calendar_advice),
        "balance": ("Balance", "balance_by_community", _balance_advice),
        "visibility": ("Visibility", "visibility_over_time", _visibility_advice),
    })


def _community_rows(frames: Mapping, today: dt.date) -> list[tuple]:
    """Each community: visibility now, gives and minutes lately, last give; most visible first."""
    communities, log = frames["communities"], frames["log"]
    now = analytics.visibility_now(communities, frames["resolutions"], log, today)
    spread = analytics.balance(communities, log, today, RECENT_WEEKS).set_index("community_id")
    last = log[log["date"] <= pd.Timestamp(today)].groupby("community_id")["date"].max()
    return [(r.community, f"{r.score:.0%}", int(spread.at[r.community_id, "gives"]),
             int(spread.at[r.community_id, "minutes"]), _date_text(last.get(r.community_id)))
            for r in now.itertuples()]


def _plan_rows(frames: Mapping, today: dt.date) -> list[tuple]:
    """Per active resolution: its sentence, gives planned so far, logged, the share kept."""
    resolutions = frames["resolutions"]
    plans = analytics.plan_vs_actual(resolutions, frames["log"], today)
    active = resolutions["active"].to_numpy(dtype=bool)
    labels = _labels(frames)
    rows = []
    for row, p in zip(resolutions[active].itertuples(), plans[active].itertuples(), strict=True):
        kept = (p.status if p.status == "not started" else "just started" if p.expected < 0.5
                else f"{p.share:.0%}")
        rows.append((_resolution_label(row, labels), round(p.expected, 1), int(p.logged), kept,
                     p.status))
    return rows


def reflect_page(session: Session, *, prose: bool = True) -> Page:
    """Answer prompts by stage, read earlier answers, and review the year.

    Parameters
    ----------
    session : Session
    prose : bool
        As in `start_page`.

    Returns
    -------
    Page
        Parts: ``form`` (`ReflectionForm`), ``answers`` (table), ``year_summary``,
        ``by_community`` (table), ``neglected`` (`TextLine`), ``year_chart`` (a `ChartPanel`
        with the year in review) and ``review_form`` (`ReviewForm`).
    """
    form = ReflectionForm(title="")
    review_form = ReviewForm()
    answers = table([], [])
    answers_note = TextLine("", color=MUTED_COLOR, width=FORM_WIDTH)
    year_heading = heading("", 2)
    year_summary = TextLine("", width=FORM_WIDTH)
    year_chart = ChartPanel({"year": ("Year", "year_in_review", _year_advice)})
    by_community = table([], [])
    neglected = TextLine("", bold=True, color="#8a4b00", width=FORM_WIDTH)
    form.on_submit(_add_or_update(session))
    # Read session.store at save time: switch() may have opened another file since.
    review_form.on_submit(_saver(session, lambda records: session.store.add_many(records)))

    def question(prompt_id: str) -> str:
        try:
            return content.reflection_prompt(prompt_id).text
        except KeyError:
            return prompt_id

    def refresh():
        frames = _Frames(session.store)
        today = session.today
        written = frames["reflections"]
        latest = written.iloc[::-1].head(ANSWERS_SHOWN)
        answers_note.text = (
            f"The latest {ANSWERS_SHOWN} of your {len(written)} answers, newest first."
            if len(written) > ANSWERS_SHOWN else ""
        )
        answers.value = table_html(
            ["Date", "Question", "Your answer"],
            [(_date_text(r.date), question(r.prompt_id), r.answer) for r in latest.itertuples()],
            empty="No answers yet: the first one is above.",
        )
        review = analytics.year_in_review(frames["communities"], frames["log"], frames["help"],
                                          today)
        year, before = review.year, review.previous
        totals = review.totals[year]
        year_heading.value = heading(f"Your year {year} in review", 2).value
        year_summary.text = (
            f"In {year} you logged {totals['Gives']:,} gives, about "
            f"{totals['Minutes given'] / 60:.0f} hours, in {totals['Communities reached']} of "
            f"your {len(frames['communities'])} communities, and gave to "
            f"{totals['People reached']} people by name. Help came back "
            f"{totals['Help received']} times that you noted."
        )
        per = review.by_community.pivot_table(index="community", columns="year", values="gives",
                                              sort=False)
        by_community.value = table_html(
            ["Community", f"Gives in {year}", f"Gives in {before}"],
            [(name, int(row[year]), int(row[before])) for name, row in per.iterrows()],
            empty=f"No gives logged in {before} or {year} yet.",
        )
        quiet = analytics.neglected(frames["communities"], frames["log"], today,
                                    NEGLECTED_WEEKS)
        neglected.text = (
            f"No give in the last {NEGLECTED_WEEKS} weeks: "
            + ", ".join(f"{_name(r.community)} (last give: {_date_text(r.last_give) or 'never'})"
                        for r in quiet.itertuples()) + "."
            if len(quiet) else
            f"Every community you are regularly part of saw a give from you in the last "
            f"{NEGLECTED_WEEKS} weeks."
        )
        year_chart.set_data(frames, today)

    children = [
        _intro(
            "Reflect and review",
            "Writing a few lines turns a busy month into something you can learn from. "
            "Choose a stage, pick a question that catches your attention, and answer it in "
            "your own words; nobody else reads it.",
            "At the end of the year, the season of giving, look back over the whole year: "
            "what you gave, where, which community you neglected, and where you want to give "
            "more, and more deliberately, next year.",
        ),
        _section("Answer a question", form.widget),
        _section("Your earlier answers", answers_note, answers),
        widgets.VBox(
            [year_heading, year_summary, year_chart, by_community, neglected,
             review_form.widget],
            layout=widgets.Layout(margin="0.8em 0 0 0"),
        ),
        _what_next(
            "Turn your answer about next year into one or two resolutions in 02 Plan your "
            "gives, and let the loop begin again."
        ),
    ]
    parts = {"form": form, "answers": answers, "year_summary": year_summary,
             "year_chart": year_chart, "by_community": by_community, "neglected": neglected,
             "review_form": review_form}
    return Page(session, children, parts, refresh, prose=prose)
