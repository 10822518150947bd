"""The workbook's pages: each builds one widget from forms and lists, wired to one open workbook.

A `Session` holds the open workbook file and tells every page when its data changed, so a page
built here can sit alone in a notebook or beside the others as a tab of the web app.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from . import content, model
from .forms import (
    CIRCLE_CHOICES,
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
from .model import (
    ACTIVITY_LEVELS,
    Community,
    HelpReceived,
    LogEntry,
    Person,
    Resolution,
    WorkbookError,
)
from .paths import ENV_VAR, workbook_path
from .store import Store
from .widgets_text import (
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
RECENT_DAYS = 90
ANSWERS_SHOWN = 10
CIRCLE_WORDS = {value: label for label, value in CIRCLE_CHOICES}


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
        return model.today()

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
        from .demo import write_demo  # the demo is only needed when someone asks for it

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
    """
    return Session(workbook_path(db))


# -- shared page pieces -------------------------------------------------------------------------


class Page(widgets.VBox):
    """One page: a VBox that refreshes itself whenever the session's data changes.

    Attributes
    ----------
    parts : dict
        Its forms, lists and tables by name, for the web app and for tests.
    """

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


def _names(frame: pd.DataFrame) -> dict[int, str]:
    return dict(zip(frame["id"], frame["name"], strict=True))


