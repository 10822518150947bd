"""A workshop room as a facilitator runs it: a real JupyterHub on 127.0.0.1, real accounts made
at first sign-in, each participant's own server and workbook, and the facilitator's room page.

Runs as root (the hub makes the accounts); every account and group it made is removed after.
"""

from __future__ import annotations

import grp
import json
import os
import pwd
import re
import secrets
import subprocess
from pathlib import Path

import pytest
import roomrunner
from apprunner import chromium, require_browser
from appvisit import WAIT, Visit, text

from workbook import room_serve

pytestmark = [pytest.mark.room, pytest.mark.browser, pytest.mark.slow]

TAG = secrets.token_hex(2)
PARTICIPANTS = [f"wbt{TAG}-ana", f"wbt{TAG}-ben", f"wbt{TAG}-cat"]
FACILITATOR = f"wbt{TAG}-fay"
COMMUNITY = {name: f"Choir of {name} <img src=x onerror=window.__pwned=1>"
             for name in PARTICIPANTS}


def _require_room() -> None:
    if problem := roomrunner.missing():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"the room test must run under CI, but {problem}")
        pytest.skip(problem)


@pytest.fixture(scope="module")
def hub():
    """The room, started with `workbook room serve` as a facilitator would start it."""
    _require_room()
    require_browser()
    with roomrunner.running_room([FACILITATOR], [*PARTICIPANTS, FACILITATOR]) as room:
        yield room


@pytest.fixture(scope="module")
def browser(hub):
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def tabs(browser, hub):
    opened: dict[str, Visit] = {}
    yield opened
    for tab in opened.values():
        tab.close()


def sign_in(browser, hub, tabs, name: str):
    tab, _ = roomrunner.sign_in(browser, hub["base"], name)
    tabs[name] = tab
    return tab


def test_each_participant_signs_in_to_their_own_app_and_adds_a_community(browser, hub, tabs):
    for name in PARTICIPANTS:
        tab = sign_in(browser, hub, tabs, name)
        tab.step("Step 1, Communities")
        form = tab.part("communities", "community_form")
        form.get_by_placeholder("e.g. Harbour Choir").fill(COMMUNITY[name])
        form.get_by_role("button", name="Save").click()
        form.get_by_text(f"Saved {COMMUNITY[name]}.", exact=True).wait_for(timeout=WAIT)
        tab.assert_safe()
    for name in PARTICIPANTS:
        account = pwd.getpwnam(name)
        assert grp.getgrgid(account.pw_gid).gr_name == room_serve.PARTICIPANTS
        home = Path(account.pw_dir)
        assert home.stat().st_mode & 0o777 == 0o700
        db = roomrunner.workbook_of(name)
        assert db.stat().st_uid == account.pw_uid
        assert db.stat().st_mode & 0o777 == 0o600
        assert db.parent.stat().st_mode & 0o777 == 0o700


def test_no_participant_can_read_another_s_workbook_from_their_kernel(hub, tabs):
    ana, ben = PARTICIPANTS[:2]
    theirs = str(roomrunner.workbook_of(ben))
    # The same account and groups as ana's kernel: the hub started it as ana.
    attempt = subprocess.run(
        ["runuser", "-u", ana, "--", hub["python"], "-c",
         f"open({theirs!r}, 'rb').read(16)"],
        capture_output=True, text=True, timeout=60)
    assert attempt.returncode != 0
    assert "PermissionError" in attempt.stderr and theirs in attempt.stderr
    own = subprocess.run(  # the same command on ana's own workbook reads it
        ["runuser", "-u", ana, "--", hub["python"], "-c",
         f"print(open({str(roomrunner.workbook_of(ana))!r}, 'rb').read(16))"],
        capture_output=True, text=True, timeout=60)
    assert own.returncode == 0 and "SQLite format 3" in own.stdout
    listing = subprocess.run(
        ["runuser", "-u", ana, "--", hub["python"], "-c",
         f"import os; print(os.listdir({str(hub['shared'])!r}))"],
        capture_output=True, text=True, timeout=60)
    assert "PermissionError" in listing.stderr  # the shared folder cannot be listed


def test_no_participant_can_open_another_s_app_through_the_hub(hub, tabs):
    ana, ben = PARTICIPANTS[:2]
    page = tabs[ana].page
    response = page.goto(f"{hub['base']}/user/{ben}/voila/render/app.ipynb", timeout=WAIT)
    assert response.status in (403, 404)
    assert COMMUNITY[ben] not in page.content()
    api = page.request.get(f"{hub['base']}/user/{ben}/api/contents")
    assert api.status in (403, 404)
    page.goto(f"{hub['base']}/user/{ana}/voila/render/app.ipynb", timeout=WAIT)
    page.locator(".wb-step-start").wait_for(timeout=WAIT)


def test_two_share_their_counts_and_one_does_not(hub, tabs):
    for name in PARTICIPANTS[:2]:
        tab = tabs[name]
        section = tab.step("Step 4, Progress")
        section.get_by_role("button", name="Share my counts with the room").click()
        section.get_by_role("button", name="Stop sharing").wait_for(timeout=WAIT)
        tab.assert_safe()
    tabs[PARTICIPANTS[0]].shot("room-share-laptop")
    files = sorted(hub["shared"].glob("*.json"))
    assert len(files) == 2
    for path in files:
        body = path.read_text()
        assert not any(name in body for name in PARTICIPANTS)
        assert not any(c in body for c in COMMUNITY.values())
        assert path.stat().st_gid == grp.getgrnam(room_serve.FACILITATORS).gr_gid
        assert path.stat().st_mode & 0o777 == 0o640
        assert json.loads(body)  # a summary, whatever its figures


def test_the_facilitator_sees_exactly_the_two_shared_summaries_and_no_name(browser, hub, tabs):
    tab = sign_in(browser, hub, tabs, FACILITATOR)
    page = tab.page
    response = page.goto(f"{hub['base']}/services/room/", timeout=WAIT)
    assert response.status == 200
    tab.shot("room-page-laptop")
    shown = text(page.locator("body"))
    assert re.search(r"Participants who shared\s+2\b", shown), shown[:600]
    assert "of 2 participants who shared" in shown
    content = page.content()
    assert not any(name in content for name in [*PARTICIPANTS, FACILITATOR])
    assert not any(c in content for c in COMMUNITY.values())
    pdf = page.request.get(f"{hub['base']}/services/room/room.pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    assert page.evaluate("() => window.__pwned") is None


def test_a_participant_is_refused_the_room_page(hub, tabs):
    page = tabs[PARTICIPANTS[2]].page
    response = page.goto(f"{hub['base']}/services/room/", timeout=WAIT)
    assert response.status == 403
    assert "Participants who shared" not in text(page.locator("body"))


def test_the_room_asked_nothing_of_any_other_server(hub, tabs):
    for tab in tabs.values():
        assert tab.outside == [], tab.outside
