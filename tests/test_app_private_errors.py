"""No message a visitor's browser can receive carries a traceback or a path of the server's files:
error pages over HTTP, and the kernel's websocket while widget messages make its code raise."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
import uuid

import pytest
import websocket
from apprunner import app_command, free_port, serve

from workbook import private_errors

READY = "/voila/static/favicon.ico"
LEAKS = ("Traceback", "/site-packages/", "/workbook/", 'File "')


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on a new workbook, started as `workbook app`."""
    folder = tmp_path_factory.mktemp("private-errors")
    port = free_port()
    with serve(app_command(port, folder / "workbook.sqlite"), port, log=folder / "server.log",
               ready_path=READY) as base:
        yield base


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


def message(msg_type: str, content: dict, metadata: dict | None = None) -> str:
    """A message from a browser to the kernel, as JupyterLab's widget manager sends it."""
    return json.dumps({
        "header": {"msg_id": uuid.uuid4().hex, "username": "visitor", "session": "visitor",
                   "msg_type": msg_type, "version": "5.3", "date": "2026-11-26T00:00:00Z"},
        "parent_header": {}, "metadata": metadata or {}, "content": content,
        "channel": "shell", "buffers": [],
    })


def receive(ws, quiet: float = 4.0, most: float = 90.0) -> list[str]:
    """Every frame the kernel sends until it has been quiet for ``quiet`` seconds."""
    frames, last, began = [], time.monotonic(), time.monotonic()
    ws.settimeout(0.5)
    while time.monotonic() - last < quiet and time.monotonic() - began < most:
        try:
            frame = ws.recv()
        except websocket.WebSocketTimeoutException:
            continue
        frames.append(frame if isinstance(frame, str) else frame.decode("utf-8", "replace"))
        last = time.monotonic()
    return frames


def assert_private(text: str, where: str) -> None:
    for leak in LEAKS:
        assert leak not in text, (where, leak, text[max(0, text.find(leak) - 300):][:800])


@pytest.mark.slow
@pytest.mark.parametrize("path", [
    "/nope", "/voila/render/nope.ipynb", "/voila/render/conftest.py", "/voila/tree/nope",
    "/voila/files/app.ipynb", "/voila/render/..%2f..%2fpyproject.toml", "/api/kernels",
    "/voila/static/nope.js", "/voila/templates/networking-workbook/static/nope.js",
    "/voila/render/app.ipynb?voila-template=lab", "/voila/api/shutdown/nope",
])
def test_error_pages_name_no_file_of_the_server(server, path):
    status, body = fetch(server.at(path))
    assert status >= 400 or "voila-template" in path
    assert_private(body, path)


@pytest.mark.slow
@pytest.mark.parametrize("notebook", ["app.ipynb", "01-map-your-communities.ipynb"])
def test_widget_messages_that_make_the_kernel_raise_get_one_plain_sentence(server, notebook):
    status, page = fetch(server.at(f"/voila/render/{notebook}"))
    assert status == 200
    assert_private(page, notebook)
    kernel = re.search(r'"kernelId": "([0-9a-f-]{36})"', page).group(1)
    ws = websocket.create_connection(
        "ws://" + server.at(f"/api/kernels/{kernel}/channels?session_id=visitor")
        .removeprefix("http://"),
        timeout=30)
    try:
        # An old widget protocol makes ipywidgets raise while opening its comm.
        ws.send(message("comm_open", {"comm_id": uuid.uuid4().hex, "data": {},
                                      "target_name": "jupyter.widget.control"}))
        control = uuid.uuid4().hex
        ws.send(message("comm_open", {"comm_id": control, "data": {},
                                      "target_name": "jupyter.widget.control"},
                        metadata={"version": "1.0.0"}))
        ws.send(message("comm_msg", {"comm_id": control, "data": {"method": "request_states"}}))
        frames = receive(ws)
        states = {}
        for frame in frames:
            data = json.loads(frame).get("content", {}).get("data", {})
            if isinstance(data, dict) and data.get("method") == "update_states":
                states.update(data["states"])
        assert len(states) > 20
        # Values of the wrong type for one widget of each kind, and a click on every button.
        kinds = {s["model_name"]: model for model, s in states.items()}
        for model, state in states.items():
            keys = [k for k in state["state"] if not k.startswith("_")][:6]
            for key in keys if model in kinds.values() else ():
                for bad in ({"x": [1]}, -10**9):
                    ws.send(message("comm_msg", {"comm_id": model, "data": {
                        "method": "update", "state": {key: bad}, "buffer_paths": []}}))
            ws.send(message("comm_msg", {"comm_id": model, "data": {
                "method": "custom", "content": {"event": "click"}}}))
        frames += receive(ws)
    finally:
        ws.close()

    for frame in frames:
        assert_private(frame, notebook)
    errors = [json.loads(f)["content"] for f in frames if '"msg_type": "error"' in f]
    assert len(errors) > 10  # the kernel did raise, again and again
    assert {e["evalue"] for e in errors} == {private_errors.SENTENCE}
    # the details are kept for whoever runs the server
    assert "Traceback" in server.output() or "an error in the page's kernel" in server.output()