def _by_name(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values("name", key=lambda names: names.str.casefold(), kind="stable")


def _choices(frame: pd.DataFrame) -> list[tuple[str, int]]:
    return [(name, int(i)) for i, name in zip(frame["id"], frame["name"], strict=True)]


def _resolution_label(row, communities: dict[int, str]) -> str:
    record = Resolution(cue=row.cue, give=row.give, community_id=int(row.community_id),
                        times=int(row.times), per=row.per, start=row.start.date())
    paused = "" if row.active else "[paused] "
    return paused + record.sentence(communities.get(int(row.community_id), ""))


def _date_text(value) -> str:
    return "" if pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _year_start(today: dt.date) -> pd.Timestamp:
    return pd.Timestamp(today.year, 1, 1)


def _bridges(people: pd.DataFrame, memberships: pd.DataFrame,
             communities: pd.DataFrame) -> list[tuple[str, str, str]]:
    """People in two or more communities: (name, circle words, community names)."""
    names = _names(communities)
    per_person = memberships.groupby("person_id")["community_id"].apply(list)
    rows = []
    for person in people.itertuples():
        ids = per_person.get(person.id, [])
        if len(ids) >= 2:
            rows.append((person.name, CIRCLE_WORDS.get(person.circle, str(person.circle)),
                         ", ".join(names.get(c, "?") for c in ids)))
    return rows


def _gives_by_community(session: Session) -> pd.DataFrame:
    """Gives per community: this year, in the last 90 days, minutes this year, the last give.

    Parameters
    ----------
    session : Session
        The open workbook; its ``today`` sets the windows.

    Returns
    -------
    pandas.DataFrame
        One row per community (also those without gives) with columns ``community``,
        ``this_year``, ``recent`` (last 90 days), ``minutes`` (this year) and ``last`` (a date
        or NaT), most recent gives first.
    """
    communities = session.store.frame("communities")
    gives = session.store.frame("log")
    today = pd.Timestamp(session.today)
    this_year = gives[gives["date"] >= _year_start(session.today)]
    recent = gives[gives["date"] > today - pd.Timedelta(days=RECENT_DAYS)]
    ids = communities["id"]

    def per_community(series: pd.Series):
        return series.reindex(ids).to_numpy()

    out = pd.DataFrame({
        "community": communities["name"].to_numpy(),
        "this_year": per_community(this_year.groupby("community_id").size()),
        "recent": per_community(recent.groupby("community_id").size()),
        "minutes": per_community(this_year.groupby("community_id")["minutes"].sum()),
        "last": per_community(gives.groupby("community_id")["date"].max()),
    })
    for col in ("this_year", "recent", "minutes"):
        out[col] = pd.to_numeric(out[col]).fillna(0).astype("int64")
    return out.sort_values(["recent", "this_year"], ascending=False, kind="stable")


def _neglected(session: Session) -> list[str]:
    """Names of communities with no give in the last 90 days, most active first."""
    communities = session.store.frame("communities").sort_values("activity", ascending=False)
    gives = session.store.frame("log")
    since = pd.Timestamp(session.today) - pd.Timedelta(days=RECENT_DAYS)
    given = set(gives.loc[gives["date"] > since, "community_id"])
    return [row.name for row in communities.itertuples() if row.id not in given]


def _plan_vs_actual(session: Session) -> list[tuple[str, float, int, str]]:
    """Each active resolution with the gives planned since it started and those logged for it."""
    resolutions = session.store.frame("resolutions")
    gives = session.store.frame("log")
    names = _names(session.store.frame("communities"))
    today = pd.Timestamp(session.today)
    rows = []
    for row in resolutions[resolutions["active"]].itertuples():
        end = min(today, row.end) if not pd.isna(row.end) else today
        days = max((end - row.start).days + 1, 0)
        planned = days * row.times / model.PERIOD_DAYS[row.per]
        done = int(((gives["resolution_id"] == row.id)
                    & (gives["date"] >= row.start) & (gives["date"] <= end)).sum())
        share = f"{done / planned:.0%}" if planned >= 0.5 else "just started"
        rows.append((_resolution_label(row, names), round(planned, 1), done, share))
    return rows


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


def _where_you_stand(session: Session) -> tuple[list[tuple[str, int]], str]:
    store = session.store
    counts = store.counts()
    gives = store.frame("log")
    year = gives[gives["date"] >= _year_start(session.today)]
    bridges = _bridges(store.frame("people"), store.frame("memberships"),
                       store.frame("communities"))
    resolutions = store.frame("resolutions")
    rows = [
        ("Communities", counts["communities"]),
        ("People", counts["people"]),
        ("Bridges (people in two or more communities)", len(bridges)),
        ("Active resolutions", int(resolutions["active"].sum())),
        (f"Gives logged in {session.today.year}", len(year)),
        (f"Minutes given in {session.today.year}", int(year["minutes"].sum())),
        ("Times help came back", counts["help"]),
        ("Reflections written", counts["reflections"]),
    ]
    last = gives["date"].max() if len(gives) else None
    advice = next_step(counts, None if last is None else last.date(), session.today)
    return rows, advice


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
        rows, next_text = _where_you_stand(session)
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
            "Go to 01 Map your communities (the Map step in the app). If you just want to look "
            "around first, try the demo workbook and come back with the second button."
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
        ``bridges``.
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

    def refresh():
        store = session.store
        communities = store.frame("communities")
        people = store.frame("people")
        memberships = store.frame("memberships")
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
            _bridges(people, memberships, communities),
            empty="No bridges yet: when someone belongs to two of your communities, "
                  "choose both for them and they show up here.",
        )

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
            *_map_charts(session),
            intro="Bridges are people in two or more of your communities. They carry news "
                  "between worlds: weak and moderately weak ties are where new information "
                  "and jobs most often come from (Granovetter 1973; Rajkumar et al., 2022).",
        ),
        _what_next(
            "When your main communities are on the map, go to 02 Plan your gives and pick "
            "one small give for one of them."
        ),
    ]
    parts = {"community_form": community_form, "community_list": community_list,
             "person_form": person_form, "person_list": person_list, "bridges": bridges}
    return Page(session, children, parts, refresh, prose=prose)


