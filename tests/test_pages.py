"""The pages wired to a real workbook file: save, refuse, edit, remove, switch, refresh, escape."""

from __future__ import annotations

import datetime as dt

import altair as alt
import ipywidgets as widgets
import pytest

from workbook import charts, clock, content, model, pages
from workbook.forms import NONE
from workbook.model import Community, LogEntry, Person, Resolution
from workbook.store import FRAME_NAMES, NotAWorkbookError, Store

TODAY = clock.today()  # the date pyproject.toml pins for the test run
HOSTILE_NAMES = ("<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>")
BUILDERS = (pages.start_page, pages.communities_page, pages.plan_page, pages.log_page,
            pages.progress_page, pages.reflect_page)


@pytest.fixture
def session(tmp_path):
    """A session on a new workbook in a temporary folder."""
    s = pages.open_session(tmp_path / "mine.sqlite")
    yield s
    s.close()


@pytest.fixture
def all_pages(session):
    """Every page, built on the one session, by builder name."""
    return {build.__name__: build(session) for build in BUILDERS}


def dump(store) -> dict:
    return {name: store.frame(name).to_dict("records") for name in FRAME_NAMES}


def walk(widget):
    """Every widget in a page."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def html_of(page) -> str:
    """All HTML a page sets as innerHTML."""
    return "\n".join(w.value for w in walk(page) if isinstance(w, widgets.HTML))


def plain(line) -> str:
    """A TextLine's text without the marks that set names apart from right-to-left text."""
    return line.text.replace("\u2068", "").replace("\u2069", "")


def add_community(page, name, kind="hobby"):
    form = page.parts["community_form"]
    form.fields["name"].value = name
    form.fields["kind"].value = kind
    form.save_button.click()
    return form


def option_values(widget) -> list:
    return [value for _, value in widget.options]


# -- session ------------------------------------------------------------------------------------


