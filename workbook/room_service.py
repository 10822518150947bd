"""The room page for facilitators: a JupyterHub service showing the counts participants shared.

The hub starts it (``python -m workbook.room_service``) and passes its address and prefix in
the environment. Only people whose role grants ``access:services!service=room`` get the page;
everyone else is refused by the hub's own sign-in check (403).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

from jupyterhub.services.auth import HubOAuthCallbackHandler, HubOAuthenticated
from jupyterhub.utils import url_path_join
from tornado import ioloop, web


def _folder() -> Path:
    from .room_share import room_dir

    folder = room_dir()
    if folder is None:
        raise web.HTTPError(503, "The room's shared folder is missing.")
    return folder


class _Page(HubOAuthenticated, web.RequestHandler):
    def set_default_headers(self):
        # The page carries its charts inline and needs nothing from anywhere else.
        self.set_header("Content-Security-Policy",
                        "default-src 'none'; img-src data:; style-src 'unsafe-inline'")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Cache-Control", "no-store")


class RoomPage(_Page):
    @web.authenticated
    def get(self):
        from . import room_report

        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.write(room_report.room_page_html(_folder()))


class RoomPdf(_Page):
    @web.authenticated
    def get(self):
        from . import room_report

        self.set_header("Content-Type", "application/pdf")
        self.set_header("Content-Disposition", 'attachment; filename="room.pdf"')
        self.write(room_report.room_pdf(_folder()))


def make_app(prefix: str) -> web.Application:
    """The service's web application under ``prefix`` (the hub's /services/room/)."""
    return web.Application([
        (prefix, RoomPage),
        (url_path_join(prefix, "room.pdf"), RoomPdf),
        (url_path_join(prefix, "oauth_callback"), HubOAuthCallbackHandler),
    ], cookie_secret=os.urandom(32))


def main() -> None:
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/room/")
    address = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
    make_app(prefix).listen(address.port, address.hostname)
    ioloop.IOLoop.current().start()


if __name__ == "__main__":
    main()
