"""The owner's name on the Start step: typed, saved, refused in place, and per workbook file."""

from __future__ import annotations

import pytest
from shared import HOSTILE

from workbook import pages
from workbook.forms import OwnerForm
from workbook.model import Owner
from workbook.pages.session import Frames
from workbook.store import Store


@pytest.fixture
def session(tmp_path):
    s = pages.open_session(tmp_path / "mine.sqlite")
    yield s
    s.close()


@pytest.fixture
def start(session):
    return pages.start_page(session)


def save_name(page, text: str) -> OwnerForm:
    form = page.parts["owner_form"]
    form.fields["name"].value = text
    form.save_button.click()
    return form


def test_the_form_hands_over_an_owner_and_touches_nothing_else():
    form = OwnerForm()
    got = []
    form.on_submit(got.append)
    form.fields["name"].value = "  Maren  "
    form.save_button.click()
    assert got == [Owner("Maren")]
    assert form.status.text == "Saved your name."
    form.show_name("Maren")
    assert form.fields["name"].value == "Maren"


@pytest.mark.parametrize("name", [*HOSTILE, "Ana María 👩🏽‍🦱", "x" * 80])
def test_a_name_is_saved_in_the_workbook_and_stays_in_the_field(session, start, tmp_path, name):
    form = save_name(start, name)
    assert form.errors["name"].text == "" and form.form_error.text == ""
    assert session.store.owner == name
    assert form.fields["name"].value == name and form.status.text == "Saved your name."
    with Store(tmp_path / "mine.sqlite", readonly=True) as again:
        assert again.owner == name


@pytest.mark.parametrize("text, message", [
    ("x" * 81, "Your name is too long: 81 characters, at most 80."),
    ("Maren\nBerg", "Your name must be on one line."),
    ("Maren\x07", "Your name contains a control character that cannot be saved."),
])
def test_a_refused_name_says_why_in_place_and_loses_nothing(session, start, text, message):
    save_name(start, "Maren")
    form = save_name(start, text)
    assert form.errors["name"].text == message
    assert form.fields["name"].value == text  # what was typed stays, to be corrected
    assert form.status.text == ""
    assert session.store.owner == "Maren"
    session.changed()  # a refresh of the page keeps the text being corrected too
    assert form.fields["name"].value == text


def test_an_empty_name_removes_it(session, start):
    save_name(start, "Maren")
    form = save_name(start, "   ")
    assert session.store.owner == "" and form.fields["name"].value == ""
    assert form.status.text == "Saved no name: your plan prints none."


def test_each_workbook_file_shows_its_own_name(session, start):
    save_name(start, "Maren")
    start.parts["demo_button"].click()
    assert start.parts["owner_form"].fields["name"].value == ""
    save_name(start, "Demo person")
    start.parts["home_button"].click()
    assert start.parts["owner_form"].fields["name"].value == "Maren"
    assert session.store.owner == "Maren"
    with Store(session.demo_path) as demo:
        assert demo.owner == "Demo person"


def test_a_file_open_for_reading_only_refuses_on_the_form(tmp_path):
    path = tmp_path / "mine.sqlite"
    with Store(path) as store:
        store.set_owner("Maren")
    s = pages.open_session(path)
    try:
        s.store.close()
        s.store = Store(path, readonly=True)
        s.frames = Frames(s.store)
        form = save_name(pages.start_page(s), "Ben")
        assert "reading only" in form.form_error.text
        assert s.store.owner == "Maren"
    finally:
        s.close()
