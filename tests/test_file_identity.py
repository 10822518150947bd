"""A save goes only into the workbook file still at its path: moved, replaced or deleted while
open, the file is left alone, nothing is written anywhere, and the form says so in place."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from shared import IMG

from workbook import app as webapp
from workbook.model import Community, WorkbookError
from workbook.store import FileGoneError, Store

GONE = "was moved, replaced or deleted while it was open"


def communities(path: Path) -> list[str]:
    with Store(path, readonly=True) as store:
        return list(store.frame("communities")["name"])


def contents(folder: Path) -> dict[str, bytes]:
    """Every file in the folder (the workbooks and SQLite's -wal and -shm beside them)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def opened(tmp_path):
    """A workbook open in a Store, one community saved in the file itself (not only its log)."""
    path = tmp_path / "workbook.sqlite"
    with Store(path) as first:
        first.add(Community("Choir"))
    store = Store(path)
    yield path, store
    store.close()


def test_a_save_after_the_file_was_moved_is_refused_and_the_moved_file_is_untouched(opened):
    path, store = opened
    aside = path.with_name("moved.sqlite")
    os.rename(path, aside)
    before = contents(path.parent)
    with pytest.raises(FileGoneError, match=GONE) as refused:
        store.add(Community("Pantry"))
    assert str(path) in str(refused.value) and "Nothing was saved" in str(refused.value)
    assert isinstance(refused.value, WorkbookError)
    assert store.opened.saves == 0
    assert contents(path.parent) == before
    store.close()
    assert not path.exists()  # nothing made at the old place
    assert communities(aside) == ["Choir"]


def test_a_save_after_the_file_was_replaced_writes_into_neither_file(opened, tmp_path):
    path, store = opened
    other = tmp_path / "other.sqlite"
    with Store(other) as newer:
        newer.add_many([Community("Library"), Community("Guild")])
    kept = tmp_path / "kept.sqlite"
    os.link(path, kept)  # a second name for the file the Store has open, to look into later
    os.replace(other, path)
    before = contents(tmp_path)
    for write in (lambda: store.add(Community("Pantry")),
                  lambda: store.set_owner("Maren"),
                  lambda: store.replace_all([Community("Everything else")]),
                  lambda: store.delete(Community, 1)):
        with pytest.raises(FileGoneError, match=GONE):
            write()
    assert contents(tmp_path) == before
    store.close()
    assert communities(path) == ["Library", "Guild"]
    assert communities(kept) == ["Choir"]
    with Store(kept, readonly=True) as first:
        assert first.owner == ""


def test_a_save_after_the_file_was_deleted_creates_nothing(opened):
    path, store = opened
    os.unlink(path)
    before = contents(path.parent)
    with pytest.raises(FileGoneError, match=GONE):
        store.add(Community("Pantry"))
    assert contents(path.parent) == before
    store.close()
    assert not path.exists()


def test_a_file_put_back_in_its_place_takes_saves_again(opened):
    path, store = opened
    aside = path.with_name("moved.sqlite")
    os.rename(path, aside)
    with pytest.raises(FileGoneError):
        store.add(Community("Pantry"))
    os.rename(aside, path)
    store.add(Community("Library"))
    assert store.opened.saves == 1
    store.close()
    assert communities(path) == ["Choir", "Library"]


def test_a_copy_put_in_the_place_of_the_file_is_another_file(opened, tmp_path):
    path, store = opened
    copy = tmp_path / "copy.sqlite"
    shutil.copy(path, copy)
    os.replace(copy, path)  # same content, another file: the open connection writes elsewhere
    with pytest.raises(FileGoneError):
        store.add(Community("Pantry"))


@pytest.fixture
def app(tmp_path):
    folder = tmp_path / IMG.replace("/", "")  # the path in the message is shown as text
    folder.mkdir()
    built = webapp.build_app(folder / "mine.sqlite")
    built.nav.value = "communities"
    yield built
    built.session.close()


def saves_on_page(app) -> str:
    return app.saved_mark.value


def test_the_form_says_in_place_that_nothing_was_saved(app):
    form = app.built["communities"].parts["community_form"]
    path = app.session.path
    os.unlink(path)
    form.fields["name"].value = "Pantry"
    form.save_button.click()
    assert GONE in form.form_error.text and "reload the page" in form.form_error.text
    assert form.status.text == ""
    assert form.fields["name"].value == "Pantry"  # what was typed stays
    assert IMG.replace("/", "") in form.form_error.text
    assert "<img" not in form.form_error.value  # escaped, as every line of text
    assert saves_on_page(app) == ""
    assert not path.exists()


def test_the_page_is_told_of_each_save_kept_and_of_no_other_change(app):
    form = app.built["communities"].parts["community_form"]
    assert saves_on_page(app) == ""
    form.fields["name"].value = "Choir"
    form.save_button.click()
    assert form.status.text == "Saved Choir."
    assert saves_on_page(app) == '<span data-saves="1"></span>'
    app.refresh()  # a read again is no save
    form.fields["name"].value = ""
    form.save_button.click()  # refused by the form: no save
    assert saves_on_page(app) == '<span data-saves="1"></span>'
    owner = app.page("start").parts["owner_form"]
    owner.fields["name"].value = "Maren"
    owner.save_button.click()
    assert saves_on_page(app) == '<span data-saves="2"></span>'
    app.session.open_demo()  # writes the demo through a Store of its own, not from the page
    assert saves_on_page(app) == '<span data-saves="2"></span>'
    form.fields["name"].value = "Pantry"
    form.save_button.click()
    assert saves_on_page(app) == '<span data-saves="3"></span>'
