"""The network map in the app, in a real browser: a tap on a dot opens that person's form."""

from __future__ import annotations

import pytest
from apprunner import LAPTOP, PHONE
from appvisit import WAIT, Visit

from workbook.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def app(demo_app):
    """The app on a copy of the demo's year."""
    return demo_app


def closest(app, circle: int, nth: int = 0):
    with Store(app.db) as store:
        people = store.frame("people")
    return people[people["circle"] == circle].sort_values("id").iloc[nth]


def open_map(browser, app, size) -> tuple[Visit, object]:
    tab = Visit(browser, app, size)
    tab.open()
    tab.step("Step 1, Communities")
    svg = tab.part("communities", "map").locator("svg.marks").first
    svg.locator(".role-mark").first.wait_for(state="attached", timeout=WAIT)
    return tab, svg


@pytest.mark.parametrize(("size", "nth"), [(LAPTOP, 0), (PHONE, 1)], ids=["laptop", "phone"])
def test_a_click_on_a_persons_dot_opens_their_form(browser, app, size, nth):
    person = closest(app, 5, nth)
    tab, svg = open_map(browser, app, size)
    dot = svg.locator(f'path[aria-label^="{person["name"]}: "]')
    assert dot.count() == 1
    dot.click(timeout=WAIT)
    name = tab.part("communities", "person_form").get_by_placeholder(
        "a first name, nickname or initials")
    tab.page.wait_for_function(
        "([el, want]) => el.value === want", arg=[name.element_handle(), person["name"]],
        timeout=WAIT)
    # the line arrives in its own message, after the name's: wait for it as for the name
    tab.part("communities", "person_form").get_by_text(
        f"Editing {person['name']}", exact=False).first.wait_for(timeout=WAIT)
    tab.shot(f"map-pick-{'laptop' if size == LAPTOP else 'phone'}")
    tab.close()


def test_a_click_on_a_community_opens_its_form(browser, app):
    with Store(app.db) as store:
        choir = store.frame("communities").iloc[2]
    tab, svg = open_map(browser, app, LAPTOP)
    svg.locator(f'path[aria-label^="{choir["name"]}: "]').first.click(timeout=WAIT)
    name = tab.part("communities", "community_form").get_by_placeholder("e.g. Harbour Choir")
    tab.page.wait_for_function(
        "([el, want]) => el.value === want", arg=[name.element_handle(), choir["name"]],
        timeout=WAIT)
    tab.close()
