"""The app's Voila server, reachable only by its person: ``python -m workbook.voila_guard``.

It takes the options of ``python -m voila`` and adds what standalone Voila lacks:

- every request (pages, static files, APIs, websockets) whose ``Host`` is not one of this
  server's own addresses, or whose ``Origin`` names another site, gets 403: a page on another
  site cannot reach the app through a name it points at 127.0.0.1;
- the token comes from ``$WORKBOOK_APP_TOKEN``, never the command line, which ``ps`` shows to
  every account on the computer;
- kernels talk over Unix sockets in a folder only this account can enter, instead of
  loopback TCP ports any local account can connect to;
- the browser opens the address with the token through a file only this account can read;
- a kernel websocket frame whose declared parts cannot fit in it closes that socket, and
  kernels started for pages are limited in number and stopped when no page connects to them
  (see `PageKernels`).

Standalone Voila sets ``allow_remote_access`` itself and serves its static files, its templates
and its kernels' request info with plain tornado handlers, so jupyter_server's ``check_host``,
``local_hostnames`` and ``allow_origin`` cannot do this; upstream Voila could offer an allowed
hosts setting applied to every handler, a token read from the environment, and a kernel
transport option.
"""

from __future__ import annotations

import asyncio
import atexit
import functools
import html
import ipaddress
import os
import re
import shutil
import socket
import sys
import tempfile
import threading
import webbrowser
from pathlib import Path
from urllib.parse import urlsplit

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from tornado.ioloop import IOLoop
from tornado.routing import Matcher, Rule
from tornado.web import HTTPError, RequestHandler
from traitlets import Integer
from traitlets.config import Config
from voila.app import Voila

from .server import TOKEN_VAR, browser_host

# A Host header as browsers send it for a server on a port of its own: name or [IPv6], port.
HOST = re.compile(r"(?P<name>[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(?P<port>[0-9]{1,5})")


@functools.lru_cache(maxsize=64)
def _own_address(text: str) -> bool:
    """Whether ``text`` is an IP address this computer holds (it can bind a socket to it)."""
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return False
    if address.is_unspecified or address.is_multicast:
        return False
    family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as s:
        try:
            s.bind((text, 0))
        except OSError:
            return False
    return True


class Reach:
    """The host names and addresses by which this server may be asked for: its own."""

    def __init__(self, ip: str, port: int):
        self.port = port
        self.names = {"127.0.0.1", "localhost"}
        try:
            address = ipaddress.ip_address(ip.strip("[]"))
        except ValueError:  # a host name, such as Voila's own default
            address = None
        if address is None or not address.is_unspecified:
            self.names.add(str(address or ip).lower())
        if address is not None and address.version == 6:
            self.names.add("::1")
        # On every address: any address this computer holds, as people in the room type it.
        self.any_own = address is not None and address.is_unspecified

    def allows_host(self, host: str | None) -> bool:
        """Whether a ``Host`` header (``name:port``) names this server."""
        found = HOST.fullmatch(host or "")
        if found is None or int(found["port"]) != self.port:
            return False
        name = found["name"].strip("[]").lower()
        try:
            name = str(ipaddress.ip_address(name))  # one spelling per address
        except ValueError:
            pass
        return name in self.names or (self.any_own and _own_address(name))

    def allows_origin(self, origin: str | None) -> bool:
        """Whether an ``Origin`` header is absent or names this server (``null`` does not)."""
        if origin is None:
            return True
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or parts.path not in ("", "/"):
            return False
        return self.allows_host(parts.netloc)


class ForeignRequest(Matcher):
    """Matches the requests that name another host, or come from another site's page."""

    def __init__(self, reach: Reach):
        self.reach = reach

    def match(self, request):
        headers = request.headers
        if self.reach.allows_host(headers.get("Host")) and self.reach.allows_origin(
                headers.get("Origin")):
            return None
        return {}


