"""The app in a real browser when what is behind the page goes away: the kernel is killed, or the
workbook file is moved while the page is open. A save is then either kept or visibly not.
"""

from __future__ import annotations

import os
import signal
import time

import pytest
from apprunner import LAPTOP, PHONE, app_command, free_port, require_browser, serve
from appvisit import CARDS, READY, WAIT, Visit, text
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from shared import IMG, SCRIPT

from workbook.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

COMMUNITY = f"Harbour Choir {IMG}"
NAME_FIELD = "e.g. Harbour Choir"
NOTICE_SECONDS = 8  # the server notices a dead kernel within about 3 s, the page at once
MINUTE = "d => new Date(d).toLocaleTimeString([], {hour: 'numeric', minute: '2-digit'})"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    require_browser()
    folder = tmp_path_factory.mktemp("lost-app")
    db = folder / "workbook.sqlite"
    port = free_port()
    with serve(app_command(port, db), port, log=folder / "server.log", ready_path=READY) as base:
        base.db = db
        yield base


def communities(db) -> list[str]:
    with Store(db, readonly=True) as store:
        return list(store.frame("communities")["name"])


def save_community(visit, name: str) -> None:
    form = visit.part("communities", "community_form")
    form.get_by_placeholder(NAME_FIELD).fill(name)
    form.get_by_role("button", name="Save").click()
    form.get_by_text(f"Saved {name}.", exact=True).wait_for(timeout=WAIT)


def kill_kernel(visit, app) -> float:
    """SIGKILL the kernel behind this tab; the time it was killed (time.monotonic)."""
    kernel_id = visit.page.evaluate("() => window.jupyterapp.widgetManager.kernel.id")
    pid = app.kernel_pid(kernel_id)
    assert pid in app.kernel_pids()
    os.kill(pid, signal.SIGKILL)
    return time.monotonic()


def notice(visit):
    banner = visit.page.locator("#wb-lost")
    banner.wait_for(state="visible", timeout=NOTICE_SECONDS * 1000)
    return banner


def test_a_killed_kernel_is_noticed_and_the_page_takes_no_more_input(browser, app):
    visit = Visit(browser, app, LAPTOP)
    visit.open()
    visit.step("Step 1, Communities")
    before = visit.page.evaluate("() => Date.now()")
    save_community(visit, COMMUNITY)
    after = visit.page.evaluate("() => Date.now()")
    assert communities(app.db) == [COMMUNITY]
    assert visit.page.locator("#wb-lost").is_hidden()

    killed = kill_kernel(visit, app)
    banner = notice(visit)
    assert time.monotonic() - killed < NOTICE_SECONDS
    said = text(banner)
    assert "The connection to your workbook was lost" in said
    minutes = {visit.page.evaluate(MINUTE, t) for t in (before, after)}
    assert any(f"Your last save, at {m}, is kept." in said for m in minutes), (said, minutes)
    reload = banner.get_by_role("button", name="Reload")
    assert reload.is_visible()
    assert visit.page.evaluate("() => document.activeElement.id") == "wb-lost-reload"
    visit.shot("lost-laptop")

    # the forms take nothing: no click reaches them, the keyboard cannot get into them
    assert visit.page.evaluate("() => document.getElementById('rendered_cells').inert")
    form = visit.part("communities", "community_form")
    with pytest.raises(PlaywrightTimeout):
        form.get_by_role("button", name="Save").click(timeout=2000)
    for _ in range(5):
        visit.page.keyboard.press("Tab")
        assert visit.page.evaluate(
            "() => !document.getElementById('rendered_cells').contains(document.activeElement)")
    time.sleep(1)
    assert form.locator(".widget-html").filter(has_text="Saved").all_inner_texts() == [
        f"Saved {COMMUNITY}."]
    assert communities(app.db) == [COMMUNITY]

    # Reload: a new kernel on the same file, and saving works again
    reload.click()
    visit.page.wait_for_load_state()
    visit.page.locator(".wb-nav button:not([disabled])").first.wait_for(timeout=WAIT)
    assert visit.page.locator("#wb-lost").is_hidden()
    visit.step("Step 1, Communities")
    listed = visit.part("communities", "community_list").locator(CARDS)
    assert text(listed.first).startswith(COMMUNITY)
    save_community(visit, "Food pantry")
    assert communities(app.db) == [COMMUNITY, "Food pantry"]
    visit.close()


def test_a_save_into_a_moved_file_is_refused_on_the_form_then_a_lost_kernel_on_a_phone(
        browser, app):
    visit = Visit(browser, app, PHONE)
    visit.open()
    visit.step("Step 1, Communities")
    save_community(visit, SCRIPT)
    aside = app.db.with_name("moved away.sqlite")
    os.rename(app.db, aside)
    form = visit.part("communities", "community_form")
    form.get_by_placeholder(NAME_FIELD).fill("Library")
    form.get_by_role("button", name="Save").click()
    refused = form.get_by_text("Nothing was saved: the workbook file", exact=False)
    refused.wait_for(timeout=WAIT)
    assert str(app.db) in text(refused) and "was moved, replaced or deleted" in text(refused)
    assert form.get_by_text("Saved Library.", exact=True).count() == 0
    assert form.get_by_placeholder(NAME_FIELD).input_value() == "Library"  # still typed
    assert not app.db.exists()
    visit.shot("lost-moved-phone")
    os.rename(aside, app.db)
    assert communities(app.db) == [COMMUNITY, "Food pantry", SCRIPT]
    # the refused save is no save: the page still names the one before it
    assert visit.page.evaluate(
        "() => document.querySelector('.wb-saved-mark [data-saves]').dataset.saves") == "1"

    kill_kernel(visit, app)
    banner = notice(visit)
    assert "Your last save, at " in text(banner)
    box = banner.locator(".wb-lost-box").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    visit.shot("lost-phone")
    visit.assert_safe()
    visit.page.close()


def test_a_server_that_stops_is_noticed_as_a_lost_connection(browser, tmp_path):
    db = tmp_path / "workbook.sqlite"
    port = free_port()
    visit = None
    with serve(app_command(port, db), port, log=tmp_path / "server.log",
               ready_path=READY) as base:
        visit = Visit(browser, base, LAPTOP)
        visit.open()
        assert visit.page.locator("#wb-lost").is_hidden()
    stopped = time.monotonic()  # the server and its kernels are gone: the websocket closed
    banner = notice(visit)
    assert time.monotonic() - stopped < NOTICE_SECONDS
    assert "Nothing was saved from this page" in text(banner)
    assert visit.page.evaluate("() => document.getElementById('rendered_cells').inert")
    visit.page.close()
