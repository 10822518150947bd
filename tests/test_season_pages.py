"""The season of giving on the pages, without a browser: the line on Start, the review that ends
in next year's resolutions, answers read back and edited, and the year that drives it all."""

from __future__ import annotations

import datetime as dt

import pytest

from workbook import pages
from workbook.model import Community, LogEntry, Person, Reflection, Resolution

D = dt.date


def on(monkeypatch, day: dt.date) -> None:
    monkeypatch.setenv("WORKBOOK_TODAY", day.isoformat())


@pytest.fixture
def december(monkeypatch, tmp_path):
    """1 December 2026: a choir with a running plan, a quiet congregation, a close friend."""
    on(monkeypatch, D(2026, 12, 1))
    session = pages.open_session(tmp_path / "mine.sqlite")
    store = session.store
    choir = store.add(Community(name="Harbour Choir", kind="hobby", activity=3))
    store.add(Community(name="Chapel Road", kind="faith", activity=2))
    store.add(Person(name="Mo", circle=5, communities=(choir,)))
    store.add(Resolution(cue="rehearsal ends", give="thank the pianist", community_id=choir,
                         times=1, per="week", start=D(2026, 1, 5)))
    store.add(Resolution(cue="a concert nears", give="carry chairs", community_id=choir,
                         times=1, per="month", start=D(2026, 2, 1)))
    store.add_many([LogEntry(date=D(2026, 11, d), community_id=choir, resolution_id=1)
                    for d in (3, 10, 17, 24)])
    yield session
    session.close()


def texts(rows, headings: bool = False) -> list[str]:
    """The sentences shown (the headings between them only when asked)."""
    return [row.children[0].text for row in rows.rows if row.layout.display != "none"
            and (row.layout.border_left == "none") == headings]


def row(rows, key: str):
    return rows.rows[rows._keys.index(key)]


def buttons(rows, key: str) -> list[str]:
    return [b.description for b in row(rows, key).children[2].children
            if b.layout.display != "none"]


@pytest.mark.parametrize("day, line", [
    (D(2026, 10, 31), ""), (D(2026, 11, 1), "The season of giving: review 2026 and plan 2027"),
    (D(2027, 1, 31), "The season of giving: review 2026 and plan 2027"), (D(2027, 2, 1), ""),
])
def test_start_shows_the_season_at_the_top(monkeypatch, tmp_path, day, line):
    on(monkeypatch, day)
    session = pages.open_session(tmp_path / "w.sqlite")
    page = pages.start_page(session, prose=False)
    assert page.children[0] is page.parts["season"]
    assert page.parts["season_line"].text == line
    assert page.parts["season"].layout.display == (None if line else "none")
    session.close()


def test_the_season_button_opens_the_review_in_the_app(december):
    shown = []
    december.navigate = shown.append
    page = pages.start_page(december)
    assert page.parts["review_button"].layout.display is None
    page.parts["review_button"].click()
    assert shown == ["reflect"]


def test_the_review_is_first_on_reflect_and_reads_the_year_so_far(december):
    page = pages.reflect_page(december)
    parts = page.parts
    assert parts["review_title"].value.endswith(">Your year of giving: 2026</div>")
    assert parts["period"].text.startswith("1 January to 1 December 2026, so far")
    assert [v for _, v in parts["year"].dropdown.options] == [2027, 2026]
    assert texts(parts["decisions"]) == [
        "When rehearsal ends in Harbour Choir, I will thank the pianist (once a week).",
        "When a concert nears in Harbour Choir, I will carry chairs (once a month)."]
    assert buttons(parts["decisions"], "1") == ["Keep for 2027", "Change it", "Let it end"]
    assert texts(parts["decisions"], headings=True)[0].startswith(
        "Harbour Choir (Hobby or club, active): 4 gives, 0 in the same days of 2025")
    assert buttons(parts["decisions"], "community-1") == []
    assert "Nothing is planned in Chapel Road for 2027." in texts(parts["suggestions"])
    assert parts["plan_downloads"].buttons["plan"].description == "My plan for 2027 (PDF)"
    assert parts["plan_downloads"].buttons["ics"].description == "Reminders for 2027 (.ics)"


def test_keep_change_and_end_carry_the_plans_into_the_new_year(december):
    page = pages.reflect_page(december)
    store, decisions = december.store, page.parts["decisions"]
    decisions.press("1", "keep")
    kept = [r for r in store.records(Resolution) if r.start == D(2027, 1, 1)]
    assert [r.give for r in kept] == ["thank the pianist"]
    assert store.get(Resolution, 1).end == D(2026, 12, 31)
    assert "Kept for 2027" in row(decisions, "1").children[1].text
    assert buttons(decisions, "1") == []

    decisions.press("2", "change")
    form = page.parts["resolution_form"]
    assert form.fields["give"].value == "carry chairs"
    assert form.fields["start"].value == D(2027, 1, 1)
    form.fields["times"].value = 2
    form.save_button.click()
    assert form.form_error.text == ""
    changed = [r for r in store.records(Resolution) if r.give == "carry chairs"]
    assert [(r.start, r.end, r.times) for r in changed] == [
        (D(2026, 2, 1), D(2026, 12, 31), 1), (D(2027, 1, 1), None, 2)]
    assert december.store.check() == []


