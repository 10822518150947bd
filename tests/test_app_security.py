"""Only its person can reach the app: the real ``workbook app`` on 127.0.0.1 answers only its own
address and its token, keeps the token off every command line, and keeps its kernels' sockets
where another account cannot reach them."""

from __future__ import annotations

import base64
import contextlib
import http.server
import json
import os
import re
import secrets
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from apprunner import LAPTOP, ROOT, app_command, chromium, free_port, require_browser, serve
from test_app_server import fetch, other_local_address

from workbook.server import TOKEN_VAR
from workbook.voila_guard import Reach

READY = "/voila/static/favicon.ico"
PAGE = "/voila/render/app.ipynb"
EVIL = "evil.example"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The app on a new workbook, started as `workbook app`, and the id of a page's kernel."""
    folder = tmp_path_factory.mktemp("app-security")
    port = free_port()
    with serve(app_command(port, folder / "workbook.sqlite"), port, log=folder / "server.log",
               ready_path=READY) as base:
        base.port = port
        status, page, _ = fetch(base.at(PAGE))
        assert status == 200, page[:500]
        base.kernel = re.search(r'"kernelId": "([0-9a-f-]+)"', page).group(1)
        yield base


def status_of(port: int, path: str, headers: dict[str, str], method: str = "GET",
              version: str = "1.1") -> int:
    """The status line's code for one raw request (``Host`` only as given, none if absent)."""
    headers = {"Connection": "close", **headers, "Content-Length": "0"}
    lines = [f"{method} {path} HTTP/{version}", *(f"{k}: {v}" for k, v in headers.items()), "", ""]
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        s.sendall("\r\n".join(lines).encode())
        first = s.makefile("rb").readline().decode()
    return int(first.split()[1])


def upgrade(host: str, **more: str) -> dict[str, str]:
    """Headers that ask for a websocket."""
    key = base64.b64encode(secrets.token_bytes(16)).decode()
    return {"Host": host, "Upgrade": "websocket", "Connection": "Upgrade",
            "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": key, **more}


def channels(app) -> str:
    return f"/api/kernels/{app.kernel}/channels?session_id=probe&token={app.token}"


# -- Host and Origin -------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_forged_host_gets_403_for_pages_files_apis_and_websockets(app):
    own, forged = f"127.0.0.1:{app.port}", f"{EVIL}:{app.port}"
    kernel = f"/api/kernels/{app.kernel}?token={app.token}"
    for path in (f"/?token={app.token}", f"{PAGE}?token={app.token}", READY, kernel):
        if path != f"{PAGE}?token={app.token}":  # (each view of the page starts a kernel)
            assert status_of(app.port, path, {"Host": own}) == 200, path
            assert status_of(app.port, path, {"Host": f"localhost:{app.port}"}) == 200, path
        for host in (forged, f"127.0.0.1:{app.port + 1}", EVIL, f"127.0.0.2:{app.port}"):
            assert status_of(app.port, path, {"Host": host}) == 403, (path, host)
        # No Host at all: HTTP/1.1 requires one (tornado says 400), HTTP/1.0 does not.
        assert status_of(app.port, path, {}) == 400, path
        assert status_of(app.port, path, {}, version="1.0") == 403, path
    assert status_of(app.port, f"/voila/api/shutdown/{app.kernel}?token={app.token}",
                     {"Host": forged}, method="POST") == 403
    assert status_of(app.port, channels(app), upgrade(own)) == 101
    assert status_of(app.port, channels(app), upgrade(forged)) == 403
    assert status_of(app.port, f"/voila/query/{app.kernel}", upgrade(forged)) == 403
    assert status_of(app.port, kernel, {"Host": own}) == 200  # the forged POST stopped nothing


@pytest.mark.slow
def test_a_foreign_origin_is_refused(app):
    own = f"127.0.0.1:{app.port}"
    foreign = (f"http://{EVIL}", f"http://{EVIL}:{app.port}", f"http://127.0.0.1:{app.port + 1}",
               "null", f"file://{own}")
    for origin in foreign:
        assert status_of(app.port, channels(app), upgrade(own, Origin=origin)) == 403, origin
        assert status_of(app.port, f"{PAGE}?token={app.token}",
                         {"Host": own, "Origin": origin}) == 403, origin
    for origin in (f"http://{own}", f"http://localhost:{app.port}"):
        assert status_of(app.port, f"/?token={app.token}",
                         {"Host": own, "Origin": origin}) == 200, origin
    assert status_of(app.port, channels(app), upgrade(own, Origin=f"http://{own}")) == 101


