"""No lost update: a save from an older read of a record is refused, in the store and on a page.

Two `Store` objects (or two sessions) on one file stand for two tabs or windows: each reads a
record, one saves, and the other's save must neither overwrite it nor claim to have saved.
"""

from __future__ import annotations

import json

import pytest
from shared import HOSTILE

from workbook import backup, clock, pages
from workbook.model import Community, LogEntry, Person, Resolution
from workbook.store import FRAME_NAMES, StaleRecordError, Store

TODAY = clock.today()
STALE = "This was changed in another tab or window: reload it to see the change"


@pytest.fixture
def path(tmp_path):
    """A workbook with a community, a person in it and a give there."""
    p = tmp_path / "shared.sqlite"
    with Store(p) as store:
        store.add_many([Community("Choir", id=1), Person("Ana", communities=(1,), id=1),
                        LogEntry(TODAY, 1, person_id=1, id=1)])
    return p


@pytest.fixture
def two(path):
    """Two stores on the one file, like two tabs."""
    with Store(path) as a, Store(path) as b:
        yield a, b


def dump(store) -> dict:
    return {name: store.frame(name).to_dict("records") for name in FRAME_NAMES}


# -- the store -----------------------------------------------------------------------------------

def test_a_save_from_an_older_read_is_refused_and_writes_nothing(two):
    a, b = two
    in_a, in_b = a.get(Community, 1), b.get(Community, 1)
    assert in_a.version == in_b.version is not None
    a.update(in_a.with_changes(name="Harbour Choir"))
    kept = dump(a)
    with pytest.raises(StaleRecordError) as refused:
        b.update(in_b.with_changes(name="Town Choir", notes="B's notes"))
    assert str(refused.value) == STALE
    assert dump(b) == kept and b.get(Community, 1).name == "Harbour Choir"
    assert b.opened.saves == 0  # the refused transaction counts as no save
    # Read again, the same change goes in.
    b.update(b.get(Community, 1).with_changes(name="Town Choir"))
    assert a.get(Community, 1).name == "Town Choir"


def test_every_write_gives_a_new_version_and_each_row_its_own(two):
    a, _ = two
    first = a.get(Community, 1).version
    a.update(a.get(Community, 1).with_changes(notes="x"))
    second = a.get(Community, 1).version
    a.update(a.get(Community, 1).with_changes(notes="x"))  # the same values: still a write
    third = a.get(Community, 1).version
    assert len({first, second, third}) == 3
    ids = a.add_many([Community(f"C{i}") for i in range(50)])
    versions = [c.version for c in a.records(Community)]
    assert len(set(versions)) == len(versions) == len(ids) + 1
    assert all(0 <= v < 2**62 for v in versions)


def test_save_refuses_the_whole_batch_when_one_record_is_stale(two):
    a, b = two
    community, person = b.get(Community, 1), b.get(Person, 1)
    a.update(a.get(Person, 1).with_changes(name="Ana M."))
    before = dump(a)
    with pytest.raises(StaleRecordError):
        b.save([community.with_changes(name="Choir 2"), Community("New one"),
                person.with_changes(name="Ana B.", communities=())])
    assert dump(a) == before  # neither the community, the new one nor the memberships


def test_a_restore_gives_new_versions_so_an_open_form_cannot_overwrite_it(two):
    a, b = two
    stale = b.get(Community, 1)
    a.replace_all(backup.all_records(a))  # the very records read, versions and all
    restored = a.get(Community, 1)
    assert restored == stale and restored.version != stale.version
    with pytest.raises(StaleRecordError, match="reload it"):
        b.update(stale.with_changes(name="Overwritten"))
    assert a.get(Community, 1).name == "Choir"
    # As `import --replace` restores a backup file: the same values, a new version again.
    before = a.get(Community, 1).version
    backup.restore(a, backup.load(backup.to_text(backup.document(a))), replace=True)
    assert a.get(Community, 1).version not in (before, stale.version)
    with pytest.raises(StaleRecordError):
        b.update(restored.with_changes(name="Overwritten"))
    assert a.get(Community, 1).name == "Choir"


def test_a_record_without_a_version_replaces_what_is_saved(two):
    a, b = two
    a.update(a.get(Community, 1).with_changes(name="Harbour Choir"))
    b.update(Community("Written by hand", id=1))
    assert a.get(Community, 1).name == "Written by hand"
    b.update(Person("Ana", id=1))  # memberships as given, as before
    assert a.get(Person, 1).communities == ()


def test_a_missing_record_is_still_named_as_missing(two):
    a, b = two
    stale = b.get(LogEntry, 1)
    a.delete(LogEntry, 1)
    with pytest.raises(Exception, match="There is no log entry number 1") as caught:
        b.update(stale.with_changes(minutes=9))
    assert not isinstance(caught.value, StaleRecordError)