def test_let_it_end_and_a_suggestion_one_press_away(december):
    page = pages.reflect_page(december)
    page.parts["decisions"].press("2", "end")
    assert december.store.get(Resolution, 2).end == D(2026, 12, 31)
    suggestions = page.parts["suggestions"]
    suggestions.press("community-2", "plan")
    form = page.parts["resolution_form"]
    assert form.fields["community_id"].value == 2
    assert form.fields["start"].value == D(2027, 1, 1)
    form.save_button.click()
    new = december.store.records(Resolution)[-1]
    assert (new.community_id, new.start, new.cue) == (2, D(2027, 1, 1), "a new month begins")
    assert "community-2" not in suggestions._keys  # planned now


def test_a_part_made_after_the_page_is_labelled_as_the_others(december):
    page = pages.reflect_page(december)
    page.label("reflect")
    assert "wb-reflect-suggestions" in page.parts["suggestions"]._dom_classes
    assert "resolution_form" not in page.parts  # made by the first press that needs it
    page.parts["suggestions"].press("community-2", "plan")
    form = page.parts["resolution_form"]
    assert "wb-reflect-resolution_form" in form.widget._dom_classes


def test_review_answers_are_shown_edited_and_saved_once(december):
    december.store.add(Reflection(prompt_id="review-proudest", answer="the concert",
                                  date=D(2026, 11, 20)))
    page = pages.reflect_page(december)
    form = page.parts["review_form"]
    assert form.fields["review-proudest"].value == "the concert"
    form.save_button.click()
    assert form.form_error.text.startswith("Nothing new to save")
    form.fields["review-proudest"].value = "the concert and the carols"
    form.fields["review-next-year"].value = "Chapel Road"
    form.save_button.click()
    assert form.status.text == "Saved your review (2 answers)."
    saved = {r.prompt_id: (r.answer, r.date) for r in december.store.records(Reflection)}
    assert saved == {"review-proudest": ("the concert and the carols", D(2026, 11, 20)),
                     "review-next-year": ("Chapel Road", D(2026, 12, 1))}
    assert form.fields["review-proudest"].value == "the concert and the carols"  # still shown


def test_the_year_drives_the_review_the_calendar_and_the_plan(december):
    reflect = pages.reflect_page(december)
    progress = pages.progress_page(december)
    progress.parts["year"].dropdown.value = 2027
    assert december.year == 2027
    assert reflect.parts["year"].dropdown.value == 2027
    assert reflect.parts["period"].text == "2027 has not begun yet."
    assert reflect.parts["review_form"].save_button.disabled  # nothing to answer for yet
    assert progress.parts["downloads"].buttons["plan"].description == "My plan for 2027 (PDF)"
    panel = progress.parts["charts"]
    panel.choice.value = "calendar"
    assert panel.chart_widget.chart.to_dict()["title"]["text"] == "Your gives in 2027"
    reflect.parts["year"].dropdown.value = 2026
    assert reflect.parts["review_form"].save_button.disabled is False


def test_in_january_the_review_shows_the_year_that_ended(monkeypatch, tmp_path):
    on(monkeypatch, D(2027, 1, 6))
    session = pages.open_session(tmp_path / "w.sqlite")
    session.store.add(Community(name="Choir"))
    session.store.add(LogEntry(date=D(2026, 6, 1), community_id=1))
    session.store.add(LogEntry(date=D(2027, 1, 2), community_id=1))
    page = pages.reflect_page(session)
    assert session.year == 2026
    assert page.parts["review_title"].value.endswith(">Your year of giving: 2026</div>")
    assert page.parts["period"].text == "The whole of 2026, beside the whole of 2025."
    assert page.parts["year_summary"].text.startswith("In 2026 you logged 1 give")
    assert page.parts["plan_downloads"].buttons["plan"].description == "My plan for 2027 (PDF)"
    assert [v for _, v in page.parts["year"].dropdown.options] == [2027, 2026]
    session.close()


def test_a_suggestion_for_a_person_goes_once_it_is_planned(december):
    page = pages.reflect_page(december)
    suggestions = page.parts["suggestions"]
    suggestions.press("person-1", "plan")
    form = page.parts["resolution_form"]
    assert form.fields["person_id"].value == 1 and "Mo" in form.fields["give"].value
    form.save_button.click()
    assert "person-1" not in suggestions._keys
