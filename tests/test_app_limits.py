"""What one page (or one script posing as a page) can take from the app's server: a frame that
declares more than it holds, an oversized message, too many pages, too many widgets."""

from __future__ import annotations

import json
import re
import struct
import time
import urllib.error
import urllib.request
import uuid

import pytest
import websocket
from apprunner import free_port, rss_mib, serve

from workbook import kernel_limits, server
from workbook.voila_guard import BUSY, V1, frame_fits

READY = "/voila/static/favicon.ico"
GUIDED = 2  # most guided kernels, for this server
UNCONNECTED = 20  # seconds a page's kernel waits for its page, for this server
CONTROLS = {"_model_module": "@jupyter-widgets/controls", "_model_module_version": "2.0.0",
            "_view_module": "@jupyter-widgets/controls", "_view_module_version": "2.0.0",
            "_model_name": "IntSliderModel", "_view_name": "IntSliderView"}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The app's server as `workbook app` runs it, with fewer page kernels and a shorter wait."""
    folder = tmp_path_factory.mktemp("limits")
    port = free_port()
    command = server.voila_command(port, False) + [
        f"--GuardedVoila.guided_kernels={GUIDED}",
        f"--GuardedVoila.unconnected_timeout={UNCONNECTED}"]
    with serve(command, port, env=server.voila_environment(folder / "workbook.sqlite"),
               log=folder / "server.log", ready_path=READY, cwd=server.NOTEBOOKS) as base:
        yield base


def fetch(url: str, timeout: float = 120) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


def kernel_of(app, notebook: str = "app.ipynb") -> str:
    """Render a page; the id of the kernel it was given."""
    status, page = fetch(app.at(f"/voila/render/{notebook}"))
    assert status == 200, page[:500]
    return re.search(r'"kernelId": "([0-9a-f-]{36})"', page).group(1)


def channels(app, kernel: str, subprotocol: str | None = None) -> websocket.WebSocket:
    url = app.at(f"/api/kernels/{kernel}/channels?session_id={uuid.uuid4().hex}")
    return websocket.create_connection(url.replace("http://", "ws://", 1), timeout=30,
                                       subprotocols=[subprotocol] if subprotocol else None)


def message(msg_type: str, content: dict, metadata: dict | None = None) -> str:
    """A message from a browser to the kernel, in the JSON form of the older protocol."""
    return json.dumps({
        "header": {"msg_id": uuid.uuid4().hex, "username": "visitor", "session": "visitor",
                   "msg_type": msg_type, "version": "5.3", "date": "2026-11-26T00:00:00Z"},
        "parent_header": {}, "metadata": metadata or {}, "content": content,
        "channel": "shell", "buffers": [],
    })


def close_code(ws, most: float = 30.0) -> int | None:
    """The code the server closed ``ws`` with (None if it stayed open ``most`` seconds)."""
    began = time.monotonic()
    ws.settimeout(1)
    while time.monotonic() - began < most:
        try:
            frame = ws.recv_data_frame(control_frame=True)[1]
        except websocket.WebSocketTimeoutException:
            continue
        except (websocket.WebSocketConnectionClosedException, ConnectionError):
            return 1006  # cut off without a close frame
        if frame.opcode == websocket.ABNF.OPCODE_CLOSE:
            return struct.unpack("!H", frame.data[:2])[0] if len(frame.data) >= 2 else 1005
    return None


def kernel_answers(ws) -> bool:
    """Whether the kernel behind ``ws`` replies to a kernel_info_request."""
    ws.send(message("kernel_info_request", {}))
    ws.settimeout(1)
    began = time.monotonic()
    while time.monotonic() - began < 30:
        try:
            frame = ws.recv()
        except websocket.WebSocketTimeoutException:
            continue
        if isinstance(frame, str) and '"msg_type": "kernel_info_reply"' in frame:
            return True
    return False


def closes(ws, seconds: float, quiet: bool = False) -> set[str]:
    """The comms the kernel closed, read for ``seconds`` (or until quiet that long)."""
    found: set[str] = set()
    ws.settimeout(0.2)
    began = last = time.monotonic()
    while time.monotonic() - (last if quiet else began) < seconds:
        try:
            frame = json.loads(ws.recv())
        except websocket.WebSocketTimeoutException:
            continue
        last = time.monotonic()
        if frame.get("msg_type") == "comm_close":
            found.add(frame["content"]["comm_id"])
    return found


