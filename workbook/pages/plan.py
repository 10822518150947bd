"""Step 2, Plan: give ideas become if-then resolutions; breaks for days off."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import analytics
from ..forms import PauseForm, RecordList, ResolutionForm
from ..model import Pause, Resolution, WorkbookError
from ..steps import TITLES
from .deleting import Deletes
from .parts import (
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
from .presenter import _resolution_label, resolution_state, short_date
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
        Parts: ``form`` (a `ResolutionForm`), ``list`` (a `RecordList` with ``end_button`` and
        ``again_button``), ``pause_form`` (`PauseForm`) and ``pauses`` (a `RecordList` with
        ``back_button``).
    """
    form = ResolutionForm(title="")
    resolutions = RecordList(rows=6, empty="No resolutions yet: make the first one above.",
                             name="Your resolutions")
    form.on_submit(_add_or_update(session))
    resolutions.on_edit(_editor(session, Resolution, form))
    pause_form = PauseForm(title="")
    pauses = RecordList(rows=4, empty="No breaks: every day counts.", name="Your breaks")
    pause_form.on_submit(_add_or_update(session))
    pauses.on_edit(_editor(session, Pause, pause_form))
    pause_deletes = Deletes(session, Pause, pauses, pause_form)

    def ending(record: Resolution) -> Resolution:
        # Its history stays: it simply ends today, and every day before still counts.
        today = session.today
        if record.start > today:
            raise WorkbookError("It has not started yet: delete it, or change its start date.")
        if record.end is not None and record.end <= today:
            raise WorkbookError(f"It ended on {record.end.isoformat()} already.")
        return record.with_changes(end=today, active=True)

    def end_today(record_id: int) -> None:
        session.store.update(ending(session.store.get(Resolution, record_id)))
        session.changed({"resolutions"})

    def end_instead(record: Resolution):
        try:
            ended = ending(record)
        except WorkbookError:
            return None  # not started or ended already: there is nothing to end

        def apply() -> str:
            session.store.update(ended)  # with the version the question was asked with
            session.changed({"resolutions"})
            return "It ends today: every give for it still counts."

        return "End it today instead", apply

    resolution_deletes = Deletes(session, Resolution, resolutions, form, instead=end_instead)

    def start_again(record_id: int) -> None:
        record = session.store.get(Resolution, record_id)
        today = session.today
        if not record.active:  # paused in an older version of the workbook
            session.store.update(record.with_changes(active=True))
        elif record.end is None or record.end > today:
            raise WorkbookError("It is running already.")
        else:
            session.store.add(record.with_changes(id=None, start=today + dt.timedelta(days=1)
                                                  if record.end == today else today, end=None))
        session.changed({"resolutions"})

    def back_today(record_id: int) -> None:
        record = session.store.get(Pause, record_id)
        today = session.today
        if record.end is not None and record.end < today:
            raise WorkbookError("That break is over already.")
        session.store.update(record.with_changes(end=max(record.start, today)))
        session.changed({"pauses"})

    end_button = resolutions.add_button("End it today", end_today, width="10em")
    again_button = resolutions.add_button("Start it again", start_again, width="11em")
    back_button = pauses.add_button("I am back today", back_today, width="11em")

    def refresh():
        frames = session.frames
        communities = frames["communities"]
        names = analytics.community_labels(communities)
        form.set_community_kinds(dict(zip(communities["id"], communities["kind"], strict=True)))
        form.set_choices(communities=_choices(communities),
                         people=_choices(_by_name(frames["people"])))
        pause_form.set_choices(communities=_choices(communities))
        today = session.today
        resolution_deletes.shown(frames.versions("resolutions"))
        pause_deletes.shown(frames.versions("pauses"))
        resolutions.set_items([
            (_short(f"{resolution_state(row, today)} · {_resolution_label(row, names)}", 140),
             int(row.id))
            for row in frames["resolutions"].itertuples()
        ])
        pauses.set_items([
            (_short(f"{_break_dates(row)} · {names.get(row.community_id, 'everything')}"
                    + (f" · {row.note}" if row.note else ""), 120), int(row.id))
            for row in frames["pauses"].iloc[::-1].itertuples()
        ])

    children = [
        _intro(
            TITLES["plan"],
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
                 intro="When a resolution no longer fits, end it today: what you gave for it "
                       "still counts, and you can start it again later."),
        _section("Take a break", pause_form.widget, pauses.widget,
                 intro="Ill, travelling, a full month at work? Mark the days as a break, for "
                       "one community or for everything. A day on a break plans no give, and "
                       "your visibility stays where it was instead of fading."),
        _what_next("Go to Step 3, Log, and log each give as it happens."),
    ]
    parts = {"form": form, "list": resolutions, "end_button": end_button,
             "again_button": again_button, "pause_form": pause_form, "pauses": pauses,
             "back_button": back_button}
    return Page(session, children, parts, refresh, prose=prose, key="plan",
                shows={"communities", "people", "resolutions", "pauses"})


def _break_dates(row) -> str:
    """'3 Aug 2026 to 14 Aug 2026' or 'from 3 Aug 2026'."""
    start = short_date(row.start.date())
    return f"from {start}" if pd.isna(row.end) else f"{start} to {short_date(row.end.date())}"
