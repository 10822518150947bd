"""Step 2, Plan your gives: give ideas become if-then resolutions, paused or resumed."""

from __future__ import annotations

from .. import analytics
from ..forms import RecordList, ResolutionForm
from ..model import Resolution
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
from .presenter import _resolution_label, resolution_state
from .session import Session


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
        today = session.today
        resolutions.set_items([
            (_short(f"{resolution_state(row, today)} · {_resolution_label(row, names)}", 140),
             int(row.id))
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
