"""Serving the app: the Voila server for the app notebook and the guided notebooks beside it.

The files it serves ship inside the package (``workbook/notebooks``, ``workbook/voila.json``),
so an installed wheel serves the app from any folder; in a checkout they are the repository's
own ``notebooks/`` and ``voila.json``. Only the standard library is imported here, so that
``workbook --help`` starts at once.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from pathlib import Path

from .errors import UsageError, WorkbookError
from .listen import DEFAULT_PORT, LOCAL_IP, port_number  # noqa: F401  (the app's address)
from .paths import ENV_VAR

CULL_VAR = "WORKBOOK_CULL_IDLE"
# The secret a browser must present, passed to the server in its environment: a command line
# is visible to every account on the computer (`ps`), an environment only to its own.
TOKEN_VAR = "WORKBOOK_APP_TOKEN"
PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE / "jupyter"  # the app's page template
CHECKOUT = PACKAGE.parent  # a repository checkout (or an editable install of one)


def _shipped(name: str) -> Path:
    """A file or folder the wheel ships in the package, else the checkout's own."""
    # The package is a plain folder on disk (a wheel or a checkout), so its path is enough.
    inside = PACKAGE / name
    return inside if inside.exists() else CHECKOUT / name


NOTEBOOKS = _shipped("notebooks")
APP_NOTEBOOK = NOTEBOOKS / "app.ipynb"
# The app's Voila settings (template, pool, culling).
VOILA_CONFIG = _shipped("voila.json")


def _cull_idle() -> int | None:
    """Seconds an unused kernel may stay idle, from $WORKBOOK_CULL_IDLE (for tests and tuning)."""
    text = os.environ.get(CULL_VAR, "").strip()
    if not text:
        return None
    try:
        seconds = int(text)
    except ValueError:
        seconds = 0
    if seconds < 1:
        raise UsageError(f"${CULL_VAR} must be a whole number of seconds, not {text!r}")
    return seconds


def browser_host(ip: str) -> str:
    """The host part of the address a browser on this computer opens for a server on ``ip``."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:  # a host name
        return ip
    host = LOCAL_IP if address.is_unspecified else ip
    return f"[{host}]" if ":" in host else host


def voila_command(port: int, open_browser: bool, *, ip: str = LOCAL_IP,
                  cull_idle: int | None = None, notebooks: Path = NOTEBOOKS) -> list[str]:
    """The command that serves the app and the guided notebooks with Voila.

    Voila runs through `workbook.voila_guard`, which answers only requests for this server's
    own addresses, asks every browser for the token from `voila_environment` (never on the
    command line) and keeps the kernels' sockets in a folder of this account's own.

    Parameters
    ----------
    port
        The TCP port.
    open_browser
        Open a browser tab once the server is up.
    ip
        The address to listen on: 127.0.0.1 (this computer only) unless asked otherwise.
    cull_idle
        Seconds after which an unused kernel is stopped, instead of the value in voila.json.
    notebooks
        The folder to serve; it holds ``app.ipynb`` (the benchmarks serve a copy beside others).

    Returns
    -------
    list of str
        Arguments for :func:`subprocess.Popen`; run them with the repository as the working
        folder and the environment from `voila_environment`.
    """
    command = [
        sys.executable, "-m", "workbook.voila_guard", str(notebooks),
        f"--port={port}", f"--Voila.ip={ip}", "--Voila.port_retries=0",
        # only this project's voila.json, whatever folder the command is run from
        f"--Voila.config_file_paths={VOILA_CONFIG.parent}",
    ]
    if cull_idle is not None:
        command += [f"--MappingKernelManager.cull_idle_timeout={cull_idle}",
                    f"--MappingKernelManager.cull_interval={max(1, cull_idle // 2)}"]
    if not open_browser:
        command.append("--no-browser")
    return command


def voila_environment(db: Path, ip: str = LOCAL_IP, token: str | None = None) -> dict[str, str]:
    """The environment for the Voila server and the kernels it starts.

    The workbook file is passed to every kernel; the app's page template is found through
    JUPYTER_PATH, with the charts' JavaScript beside it as one static file (made here the
    first time, in a few seconds) whose address the kernels are given; kernels started
    ahead of time are told where to reach the server; and the server is given the token
    (a new one unless ``token`` is given; the server keeps it from its kernels).
    """
    import secrets

    from . import chart_bundle

    env = {**os.environ, ENV_VAR: str(db), TOKEN_VAR: token or secrets.token_urlsafe(24)}
    paths = [str(TEMPLATES)]
    if chart_bundle.make_bundle() is not None:
        paths.append(str(chart_bundle.template_root()))
        env[chart_bundle.URL_VAR] = chart_bundle.bundle_url()
    env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (*paths, os.environ.get("JUPYTER_PATH", "")) if p
    )
    env["VOILA_APP_IP"] = browser_host(ip)
    return env


def _network_address() -> str | None:
    """This computer's address on its network, for people in the same room; None if unknown."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # a documentation address: choosing a route sends nothing
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if ipaddress.ip_address(address).is_loopback else address


