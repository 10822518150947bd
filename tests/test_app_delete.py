"""Deleting a person in the app, in a real browser: the question in a warning colour, Cancel,
Delete, then Undo, with the file checked at each step."""

from __future__ import annotations

import pytest
from apprunner import LAPTOP, PHONE, app_command, chromium, free_port, require_browser, serve
from appvisit import CARDS, READY, SHOTS, WAIT, Visit

from workbook import clock
from workbook.model import Community, LogEntry, Person
from workbook.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The app on a workbook with Ana in two communities and named in a give."""
    require_browser()
    folder = tmp_path_factory.mktemp("delete-app")
    db = folder / "workbook.sqlite"
    with Store(db) as store:
        store.add_many([Community("Harbour Choir", id=1), Community("Food pantry", id=2),
                        Person("Ana", communities=(1, 2), id=7)])
        store.add(LogEntry(clock.today(), 1, person_id=7))
    port = free_port()
    with serve(app_command(port, db), port, log=folder / "server.log", ready_path=READY) as base:
        base.db = db
        yield base


def _people(db) -> list[tuple]:
    with Store(db, readonly=True) as store:
        return [(p.id, p.name, p.communities) for p in store.records(Person)]


def _gives_named(db) -> list:
    with Store(db, readonly=True) as store:
        return [g.person_id for g in store.records(LogEntry)]


def shown(locator) -> str:
    """What an element shows, without the marks that set names apart from right-to-left text."""
    return locator.inner_text().replace("\u2068", "").replace("\u2069", "")


def says(locator, words: str) -> None:
    """Wait until an element shows these words (names in it set apart or not)."""
    locator.page.wait_for_function(
        "([el, words]) => el.innerText.replace(/[\u2068\u2069]/g, '').includes(words)",
        arg=[locator.element_handle(), words], timeout=WAIT)


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_delete_a_person_cancel_delete_and_undo(app, size):
    with chromium() as browser:
        tab = Visit(browser, app, size)
        tab.open()
        tab.step("Step 1, Communities")
        listed = tab.part("communities", "person_list")
        listed.locator(CARDS).first.click()
        listed.get_by_role("button", name="Delete", exact=True).click()
        question = listed.locator(".wb-confirm-delete")
        question.wait_for(timeout=WAIT)
        said = shown(question)
        assert said.startswith("Delete Ana?\nAna is in 2 communities and named in 1 give."), said
        delete = question.get_by_role("button", name="Delete", exact=True)
        assert "mod-danger" in delete.get_attribute("class")
        assert "mod-success" not in question.inner_html()
        border = question.evaluate("el => getComputedStyle(el).borderTopColor")
        assert border == "rgb(176, 0, 32)", border  # the workbook's warning red
        question.scroll_into_view_if_needed()
        SHOTS.mkdir(exist_ok=True)
        name = "laptop" if size == LAPTOP else "phone"
        tab.page.screenshot(path=str(SHOTS / f"app-delete-question-{name}.png"))
        box = question.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"] + 1, box

        question.get_by_role("button", name="Cancel", exact=True).click()
        question.wait_for(state="hidden", timeout=WAIT)
        assert _people(app.db) == [(7, "Ana", (1, 2))]

        listed.get_by_role("button", name="Delete", exact=True).click()
        delete.click()
        says(listed, "Deleted Ana.")
        assert _people(app.db) == [] and _gives_named(app.db) == [None]

        listed.get_by_role("button", name="Undo", exact=True).click()
        says(listed, "Ana is back.")
        assert _people(app.db) == [(7, "Ana", (1, 2))] and _gives_named(app.db) == [7]
        tab.close()