def test_removing_a_record_changed_meanwhile_is_refused(two):
    a, b = two
    stale = b.get(LogEntry, 1)
    a.update(a.get(LogEntry, 1).with_changes(note="changed"))
    with pytest.raises(StaleRecordError):
        b.delete(LogEntry, 1, stale.version)
    assert a.counts()["log"] == 1
    b.delete(LogEntry, 1, b.get(LogEntry, 1).version)
    assert a.counts()["log"] == 0
    b.delete(Person, 1)  # without a version, as before
    assert a.counts()["people"] == 0


def test_carrying_a_resolution_over_is_a_write_of_the_gives_it_moves(path):
    start, split = TODAY.replace(month=1, day=1), TODAY.replace(month=2, day=1)
    assert split <= TODAY  # the give, dated today, falls to the copy
    with Store(path) as store:
        rid = store.add(Resolution("cue", "give", 1, start=start))
        store.update(store.get(LogEntry, 1).with_changes(resolution_id=rid))
        give = store.get(LogEntry, 1)
        old = store.get(Resolution, rid)
        copy_id = store.carry_over(old.with_changes(end=TODAY.replace(month=1, day=31)),
                                   old.with_changes(id=None, start=split))
        assert store.get(LogEntry, 1).resolution_id == copy_id
        with pytest.raises(StaleRecordError):
            store.update(give.with_changes(note="from before"))
        assert store.get(LogEntry, 1).resolution_id == copy_id


def test_the_version_is_no_part_of_frames_backups_or_plain_values(two):
    a, _ = two
    record = a.get(Community, 1)
    assert "version" not in record.to_dict() and "version" not in repr(record)
    assert all("version" not in frame.columns for frame in a.frames().values())
    assert '"version"' not in json.dumps(backup.document(a))
    assert '"version"' not in backup.to_text(backup.to_document(a.records(Community)))
    assert record == Community("Choir", id=1)  # compared by what a person wrote


def test_hostile_text_is_refused_the_same_way(two):
    a, b = two
    for text in HOSTILE:
        stale = b.get(Community, 1)
        a.update(a.get(Community, 1).with_changes(notes=text))
        with pytest.raises(StaleRecordError):
            b.update(stale.with_changes(notes=text + "!"))
        assert a.get(Community, 1).notes == text


# -- two sessions on one file: the communities page ---------------------------------------------

def _open_for_editing(page):
    records = page.parts["community_list"]
    records.select.value = 1
    records.edit_button.click()
    form = page.parts["community_form"]
    assert form.editing is not None and form.editing.id == 1
    return form


def test_the_second_tab_to_save_is_told_and_keeps_what_was_typed(path):
    tab_a, tab_b = pages.open_session(path), pages.open_session(path)
    try:
        page_a, page_b = pages.communities_page(tab_a), pages.communities_page(tab_b)
        form_a, form_b = _open_for_editing(page_a), _open_for_editing(page_b)
        form_a.fields["name"].value = "Harbour Choir"
        form_a.save_button.click()
        assert form_a.status.text.startswith("Saved the changes")
        typed = f"Town Choir {HOSTILE[0]}"
        form_b.fields["name"].value = typed
        form_b.fields["activity"].value = 4
        form_b.save_button.click()
        assert form_b.form_error.text == STALE
        assert form_b.status.text == ""  # no "Saved the changes"
        assert form_b.fields["name"].value == typed and form_b.fields["activity"].value == 4
        assert form_b.editing is not None
        with Store(path) as store:
            assert [c.name for c in store.records(Community)] == ["Harbour Choir"]
        # Deleting it from tab B, which still shows the old read, is refused the same way.
        records_b = page_b.parts["community_list"]
        records_b.select.value = 1
        records_b.delete_button.click()
        assert records_b.error.text == STALE
        assert records_b.confirm.layout.display == "none"
        # Reloaded, tab B's change goes in.
        form_b = _open_for_editing(page_b)
        assert form_b.fields["name"].value == "Harbour Choir"
        form_b.fields["name"].value = "Town Choir"
        form_b.save_button.click()
        assert form_b.form_error.text == "" and form_b.status.text.startswith("Saved the changes")
        with Store(path) as store:
            assert [c.name for c in store.records(Community)] == ["Town Choir"]
    finally:
        tab_a.close()
        tab_b.close()


def test_an_edit_form_open_across_a_restore_cannot_overwrite_it(path, tmp_path):
    tab = pages.open_session(path)
    try:
        page = pages.communities_page(tab)
        form = _open_for_editing(page)
        with Store(path) as store:
            store.replace_all([r.with_changes(name="Restored") if isinstance(r, Community)
                               else r for r in backup.all_records(store)])
        form.fields["name"].value = "From the old form"
        form.save_button.click()
        assert form.form_error.text == STALE
        with Store(path) as store:
            assert store.get(Community, 1).name == "Restored"
    finally:
        tab.close()