def test_a_frame_must_hold_the_parts_it_declares():
    assert not frame_fits((2**62).to_bytes(8, "little") + bytes(24), V1)
    assert not frame_fits((1).to_bytes(8, "little") + bytes(8), V1)
    assert not frame_fits(b"", V1) and not frame_fits(b"", None)
    assert frame_fits((3).to_bytes(8, "little") + bytes(24) + b"shell", V1)
    assert not frame_fits(struct.pack("!i", 2**31 - 1) + bytes(8), None)
    assert not frame_fits(struct.pack("!i", -1) + bytes(8), None)
    assert frame_fits(struct.pack("!iI", 1, 8) + b"{}{}", None)


@pytest.mark.slow
@pytest.mark.parametrize("protocol", [V1, None])
def test_a_frame_declaring_a_huge_count_closes_its_socket_and_nothing_waits(app, protocol):
    kernel = kernel_of(app)
    bystander, crafted = channels(app, kernel), channels(app, kernel, protocol)
    try:
        huge = (2**60).to_bytes(8, "little") if protocol else struct.pack("!i", 2**31 - 1)
        crafted.send_binary(huge + bytes(64))
        began = time.monotonic()
        status, _ = fetch(app.at(READY), timeout=5)
        assert status == 200 and time.monotonic() - began < 1
        assert close_code(crafted) == 1007
        assert kernel_answers(bystander)
    finally:
        bystander.close()
        crafted.close()
    assert "declares more parts than it holds" in app.output()


@pytest.mark.slow
def test_an_oversized_message_closes_that_socket_only(app):
    kernel = kernel_of(app)
    bystander, big = channels(app, kernel), channels(app, kernel)
    try:
        # 5 MiB: under tornado's own limit, over the app's
        try:
            big.send(message("comm_msg", {"comm_id": "x", "data": {"text": "a" * (5 << 20)}}))
        except ConnectionError:  # closed while the rest was still on its way
            pass
        assert close_code(big) in (1009, 1006)  # message too big, or cut off
        assert kernel_answers(bystander)
        small = channels(app, kernel)
        small.send(message("comm_msg", {"comm_id": "x", "data": {"text": "a" * (1 << 20)}}))
        assert kernel_answers(small)  # a megabyte of text is still welcome
        small.close()
    finally:
        bystander.close()
        big.close()


@pytest.mark.slow
def test_guided_pages_past_the_limit_are_refused_until_a_kernel_ends(app):
    # Kernels of earlier tests may end at any moment: follow these two by id, not a count.
    guided = [kernel_of(app, notebook)
              for notebook in ("01-map-your-communities.ipynb", "02-plan-your-gives.ipynb")]
    assert all(app.kernel_pid(k) for k in guided)
    alive = set(app.kernel_pids())
    status, page = fetch(app.at("/voila/render/03-log-your-gives.ipynb"))
    assert status == 503
    assert BUSY in page
    assert set(app.kernel_pids()) <= alive  # no kernel was started for it
    # Nobody connected to those two pages' kernels: they end, and a page may open again.
    deadline = time.monotonic() + UNCONNECTED + 30
    while any(app.kernel_pid(k) for k in guided) and time.monotonic() < deadline:
        time.sleep(1)
    assert not any(app.kernel_pid(k) for k in guided)
    assert "no page connected to it" in app.output()
    assert kernel_of(app, "03-log-your-gives.ipynb")


@pytest.mark.slow
@pytest.mark.parametrize("notebook", ["app.ipynb", "00-start-here.ipynb"])
def test_a_page_cannot_create_widgets_without_limit(app, notebook):
    kernel = kernel_of(app, notebook)
    pid = app.kernel_pid(kernel)
    ws = channels(app, kernel)
    try:
        assert kernel_answers(ws)
        memory = rss_mib(pid)
        asked = [uuid.uuid4().hex for _ in range(3000)]
        closed: set[str] = set()
        # The server drops what the kernel publishes past 1,000 messages a second (three for
        # each comm_open here): a hundred every half second, and the kernel's replies read.
        for start in range(0, len(asked), 100):
            for comm_id in asked[start:start + 100]:
                ws.send(message("comm_open", {
                    "comm_id": comm_id, "target_name": "jupyter.widget",
                    "data": {"state": CONTROLS, "buffer_paths": []}},
                    metadata={"version": "2.1.0"}))
            closed |= closes(ws, 0.5)
        closed |= closes(ws, 4.0, quiet=True)
        assert closed == set(asked[kernel_limits.CLIENT_WIDGETS:])
        assert rss_mib(pid) - memory < 60
        assert kernel_answers(ws)
    finally:
        ws.close()