def test_the_addresses_a_server_answers_to():
    """127.0.0.1, localhost and --ip with the port; on 0.0.0.0 also this computer's addresses."""
    local = Reach("127.0.0.1", 8866)
    assert local.allows_host("127.0.0.1:8866") and local.allows_host("localhost:8866")
    assert local.allows_host("LOCALHOST:8866")  # host names are not case-sensitive
    for host in ("127.0.0.1:8867", "127.0.0.1", f"{EVIL}:8866", "127.0.0.2:8866",
                 "user@127.0.0.1:8866", "127.0.0.1:8866/x", "", None, "[::1]:8866"):
        assert not local.allows_host(host), host
    assert local.allows_origin(None) and local.allows_origin("http://127.0.0.1:8866")
    assert not local.allows_origin("null") and not local.allows_origin("http://127.0.0.1")
    room = Reach("0.0.0.0", 8866)
    assert room.allows_host("127.0.0.1:8866") and not room.allows_host(f"{EVIL}:8866")
    assert not room.allows_host("0.0.0.0:8866") and not room.allows_host("192.0.2.1:8866")
    if (other := other_local_address()) is not None:
        assert room.allows_host(f"{other}:8866") and not local.allows_host(f"{other}:8866")
    given = Reach("127.0.0.2", 9000)
    assert given.allows_host("127.0.0.2:9000") and not given.allows_host("127.0.0.3:9000")
    six = Reach("::1", 9000)
    assert six.allows_host("[::1]:9000") and six.allows_host("[0:0:0:0:0:0:0:1]:9000")


# -- the token -------------------------------------------------------------------------------------


@pytest.mark.slow
def test_without_the_token_nothing_opens(app):
    own = {"Host": f"127.0.0.1:{app.port}"}
    status, _, headers = fetch(app + PAGE, follow=False)
    assert status == 302 and headers["Location"].startswith("/login")
    assert fetch(f"{app}{PAGE}?token=not-{app.token}", follow=False)[0] == 302
    assert status_of(app.port, f"/api/kernels/{app.kernel}", own) == 403
    assert status_of(app.port, f"/api/kernels/{app.kernel}/channels?session_id=probe",
                     upgrade(own["Host"])) == 403
    # The printed address carries the token, and opens the app.
    assert f"app is at http://127.0.0.1:{app.port}/?token={app.token} " in app.output()


@pytest.mark.slow
def test_the_token_is_on_no_command_line_and_not_given_to_kernels(app):
    holders = []
    for entry in Path("/proc").iterdir():
        try:
            if app.token.encode() in (entry / "cmdline").read_bytes():
                holders.append(entry.name)
        except OSError:
            continue
    assert holders == []
    kernels = app.kernel_pids()
    assert kernels
    for pid in kernels:
        environment = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        assert not any(line.startswith(TOKEN_VAR.encode()) for line in environment)
        # Voila gives a kernel the address its page was asked for, with the token if it held
        # one (the fixture's page did; a browser's goes by "/" and holds none): nothing else.
        rest = [line for line in environment
                if not line.startswith((b"VOILA_REQUEST_URL=", b"QUERY_STRING="))]
        assert not any(app.token.encode() in line for line in rest)


@contextlib.contextmanager
def another_site():
    """A page of another origin on 127.0.0.1 (another port), as any local program could serve."""
    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"<!doctype html><title>another site</title>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{site.server_address[1]}/"
    finally:
        site.shutdown()
        site.server_close()


@pytest.mark.slow
@pytest.mark.browser
def test_a_browser_without_the_token_meets_the_login_page_and_with_it_the_app(app):
    require_browser()
    with chromium() as browser:
        page = browser.new_page(viewport=LAPTOP)
        page.goto(app + "/", timeout=60_000)
        page.wait_for_url(re.compile(r"/login"), timeout=60_000)
        assert "wb-nav" not in page.content()
        page.close()
        # Beside the open app, with its cookie, a page of another origin cannot reach its kernel.
        context = browser.new_context(viewport=LAPTOP)
        page = context.new_page()
        page.goto(app.at("/"), timeout=60_000)
        page.wait_for_url("**" + PAGE, timeout=60_000)
        page.locator(".wb-step-start").wait_for(timeout=60_000)
        kernel = page.evaluate(
            "() => JSON.parse(document.getElementById('jupyter-config-data').textContent)"
            ".kernelId")
        with another_site() as foreign:
            other = context.new_page()
            other.goto(foreign)
            opened = other.evaluate(
                """async (url) => await new Promise((done) => {
                     const ws = new WebSocket(url);
                     ws.onopen = () => { ws.close(); done(true); };
                     ws.onerror = () => done(false);
                   })""",
                f"ws://127.0.0.1:{app.port}/api/kernels/{kernel}/channels?session_id=foreign"
                f"&token={app.token}")  # with the token: only the origin is wrong
        assert opened is False
        context.close()
    assert re.search(rf"Refused GET '/api/kernels/{kernel}/channels': Host '127.0.0.1:"
                     rf"{app.port}', Origin '{foreign[:-1]}'", app.output()), app.output()[-2000:]


