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
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from apprunner import LAPTOP, ROOT, chromium, free_port, require_browser, wait_for_http
from appvisit import WAIT, Visit, text

from workbook import room_serve

pytestmark = [pytest.mark.room, pytest.mark.browser, pytest.mark.slow]

PROXY = ROOT / "room" / "node_modules" / ".bin" / "configurable-http-proxy"
TAG = secrets.token_hex(2)
PARTICIPANTS = [f"wbt{TAG}-ana", f"wbt{TAG}-ben", f"wbt{TAG}-cat"]
FACILITATOR = f"wbt{TAG}-fay"
PASSWORD = "a room password 7"
COMMUNITY = {name: f"Choir of {name} <img src=x onerror=window.__pwned=1>"
             for name in PARTICIPANTS}


def _require_room() -> None:
    problem = None
    if os.geteuid() != 0:
        problem = "the room test makes accounts, so it runs as root"
    elif not shutil.which("useradd"):
        problem = "useradd is missing"
    elif not PROXY.exists():
        problem = "configurable-http-proxy is missing (make installs it: npm ci in room/)"
    if problem:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"the room test must run under CI, but {problem}")
        pytest.skip(problem)
    if (closed := room_serve._readable_by_others(ROOT)) is not None:
        pytest.skip(f"participants' accounts cannot reach the checkout ({closed} is closed)")


def _room_python(root: Path) -> Path:
    """A Python every account can run, with this run's packages (the room's own install).

    The test's own interpreter may live in a home folder that other accounts cannot enter, so
    the room runs from a virtual environment of the system's Python that reads this run's
    packages and this checkout through a path file, as a facilitator's install under /opt would.
    """
    system = Path("/usr/bin/python3")
    if not system.exists():
        pytest.skip("the room test needs the system's Python (/usr/bin/python3)")
    env_dir = root / "venv"
    subprocess.run([str(system), "-m", "venv", "--without-pip", str(env_dir)], check=True,
                   capture_output=True, timeout=120)
    python = env_dir / "bin" / "python"
    site_dir = Path(subprocess.run(
        [str(python), "-c", "import site; print(site.getsitepackages()[0])"],
        capture_output=True, text=True, check=True).stdout.strip())
    import site

    lines = [f"import site; site.addsitedir({d!r})" for d in site.getsitepackages()]
    (site_dir / "room-deps.pth").write_text("\n".join(lines) + "\n")
    for data in ("share/jupyter", "etc/jupyter"):  # Voila's templates and server settings
        (env_dir / data).parent.mkdir(parents=True, exist_ok=True)
        (env_dir / data).symlink_to(Path(sys.prefix) / data)
    return python


def _workbook(name: str) -> Path:
    home = Path(pwd.getpwnam(name).pw_dir)
    return home / ".local" / "share" / "networking-workbook" / "workbook.sqlite"


@pytest.fixture(scope="module")
def hub():
    """The room, started with `workbook room serve` as a facilitator would start it."""
    _require_room()
    require_browser()
    groups_before = {g.gr_name for g in grp.getgrall()}
    root = Path(tempfile.mkdtemp(prefix="wb-room-", dir="/tmp"))
    os.chmod(root, 0o711)
    ports = [free_port() for _ in range(4)]
    python = _room_python(root)
    command = [str(python), "-m", "workbook", "room", "serve", "--dir", str(root),
               "--ip", "127.0.0.1", "--port", str(ports[0]), "--hub-port", str(ports[1]),
               "--proxy-api-port", str(ports[2]), "--service-port", str(ports[3]),
               "--facilitator", FACILITATOR, "--proxy", str(PROXY)]
    log = (root / "room.log").open("wb")
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{ports[0]}"
    try:
        try:
            wait_for_http(base + "/hub/api", timeout=120, proc=proc)
        except (RuntimeError, TimeoutError) as e:
            raise AssertionError(f"{e}:\n{(root / 'room.log').read_text()[-3000:]}") from None
        yield {"base": base, "root": root, "python": str(python), "shared": root / "shared", "log": root / "room.log"}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()
        log.close()
        for name in [*PARTICIPANTS, FACILITATOR]:
            subprocess.run(["userdel", "--remove", name], capture_output=True)
        for group in (room_serve.PARTICIPANTS, room_serve.FACILITATORS):
            if group not in groups_before:
                subprocess.run(["groupdel", group], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


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


def sign_in(browser, hub, tabs, name: str) -> Visit:
    """Sign in as ``name`` (a new name: the password is chosen now) and wait for the app."""
    tab = Visit(browser, hub["base"], LAPTOP)
    page = tab.page
    page.goto(hub["base"] + "/hub/login", timeout=WAIT)
    page.locator("#username_input").fill(name)
    page.locator("#password_input").fill(PASSWORD)
    page.locator("#login_submit").click()
    page.wait_for_url(re.compile(rf"/user/{name}/voila/render/app\.ipynb\??$"), timeout=180_000)
    page.locator(".wb-step-start").wait_for(timeout=180_000)
    tabs[name] = tab
    return tab


def test_each_participant_signs_in_to_their_own_app_and_adds_a_community(browser, hub, tabs):
    for name in PARTICIPANTS:
        tab = sign_in(browser, hub, tabs, name)
        tab.step("1 Communities")
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
        db = _workbook(name)
        assert db.stat().st_uid == account.pw_uid
        assert db.stat().st_mode & 0o777 == 0o600
        assert db.parent.stat().st_mode & 0o777 == 0o700


def test_no_participant_can_read_another_s_workbook_from_their_kernel(hub, tabs):
    ana, ben = PARTICIPANTS[:2]
    # The same account and groups as ana's kernel: the hub started it as ana.
    attempt = subprocess.run(
        ["runuser", "-u", ana, "--", hub["python"], "-c",
         f"open({str(_workbook(ben))!r}, 'rb').read(16)"],
        capture_output=True, text=True, timeout=60)
    assert attempt.returncode != 0
    assert "PermissionError" in attempt.stderr and str(_workbook(ben)) in attempt.stderr
    own = subprocess.run(  # the same command on ana's own workbook reads it
        ["runuser", "-u", ana, "--", hub["python"], "-c",
         f"print(open({str(_workbook(ana))!r}, 'rb').read(16))"],
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
        section = tab.step("4 Progress")
        section.get_by_role("button", name="Share my counts with the room").click()
        section.get_by_role("button", name="Stop sharing").wait_for(timeout=WAIT)
        tab.assert_safe()
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
    body = page.locator("body")
    body.get_by_text("2 participants shared", exact=False).first.wait_for(timeout=WAIT)
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
    assert "participants shared" not in text(page.locator("body"))


def test_the_room_asked_nothing_of_any_other_server(hub, tabs):
    for tab in tabs.values():
        assert tab.outside == [], tab.outside
