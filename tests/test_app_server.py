"""The app's server over HTTP, started with the real command: where "/" leads, what a page holds,
who can connect, tokens, culling; and the ``workbook app`` command line itself."""

from __future__ import annotations

import re
import socket
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from apprunner import app_command, free_port, kernel_pids, serve

from workbook import app as webapp
from workbook import server as wbserver
from workbook.cli import main
from workbook.server import voila_command, voila_environment

CULL_SECONDS = 3
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
READY = "/voila/static/favicon.ico"  # answers as soon as the server listens, without a kernel


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on a new workbook, started as `workbook app`, culling idle kernels after 3 s."""
    folder = tmp_path_factory.mktemp("app-server")
    port = free_port()
    with serve(app_command(port, folder / "workbook.sqlite"), port, log=folder / "server.log",
               env={wbserver.CULL_VAR: str(CULL_SECONDS)}, ready_path=READY) as base:
        yield base


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, follow: bool = True) -> tuple[int, str, dict]:
    """Status, body and headers of a GET (redirects followed unless asked otherwise)."""
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=120) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace"), dict(e.headers)


def refused(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(3)
        return s.connect_ex((host, port)) != 0


def other_local_address() -> str | None:
    """This computer's address on its network (not loopback), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # a documentation address: nothing is sent
        except OSError:
            return None
        address = s.getsockname()[0]
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def wait_until(check, timeout: float, step: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(step)
    return check()


# -- one server: landing, pages, addresses, culling ----------------------------------------------


@pytest.mark.slow
def test_root_lands_on_the_app(server):
    status, body, _ = fetch(server.at("/"))
    assert status == 200
    assert '<meta http-equiv="refresh" content="0; url=/voila/render/app.ipynb">' in body
    assert 'window.location.replace("/voila/render/app.ipynb")' in body
    status, page, _ = fetch(server.at("/voila/render/app.ipynb"))
    assert status == 200 and WIDGET_VIEW in page
    assert "<title>Networking Workbook</title>" in page
    assert "Opening your workbook" in page  # our loading words, not "Executing 1 of 1"


@pytest.mark.slow
def test_pages_hold_no_source_code_and_fetch_nothing_from_outside(server):
    _, page, _ = fetch(server.at("/voila/render/app.ipynb"))
    for source in ("build_app", "from workbook", "import "):
        assert source not in page
    assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', page)
    assert "fontawesome" not in page.lower() and "mermaid" not in page.lower()


@pytest.mark.slow
def test_the_guided_notebooks_are_pages_of_the_same_server(server):
    names = [name for name, _title in webapp.GUIDED_NOTEBOOKS]
    with ThreadPoolExecutor(max_workers=3) as pool:  # each page starts a kernel of its own
        pages = dict(zip(names, pool.map(lambda n: fetch(server.at(f"/voila/render/{n}")), names),
                         strict=True))
    for name, (status, page, _) in pages.items():
        assert status == 200 and WIDGET_VIEW in page, name
        assert "session = pages.open_session()" not in page, name  # no source code
        assert 'wb-failed" role' not in page, name  # no failed cell


@pytest.mark.slow
def test_only_this_computer_can_connect(server):
    port = int(server.rsplit(":", 1)[1])
    assert not refused("127.0.0.1", port)
    assert refused("127.0.0.2", port)  # loopback too, but not the address it listens on
    other = other_local_address()
    if other is not None:
        assert refused(other, port)


@pytest.mark.slow
def test_idle_kernels_are_culled_but_not_the_preheated_one(server):
    """Five page views start five kernels; once idle, all go but the pool's, which is used next."""
    def used():
        return server.output().count("Using pre-heated kernel")

    def started():
        return server.output().count("Kernel started:")

    assert wait_until(lambda: "Kernel pool of app.ipynb is filled" in server.output(), 90)
    before, kernels = used(), started()
    for _ in range(5):
        status, page, _ = fetch(server.at("/voila/render/app.ipynb"))
        assert status == 200 and WIDGET_VIEW in page
    assert used() >= before + 1
    # Each view has a kernel of its own (on a busy machine the first may already be culled).
    assert wait_until(lambda: started() >= kernels + 4, 60), server.output()[-3000:]
    assert wait_until(lambda: len(kernel_pids(server.pid)) <= 2, 90), kernel_pids(server.pid)
    assert "Culling 'idle' kernel" in server.output()
    # The kernel waiting in the pool outlived the idle time, yet it was kept, and it is used next.
    time.sleep(CULL_SECONDS * 2)
    assert wait_until(lambda: len(kernel_pids(server.pid)) == 1, 30)
    filled = server.output().count("Kernel pool of app.ipynb is filled")
    before = used()
    status, page, _ = fetch(server.at("/voila/render/app.ipynb"))
    assert status == 200 and WIDGET_VIEW in page and used() == before + 1
    assert wait_until(
        lambda: server.output().count("Kernel pool of app.ipynb is filled") > filled, 90)


# -- other servers ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_another_address_needs_the_token(tmp_path):
    """--ip 127.0.0.2 stands in for a network address: the page needs the printed token."""
    port = free_port()
    command = [sys.executable, "-m", "workbook", "app", "--db", str(tmp_path / "w.sqlite"),
               "--port", str(port), "--ip", "127.0.0.2", "--no-browser"]
    with serve(command, port, log=tmp_path / "server.log", host="127.0.0.2",
               ready_path=READY) as base:
        printed = re.search(r"app is at (http://127\.0\.0\.2:\d+/\?token=([\w-]+)) ",
                            base.output())
        assert printed, base.output()
        token = printed.group(2)
        assert len(token) >= 32 and "give the address above, with its token" in base.output()
        app_url = base + "/voila/render/app.ipynb"
        status, _, headers = fetch(app_url, follow=False)
        assert status in (302, 403)
        assert status == 403 or headers["Location"].startswith("/login")
        assert fetch(app_url + "?token=not-the-token", follow=False)[0] in (302, 403)
        status, page, _ = fetch(f"{app_url}?token={token}")
        assert status == 200 and WIDGET_VIEW in page
        status, body, _ = fetch(printed.group(1))
        assert status == 200 and "voila/render/app.ipynb" in body
        assert refused("127.0.0.1", port)


@pytest.mark.slow
def test_a_failing_page_shows_no_traceback(tmp_path):
    """Served with the app's settings, a cell that fails shows one plain sentence."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                  "language": "python"}}
    nb.cells = [nbformat.v4.new_code_cell("secret = 'hunter2'\n1 / 0")]
    nbformat.write(nb, tmp_path / "broken.ipynb")
    port = free_port()
    command = voila_command(port, False, notebooks=tmp_path)
    env = voila_environment(tmp_path / "w.sqlite")
    with serve(command, port, env=env, log=tmp_path / "server.log", ready_path=READY) as base:
        status, page, _ = fetch(base.at("/voila/render/broken.ipynb"))
    assert status == 200 and "Something went wrong while preparing this page" in page
    for leak in ("Traceback", "ZeroDivisionError", "hunter2", "show_tracebacks", "1 / 0"):
        assert leak not in page


# -- the command line ------------------------------------------------------------------------------


def test_the_voila_command_uses_the_projects_settings():
    command = voila_command(9123, open_browser=False)
    assert command[:4] == [sys.executable, "-m", "workbook.voila_guard", str(wbserver.NOTEBOOKS)]
    assert "--Voila.ip=127.0.0.1" in command and "--port=9123" in command
    assert f"--Voila.config_file_paths={wbserver.VOILA_CONFIG.parent}" in command
    assert "--Voila.port_retries=0" in command and "--no-browser" in command
    assert not any("token" in part or "cull" in part for part in command)
    assert "--no-browser" not in voila_command(8866, open_browser=True)
    tuned = voila_command(9123, False, ip="0.0.0.0", cull_idle=8)
    assert "--Voila.ip=0.0.0.0" in tuned and not any("token" in part for part in tuned)
    assert "--MappingKernelManager.cull_idle_timeout=8" in tuned
    assert "--MappingKernelManager.cull_interval=4" in tuned


def test_the_settings_file_is_what_the_app_needs():
    import json

    config = json.loads(wbserver.VOILA_CONFIG.read_text())
    voila = config["VoilaConfiguration"]
    assert voila["template"] == "networking-workbook" and voila["strip_sources"] is True
    assert voila["show_tracebacks"] is False and voila["preheat_kernel"] is True
    assert voila["allow_template_override"] == "NO"
    pools = config["VoilaKernelManager"]["kernel_pools_config"]
    assert pools == {"default": {"pool_size": 0}, "app.ipynb": {"pool_size": 1}}
    cull = config["MappingKernelManager"]
    assert cull["cull_idle_timeout"] > 0 and cull["cull_connected"] is False
    template = wbserver.TEMPLATES / "nbconvert" / "templates" / voila["template"]
    assert (template / "index.html.j2").exists() and (template / "tree-lab.html").exists()
    for page in template.iterdir():
        assert "cdn." not in page.read_text(), page.name


def test_the_environment_points_kernels_at_the_workbook_and_the_template(tmp_path):
    env = voila_environment(tmp_path / "w.sqlite", "0.0.0.0")
    assert env["WORKBOOK_DB"] == str(tmp_path / "w.sqlite")
    assert env["JUPYTER_PATH"].split(":")[0] == str(wbserver.TEMPLATES)
    assert env["VOILA_APP_IP"] == "127.0.0.1"
    assert voila_environment(tmp_path / "w.sqlite", "192.168.1.20")["VOILA_APP_IP"] == (
        "192.168.1.20")
    # A new token each time unless one is given: the server reads it from here.
    assert len(env[wbserver.TOKEN_VAR]) >= 32
    assert env[wbserver.TOKEN_VAR] != voila_environment(tmp_path / "w.sqlite")[wbserver.TOKEN_VAR]
    assert voila_environment(tmp_path / "w.sqlite", token="given")[wbserver.TOKEN_VAR] == "given"


@pytest.mark.parametrize("args, message", [
    (["--ip", "everywhere"], "--ip takes an IP address"),
    (["--ip", "300.1.1.1"], "--ip takes an IP address"),
    (["--port", "0"], "port must be a number"),
])
def test_app_option_errors(args, message, capsys):
    assert main(["app", "--no-browser", *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_a_bad_cull_setting_is_a_usage_error(capsys, monkeypatch):
    monkeypatch.setenv(wbserver.CULL_VAR, "soon")
    assert main(["app", "--no-browser", "--port", str(free_port())]) == 2
    assert f"${wbserver.CULL_VAR} must be a whole number" in capsys.readouterr().err


def test_a_port_in_use_is_one_clear_line(capsys, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["app", "--no-browser", "--port", str(port), "--db",
                     str(tmp_path / "w.sqlite")]) == 1
    err = capsys.readouterr().err
    assert f"port {port}" in err and "choose another port with --port" in err
    assert not Path(tmp_path / "w.sqlite").exists()


@pytest.mark.slow
def test_the_charts_library_is_one_file_the_browser_can_keep(server):
    from workbook import chart_bundle

    status, body, headers = fetch(server + chart_bundle.bundle_url())
    assert status == 200 and len(body) > 100_000
    assert "javascript" in headers.get("Content-Type", "")
    assert headers.get("Etag") or headers.get("Last-Modified")  # a second visit can keep it
    env = wbserver.voila_environment(Path("w.sqlite"))
    assert env[chart_bundle.URL_VAR] == chart_bundle.bundle_url()
    code = ("import os, altair as alt\n"
            "from workbook.chartview import load_chart_bundle\n"
            "load_chart_bundle()\n"
            "print(len(alt.JupyterChart._esm), alt.JupyterChart._esm)")
    import subprocess

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=120)
    size, esm = done.stdout.split(" ", 1)
    assert int(size) < 300 and chart_bundle.bundle_url() in esm  # a line, not 900 KB


def test_the_app_also_serves_without_preheated_kernels(tmp_path):
    """Voila's own switch turns the pool off (the app benchmark compares both); the guard that
    counts page kernels must not need the pool to start."""
    port = free_port()
    command = voila_command(port, False) + ["--VoilaConfiguration.preheat_kernel=False"]
    with serve(command, port, env=voila_environment(tmp_path / "workbook.sqlite"),
               log=tmp_path / "server.log", ready_path=READY) as base:
        status, body, _ = fetch(base.at("/voila/render/app.ipynb"))
        assert status == 200, body[-500:]
        assert "application/vnd.jupyter.widget-view+json" in body  # the app ran in its kernel
        assert "Using pre-heated kernel" not in base.output()