@pytest.mark.slow
def test_the_browser_opens_the_address_with_the_token_through_a_private_file(tmp_path):
    """``workbook app`` opens the browser ($BROWSER here) on a file that leads to the address."""
    opener = tmp_path / "browser.sh"
    opener.write_text(f'#!/bin/sh\necho "$1" > {tmp_path}/arg\n'
                      f'stat -c %a "${{1#file://}}" > {tmp_path}/mode\n'
                      f'cp "${{1#file://}}" {tmp_path}/page.html\n')
    opener.chmod(0o700)
    port = free_port()
    command = app_command(port, tmp_path / "w.sqlite")
    command.remove("--no-browser")
    with serve(command, port, env={"BROWSER": f"{opener} %s"}, log=tmp_path / "server.log",
               ready_path=READY) as base:
        for _ in range(300):
            if (tmp_path / "page.html").exists():
                break
            time.sleep(0.1)
        arg = (tmp_path / "arg").read_text().strip()
        assert arg.startswith("file:///") and base.token not in arg  # the browser's command line
        assert (tmp_path / "mode").read_text().strip() == "600"
        page = (tmp_path / "page.html").read_text()
        assert f'url=http://127.0.0.1:{port}/?token={base.token}"' in page
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/?token={base.token}",
                                    timeout=120) as response:
            assert response.status == 200


# -- the kernels -----------------------------------------------------------------------------------


def connection_file(pid: int) -> Path:
    """The connection file a kernel was started with (``-f PATH`` on its command line)."""
    args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    return Path(args[args.index(b"-f") + 1].decode())


def tcp_listening(pid: int) -> int:
    """How many TCP ports a process listens on (its sockets' inodes in /proc/net/tcp*)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with_inode = re.fullmatch(r"socket:\[(\d+)\]", os.readlink(fd))
        if with_inode:
            inodes.add(with_inode.group(1))
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            count += fields[3] == "0A" and fields[9] in inodes  # 0A: LISTEN
    return count


@pytest.mark.slow
def test_kernels_talk_over_sockets_in_a_folder_of_this_account(app):
    pid = app.kernel_pids()[0]
    path = connection_file(pid)
    info = json.loads(path.read_text())
    assert info["transport"] == "ipc" and info["ip"].startswith(str(path.parent))
    assert path.stat().st_mode & 0o077 == 0
    folder = path.parent
    for part in (folder, folder.parent):
        assert part.stat().st_mode & 0o077 == 0 and part.stat().st_uid == os.geteuid(), part
    for port in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"):
        assert Path(f"{info['ip']}-{info[port]}").is_socket()
    # What stays on TCP is ipykernel's pipe for output of processes the kernel forks: it only
    # takes messages that start with a random key, and sends nothing.
    assert tcp_listening(pid) <= 1


PROBE = """
import json, os, socket, sys, urllib.request, urllib.error
connection, folder, app = sys.argv[1:4]
tries = {}
def attempt(name, work):
    try:
        work()
        tries[name] = "ok"
    except Exception as e:
        tries[name] = type(e).__name__
def connect():
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(connection[:-len(".json")] + "-ipc-1")
class Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect to the login page is a refusal
def page():
    try:
        urllib.request.build_opener(Stay).open(app, timeout=60)
    except urllib.error.HTTPError as e:
        raise PermissionError(e.code) from None
attempt("list", lambda: os.listdir(folder))
attempt("read", lambda: open(connection).read())
attempt("connect", connect)
attempt("page", page)
print(json.dumps(tries))
"""


@pytest.fixture
def other_account():
    """A throwaway account, removed after (as root only; under CI a missing root fails)."""
    if os.geteuid() != 0:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("this test must run as root under CI, to make a second account")
        pytest.skip("making a second account needs root")
    name = f"wbprobe{secrets.token_hex(3)}"
    subprocess.run(["useradd", "--create-home", "--shell", "/bin/sh", name], check=True,
                   capture_output=True)
    try:
        yield name
    finally:
        subprocess.run(["userdel", "--remove", name], capture_output=True)


@pytest.mark.slow
def test_another_account_reaches_neither_the_kernels_nor_the_app(app, other_account):
    path = connection_file(app.kernel_pids()[0])
    args = [str(path), str(path.parent.parent), app + PAGE]

    def probe(*runner):
        done = subprocess.run([*runner, "/usr/bin/python3", "-c", PROBE, *args], cwd="/",
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    # This account can do all of it but open the page without the token ...
    assert probe() == {"list": "ok", "read": "ok", "connect": "ok", "page": "PermissionError"}
    # ... the other account none of it.
    assert probe("runuser", "-u", other_account, "--") == {
        "list": "PermissionError", "read": "PermissionError", "connect": "PermissionError",
        "page": "PermissionError"}
    with urllib.request.urlopen(app.at(PAGE), timeout=120) as response:
        assert response.status == 200  # the app itself still answers its person


def test_the_readme_says_what_is_checked_and_how_the_token_reaches_the_browser():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("### `workbook app`", 1)[1].split("\n### ", 1)[0]
    for words in (f"`{TOKEN_VAR}`", "?token=", "`Host`", "`Origin`", "403", "Unix sockets",
                  "no command line"):
        assert words in section, words
