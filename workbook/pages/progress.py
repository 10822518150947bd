"""Step 4, Progress: where you stand, charts, who could use you, files to take away."""

from __future__ import annotations

from .. import analytics, room_share
from ..forms import FORM_WIDTH
from ..model import CIRCLE_WORDS
from ..steps import TITLES
from ..widgets_text import TextLine, table, table_html
from .parts import (
    ChartPanel,
    DownloadButtons,
    Page,
    YearChoice,
    _intro,
    _section,
    _what_next,
)
from .presenter import (
    NEGLECTED_WEEKS,
    RECENT_WEEKS,
    UNREACHED_MONTHS,
    _balance_advice,
    _calendar_advice,
    _community_rows,
    _date_text,
    _days_text,
    _neglected_empty,
    _plan_advice,
    _plan_rows,
    _streak_text,
    _unreached_empty,
    _visibility_advice,
    _where_you_stand,
)
from .room import WHAT_IS_SHARED, RoomShare
from .session import EVERYTHING, Session


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
        for plan, calendar, balance and visibility) and ``downloads`` (`DownloadButtons`); in a
        workshop room (``$WORKBOOK_ROOM_DIR``, see `workbook.room_share.room_dir`) also
        ``room`` (`RoomShare`).
    """
    stand = table([], [])
    streak_line = TextLine("", bold=True, width=FORM_WIDTH)
    neglected = table([], [])
    unreached = table([], [])
    by_community = table([], [])
    plan = table([], [])
    chart_panel = _progress_charts(session)
    year_choice = YearChoice(session)
    take_away = DownloadButtons(session)
    folder = room_share.room_dir()
    room = RoomShare(session, folder) if folder else None

    def refresh():
        frames = session.frames
        today = session.today
        communities, log = frames["communities"], frames["log"]
        rows, _advice = _where_you_stand(session.store.counts(), frames, today)
        stand.value = table_html(["What", "How many"], rows)
        streak_line.text = _streak_text(log, today)
        year_choice.update(frames, today)
        chart_panel.set_data(frames, today, session.year)
        neglected.value = table_html(
            ["Community", "Last give", "When"],
            [(r.community, _date_text(r.last_give), _days_text(r.days_since))
             for r in analytics.neglected(communities, log, today,
                                          NEGLECTED_WEEKS).itertuples()],
            empty=_neglected_empty(frames),
        )
        unreached.value = table_html(
            ["Person", "Circle", "Last give to them", "When"],
            [(r.name, CIRCLE_WORDS.get(r.circle, str(r.circle)), _date_text(r.last_give),
              _days_text(r.days_since))
             for r in analytics.unreached_people(frames["people"], log, today,
                                                 UNREACHED_MONTHS).itertuples()],
            empty=_unreached_empty(frames),
        )
        by_community.value = table_html(
            ["Community", "Visibility now", "Measured against",
             f"Gives, last {RECENT_WEEKS} weeks",
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
        if room is not None:
            room.update()

    children = [
        _intro(
            TITLES["progress"],
            "Progress here is about being present, not about keeping score. Look for the "
            "communities where you have shown up lately, the ones gone quiet, and whether "
            "your plans are the right size: a plan kept half the time is a plan to shrink, "
            "not a failure.",
        ),
        _section("Where you stand", stand, streak_line),
        _section("Your charts", year_choice, chart_panel,
                 intro="Choose a chart. The sentence under it suggests what to do next. The "
                       "year chooses the calendar's year and the plan you take with you."),
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
        *([_section("Share my progress with the room", room, intro=WHAT_IS_SHARED)]
          if room is not None else []),
        _what_next(
            "If a community has gone quiet, plan one small give for it in Step 2, Plan. "
            "Then write down what you notice in Step 5, Reflect."
        ),
    ]
    parts = {"stand": stand, "streaks": streak_line, "neglected": neglected,
             "unreached": unreached, "by_community": by_community, "plan_vs_actual": plan,
             "charts": chart_panel, "year": year_choice, "downloads": take_away}
    if room is not None:
        parts["room"] = room
    return Page(session, children, parts, refresh, prose=prose, key="progress",
                shows=EVERYTHING - {"reflections"})


def _progress_charts(session: Session) -> ChartPanel:
    """The progress page's charts: one at a time, chosen with toggle buttons."""
    return ChartPanel({
        "plan": ("Plan", "plan_vs_actual", _plan_advice),
        "calendar": ("Calendar", "gives_calendar", _calendar_advice),
        "balance": ("Balance", "balance_by_community", _balance_advice),
        "visibility": ("Visibility", "visibility_over_time", _visibility_advice),
    })
