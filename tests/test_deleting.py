"""Deleting from a page's list: what depends on the record is said first, the alternative is
offered, Cancel keeps everything, Delete deletes what the schema says, Undo puts it all back."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from shared import HOSTILE

from workbook import clock, pages
from workbook.forms.lists import TOO_LATE
from workbook.model import Community, HelpReceived, LogEntry, Pause, Person, Resolution
from workbook.pages.presenter import short_date
from workbook.store import FRAME_NAMES, Link, StaleRecordError, Store
from workbook.store.removal import UNDO_REFUSED, links

TODAY = clock.today()
STALE = "This was changed in another tab or window: reload it to see the change"
DAY = TODAY - dt.timedelta(days=20)
CHOIR, PANTRY, QUIET = 1, 2, 3
ANA, MO = 1, 2


def _records() -> list:
    """Harbour Choir with 12 gives, 2 resolutions and 5 people; a pantry with a person, a break
    and help noted there; a community nobody uses."""
    people = [Person("Ana", communities=(CHOIR, PANTRY), id=ANA),
              Person("Mo", communities=(CHOIR,), id=MO)]
    people += [Person(f"P{i}", communities=(CHOIR,), id=10 + i) for i in range(3)]
    return [
        Community("Harbour Choir", id=CHOIR, activity=3),
        Community("Food pantry", kind="volunteering", id=PANTRY),
        Community("Old club", id=QUIET, activity=0),
        *people,
        Resolution("after rehearsal", "ask a newcomer how they are", CHOIR, person_id=ANA,
                   start=DAY, id=1),
        Resolution("on the first Sunday", "bring soup", CHOIR, start=TODAY + dt.timedelta(3),
                   id=2),
        *[LogEntry(DAY + dt.timedelta(days=i), CHOIR, person_id=ANA if i < 3 else None,
                   resolution_id=1 if i < 4 else None, id=100 + i) for i in range(12)],
        Pause(DAY, DAY + dt.timedelta(days=2), community_id=PANTRY, id=1),
        HelpReceived(DAY, community_id=PANTRY, person_id=ANA, note="a lift home", id=1),
    ]


@pytest.fixture
def session(tmp_path):
    path = tmp_path / "mine.sqlite"
    with Store(path) as store:
        store.add_many(_records())
    s = pages.open_session(path)
    yield s
    s.close()


def dump(store) -> dict:
    return {name: store.frame(name).to_dict("records") for name in FRAME_NAMES}


def plain(line) -> str:
    return line.text.replace("\u2068", "").replace("\u2069", "")


def ask(records, record_id):
    records.select.value = record_id
    records.delete_button.click()
    assert records.error.text == ""
    assert records.confirm.layout.display is None
    return plain(records.confirm_title), plain(records.confirm_says)


def delete_and_undo(session, records, record_id, tables_after):
    """Delete one record, check what went, press Undo and check everything is back."""
    before = dump(session.store)
    ask(records, record_id)
    assert records.confirm_button.button_style == "danger"
    records.confirm_button.click()
    assert records.error.text == ""
    assert plain(records.status).startswith("Deleted ")
    assert records.undo_button.layout.display is None
    assert record_id not in [v for _, v in records.select.options]
    after = dump(session.store)
    assert {n for n in FRAME_NAMES if after[n] != before[n]} == tables_after
    records.undo_button.click()
    assert records.error.text == "" and plain(records.status).endswith(" is back.")
    assert dump(session.store) == before
    assert records.select.value == record_id  # back in the list, chosen again
    return after


# -- a community ---------------------------------------------------------------------------------

def test_a_community_with_gives_is_refused_up_front_and_dormant_is_offered(session):
    page = pages.communities_page(session)
    records = page.parts["community_list"]
    before = dump(session.store)
    title, says = ask(records, CHOIR)
    assert title == "Harbour Choir cannot be deleted."
    assert says == ("Harbour Choir has 12 gives, 2 resolutions and 5 people in it. A community "
                    "with gives or resolutions cannot be deleted: they are your history there. "
                    "Set it to dormant instead: it stays on your map, quiet, with all of its "
                    "history.")
    assert records.confirm_button.layout.display == "none"  # no Delete to press
    assert records.instead_button.description == "Set it to dormant instead"
    assert records.cancel_button.layout.display is None
    records.instead_button.click()
    assert records.error.text == "" and records.confirm.layout.display == "none"
    assert plain(records.status) == ("Harbour Choir is dormant now: it stays on your map, "
                                     "with all its history.")
    assert session.store.get(Community, CHOIR).activity == 0
    after = dump(session.store)
    assert after["communities"][0]["activity"] == 0
    assert {n for n in FRAME_NAMES if after[n] != before[n]} == {"communities"}
    assert "dormant" in records.select.options[0][0]  # the list shows it at once
    # Dormant already: nothing more to offer, and still no delete.
    ask(records, CHOIR)
    assert records.instead_button.layout.display == "none"
    assert "It is dormant already" in plain(records.confirm_says)


def test_cancel_leaves_everything(session):
    page = pages.communities_page(session)
    records = page.parts["community_list"]
    before = dump(session.store)
    ask(records, PANTRY)
    records.cancel_button.click()
    assert records.confirm.layout.display == "none"
    assert records.status.text == "" and records.undo_button.layout.display == "none"
    records.confirm_button.click()  # a press left over from the question does nothing
    assert dump(session.store) == before
    assert records.select.value == PANTRY


def test_a_community_goes_with_its_memberships_and_breaks_and_comes_back(session):
    page = pages.communities_page(session)
    records = page.parts["community_list"]
    title, says = ask(records, PANTRY)
    assert title == "Delete Food pantry?"
    assert says == ("Food pantry has 1 person in it, 1 break and 1 note of help. The person in "
                    "it stays among the people you know, out of this community. Its break goes "
                    "with it. The note of help stays, in no community. If you only see it less "
                    "now, set it to dormant instead.")
    assert records.instead_button.description == "Set it to dormant instead"
    after = delete_and_undo(session, records, PANTRY,
                            {"communities", "memberships", "pauses", "help"})
    assert after["pauses"] == [] and after["help"][0]["community_id"] is None
    assert session.store.get(Person, ANA).communities == (CHOIR, PANTRY)


def test_the_words_count_many_as_well(session):
    store = session.store
    cid = store.add(Community("Book club", activity=0))
    for pid in (ANA, MO):
        person = store.get(Person, pid)
        store.update(person.with_changes(communities=(*person.communities, cid)))
    store.add_many([Pause(DAY, DAY, community_id=cid), Pause(TODAY, None, community_id=cid),
                    HelpReceived(DAY, community_id=cid, note="a book")])
    session.changed()
    records = pages.communities_page(session).parts["community_list"]
    _title, says = ask(records, cid)
    assert says == ("Book club has 2 people in it, 2 breaks and 1 note of help. The 2 people in "
                    "it stay among the people you know, out of this community. Its 2 breaks go "
                    "with it. The note of help stays, in no community.")
    delete_and_undo(session, records, cid, {"communities", "memberships", "pauses", "help"})


def test_a_community_nothing_needs(session):
    records = pages.communities_page(session).parts["community_list"]
    title, says = ask(records, QUIET)
    assert (title, says) == ("Delete Old club?", "Nothing else in the workbook needs Old club.")
    assert records.instead_button.layout.display == "none"  # dormant already
    delete_and_undo(session, records, QUIET, {"communities"})


# -- a person ------------------------------------------------------------------------------------

def test_a_person_goes_with_their_memberships_and_the_gives_stay(session):
    records = pages.communities_page(session).parts["person_list"]
    title, says = ask(records, ANA)
    assert title == "Delete Ana?"
    assert says == ("Ana is in 2 communities and named in 3 gives, 1 resolution and 1 note of "
                    "help. Deleting takes them out of those communities. The 3 gives, "
                    "1 resolution and 1 note of help stay, naming nobody.")
    assert records.instead_button.layout.display == "none"  # nothing to offer instead
    gives = {g.id: g.version for g in session.store.records(LogEntry)}
    after = delete_and_undo(session, records, ANA,
                            {"people", "memberships", "resolutions", "log", "help"})
    assert all(g["person_id"] is None for g in after["log"])
    # The person is a new write (no form opened before can save over it); the gives that only
    # got their link back are as any open form read them.
    assert {g.id: g.version for g in session.store.records(LogEntry)} == gives
    title, says = ask(records, MO)
    assert says == "Mo is in 1 community. Deleting takes them out of that community."


# -- a resolution --------------------------------------------------------------------------------

def test_a_resolution_can_end_today_instead_and_its_gives_stay(session):
    page = pages.plan_page(session)
    records = page.parts["list"]
    title, says = ask(records, 1)
    assert title == "Delete the resolution \u201cask a newcomer how they are\u201d?"
    assert says == ("4 gives count for it. Deleting it keeps the gives, counted for no "
                    "resolution, and its record of follow-through is gone.")
    assert records.instead_button.description == "End it today instead"
    after = delete_and_undo(session, records, 1, {"resolutions", "log"})
    assert all(g["resolution_id"] is None for g in after["log"])
    ask(records, 1)
    records.instead_button.click()
    assert plain(records.status) == "It ends today: every give for it still counts."
    ended = session.store.get(Resolution, 1)
    assert (ended.end, ended.active) == (TODAY, True)
    # Not started yet: nothing to end, only the delete.
    title, says = ask(records, 2)
    assert says == "No give counts for it yet."
    assert records.instead_button.layout.display == "none"
    delete_and_undo(session, records, 2, {"resolutions"})


# -- a give, help, a break -----------------------------------------------------------------------

def test_a_give_help_and_a_break_depend_on_nothing(session):
    log = pages.log_page(session)
    title, says = ask(log.parts["list"], 111)
    day = short_date(DAY + dt.timedelta(days=11))
    assert title == f"Delete the give of {day} in Harbour Choir?"
    assert says == "Nothing else in the workbook depends on it."
    delete_and_undo(session, log.parts["list"], 111, {"log"})
    title, says = ask(log.parts["help_list"], 1)
    assert title == f"Delete the help noted on {short_date(DAY)}?"
    delete_and_undo(session, log.parts["help_list"], 1, {"help"})
    plan = pages.plan_page(session)
    title, says = ask(plan.parts["pauses"], 1)
    assert says == ("Nothing else in the workbook depends on it. Its days count as planned days "
                    "again.")
    delete_and_undo(session, plan.parts["pauses"], 1, {"pauses"})


# -- undo ----------------------------------------------------------------------------------------

def test_undo_expires(session):
    records = pages.communities_page(session).parts["person_list"]
    records.undo_seconds = 0.05
    ask(records, MO)
    records.confirm_button.click()
    time.sleep(0.1)
    records.undo_button.click()
    assert records.status.text == TOO_LATE and records.undo_button.layout.display == "none"
    assert session.store.counts()["people"] == 4


def test_the_next_action_on_the_list_ends_the_undo(session):
    records = pages.communities_page(session).parts["person_list"]
    ask(records, MO)
    records.confirm_button.click()
    records.select.value = ANA
    records.edit_button.click()
    assert records.undo_button.layout.display == "none" and records.status.text == ""


def test_undo_is_refused_when_a_new_record_took_the_number(session):
    records = pages.communities_page(session).parts["community_list"]
    ask(records, QUIET)
    records.confirm_button.click()
    with Store(session.path) as other:  # another tab adds a community: it gets number 3
        assert other.add(Community("New one")) == QUIET
    records.undo_button.click()
    assert records.error.text == UNDO_REFUSED
    assert session.store.get(Community, QUIET).name == "New one"


# -- another tab ---------------------------------------------------------------------------------

def test_a_delete_of_a_record_changed_in_another_tab_is_refused(session):
    records = pages.communities_page(session).parts["person_list"]
    with Store(session.path) as other:
        other.update(other.get(Person, MO).with_changes(name="Mo B."))
    before = dump(session.store)
    records.select.value = MO
    records.delete_button.click()  # the list still shows the old read
    assert records.error.text == STALE and records.confirm.layout.display == "none"
    # Asked, then changed elsewhere before Delete is pressed: refused as well.
    session.changed({"people"})
    ask(records, MO)
    with Store(session.path) as other:
        other.update(other.get(Person, MO).with_changes(notes="met at the market"))
    records.confirm_button.click()
    assert records.error.text == STALE and records.undo_button.layout.display == "none"
    assert dump(session.store)["people"] == before["people"][:1] + [
        {**before["people"][1], "notes": "met at the market"}] + before["people"][2:]


def test_an_edit_opened_before_a_delete_cannot_save_over_the_undone_record(session):
    page = pages.communities_page(session)
    records, form = page.parts["community_list"], page.parts["community_form"]
    with Store(session.path) as other:
        stale = other.get(Community, QUIET)
        ask(records, QUIET)
        records.confirm_button.click()
        records.undo_button.click()
        with pytest.raises(StaleRecordError):
            other.update(stale.with_changes(name="From before the delete"))
    assert session.store.get(Community, QUIET).name == "Old club"
    assert form.editing is None


# -- words ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_are_shown_as_text(session, name):
    session.store.update(session.store.get(Community, PANTRY).with_changes(name=name))
    session.store.update(session.store.get(Person, ANA).with_changes(name=name))
    session.changed()
    page = pages.communities_page(session)
    for records, record_id in ((page.parts["community_list"], PANTRY),
                               (page.parts["person_list"], ANA)):
        title, says = ask(records, record_id)
        assert title == f"Delete {name}?" and says.startswith(f"{name} ")
        for line in (records.confirm_title, records.confirm_says):
            assert "<script" not in line.value and "<img" not in line.value
        records.confirm_button.click()
        assert plain(records.status) == f"Deleted {name}."
        assert "<script" not in records.status.value and "<img" not in records.status.value
        records.undo_button.click()
        assert plain(records.status) == f"{name} is back."


def test_a_long_name_is_cut_short_in_the_question(session):
    long = "Choir " * 33  # 198 characters: a name may have 200
    session.store.update(session.store.get(Community, PANTRY).with_changes(name=long))
    session.changed()
    records = pages.communities_page(session).parts["community_list"]
    title, _says = ask(records, PANTRY)
    assert len(title) < 100 and title.endswith("\u2026?")


# -- the rules come from the schema --------------------------------------------------------------

def test_what_a_delete_takes_along_is_read_from_the_schema(session):
    with session.store.transaction() as con:
        found = {table: set(links(con, table)) for table in ("community", "person", "resolution",
                                                             "log_entry", "pause")}
    assert found == {
        "community": {Link("membership", "community_id", "CASCADE"),
                      Link("resolution", "community_id", "RESTRICT"),
                      Link("log_entry", "community_id", "RESTRICT"),
                      Link("help_received", "community_id", "SET NULL"),
                      Link("pause", "community_id", "CASCADE")},
        "person": {Link("membership", "person_id", "CASCADE"),
                   Link("resolution", "person_id", "SET NULL"),
                   Link("log_entry", "person_id", "SET NULL"),
                   Link("help_received", "person_id", "SET NULL")},
        "resolution": {Link("log_entry", "resolution_id", "SET NULL")},
        "log_entry": set(), "pause": set()}