def _check_port_free(ip: str, port: int) -> None:
    """Fail with one clear line when the port is taken (Voila would quietly pick another)."""
    import socket

    family = socket.AF_INET6 if ":" in ip else socket.AF_INET
    with socket.socket(family) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself binds
        try:
            s.bind((ip, port))
        except OSError as e:
            raise WorkbookError(
                f"Cannot listen on {ip} port {port} ({e.strerror or e}); "
                "choose another port with --port."
            ) from None


def serve_app(args, db: Path) -> int:
    """Serve the workbook app in a browser until Ctrl+C; the exit status."""
    import secrets
    import subprocess

    if args.port is not None:
        port = args.port
    elif os.environ.get("PORT", "").strip():
        try:
            port = port_number(os.environ["PORT"].strip())
        except argparse.ArgumentTypeError as e:
            raise UsageError(f"$PORT: {e}") from None
    else:
        port = DEFAULT_PORT
    if not APP_NOTEBOOK.exists():
        raise WorkbookError(f"The app notebook is missing: {APP_NOTEBOOK}.")
    ip = args.ip
    cull_idle = _cull_idle()
    _check_port_free(ip, port)
    # Every account on this computer can reach 127.0.0.1 too: ask every browser for a secret.
    token = os.environ.get(TOKEN_VAR, "").strip() or secrets.token_urlsafe(24)
    url = f"http://{browser_host(ip)}:{port}/?token={token}"
    print(f"The workbook app is at {url} (Ctrl+C stops it).", flush=True)
    print(f"Workbook file: {db}", flush=True)
    if ip != LOCAL_IP:
        if ipaddress.ip_address(ip).is_unspecified and (other := _network_address()):
            print(f"From other computers: http://{other}:{port}/?token={token}", flush=True)
        print(f"It listens on {ip}: give the address above, with its token, only to people "
              "who may read and change this workbook.", flush=True)
    # The server opens the browser on the address with the token (see workbook.voila_guard).
    command = voila_command(port, not args.no_browser, ip=ip, cull_idle=cull_idle)
    child = subprocess.Popen(command, cwd=NOTEBOOKS, env=voila_environment(db, ip, token))
    return supervise(child, grace=10)


def supervise(child, grace: float) -> int:
    """Wait for a server process until it ends or Ctrl+C; its exit status (130 on Ctrl+C).

    A SIGTERM (a service manager, `kill`) is passed on, so the server stops its own children;
    Ctrl+C reached it too, so it gets ``grace`` seconds to do that before it is told again.
    """
    import signal
    import subprocess

    previous = signal.signal(signal.SIGTERM, lambda *_: child.terminate())
    try:
        return child.wait()
    except KeyboardInterrupt:
        try:
            child.wait(timeout=grace)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            child.terminate()
            child.wait()
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)