def _map_charts(session: Session) -> list[widgets.Widget]:
    """Charts for the map page (the network map); none yet."""
    return []


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
        names = _names(communities)
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
        names = _names(communities)
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
    """Counts, recent gives per community and each resolution's plan against what happened.

    Parameters
    ----------
    session : Session
    prose : bool
        As in `start_page`.

    Returns
    -------
    Page
        Parts: ``stand``, ``by_community``, ``plan_vs_actual`` (HTML tables), ``charts``.
    """
    stand = table([], [])
    by_community = table([], [])
    plan = table([], [])
    charts = widgets.VBox()

    def refresh():
        rows, _advice = _where_you_stand(session)
        stand.value = table_html(["What", "How many"], rows)
        frame = _gives_by_community(session)
        by_community.value = table_html(
            ["Community", f"Last {RECENT_DAYS} days", f"In {session.today.year}",
             "Minutes this year", "Last give"],
            [(r.community, r.recent, r.this_year, r.minutes, _date_text(r.last))
             for r in frame.itertuples()],
            empty="No communities yet.",
        )
        plan.value = table_html(
            ["Resolution", "Planned so far", "Logged", "Kept"],
            _plan_vs_actual(session),
            empty="No active resolutions.",
        )
        charts.children = _progress_charts(session)

    children = [
        _intro(
            "See your progress",
            "Progress here is about being present, not about keeping score. Look for the "
            "communities where you have shown up lately, the ones gone quiet, and whether "
            "your plans are the right size: a plan kept half the time is a plan to shrink, "
            "not a failure.",
        ),
        _section("Where you stand", stand),
        _section("Gives per community", by_community,
                 intro=f"Communities with no give in the last {RECENT_DAYS} days come last; "
                       "they may be the ones to visit next."),
        _section("Plan and what happened", plan,
                 intro="For each active resolution: the gives its cadence plans from its start "
                       "until today, and the gives logged for it."),
        charts,
        _what_next(
            "If a community has gone quiet, plan one small give for it in 02 Plan your "
            "gives. Then write down what you notice in 05 Reflect and review."
        ),
    ]
    parts = {"stand": stand, "by_community": by_community, "plan_vs_actual": plan,
             "charts": charts}
    return Page(session, children, parts, refresh, prose=prose)


def _progress_charts(session: Session) -> list[widgets.Widget]:
    """Charts for the progress page (visibility, gives over time); none yet."""
    return []


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
        ``by_community``, ``neglected``, ``review_form`` (`ReviewForm`).
    """
    form = ReflectionForm(title="")
    review_form = ReviewForm()
    answers = table([], [])
    answers_note = TextLine("", color=MUTED_COLOR, width=FORM_WIDTH)
    year_heading = heading("", 2)
    year_summary = TextLine("", width=FORM_WIDTH)
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
        store = session.store
        year = session.today.year
        written = store.frame("reflections")
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
        frame = _gives_by_community(session)
        helps = store.frame("help")
        help_count = int((helps["date"] >= _year_start(session.today)).sum())
        year_heading.value = heading(f"Your year {year} in review", 2).value
        year_summary.text = (
            f"In {year} you logged {int(frame['this_year'].sum())} gives, about "
            f"{int(frame['minutes'].sum()) / 60:.0f} hours, in "
            f"{int((frame['this_year'] > 0).sum())} of your {len(frame)} communities. "
            f"Help came back {help_count} times that you noted."
        )
        by_community.value = table_html(
            ["Community", f"Gives in {year}", "Minutes", "Last give"],
            [(r.community, r.this_year, r.minutes, _date_text(r.last))
             for r in frame.sort_values("this_year", ascending=False).itertuples()],
            empty="No communities yet.",
        )
        quiet = _neglected(session)
        neglected.text = (
            f"No gives in the last {RECENT_DAYS} days: {', '.join(quiet)}." if quiet
            else f"Every community saw a give from you in the last {RECENT_DAYS} days."
        )

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
            [year_heading, year_summary, by_community, neglected,
             review_form.widget],
            layout=widgets.Layout(margin="0.8em 0 0 0"),
        ),
        _what_next(
            "Turn your answer about next year into one or two resolutions in 02 Plan your "
            "gives, and let the loop begin again."
        ),
    ]
    parts = {"form": form, "answers": answers, "year_summary": year_summary,
             "by_community": by_community, "neglected": neglected, "review_form": review_form}
    return Page(session, children, parts, refresh, prose=prose)
