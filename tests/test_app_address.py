"""Each step has its own address: the address follows the step shown, and a reload, a bookmark or
a changed address opens that step, in a real browser."""

from __future__ import annotations

import pytest
from apprunner import LAPTOP, app_command, chromium, free_port, require_browser, serve
from appvisit import READY, WAIT, Visit

from workbook.app import STEPS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGE = "/voila/render/app.ipynb"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    require_browser()
    folder = tmp_path_factory.mktemp("address-app")
    port = free_port()
    with serve(app_command(port, folder / "workbook.sqlite"), port, log=folder / "server.log",
               ready_path=READY) as base, chromium() as browser:
        base.browser = browser
        yield base


def shown(visit, key: str) -> None:
    step = next(s for s in STEPS if s.key == key)
    visit.page.locator(f".wb-step-{key}").get_by_text(step.heading, exact=True).first.wait_for(
        timeout=WAIT)
    active = visit.page.locator(".wb-nav .widget-toggle-button.mod-active")
    assert active.inner_text() == step.label


def fragment(visit) -> str:
    return visit.page.evaluate("() => location.hash")


def wait_for_fragment(visit, value: str) -> None:
    visit.page.wait_for_function(f"() => location.hash === {value!r}", timeout=WAIT)


def test_the_address_follows_the_step_and_a_reload_returns_to_it(app):
    visit = Visit(app.browser, app, LAPTOP)
    try:
        visit.open()
        wait_for_fragment(visit, "#start")
        visit.step(next(s.label for s in STEPS if s.key == "plan"))
        wait_for_fragment(visit, "#plan")
        visit.page.locator(".wb-footer").get_by_role("button").last.click()  # on to the next
        wait_for_fragment(visit, "#log")
        visit.page.reload()
        shown(visit, "log")
        assert fragment(visit) == "#log"
        visit.page.evaluate("() => { location.hash = 'reflect'; }")
        shown(visit, "reflect")
        visit.assert_safe()
    finally:
        visit.close()


@pytest.mark.parametrize("key", ["communities", "progress"])
def test_a_bookmark_opens_its_step(app, key):
    visit = Visit(app.browser, app, LAPTOP)
    try:
        visit.page.goto(app.at("/"), timeout=WAIT)  # signed in with the token, as a person is
        visit.page.wait_for_url(f"**{PAGE}", timeout=WAIT)
        visit.page.goto(app.at(PAGE).split("?")[0] + f"#{key}", timeout=WAIT)
        shown(visit, key)
        assert fragment(visit) == f"#{key}"
        visit.assert_safe()
    finally:
        visit.close()


def test_an_unknown_address_opens_start(app):
    visit = Visit(app.browser, app, LAPTOP)
    try:
        visit.page.goto(app.at("/"), timeout=WAIT)
        visit.page.wait_for_url(f"**{PAGE}", timeout=WAIT)
        visit.page.goto(app.at(PAGE).split("?")[0] + "#<img src=x onerror=window.__pwned=1>",
                        timeout=WAIT)
        shown(visit, "start")
        wait_for_fragment(visit, "#start")
        visit.assert_safe()
    finally:
        visit.close()