class Refused(RequestHandler):
    """403 for any method, websocket upgrades included; the server's log says why."""

    def initialize(self, log):
        self.refusals = log

    def prepare(self):
        headers = self.request.headers
        self.refusals.warning("Refused %s %r: Host %r, Origin %r", self.request.method,
                              self.request.path, headers.get("Host"), headers.get("Origin"))
        raise HTTPError(403)

    def write_error(self, status_code, **kwargs):
        self.finish("This server answers only its own address.\n")


V1 = "v1.kernel.websocket.jupyter.org"
BUSY = "Too many pages of the workbook are open at once; close one of them and reload this page."


def frame_fits(frame: bytes, subprotocol: str | None) -> bool:
    """Whether a binary kernel websocket frame holds the table of parts its first bytes declare.

    jupyter_server reads that count and loops over it (v1: 8 bytes, little-endian; the older
    format: 4 bytes, big-endian) before it looks at the frame's length, so one small frame
    declaring 2**60 parts holds the whole server. Upstream jupyter_server should check the
    count against the length in ``deserialize_msg_from_ws_v1`` and
    ``deserialize_binary_message``.
    """
    if subprotocol == V1:
        count = int.from_bytes(frame[:8], "little")
        return len(frame) >= 8 and 2 <= count and 8 * (count + 1) <= len(frame)
    count = int.from_bytes(frame[:4], "big", signed=True)
    return len(frame) >= 4 and 0 <= count and 4 * (count + 1) <= len(frame)


class CheckedConnection(ZMQChannelsWebsocketConnection):
    """A kernel websocket that closes on a frame whose declared parts cannot fit in it."""

    async def connect(self):
        limits = getattr(self.multi_kernel_manager, "page_kernels", None)
        if limits is not None:
            limits.connected.add(self.kernel_id)
        await super().connect()

    def handle_incoming_message(self, incoming_msg):
        if isinstance(incoming_msg, bytes) and not frame_fits(incoming_msg, self.subprotocol):
            self.log.warning("Closed a websocket of kernel %s: a frame of %d bytes declares "
                             "more parts than it holds.", self.kernel_id, len(incoming_msg))
            self.websocket_handler.close(1007, "malformed message")  # invalid payload data
            return
        super().handle_incoming_message(incoming_msg)


class PageKernels:
    """How many kernels pages started, of the app and of the guided notebooks, and their end.

    The app's first visitor takes the kernel its pool started ahead; every other page view
    starts a kernel of its own (150 MB or so), which the page's websocket keeps. Past a
    number of them a view is refused with a 503 page; a kernel no page connected to within
    ``unconnected`` seconds (a fetch that never runs the page's script) is stopped.
    """

    def __init__(self, manager, most: dict[str, int], unconnected: int, log):
        self.manager, self.most, self.unconnected, self.log = manager, most, unconnected, log
        self.started: dict[str, str] = {}  # kernel id: "app" or "guided"
        self.starting = dict.fromkeys(most, 0)  # asked for, not yet started
        self.connected: set[str] = set()
        manager.page_kernels = self
        # Without preheated kernels (preheat_kernel=False) Voila's manager has no pool to take
        # a rendered page from, and every page's kernel goes through start_kernel.
        start = manager.start_kernel
        rendered = getattr(manager, "get_rendered_notebook", None)

        async def start_kernel(*args, env=None, **kwargs):
            page = (env or {}).get("SCRIPT_NAME", "")
            kind = "app" if page.endswith("/app.ipynb") else "guided"
            self.reserve(kind)
            try:
                kernel_id = await start(*args, env=env, **kwargs)
            finally:
                self.starting[kind] -= 1
            self.started[kernel_id] = kind
            self.watch(kernel_id)
            return kernel_id

        async def get_rendered_notebook(*args, **kwargs):
            found = await rendered(*args, **kwargs)
            self.watch(found[2])  # the pool's kernel, now a visitor's
            return found

        manager.start_kernel = start_kernel
        if rendered is not None:
            manager.get_rendered_notebook = get_rendered_notebook

    def live(self, kind: str) -> int:
        """Kernels of this kind that pages started and that still run, or are starting."""
        running = set(self.manager.list_kernel_ids())
        for gone in set(self.started) - running:
            del self.started[gone]
            self.connected.discard(gone)
        return sum(k == kind for k in self.started.values()) + self.starting[kind]

    def reserve(self, kind: str) -> None:
        """Count one more kernel of this kind, or refuse the page that asks for it."""
        if self.live(kind) >= self.most[kind]:
            self.log.warning("Refused a page: %d %s kernels run already.", self.most[kind], kind)
            # Voila's error page shows the reason, not the message
            raise HTTPError(503, reason=BUSY)
        self.starting[kind] += 1

    def watch(self, kernel_id: str) -> None:
        """Stop the kernel later unless a page has connected to it by then."""
        IOLoop.current().call_later(self.unconnected, lambda: asyncio.ensure_future(
            self.stop_unconnected(kernel_id)))

    async def stop_unconnected(self, kernel_id: str) -> None:
        if kernel_id in self.connected or kernel_id not in self.manager:
            return
        self.log.info("Stopping kernel %s: no page connected to it.", kernel_id)
        try:
            await self.manager.shutdown_kernel(kernel_id)
        except KeyError:  # stopped meanwhile
            pass


