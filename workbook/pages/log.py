"""Step 3, Log: what is due now in one press, a give in seconds, recent ones to
edit, and help that came back."""

from __future__ import annotations

import time

from .. import analytics, follow
from ..forms import HelpForm, LogForm, RecordList
from ..later import later
from ..model import HelpReceived, LogEntry
from ..steps import TITLES
from ..widgets_text import OK_COLOR, TextLine, guidance
from .deleting import Deletes
from .parts import (
    ActionRows,
    Page,
    _add_or_update,
    _by_name,
    _choices,
    _editor,
    _intro,
    _section,
    _short,
    _what_next,
)
from .presenter import _date_text, _due_empty, _resolution_label
from .session import Session

UNDO_SECONDS = 10  # how long a give logged with Done can be taken back with one press
DONE, UNDO = "done", "undo"


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
        Parts: ``due`` (`ActionRows`: each resolution due this period, with Done, and Undo for
        a few seconds after), ``done`` (what Done logged), ``form`` (`LogForm`), ``list``
        (recent gives), ``help_form``, ``help_list``.
    """
    undo: dict = {}  # the give Done logged last: id, words, when it can no longer be undone

    def pressed(key: str, action: str) -> None:
        if action == UNDO:
            if undo.get("id") is not None and time.monotonic() < undo["until"]:
                session.store.delete(LogEntry, undo["id"])
                done_line.text = f"Taken back: {undo['line']}."
            undo.clear()
            session.changed({"log"})
            return
        chosen = next(d for d in state["due"] if str(d.resolution_id) == key)
        new_id = session.store.add(chosen.give)
        undo.update(id=new_id, line=chosen.line.rsplit(",", 1)[0],
                    until=time.monotonic() + UNDO_SECONDS)
        done_line.text = ""  # the row on top says what was logged, with its Undo
        session.changed({"log"})
        later(UNDO_SECONDS, show_due)

    state: dict = {"due": []}
    labels: dict = {}
    due = ActionRows(pressed)  # what it says when empty is worded on each refresh
    done_line = TextLine("", color=OK_COLOR)

    def show_due() -> None:
        rows = []
        if undo.get("id") is not None and time.monotonic() < undo["until"]:
            rows.append(("undo", f"Logged: {undo['line']}.", "Pressed by mistake? Take it back.",
                         [(UNDO, "Undo")]))
        else:
            undo.clear()
        rows += [(str(d.resolution_id), d.line, "", [(DONE, "Done")]) for d in state["due"]]
        due.show(rows)
        if not state["due"] and not undo:
            due.empty.layout.display = None

    form = LogForm(title="")
    recent = RecordList(rows=10, empty="No gives logged yet.", name="Gives you logged")
    help_form = HelpForm()
    help_list = RecordList(rows=5, title="Help you noted", empty="Nothing noted yet.")
    form.on_submit(_add_or_update(session))
    help_form.on_submit(_add_or_update(session))
    recent.on_edit(_editor(session, LogEntry, form))
    give_deletes = Deletes(session, LogEntry, recent, form)
    help_list.on_edit(_editor(session, HelpReceived, help_form))
    help_deletes = Deletes(session, HelpReceived, help_list, help_form)

    def refresh():
        # Only this year's gives and the latest 30 are read: a save costs the same in year one
        # and in year thirty. The other tables come from the session, read once per change.
        store, frames, today = session.store, session.frames, session.today
        communities = frames["communities"]
        names = analytics.community_labels(communities)
        people = _by_name(frames["people"])
        resolutions = frames["resolutions"]
        form.set_choices(communities=_choices(communities), people=_choices(people))
        if labels.get("of") is not resolutions:  # worded again only when they change
            labels.update(of=resolutions, said={
                int(r.id): _short(_resolution_label(r, names), 80)
                for r in resolutions.itertuples()})
        said = labels["said"]
        form.set_plans([(said[rid], rid, cid, start, end)
                        for rid, cid, start, end in follow.plans_for_log(frames)])
        state["due"] = follow.due_now(frames, today,
                                      store.log_frame(since=follow.counted_from(today)))
        due.empty.text = _due_empty(frames, today)
        show_due()
        help_form.set_choices(communities=_choices(communities), people=_choices(people))
        with store.snapshot():  # the versions of the very rows shown
            gives = store.log_frame(last=30)
            give_deletes.shown(store.versions(LogEntry, gives["id"]))
        if form.editing is None and len(gives):
            form.remember(int(gives["community_id"].iloc[-1]))
        recent.set_items([
            (_short(f"{_date_text(g.date)} · {names.get(g.community_id, '?')} · {g.kind}, "
                    f"{g.minutes} min" + (f" · {g.note}" if g.note.strip() else ""), 130),
             int(g.id))
            for g in gives.iloc[::-1].itertuples()
        ])
        helps = frames["help"]
        help_deletes.shown(frames.versions("help"))
        help_list.set_items([
            (_short(f"{_date_text(h.date)} · {h.note}", 130), int(h.id))
            for h in helps.tail(15).iloc[::-1].itertuples()
        ])

    # The form comes first, so that on a phone "Log it" is on the first screen.
    children = [
        _intro(
            TITLES["log"],
            "Pick the community (your last one is already chosen), say what kind of give it "
            "was, and press Log it. More details takes a person, a resolution, minutes or a "
            "note.",
        ),
        _section("Log a give", form.widget),
        _section("Due now", due, done_line,
                 intro="Your resolutions with a give still to make this week, month, quarter "
                       "or year. Done logs it as planned: community, resolution, person, its "
                       "usual kind and minutes, today."),
        _section("Recent gives", recent.widget,
                 intro="The latest 30, newest first. Choose one to edit or delete it."),
        _section(
            "Help that came back",
            help_form.widget, help_list.widget,
            intro="Help returns from unexpected places, rarely from the person you helped. "
                  "Note it here when it happens; it is never matched against your gives, "
                  "because this is not a ledger.",
        ),
        guidance("Visibility grows from regularity: the same small help, again and again, "
                 "until people think of you as someone who helps. Logging each give takes "
                 "seconds and shows you where you have been present and where you have not."),
        _what_next("Once a week or so, open Step 4, Progress."),
    ]
    parts = {"due": due, "done": done_line, "form": form, "list": recent,
             "help_form": help_form, "help_list": help_list}
    return Page(session, children, parts, refresh, prose=prose, key="log",
                shows={"communities", "people", "resolutions", "log", "help", "pauses"})

