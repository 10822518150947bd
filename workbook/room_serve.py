"""Serving a workshop room: JupyterHub, one server per participant, each in their own account.

``workbook room serve`` makes the room's folders and groups, writes the settings every
participant's server reads, and runs JupyterHub with ``room/jupyterhub_config.py``. It runs as
root, because the hub makes each participant's account and starts their server as that account.
"""

from __future__ import annotations

import grp
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .errors import UsageError, WorkbookError
from .server import CHECKOUT, NOTEBOOKS, PACKAGE, TEMPLATES, VOILA_CONFIG, supervise

PARTICIPANTS = "workbook-participants"
FACILITATORS = "workbook-facilitators"
CONFIG_FILE = (PACKAGE / "room" / "jupyterhub_config.py"
               if (PACKAGE / "room" / "jupyterhub_config.py").exists()
               else CHECKOUT / "room" / "jupyterhub_config.py")
PROXY = "configurable-http-proxy"

# Settings for every participant's server. Voila as a server extension takes its kernel
# culling from here, not from voila.json; the page asks nothing of a CDN.
SERVER_SETTINGS = {
    "MappingKernelManager": {"cull_idle_timeout": 1800, "cull_interval": 120,
                             "cull_connected": False, "cull_busy": False},
    "ServerApp": {"jpserver_extensions": {"voila": True},
                  "tornado_settings": {"mathjax_url": "null", "mathjax_config": "null"}},
}


def room_folders(root: Path) -> dict[str, Path]:
    """The room's folders under ``root``, by what they hold."""
    return {"state": root / "hub", "shared": root / "shared",
            "config": root / "jupyter-config", "data": root / "jupyter-data"}


def find_proxy(given: str | None) -> str:
    """The configurable-http-proxy command: --proxy, the checkout's room/node_modules, or PATH."""
    candidates = [given] if given else [
        str(CHECKOUT / "room" / "node_modules" / ".bin" / PROXY), shutil.which(PROXY)]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise WorkbookError(
        "configurable-http-proxy is missing: run 'npm ci' in the room folder of the "
        "checkout (make room does it), or give its path with --proxy.")


def _group(name: str) -> int:
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        subprocess.run(["groupadd", name], check=True, capture_output=True)
        return grp.getgrnam(name).gr_gid


def _readable_by_others(path: Path) -> Path | None:
    """The first folder on ``path``'s way that another account cannot pass, if any."""
    for part in [*reversed(path.resolve().parents), path.resolve()]:
        mode = part.stat().st_mode
        if part.is_dir() and not mode & 0o001:
            return part
    return None


def prepare_room(root: Path, facilitators: list[str],
                 python: Path | None = None) -> dict[str, str]:
    """Make the room's folders, groups and settings; the environment for the hub.

    The hub's own files are root's alone; participants may add a file of shared counts to
    ``shared`` but not list it (mode 3773: new files take the facilitators' group); the
    settings and the charts' JavaScript are readable by all. ``python`` is the interpreter
    participants' servers run (this one unless told).
    """
    from . import chart_bundle, room_share

    for needed in (python or Path(sys.executable), NOTEBOOKS, TEMPLATES):
        if (closed := _readable_by_others(needed)) is not None:
            raise WorkbookError(
                f"Participants' accounts cannot reach {needed}: {closed} is closed to other "
                "accounts. Install the workbook under /opt (see the README's room section).")
    folders = room_folders(root)
    root.mkdir(parents=True, exist_ok=True)
    os.chmod(root, 0o711)
    folders["state"].mkdir(exist_ok=True)
    os.chmod(folders["state"], 0o700)
    _group(PARTICIPANTS)
    facilitators_gid = _group(FACILITATORS)
    for name in facilitators:
        subprocess.run(["gpasswd", "-a", name, FACILITATORS], capture_output=True)
    shared = folders["shared"]
    shared.mkdir(exist_ok=True)
    os.chown(shared, 0, facilitators_gid)
    os.chmod(shared, 0o3773)
    for name in ("config", "data"):
        folders[name].mkdir(exist_ok=True)
        os.chmod(folders[name], 0o755)
    settings = folders["config"]
    (settings / "jupyter_server_config.json").write_text(json.dumps(SERVER_SETTINGS, indent=1))
    voila = json.loads(VOILA_CONFIG.read_text())
    (settings / "voila.json").write_text(json.dumps(
        {"VoilaConfiguration": voila["VoilaConfiguration"]}, indent=1))
    bundle = chart_bundle.make_bundle()
    static = folders["data"] / "nbconvert" / "templates" / chart_bundle.TEMPLATE / "static"
    static.mkdir(parents=True, exist_ok=True)
    if bundle is not None:
        shutil.copy2(bundle, static / bundle.name)
    for folder in (folders["data"], *folders["data"].rglob("*")):
        os.chmod(folder, 0o755 if folder.is_dir() else 0o644)
    return {
        "WORKBOOK_ROOM_STATE": str(folders["state"]),
        room_share.ENV_VAR: str(shared),
        "WORKBOOK_ROOM_CONFIG": str(settings),
        "WORKBOOK_ROOM_DATA": os.pathsep.join([str(TEMPLATES), str(folders["data"])]),
        "WORKBOOK_ROOM_NOTEBOOKS": str(NOTEBOOKS),
        "WORKBOOK_ROOM_CHART_FILE": chart_bundle.bundle_name(),
        "WORKBOOK_ROOM_GROUP": PARTICIPANTS,
        "WORKBOOK_ROOM_FACILITATORS": ",".join(facilitators),
    }


def hub_command() -> list[str]:
    """The command that runs JupyterHub with the room's settings."""
    return [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG_FILE)]


def room_environment(args) -> dict[str, str]:
    """Everything the room's hub needs, made ready: its environment."""
    try:
        import firstuseauthenticator  # noqa: F401
        import jupyterhub  # noqa: F401
        import jupyterhub_idle_culler  # noqa: F401
    except ImportError as e:
        raise WorkbookError(
            f"The room needs JupyterHub ({e.name} is missing): install the 'room' extra, "
            "pip install 'networking-workbook[room]' (make room does it).") from None
    if os.geteuid() != 0:
        raise UsageError("a room runs as root (it makes each participant's account): "
                         "run it with sudo")
    facilitators = [n.strip() for n in (args.facilitator or []) if n.strip()]
    env = {**os.environ, **prepare_room(Path(args.dir), facilitators)}
    env["WORKBOOK_ROOM_PROXY"] = find_proxy(args.proxy)
    env["WORKBOOK_ROOM_IP"] = args.ip
    env["WORKBOOK_ROOM_PORT"] = str(args.port)
    env["WORKBOOK_ROOM_IDLE"] = str(args.idle)
    for name in ("hub_port", "proxy_api_port", "service_port"):
        value = getattr(args, name, None)
        if value:
            env[f"WORKBOOK_ROOM_{name.upper()}"] = str(value)
    return env


def serve_room(args) -> int:
    """Run the room until Ctrl+C; the exit status."""
    from . import room_share

    env = room_environment(args)
    shown = "127.0.0.1" if args.ip in ("0.0.0.0", "::") else args.ip
    print(f"The room is at http://{shown}:{args.port}/ (Ctrl+C stops it).", flush=True)
    print(f"Participants' shared counts: {env[room_share.ENV_VAR]}", flush=True)
    child = subprocess.Popen(hub_command(), cwd=env["WORKBOOK_ROOM_STATE"], env=env)
    return supervise(child, grace=20)  # the hub stops every participant's server first