def test_open_session_uses_the_workbook_path(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBOOK_DB", str(tmp_path / "from-env.sqlite"))
    s = pages.open_session()
    assert s.path == tmp_path / "from-env.sqlite" and s.path.exists()
    s.close()
    s = pages.open_session(tmp_path / "given.sqlite")
    assert s.path == tmp_path / "given.sqlite" and s.home == s.path
    assert s.today == TODAY
    s.close()


def test_switch_opens_another_workbook_and_refreshes_every_page(session, all_pages, tmp_path):
    other = tmp_path / "other.sqlite"
    with Store(other) as store:
        store.add(Community(name="Rowing club"))
    session.switch(other)
    assert session.path == other
    listed = all_pages["communities_page"].parts["community_list"].select.options
    assert [label.split("  ")[0] for label, _ in listed] == ["Rowing club"]
    log_form = all_pages["log_page"].parts["form"]
    assert log_form.fields["community_id"].options[0][0] == "Rowing club"
    assert all_pages["start_page"].parts["path"].text == f"Your workbook: {other.name}"
    assert str(other) in all_pages["start_page"].parts["full_path"].text


def test_switching_drops_an_edit_begun_in_the_other_file(session, all_pages, tmp_path):
    page = all_pages["communities_page"]
    add_community(page, "Choir")
    records = page.parts["community_list"]
    records.select.value = option_values(records.select)[0]
    records.edit_button.click()
    assert page.parts["community_form"].editing is not None
    session.switch(tmp_path / "other.sqlite")
    assert page.parts["community_form"].editing is None
    assert page.parts["community_form"].fields["name"].value == ""


def test_switch_refuses_a_file_that_is_not_a_workbook(session, all_pages, tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("just some notes")
    with pytest.raises(NotAWorkbookError):
        session.switch(bad)
    assert session.path == tmp_path / "mine.sqlite"
    session.store.add(Community(name="Still open"))  # the old file still works
    assert session.store.counts()["communities"] == 1


def test_the_demo_opens_in_its_own_file_and_the_own_workbook_stays_empty(session, all_pages):
    start = all_pages["start_page"]
    assert start.parts["home_button"].disabled
    start.parts["demo_button"].click()
    assert start.parts["error"].text == ""
    assert session.path == session.demo_path == session.home.parent / "demo.sqlite"
    assert session.is_demo and start.parts["demo_button"].disabled
    assert "demo" in start.parts["path"].text
    assert session.store.counts()["communities"] >= 5
    communities = all_pages["communities_page"].parts["community_list"].select.options
    assert len(communities) == session.store.counts()["communities"]
    start.parts["home_button"].click()
    assert session.path == session.home and not session.is_demo
    assert session.store.counts()["communities"] == 0
    assert all_pages["communities_page"].parts["community_list"].select.options == ()
    # A second visit opens the same demo file again, without writing it twice.
    start.parts["demo_button"].click()
    with Store(session.demo_path) as demo:
        assert demo.counts() == session.store.counts()


def test_start_page_suggests_the_next_step(session, all_pages):
    advice = all_pages["start_page"].parts["advice"]
    assert "mapping your communities" in advice.text
    add_community(all_pages["communities_page"], "Choir")
    assert "Add a few people" in advice.text


@pytest.mark.parametrize(("counts", "last", "words"), [
    ({}, None, "(Step 1, Communities)"),
    ({"communities": 2}, None, "Add a few people"),
    ({"communities": 2, "people": 3}, None, "(Step 2, Plan)"),
    ({"communities": 2, "people": 3, "resolutions": 1}, None, "(Step 3, Log)"),
    ({"communities": 2, "people": 3, "resolutions": 1}, dt.date(2026, 11, 1), "(Step 3, Log)"),
    ({"communities": 2, "people": 3, "resolutions": 1}, dt.date(2026, 11, 20), "(Step 5, Reflect)"),
    ({"communities": 2, "people": 3, "resolutions": 1, "reflections": 2},
     dt.date(2026, 11, 20), "(Step 4, Progress)"),
])
def test_next_step(counts, last, words):
    assert words in pages.next_step(counts, last, TODAY)


def test_december_is_for_the_review():
    counts = {"communities": 2, "people": 3, "resolutions": 1, "reflections": 2}
    assert "Step 5, Reflect" in pages.next_step(counts, dt.date(2026, 12, 1), dt.date(2026, 12, 3))


# -- map ----------------------------------------------------------------------------------------


def test_adding_a_community_saves_it_and_refreshes_the_other_pages(session, all_pages):
    add_community(all_pages["communities_page"], "  Harbour Choir ")
    assert [c.name for c in session.store.records(Community)] == ["Harbour Choir"]
    community_id = session.store.records(Community)[0].id
    page = all_pages["communities_page"]
    assert option_values(page.parts["community_list"].select) == [community_id]
    assert option_values(page.parts["person_form"].fields["communities"]) == [community_id]
    assert all_pages["plan_page"].parts["form"].fields["community_id"].value == community_id
    assert all_pages["log_page"].parts["form"].fields["community_id"].value == community_id
    assert option_values(all_pages["log_page"].parts["help_form"].fields["community_id"]) == [
        NONE, community_id]
    assert "Harbour Choir" in all_pages["progress_page"].parts["by_community"].value


def test_a_refused_community_saves_nothing(session, all_pages):
    before = dump(session.store)
    form = add_community(all_pages["communities_page"], "   ")
    assert form.errors["name"].text == "Name must not be empty."
    assert dump(session.store) == before


def test_editing_a_community_from_the_list(session, all_pages):
    page = all_pages["communities_page"]
    add_community(page, "Choir")
    records = page.parts["community_list"]
    records.select.value = option_values(records.select)[0]
    records.edit_button.click()
    form = page.parts["community_form"]
    assert form.fields["name"].value == "Choir" and form.editing is not None
    form.fields["name"].value = "Harbour Choir"
    form.fields["activity"].value = 4
    form.save_button.click()
    saved = session.store.records(Community)
    assert [(c.name, c.activity) for c in saved] == [("Harbour Choir", 4)]
    assert "Harbour Choir" in records.select.options[0][0]


def test_deleting_a_community_asks_first(session, all_pages):
    page = all_pages["communities_page"]
    add_community(page, "Choir")
    records = page.parts["community_list"]
    records.select.value = option_values(records.select)[0]
    records.delete_button.click()
    assert session.store.counts()["communities"] == 1
    records.confirm_button.click()
    assert session.store.counts()["communities"] == 0
    assert records.select.options == () and records.empty_line.layout.display is None


def test_a_community_with_gives_cannot_be_deleted(session, all_pages):
    cid = session.store.add(Community(name="Choir"))
    session.store.add(LogEntry(date=session.today, community_id=cid))
    session.changed()
    before = dump(session.store)
    records = all_pages["communities_page"].parts["community_list"]
    records.select.value = cid
    records.delete_button.click()
    assert records.confirm_title.text == "\u2068Choir\u2069 cannot be deleted."
    assert records.confirm_button.layout.display == "none"
    assert dump(session.store) == before


def test_people_with_two_communities_show_as_bridges(session, all_pages):
    page = all_pages["communities_page"]
    choir = session.store.add(Community(name="Choir"))
    pantry = session.store.add(Community(name="Pantry"))
    session.changed()
    form = page.parts["person_form"]
    form.fields["name"].value = "Mo"
    form.fields["circle"].value = 15
    form.fields["communities"].value = (choir, pantry)
    form.save_button.click()
    form.fields["name"].value = "Lee"
    form.fields["communities"].value = (choir,)
    form.save_button.click()
    people = {p.name: p for p in session.store.records(Person)}
    assert people["Mo"].communities == (choir, pantry) and people["Mo"].circle == 15
    bridges = page.parts["bridges"].value
    assert "Mo" in bridges and "Good friends 15" in bridges and "Lee" not in bridges
    labels = [label for label, _ in page.parts["person_list"].select.options]
    assert labels == ["Lee  (Acquaintances 150, 1 community)",
                      "Mo  (Good friends 15, 2 communities)"]


def test_deleting_a_person_being_edited_empties_the_form(session, all_pages):
    page = all_pages["communities_page"]
    pid = session.store.add(Person(name="Mo"))
    session.changed()
    records = page.parts["person_list"]
    records.select.value = pid
    records.edit_button.click()
    assert page.parts["person_form"].editing.id == pid
    records.delete_button.click()
    records.confirm_button.click()
    assert session.store.counts()["people"] == 0
    assert page.parts["person_form"].editing is None


# -- plan ---------------------------------------------------------------------------------------


def test_a_resolution_from_an_idea_is_saved_listed_and_paused(session, all_pages):
    cid = session.store.add(Community(name="Congregation", kind="faith"))
    session.changed()
    page = all_pages["plan_page"]
    form = page.parts["form"]
    assert form.idea_kind.value == "faith"  # the community's kind filters the ideas
    form.idea_list.value = form.idea_list.options[0][1]
    form.use_idea_button.click()
    form.fields["cue"].value = "after the Sunday service"
    form.fields["times"].value = 2
    form.save_button.click()
    [saved] = session.store.records(Resolution)
    assert saved.community_id == cid and saved.times == 2 and saved.idea_id
    assert saved.give == content.give_idea(saved.idea_id).give
    records = page.parts["list"]
    # 26 November: it is a New Year's resolution, and the list says when it starts
    assert records.select.options[0][0].startswith(
        f"starts 1 Jan {TODAY.year + 1} · When after the Sunday service in Congregation, I will")
    records.select.value = saved.id
    page.parts["end_button"].click()  # not started yet: nothing to end
    assert records.error.text.startswith("It has not started yet")
    session.store.update(saved.with_changes(start=TODAY - dt.timedelta(days=10)))
    session.changed()
    records.select.value = saved.id
    page.parts["end_button"].click()
    assert session.store.get(Resolution, saved.id).end == TODAY  # its history stays
    assert records.select.options[0][0].startswith(f"running until {TODAY.day} ")
    records.select.value = saved.id
    page.parts["again_button"].click()
    again = session.store.records(Resolution)[-1]
    assert (again.start, again.end, again.give) == (TODAY + dt.timedelta(days=1), None,
                                                     saved.give)


def test_only_active_resolutions_are_offered_when_logging(session, all_pages):
    cid = session.store.add(Community(name="Choir"))
    active = session.store.add(Resolution(cue="a", give="b", community_id=cid))
    session.store.add(Resolution(cue="c", give="d", community_id=cid, active=False))
    session.changed()
    offered = option_values(all_pages["log_page"].parts["form"].fields["resolution_id"])
    assert offered == [NONE, active]


# -- log ----------------------------------------------------------------------------------------


def test_quick_log_edit_and_delete(session, all_pages):
    session.store.add(Community(name="Choir"))
    pantry = session.store.add(Community(name="Pantry"))
    session.store.add(LogEntry(date=dt.date(2026, 11, 1), community_id=pantry))
    session.changed()
    page = all_pages["log_page"]
    form = page.parts["form"]
    assert form.fields["community_id"].value == pantry  # the last one used
    form.fields["kind"].value = "link"
    form.save_button.click()
    gives = session.store.records(LogEntry)
    assert [(g.date, g.community_id, g.kind) for g in gives][-1] == (session.today, pantry, "link")
    records = page.parts["list"]
    assert records.select.options[0][0].startswith(f"{TODAY} · Pantry · link")
    records.select.value = gives[-1].id
    records.edit_button.click()
    form.fields["minutes"].value = 45
    form.fields["note"].value = "sorted the tins"
    form.save_button.click()
    assert session.store.get(LogEntry, gives[-1].id).minutes == 45
    assert session.store.counts()["log"] == 2
    records.select.value = gives[-1].id
    records.delete_button.click()
    assert session.store.counts()["log"] == 2
    assert records.confirm_button.description == "Delete"
    records.confirm_button.click()
    assert session.store.counts()["log"] == 1


def test_help_received_is_saved_and_listed(session, all_pages):
    page = all_pages["log_page"]
    form = page.parts["help_form"]
    form.fields["note"].value = "Mo lent me a ladder"
    form.save_button.click()
    assert session.store.counts()["help"] == 1
    assert "Mo lent me a ladder" in page.parts["help_list"].select.options[0][0]


# -- progress and reflect --------------------------------------------------------------------------


def test_progress_counts_gives_per_community_and_plan_against_actual(session, all_pages):
    cid = session.store.add(Community(name="Choir"))
    quiet = session.store.add(Community(name="Forum", kind="online"))
    rid = session.store.add(Resolution(cue="after rehearsal", give="thank someone",
                                       community_id=cid, times=1, per="week",
                                       start=dt.date(2026, 10, 30)))
    for day in (dt.date(2026, 11, 5), dt.date(2026, 11, 12), dt.date(2026, 11, 19)):
        session.store.add(LogEntry(date=day, community_id=cid, resolution_id=rid, minutes=10))
    session.store.add(LogEntry(date=dt.date(2026, 3, 1), community_id=quiet))
    session.changed()
    page = all_pages["progress_page"]
    table = page.parts["by_community"].value
    assert table.index("Choir") < table.index("Forum")  # the more visible first
    assert ">2026-11-19<" in table and ">30<" in table and ">2026-03-01<" in table
    plan = page.parts["plan_vs_actual"].value
    # 28 days from 30 October to 26 November, once a week: 4.0 planned, 3 logged, one short.
    assert ">4.0<" in plan and ">3<" in plan and ">75%<" in plan and ">on track<" in plan
    assert ">Forum<" in page.parts["neglected"].value
    assert page.parts["streaks"].text == (
        "Weeks in a row with a give: 3 now; 3 at most, from the week of 2026-11-02 to the week "
        "of 2026-11-16.")
    reflect = all_pages["reflect_page"]
    suggested = [row.children[0].text for row in reflect.parts["suggestions"].rows]
    assert f"Nothing is planned in Forum for {TODAY.year + 1}." in suggested
    assert reflect.parts["year_summary"].text.startswith(
        f"In {TODAY.year} so far you logged 4 gives")
    assert any(r.children[0].text.startswith("Choir (")
               for r in reflect.parts["decisions"].rows)


def test_reflections_and_the_review_are_saved_and_shown(session, all_pages):
    page = all_pages["reflect_page"]
    form = page.parts["form"]
    form.stage.value = "give"
    form.fields["answer"].value = "Helped at the pantry <b>twice</b>"
    form.save_button.click()
    assert session.store.counts()["reflections"] == 1
    assert "Helped at the pantry &lt;b&gt;twice&lt;/b&gt;" in page.parts["answers"].value
    review = page.parts["review_form"]
    review.fields["review-next-year"].value = "The choir again"
    review.fields["review-proudest"].value = "The pantry"
    review.save_button.click()
    assert session.store.counts()["reflections"] == 3
    assert "The choir again" in page.parts["answers"].value


def test_the_review_saves_into_the_file_open_now(session, all_pages, tmp_path):
    other = tmp_path / "other.sqlite"
    session.switch(other)
    review = all_pages["reflect_page"].parts["review_form"]
    review.fields["review-proudest"].value = "x"
    review.save_button.click()
    assert session.store.counts()["reflections"] == 1
    with Store(tmp_path / "mine.sqlite") as mine:
        assert mine.counts()["reflections"] == 0


# -- every page --------------------------------------------------------------------------------


@pytest.mark.parametrize("build", BUILDERS, ids=lambda b: b.__name__)
def test_every_page_is_one_widget_with_prose_that_can_be_left_out(session, build):
    page = build(session)
    assert isinstance(page, widgets.VBox) and isinstance(page, pages.Page)
    with_prose = html_of(page)
    assert "What next" in with_prose
    bare = build(session, prose=False)
    assert "What next" not in html_of(bare)
    assert len(list(walk(bare))) < len(list(walk(page)))


@pytest.mark.parametrize("build", BUILDERS, ids=lambda b: b.__name__)
def test_every_page_builds_on_the_demo(session, build):
    session.open_demo()
    page = build(session)
    assert html_of(page)


def test_hostile_names_never_reach_html_unescaped(session, all_pages):
    communities = all_pages["communities_page"]
    for name in HOSTILE_NAMES:
        add_community(communities, name)
    ids = [c.id for c in session.store.records(Community)]
    assert [c.name for c in session.store.records(Community)] == list(HOSTILE_NAMES)
    person_form = communities.parts["person_form"]
    for name in HOSTILE_NAMES:
        person_form.fields["name"].value = name
        person_form.fields["notes"].value = name
        person_form.fields["communities"].value = tuple(ids)
        person_form.save_button.click()
    plan = all_pages["plan_page"].parts["form"]
    plan.fields["cue"].value = HOSTILE_NAMES[0]
    plan.fields["give"].value = HOSTILE_NAMES[1]
    plan.save_button.click()
    log = all_pages["log_page"].parts["form"]
    log.fields["note"].value = HOSTILE_NAMES[1]
    log.save_button.click()
    reflect = all_pages["reflect_page"].parts["form"]
    reflect.fields["answer"].value = HOSTILE_NAMES[0]
    reflect.save_button.click()
    counts = session.store.counts()
    assert (counts["people"], counts["resolutions"], counts["log"], counts["reflections"]) == (
        2, 1, 1, 1)
    progress = all_pages["progress_page"].parts
    notes = []
    for key in PROGRESS_VIEWS:  # every sentence under a chart names a hostile community
        progress["charts"].choice.value = key
        notes.append(progress["charts"].note.text)
    for button in progress["downloads"].buttons.values():
        button.click()
    assert all(link.value for link in progress["downloads"].links.values())
    assert sum(name in note for note in notes for name in HOSTILE_NAMES) >= 3
    shown = ""
    for page in all_pages.values():
        html = html_of(page)
        assert "<img" not in html and "<script" not in html and "</script" not in html
        shown += html
    assert "&lt;img src=x onerror=alert(1)&gt;" in shown  # shown, as text
    assert "&lt;/script&gt;&lt;script&gt;" in shown


def test_store_refusals_show_next_to_the_form(session, all_pages, monkeypatch):
    session.store.add(Community(name="Choir"))
    session.changed()

    def refuse(record):
        raise model.WorkbookError("The disk is full.")

    monkeypatch.setattr(session.store, "add", refuse)
    form = all_pages["log_page"].parts["form"]
    form.save_button.click()
    assert form.form_error.text == "The disk is full."


# -- charts ------------------------------------------------------------------------------------


@pytest.fixture
def demo_pages(session):
    """Every page on the demo workbook."""
    session.open_demo()
    return {build.__name__: build(session) for build in BUILDERS}


def chart_widgets(page) -> list[alt.JupyterChart]:
    return [w for w in walk(page) if isinstance(w, alt.JupyterChart)]


def title_of(panel: pages.ChartPanel) -> str:
    """The title text of the chart a panel shows."""
    title = panel.chart_widget.chart.to_dict()["title"]
    return title["text"] if isinstance(title, dict) else title


def rows_with(widget: alt.JupyterChart, field: str) -> list[dict]:
    """The rows of the chart's data (as sent to the browser) that have ``field``."""
    return [row for rows in widget.spec["datasets"].values() for row in rows if field in row]


PROGRESS_VIEWS = {
    "plan": "Your resolutions: planned gives and gives logged",
    "calendar": f"Your gives in {TODAY.year}",
    "balance": "Where your gives went in the last 12 weeks",
    "visibility": "Your visibility in each community",
}


def test_pages_show_the_expected_charts(demo_pages):
    panel = demo_pages["communities_page"].parts["map"]
    assert title_of(panel) == "Your communities and the people in them"
    layers = panel.chart_widget.chart.to_dict()["layer"]
    assert {layer["mark"]["type"] for layer in layers} == {"line", "rule", "circle", "text"}
    progress = demo_pages["progress_page"].parts["charts"]
    assert [key for _, key in progress.choice.options] == list(PROGRESS_VIEWS)
    widget = progress.chart_widget
    for key, title in PROGRESS_VIEWS.items():
        progress.choice.value = key
        assert progress.chart_widget is widget  # one widget, its chart swapped
        assert title_of(progress) == title
    assert progress.chart_widget.chart.to_dict()["spec"]["mark"]["type"] == "area"
    year = demo_pages["reflect_page"].parts["year_chart"]
    assert title_of(year) == f"Your year of giving: {TODAY.year}"
    assert year.chart_widget.chart.to_dict()["vconcat"]
    for page in demo_pages.values():
        assert len(chart_widgets(page)) <= 1  # each chart widget ships the whole library
        assert all(w.spec for w in chart_widgets(page))


def test_sentences_under_the_charts_name_the_neglected_community(demo_pages):
    progress = demo_pages["progress_page"].parts["charts"]
    progress.choice.value = "balance"
    assert "and none to Harbour Voices choir: plan one small give" in plain(progress.note)
    progress.choice.value = "visibility"
    assert plain(progress.note).startswith(
        "A community fading here has not seen you lately: Harbour Voices choir has not seen "
        "you for 133 days, measured against one give a month (no plan).")
    progress.choice.value = "calendar"
    assert "This week has its give: 16 weeks in a row." in plain(progress.note)
    progress.choice.value = "plan"
    assert "is nearly there" in plain(progress.note)  # 50-80 % of its plan
    year = demo_pages["reflect_page"].parts["year_chart"]
    assert "Harbour Voices choir went quiet" in plain(year.note)
    assert "Bridges are in pink." in plain(demo_pages["communities_page"].parts["map"].note)
    # The sentences are plain text in the page's HTML, like every other line.
    assert year.note.value in html_of(demo_pages["reflect_page"])


def test_charts_follow_each_save_once_and_wait_while_out_of_sight(session, all_pages,
                                                                  monkeypatch):
    cid = session.store.add(Community(name="Choir"))
    session.store.add(Resolution(cue="after rehearsal", give="thank someone", community_id=cid,
                                 times=1, per="week", start=dt.date(2026, 11, 1)))
    session.changed()
    built = []
    real_chart = charts.chart

    def counted(name, frames, today, year=None, **how):
        built.append(name)
        return real_chart(name, frames, today, year, **how)

    monkeypatch.setattr(charts, "chart", counted)  # the real charts, counted
    progress = all_pages["progress_page"]
    widget = progress.parts["charts"].chart_widget
    assert max(row["Logged"] for row in rows_with(widget, "Logged")) == 0
    log = all_pages["log_page"].parts["form"]

    def log_a_give():
        log.fields["resolution_id"].value = log.fields["resolution_id"].options[1][1]
        log.save_button.click()

    log_a_give()
    # One save: each page in sight that shows gives builds its chart once (the map shows no
    # gives, so it is left as it was), the progress page only the view it shows.
    assert sorted(built) == ["plan_vs_actual", "year_in_review"]
    assert max(row["Logged"] for row in rows_with(widget, "Logged")) == 1
    assert "with a give: 1 now" in progress.parts["streaks"].text

    built.clear()
    progress.shown = False
    log_a_give()
    assert "plan_vs_actual" not in built  # out of sight: nothing drawn, nothing read
    assert ">1<" in progress.parts["plan_vs_actual"].value and progress._stale
    progress.shown = True  # shown again: brought up to date once
    assert ">2<" in progress.parts["plan_vs_actual"].value
    assert built.count("plan_vs_actual") == 1
    assert max(row["Logged"] for row in rows_with(widget, "Logged")) == 2
    progress.shown = False
    progress.shown = True
    assert built.count("plan_vs_actual") == 1  # shown again without a change: nothing to do
    progress.parts["charts"].choice.value = "balance"
    progress.parts["charts"].choice.value = "plan"
    assert built.count("plan_vs_actual") == 2 and built.count("balance_by_community") == 1
    assert progress.parts["charts"].chart_widget is widget


def test_a_new_workbook_shows_friendly_empty_charts(session, all_pages):
    panels = [all_pages["communities_page"].parts["map"],
              all_pages["reflect_page"].parts["year_chart"]]
    progress = all_pages["progress_page"].parts["charts"]
    for panel in panels:
        spec = panel.chart_widget.chart.to_dict()
        assert spec["mark"]["type"] == "text" and panel.note.text
    notes = {}
    for key in PROGRESS_VIEWS:
        progress.choice.value = key
        notes[key] = plain(progress.note)
        assert progress.chart_widget.spec
    assert progress.chart_widget.chart.to_dict()["mark"]["type"] == "text"
    assert "Step 2, Plan" in notes["plan"]
    assert "first give" in notes["calendar"]
    assert "Step 1, Communities" in notes["balance"]
    assert "Add your first community" in plain(panels[0].note)
    assert "No gives logged yet" in all_pages["progress_page"].parts["streaks"].text


def test_sentences_follow_what_happened(session, all_pages):
    choir = session.store.add(Community(name="Choir", activity=3))
    session.store.add(Community(name="Pantry", activity=2))
    session.store.add(Person(name="Mo", communities=(choir,)))
    session.changed()
    map_note = all_pages["communities_page"].parts["map"].note
    assert plain(map_note).startswith("Nobody from Pantry is on your map yet")
    session.store.add(LogEntry(date=session.today, community_id=choir))
    session.changed()
    progress = all_pages["progress_page"].parts["charts"]
    progress.choice.value = "balance"
    assert plain(progress.note) == ("Most of your gives went to Choir (100%), and none to Pantry: "
                                  "plan one small give there this week.")
    progress.choice.value = "calendar"
    assert plain(progress.note).startswith("This week has its give: a run of weeks begins.")
    progress.choice.value = "visibility"
    assert "Pantry has not seen a give from you yet" in plain(progress.note)
    # Each name is isolated, so a right-to-left name cannot reorder the words around it.
    assert "\u2068Pantry\u2069 has not seen" in progress.note.text


# -- downloads --------------------------------------------------------------------------------


def test_download_buttons_show_a_link_and_forget_it_after_a_change(session, all_pages):
    session.store.add(Community(name="Choir"))
    session.changed()
    take_away = all_pages["progress_page"].parts["downloads"]
    states = []
    take_away.status.observe(lambda change: states.append(change.new), names="value")
    take_away.buttons["plan"].click()
    assert "Preparing my-plan.pdf" in states[0] and take_away.status.text == ""
    link = take_away.links["plan"].value
    assert 'download="my-plan.pdf"' in link and 'href="data:application/pdf;base64,JVBER' in link
    assert not any(button.disabled for button in take_away.buttons.values())
    take_away.buttons["backup"].click()
    assert 'download="my-workbook-backup.json"' in take_away.links["backup"].value
    assert take_away.links["plan"].value == link  # each file keeps its own link
    session.store.add(Community(name="Pantry"))
    session.changed()
    assert all(link.value == "" for link in take_away.links.values())


def test_a_failed_download_says_so_and_frees_the_buttons(session, all_pages, tmp_path):
    take_away = all_pages["progress_page"].parts["downloads"]
    session.store.close()  # as if the file went away under the page
    take_away.buttons["xlsx"].click()
    assert "my-workbook.xlsx could not be made" in take_away.error.text
    assert take_away.links["xlsx"].value == "" and take_away.status.text == ""
    assert not any(button.disabled for button in take_away.buttons.values())
    session.switch(tmp_path / "again.sqlite")
    assert take_away.error.text == ""