class GuardedVoila(Voila):
    """Voila with the host and origin check, the token from the environment and ipc kernels."""

    guided_kernels = Integer(6, config=True, help="Most kernels the guided notebooks' pages "
                                                  "may run at once.")
    app_kernels = Integer(3, config=True, help="Most kernels app pages may run at once "
                                               "besides the one from the pool.")
    unconnected_timeout = Integer(90, config=True, help="Seconds after which a page's kernel "
                                                        "that no page connected to is stopped.")

    def initialize(self, argv=None):
        super().initialize(argv)
        token = os.environ.pop(TOKEN_VAR, "").strip()  # kernels need not inherit it
        if not token:
            sys.exit(f"${TOKEN_VAR} must hold the token this server asks of browsers.")
        self.token = token
        # A folder only this account can enter, for connection files, sockets and the page
        # that opens the browser; short, as a Unix socket's path must be.
        self.runtime = Path(tempfile.mkdtemp(prefix="wb-app-"))
        atexit.register(shutil.rmtree, self.runtime, ignore_errors=True)
        os.environ["JUPYTER_RUNTIME_DIR"] = str(self.runtime)
        self.connection_dir_root = str(self.runtime)
        self.update_config(Config({"KernelManager": {"transport": "ipc"}}))

    def init_settings(self):
        self.kernel_websocket_connection_class = CheckedConnection
        settings = super().init_settings()  # makes the kernel manager
        PageKernels(self.kernel_manager, {"guided": self.guided_kernels, "app": self.app_kernels},
                    self.unconnected_timeout, self.log)
        return settings

    def listen(self):
        # Ahead of every handler Voila added. The port is the one asked for (the command sets
        # no retries); had Voila moved to another, every request would be refused, not let in.
        reach = Reach(self.ip, self.port)
        router = self.app.default_router
        rule = Rule(ForeignRequest(reach), Refused, {"log": self.log})
        router.rules.insert(0, router.process_rule(rule))
        super().listen()

    def launch_browser(self):
        """Open the address with its token from a file, so no command line carries the token."""
        url = f"http://{browser_host(self.ip)}:{self.port}/?token={self.token}"
        page = self.runtime / "open.html"
        with os.fdopen(os.open(page, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
            link = html.escape(url, quote=True)
            f.write(f'<!doctype html><meta http-equiv="refresh" content="0; url={link}">'
                    f'<title>Networking Workbook</title><a href="{link}">Open the workbook</a>\n')
        try:
            browser = webbrowser.get(self.browser or None)
        except webbrowser.Error as e:
            self.log.warning("No web browser found: %s.", e)
            return
        threading.Thread(target=browser.open, args=(page.as_uri(), self.webbrowser_open_new),
                         daemon=True).start()


if __name__ == "__main__":
    GuardedVoila.launch_instance()
