"""Plain words: counts and plurals, one name per step, errors in the form's own labels, and
empty lists that say only what is true of the workbook."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import ipywidgets as widgets
import pytest

from workbook import analytics, clock, follow, model, pages, steps
from workbook import app as webapp
from workbook.forms import (
    CommunityForm,
    HelpForm,
    LogForm,
    OwnerForm,
    PauseForm,
    PersonForm,
    ReflectionForm,
    ResolutionForm,
)
from workbook.model import Community, LogEntry, Person, Resolution
from workbook.pages import presenter as p
from workbook.pages.session import Frames
from workbook.paths import ENV_VAR
from workbook.widgets_text import table_html
from workbook.words import count, hours, number

TODAY = clock.today()
ROOT = Path(__file__).resolve().parent.parent


# -- counts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "expected"), [
    (0, "0 times"), (1, "1 time"), (2, "2 times"), (1000, "1,000 times"), (1510, "1,510 times"),
    (4466, "4,466 times"), (-1, "-1 time"), (-3, "-3 times"), (1.4, "1 time"), (2.5, "3 times"),
])
def test_count_says_the_plural_and_separates_thousands(n, expected):
    assert count(n, "time") == expected


def test_count_takes_an_irregular_plural():
    assert count(1, "person", "people") == "1 person"
    assert count(0, "person", "people") == "0 people"
    assert count(2, "community", "communities") == "2 communities"
    assert count(1000, "community", "communities") == "1,000 communities"


@pytest.mark.parametrize(("minutes", "expected"), [
    (0, "no time"), (10, "under half an hour"), (30, "about 1 hour"), (60, "about 1 hour"),
    (89, "about 1 hour"), (90, "about 2 hours"), (120, "about 2 hours"),
    (1510 * 60, "about 1,510 hours"),
])
def test_hours_are_rounded_and_counted(minutes, expected):
    assert hours(minutes) == expected


def test_number_rounds_half_up_and_separates_thousands():
    assert [number(n) for n in (0, 1, 999.5, 4466, 12345678, -1510)] == [
        "0", "1", "1,000", "4,466", "12,345,678", "-1,510"]


def test_a_table_separates_thousands_and_breaks_a_circle_label_at_its_space():
    html = table_html(["Person", "Circle", "Gives"], [("Lee", "Acquaintances 150", 4466)])
    assert ">4,466<" in html
    cell = re.search(r'<td data-label="Circle" style="([^"]*)">Acquaintances 150</td>', html)[1]
    assert "overflow-wrap:anywhere" not in cell  # it never reads "Acquaintance|s 150"
    long = table_html(["Note"], [("x" * 300,)])
    assert "overflow-wrap:anywhere" in long  # a word wider than any column still breaks


def test_every_cell_names_its_column_for_the_phone_layout_as_escaped_text():
    html = table_html(["Person", '"><img src=x onerror=alert(1)>'], [("Lee", 3), ("Mo", 4)])
    assert html.count('data-label="Person"') == 2
    assert html.count('data-label="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"') == 2
    assert "<img" not in html
    assert 'class="wb-table"' in html  # two columns fit a phone as they are
    assert 'wb-table-wide' in table_html(["a", "b", "c"], [(1, 2, 3)])


# -- one name per step ----------------------------------------------------------------------------

STEP_MENTION = re.compile(r"\bStep [0-9], [A-Z][a-z]+")
OLD_NAMES = re.compile(r"\b0[0-5] (Start|Map|Plan|Log|See|Reflect)\b|\b[1-5] (Communities|Plan|Log|"
                       r"Progress|Reflect)\b")


def _texts():
    """The package's code, the notebooks' markdown and the README, by name."""
    for path in sorted((ROOT / "workbook").rglob("*.py")):
        yield path.name, path.read_text()
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text())["cells"]
        yield path.name, "\n".join("".join(c["source"]) for c in cells)
    yield "README.md", (ROOT / "README.md").read_text()


def test_every_mention_of_a_step_uses_its_one_name():
    names = set(steps.NAMES.values())
    found = 0
    for name, text in _texts():
        for mention in STEP_MENTION.findall(text):
            found += 1
            assert mention in names, (name, mention)
        assert not OLD_NAMES.search(text), (name, OLD_NAMES.search(text)[0])
    assert found > 30


def test_the_buttons_headings_and_notebook_links_share_the_names():
    assert [s.label for s in webapp.STEPS] == [steps.NAMES[k] for k in steps.KEYS]
    for key in steps.KEYS[1:]:
        assert steps.TITLES[key].startswith(steps.NAMES[key])
    assert [title for _, title in webapp.GUIDED_NOTEBOOKS] == [steps.TITLES[k] for k in steps.KEYS]


def test_each_page_is_headed_by_its_step(tmp_path):
    session = pages.open_session(tmp_path / "w.sqlite")
    try:
        for step in webapp.STEPS:
            page = getattr(pages, step.builder)(session)
            title = next(w for w in _walk(page) if isinstance(w, widgets.HTML)
                         and "font-size:1.6em" in w.value)
            assert f">{step.heading}<" in title.value, step.key
    finally:
        session.close()


def _walk(widget, skip=None):
    if widget is skip:
        return
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child, skip)


# -- Start names the file; the path and the ways to open another sit under Details ---------------


def test_start_names_the_file_and_folds_the_details_away(tmp_path):
    path = tmp_path / "networking-workbook.sqlite"
    session = pages.open_session(path)
    try:
        page = pages.start_page(session)
        assert page.parts["path"].text == "Your workbook: networking-workbook.sqlite"
        details = page.parts["details"]
        assert isinstance(details, widgets.Accordion) and details.selected_index is None
        assert details.get_title(0) == "Details"
        inside = "\n".join(w.value for w in _walk(details) if isinstance(w, widgets.HTML))
        outside = "\n".join(w.value for w in _walk(page, skip=details)
                            if isinstance(w, widgets.HTML))
        for detail in (str(tmp_path), "--db PATH", f"{ENV_VAR}=PATH", "pages.open_session("):
            assert detail in inside and detail not in outside, detail
    finally:
        session.close()


# -- errors name a field as the form labels it ----------------------------------------------------


def _help(form):
    form.set_choices(communities=[("Choir", 1)])


def _resolution_cue(form):
    form.set_choices(communities=[("Choir", 1)])
    form.fields["give"].value = "share one link"


def _resolution_give(form):
    form.set_choices(communities=[("Choir", 1)])
    form.fields["cue"].value = "when the digest arrives"


def _resolution_community(form):
    form.fields["cue"].value = "when the digest arrives"
    form.fields["give"].value = "share one link"


def _pause_backwards(form):
    form.fields["start"].value = dt.date(2026, 5, 2)
    form.fields["end"].value = dt.date(2026, 5, 1)


def _owner_too_long(form):
    form.fields["name"].value = "x" * (model.OWNER_MAX + 1)


def _nothing(form):
    pass


@pytest.mark.parametrize(("make", "fill", "field", "expected"), [
    (CommunityForm, _nothing, "name", "Name must not be empty."),
    (PersonForm, _nothing, "name", "Name must not be empty."),
    (LogForm, _nothing, "community_id", "Community: please choose one."),
    (HelpForm, _help, "note", "What happened must not be empty."),
    (ResolutionForm, _resolution_cue, "cue", "When must not be empty."),
    (ResolutionForm, _resolution_give, "give", "I will must not be empty."),
    (ResolutionForm, _resolution_community, "community_id", "In community: please choose one."),
    (PauseForm, _pause_backwards, "end", "Until must not be before From."),
    (ReflectionForm, _nothing, "answer", "Your answer must not be empty."),
    (OwnerForm, _owner_too_long, "name", "Your name is too long: 81 characters, at most 80."),
])
def test_an_error_names_the_field_by_the_label_the_form_shows(make, fill, field, expected):
    form = make()
    saved = []
    form.on_submit(saved.append)
    fill(form)
    form.save_button.click()
    message = form.errors[field].text
    assert saved == [] and message == expected
    assert message.startswith(form.labels[field])
    internal = model.LABELS[field]
    if internal != form.labels[field] and not form.labels[field].startswith(internal):
        assert internal not in message
    assert "_" not in message  # no field name of the code, such as community_id


def test_the_model_alone_names_fields_by_its_own_labels():
    with pytest.raises(model.ValidationError) as info:
        model.HelpReceived(date=TODAY, note=" ")
    assert str(info.value) == "Note must not be empty."
    assert info.value.worded({"note": "What happened"}) == "What happened must not be empty."
    assert info.value.worded() == str(info.value)


# -- empty states say what is true ----------------------------------------------------------------


@pytest.fixture
def frames(store):
    return Frames(store)


def test_an_empty_workbook(frames, store):
    assert "No communities yet" in p._neglected_empty(frames)
    assert "Nobody on your map yet" in p._unreached_empty(frames)
    assert "no resolution is running" in p._due_empty(frames, TODAY)
    assert "No communities yet" in p._suggestions_empty(frames, True, TODAY.year, TODAY.year + 1)


def test_communities_nobody_is_regular_in_and_no_people(frames, store):
    store.add(Community(name="Old classmates", kind="education", activity=1))
    frames = Frames(store)
    assert analytics.neglected(frames["communities"], frames["log"], TODAY).empty
    sentence = p._neglected_empty(frames)
    assert "None of your communities is marked regular" in sentence
    assert "Every" not in sentence
    assert "Nobody on your map yet" in p._unreached_empty(frames)
    assert "none of yours is marked so" in p._suggestions_empty(frames, True, TODAY.year,
                                                                TODAY.year + 1)


def test_people_but_none_in_the_closest_circles(store):
    cid = store.add(Community(name="Choir", activity=3))
    store.add(Person(name="Lee", circle=150, communities=(cid,)))
    store.add(Person(name="Ana", circle=50, communities=(cid,)))
    frames = Frames(store)
    assert analytics.unreached_people(frames["people"], frames["log"], TODAY).empty
    sentence = p._unreached_empty(frames)
    assert "Nobody on your map is in your two closest circles" in sentence
    assert "Everyone" not in sentence


def test_everyone_reached_and_every_regular_community_seen(store):
    cid = store.add(Community(name="Choir", activity=3))
    pid = store.add(Person(name="Mo", circle=5, communities=(cid,)))
    store.add(LogEntry(date=TODAY, community_id=cid, person_id=pid))
    frames = Frames(store)
    assert analytics.neglected(frames["communities"], frames["log"], TODAY).empty
    assert analytics.unreached_people(frames["people"], frames["log"], TODAY).empty
    assert p._neglected_empty(frames) == ("Every community you are regularly part of saw a give "
                                          "from you in the last 8 weeks.")
    assert p._unreached_empty(frames) == ("Everyone in your two closest circles had a give from "
                                          "you in the last 3 months.")


def test_nothing_due_with_a_resolution_kept(store):
    cid = store.add(Community(name="Choir", activity=3))
    rid = store.add(Resolution(cue="after rehearsal", give="thank the conductor",
                               community_id=cid, times=1, per="year",
                               start=TODAY.replace(month=1, day=1)))
    store.add(LogEntry(date=TODAY, community_id=cid, resolution_id=rid))
    frames = Frames(store)
    assert follow.due_now(frames, TODAY) == []
    assert "each running resolution has its gives" in p._due_empty(frames, TODAY)


def test_suggestions_outside_the_year_being_planned(frames):
    sentence = p._suggestions_empty(frames, False, 2026, 2027)
    assert "choose 2026" in sentence and "Nothing stands out" not in sentence


def test_no_gives_this_year_after_a_year_of_them(store):
    cid = store.add(Community(name="Choir", activity=3))
    for day in (1, 2, 3):
        store.add(LogEntry(date=dt.date(TODAY.year - 1, 3, day), community_id=cid))
    frames = Frames(store)
    text = p._year_advice(frames, TODAY, TODAY.year)
    assert "0 gives in 0 communities, fewer than the 3 of" in text


def test_one_give_one_community_one_day(store):
    cid = store.add(Community(name="Choir", activity=3))
    store.add(LogEntry(date=TODAY - dt.timedelta(days=1), community_id=cid))
    frames = Frames(store)
    assert "1 give in 1 community" in p._year_advice(frames, TODAY, TODAY.year)
    assert p._days_text(1) == "1 day ago" and p._days_text(0) == "earlier today"
    assert p._days_text(1510) == "1,510 days ago"


def test_the_progress_page_shows_the_true_empty_sentence(tmp_path):
    session = pages.open_session(tmp_path / "w.sqlite")
    try:
        cid = session.store.add(Community(name="Choir", activity=3))
        session.store.add(Person(name="Lee", circle=150, communities=(cid,)))
        session.changed({"communities", "people", "memberships"})
        page = pages.progress_page(session)
        assert "Nobody on your map is in your two closest circles" in page.parts["unreached"].value
        assert "Everyone" not in page.parts["unreached"].value
        log = pages.log_page(session)
        assert "no resolution is running" in log.parts["due"].empty.text
    finally:
        session.close()


def test_the_demo_reads_in_whole_words(demo_one_year):
    with demo_one_year.read() as store:
        frames = Frames(store)
        sentences = [advice(frames, TODAY, TODAY.year) for advice in (
            p._map_advice, p._plan_advice, p._calendar_advice, p._balance_advice,
            p._visibility_advice, p._year_advice)]
    assert all(sentences)
    for sentence in sentences:
        assert not re.search(r"\b1 (times|hours|gives|days|weeks|communities)\b", sentence)
        assert not re.search(r"\b\d{4,} (gives|times|hours|days|weeks)", sentence), sentence
