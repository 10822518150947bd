"""Two tabs of the app on one workbook, in a real browser: the later save of one community,
read before the other tab changed it, is refused in its form and the file keeps the first."""

from __future__ import annotations

import pytest
from apprunner import LAPTOP, app_command, chromium, free_port, require_browser, serve
from appvisit import CARDS, READY, WAIT, Visit
from shared import IMG

from workbook import server
from workbook.model import Community
from workbook.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

STALE = "This was changed in another tab or window: reload it to see the change"
NAME_FIELD = "e.g. Harbour Choir"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The app on a workbook with one community."""
    require_browser()
    folder = tmp_path_factory.mktemp("versions-app")
    db = folder / "workbook.sqlite"
    with Store(db) as store:
        store.add(Community("Choir"))
    port = free_port()
    with serve(app_command(port, db), port, log=folder / "server.log",
               env={server.CULL_VAR: "30"}, ready_path=READY) as base:
        base.db = db
        yield base


def _edit_the_community(tab: Visit):
    """Open the community list's only entry in the form; return the form."""
    tab.open()
    tab.step("Step 1, Communities")
    listed = tab.part("communities", "community_list")
    listed.locator(CARDS).first.click()
    listed.get_by_role("button", name="Edit", exact=True).click()
    form = tab.part("communities", "community_form")
    form.get_by_role("button", name="Save changes").wait_for(timeout=WAIT)
    name = form.get_by_placeholder(NAME_FIELD)
    tab.page.wait_for_function("el => el.value === 'Choir'", arg=name.element_handle(),
                               timeout=WAIT)
    return form


def test_the_later_of_two_tabs_is_refused_and_the_first_save_kept(app):
    with chromium() as browser:
        tab_a, tab_b = Visit(browser, app, LAPTOP), Visit(browser, app, LAPTOP)
        form_a, form_b = _edit_the_community(tab_a), _edit_the_community(tab_b)

        form_a.get_by_placeholder(NAME_FIELD).fill("Harbour Choir")
        form_a.get_by_role("button", name="Save changes").click()
        form_a.get_by_text("Saved the changes to Harbour Choir.", exact=True).wait_for(
            timeout=WAIT)

        typed = f"Town Choir {IMG}"
        form_b.get_by_placeholder(NAME_FIELD).fill(typed)
        form_b.get_by_role("button", name="Save changes").click()
        form_b.get_by_text(STALE, exact=True).wait_for(timeout=WAIT)
        assert form_b.get_by_text("Saved the changes", exact=False).count() == 0
        assert form_b.get_by_placeholder(NAME_FIELD).input_value() == typed
        with Store(app.db) as store:
            assert [c.name for c in store.records(Community)] == ["Harbour Choir"]
        tab_a.close()
        tab_b.close()
