"""Follow-through on the pages, without a browser: Done logs a planned give in one press (and
Undo takes it back), the log form offers only the resolutions a give can count for, weekdays
for a weekly plan, breaks, and fair words under the charts."""

from __future__ import annotations

import datetime as dt

import pytest

from workbook import analytics, pages
from workbook.forms import NONE, LogForm, ResolutionForm
from workbook.model import Community, LogEntry, Pause, Person, Resolution

D = dt.date


@pytest.fixture
def session(tmp_path, today):
    s = pages.open_session(tmp_path / "mine.sqlite")
    store = s.store
    store.add(Community(name="Harbour Choir", kind="hobby", activity=3))
    store.add(Community(name="Pantry", kind="volunteering", activity=2))
    store.add(Person(name="Mo", circle=5, communities=(1,)))
    store.add(Resolution(cue="a newcomer comes", give="introduce a newcomer", community_id=1,
                         times=3, per="week", start=today - dt.timedelta(days=60), person_id=1,
                         idea_id="introduce-new-member"))
    store.add(Resolution(cue="the shift ends", give="thank a volunteer", community_id=2,
                         times=1, per="month", start=today - dt.timedelta(days=60)))
    yield s
    s.close()


def rows(actions) -> list[str]:
    return [r.children[0].text for r in actions.rows if r.layout.display != "none"]


def test_done_logs_the_planned_give_in_one_press_and_undo_takes_it_back(session, today):
    page = pages.log_page(session)
    due = page.parts["due"]
    monday = today - dt.timedelta(days=today.weekday())
    week = (today - monday).days
    assert rows(due)[0] == "Harbour Choir: introduce a newcomer, 0 of 3 this week"
    due.press("1", "done")
    [give] = session.store.records(LogEntry)
    assert (give.date, give.community_id, give.resolution_id, give.person_id) == (today, 1, 1, 1)
    assert (give.kind, give.minutes) == ("introduction", 10)  # from its give idea
    assert rows(due)[0] == "Logged: Harbour Choir: introduce a newcomer."
    assert rows(due)[1] == "Harbour Choir: introduce a newcomer, 1 of 3 this week"
    due.press("undo", "undo")
    assert session.store.counts()["log"] == 0
    assert page.parts["done"].text == "Taken back: Harbour Choir: introduce a newcomer."
    for _ in range(3):
        due.press("1", "done")
    assert session.store.counts()["log"] == 3
    assert not any("introduce a newcomer, " in r for r in rows(due))  # met for this week
    frames = {name: session.store.frame(name) for name in ("resolutions", "log", "pauses")}
    plan = analytics.plan_vs_actual(frames["resolutions"], frames["log"], today,
                                    frames["pauses"])
    assert week >= 0 and plan.iloc[0]["logged"] == 3


def test_the_log_form_offers_only_the_resolutions_of_the_chosen_community(session, today):
    page = pages.log_page(session)
    form: LogForm = page.parts["form"]
    form.fields["community_id"].value = 2
    assert [v for _, v in form.fields["resolution_id"].options] == [NONE, 2]
    assert form.fields["resolution_id"].value == 2  # the only one there: chosen already
    form.fields["community_id"].value = 1
    assert [v for _, v in form.fields["resolution_id"].options] == [NONE, 1]
    form.fields["date"].value = today - dt.timedelta(days=90)  # before it started
    assert [v for _, v in form.fields["resolution_id"].options] == [NONE]
    form.fields["date"].value = today
    form.fields["community_id"].value = 2
    form.save_button.click()
    assert session.store.records(LogEntry)[-1].resolution_id == 2  # no extra clicks


def test_a_give_cannot_be_credited_to_another_communitys_plan_from_the_form(session, today):
    page = pages.log_page(session)
    form = page.parts["form"]
    form.fields["community_id"].value = 1
    form.fields["resolution_id"].options = [("(not part of a resolution)", NONE),
                                            ("thank a volunteer", 2)]
    form.fields["resolution_id"].value = 2  # forced, as a client could
    form.save_button.click()
    assert form.errors["resolution_id"].text == (
        "The resolution \u201cthank a volunteer\u201d belongs to another community.")
    assert session.store.counts()["log"] == 0


def test_a_weekly_plan_proposes_the_day_its_cue_names(monkeypatch):
    form = ResolutionForm()
    form.set_choices(communities=[("Work", 1)])
    form.fields["per"].value = "week"
    assert form._days_row.layout.display is None
    form.fields["cue"].value = "the Monday stand-up ends"
    assert form.weekdays == ("MO",)
    form.day_buttons["TH"].value = True  # chosen by hand: the cue no longer decides
    form.fields["cue"].value = "the Friday meeting ends"
    assert form.weekdays == ("MO", "TH")
    form.fields["give"].value = "thank a colleague"
    saved = []
    form.on_submit(saved.append)
    form.save_button.click()
    assert saved[0].weekdays == ("MO", "TH") and saved[0].remind_at == "09:00"
    form.fields["per"].value = "month"
    assert form._days_row.layout.display == "none"


def test_a_break_keeps_the_visibility_and_takes_the_community_out_of_due_now(session, today):
    plan = pages.plan_page(session)
    log = pages.log_page(session)
    form = plan.parts["pause_form"]
    form.fields["community_id"].value = 1
    form.fields["note"].value = "ill"
    form.save_button.click()
    [pause] = session.store.records(Pause)
    assert (pause.start, pause.end, pause.community_id) == (today, None, 1)
    assert not any(r.startswith("Harbour Choir") for r in rows(log.parts["due"]))
    listed = plan.parts["pauses"].select.options[0][0]
    assert listed.startswith(f"from {today.day} ") and "Harbour Choir · ill" in listed
    plan.parts["pauses"].select.value = pause.id
    plan.parts["back_button"].click()
    assert session.store.get(Pause, pause.id).end == today


def test_the_visibility_table_says_what_each_score_is_measured_against(session, today):
    page = pages.progress_page(session)
    table = page.parts["by_community"].value
    assert "Measured against" in table
    assert "your plan of 3 times a week" in table and "your plan of once a month" in table
