"""Step 3, Log your gives: log a give in seconds, edit recent ones, note help that came back."""

from __future__ import annotations

from .. import analytics
from ..forms import HelpForm, LogForm, RecordList
from ..model import HelpReceived, LogEntry
from .parts import (
    Page,
    _add_or_update,
    _by_name,
    _choices,
    _editor,
    _intro,
    _remover,
    _section,
    _short,
    _what_next,
)
from .presenter import _date_text, _resolution_label
from .session import Session


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
