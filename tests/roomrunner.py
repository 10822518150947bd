"""Start a real workshop room (`workbook room serve`) and sign people in: shared by the room test
and the capacity script. Runs as root; removes every account and group it made."""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import re
import shutil
import site
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from apprunner import LAPTOP, ROOT, free_port, wait_for_http
from appvisit import Visit

from workbook import room_serve

PROXY = ROOT / "room" / "node_modules" / ".bin" / "configurable-http-proxy"
PASSWORD = "a room password 7"
SIGN_IN_WAIT = 300_000  # ms: on two cores, eight people signing in at once take 35-45 s each


def missing() -> str | None:
    """Why a room cannot run here, or None."""
    if os.geteuid() != 0:
        return "a room makes accounts, so it runs as root"
    if not shutil.which("useradd"):
        return "useradd is missing"
    if not PROXY.exists():
        return "configurable-http-proxy is missing (make installs it: npm ci in room/)"
    if not Path("/usr/bin/python3").exists():
        return "the system's Python (/usr/bin/python3) is missing"
    return None


def _linked(source: Path, target: Path) -> Path:
    """``source`` as hard links under ``target`` (instant on one file system, else a copy)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if subprocess.run(["cp", "-al", str(source), str(target)], capture_output=True).returncode:
        subprocess.run(["cp", "-a", str(source), str(target)], check=True, capture_output=True)
    return target


def room_python(root: Path) -> Path:
    """A Python every account can run, with this run's packages (the room's own install).

    This run's interpreter and checkout may live where other accounts cannot enter (a home
    folder, a private temporary folder), so the room runs from a virtual environment of the
    system's Python, with this run's packages and this checkout linked into the room's folder,
    as a facilitator's install under /opt would be.
    """
    env_dir = root / "venv"
    subprocess.run(["/usr/bin/python3", "-m", "venv", "--without-pip", str(env_dir)],
                   check=True, capture_output=True, timeout=120)
    python = env_dir / "bin" / "python"
    site_dir = Path(subprocess.run(
        [str(python), "-c", "import site; print(site.getsitepackages()[0])"],
        capture_output=True, text=True, check=True).stdout.strip())
    checkout = root / "checkout"
    for name in ("workbook", "notebooks", "data", "room", "voila.json"):
        _linked(ROOT / name, checkout / name)
    deps = [_linked(Path(d), root / f"deps-{i}") for i, d in enumerate(site.getsitepackages())]
    # The checkout first: the editable install's own path file names the original one.
    lines = [f"import sys; sys.path.insert(0, {str(checkout)!r})",
             *(f"import site; site.addsitedir({str(d)!r})" for d in deps)]
    (site_dir / "room-deps.pth").write_text("\n".join(lines) + "\n")
    # Voila's and the hub's templates and static files, the servers' extension settings
    for data in ("share/jupyter", "share/jupyterhub", "etc/jupyter"):
        if (Path(sys.prefix) / data).exists():
            _linked(Path(sys.prefix) / data, env_dir / data)
    return python


def workbook_of(name: str) -> Path:
    """Where a participant's workbook is: the default folder in their own home."""
    home = Path(pwd.getpwnam(name).pw_dir)
    return home / ".local" / "share" / "networking-workbook" / "workbook.sqlite"


def remove_accounts(names) -> None:
    """End what runs as these accounts, then remove them with their homes."""
    for name in names:
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
        for _ in range(50):
            if subprocess.run(["pgrep", "-u", name], capture_output=True).returncode:
                break
            time.sleep(0.1)
        subprocess.run(["userdel", "--remove", name], capture_output=True)


def _end_what_is_left(root: Path) -> None:
    """End the room's processes that outlived the hub: its proxy, its services."""
    pids = []
    proxy = root / "hub" / "jupyterhub-proxy.pid"
    with contextlib.suppress(OSError, ValueError):
        pids.append(int(proxy.read_text().strip()))
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if str(root).encode() in (entry / "cmdline").read_bytes():
                    pids.append(int(entry.name))
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, 9)


@contextlib.contextmanager
def running_room(facilitators: list[str], accounts: list[str]) -> Iterator[dict]:
    """A room on 127.0.0.1, started as a facilitator starts it; ``accounts`` removed after."""
    groups_before = {g.gr_name for g in grp.getgrall()}
    root = Path(tempfile.mkdtemp(prefix="wb-room-", dir="/tmp"))
    os.chmod(root, 0o711)
    python = room_python(root)
    ports = [free_port() for _ in range(4)]
    command = [str(python), "-m", "workbook", "room", "serve", "--dir", str(root),
               "--ip", "127.0.0.1", "--port", str(ports[0]), "--hub-port", str(ports[1]),
               "--proxy-api-port", str(ports[2]), "--service-port", str(ports[3]),
               "--proxy", str(PROXY)]
    for name in facilitators:
        command += ["--facilitator", name]
    log_path = root / "room.log"
    log = log_path.open("wb")
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{ports[0]}"
    try:
        try:
            wait_for_http(base + "/hub/api", timeout=120, proc=proc)
        except (RuntimeError, TimeoutError) as e:
            raise AssertionError(f"{e}:\n{log_path.read_text()[-3000:]}") from None
        yield {"base": base, "root": root, "python": str(python), "shared": root / "shared",
               "log": log_path, "pid": proc.pid}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()
        log.close()
        _end_what_is_left(root)
        remove_accounts(accounts)
        for group in (room_serve.PARTICIPANTS, room_serve.FACILITATORS):
            if group not in groups_before:
                subprocess.run(["groupdel", group], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def sign_in(browser, base: str, name: str, password: str = PASSWORD) -> tuple[Visit, float]:
    """Sign in as ``name`` (a new name chooses its password now); the tab on the app, seconds."""
    tab = Visit(browser, base, LAPTOP)
    page = tab.page
    page.goto(base + "/hub/login", timeout=SIGN_IN_WAIT)
    start = time.monotonic()
    page.locator("#username_input").fill(name)
    page.locator("#password_input").fill(password)
    page.locator("#login_submit").click()
    page.wait_for_url(re.compile(rf"/user/{name}/voila/render/app\.ipynb\??$"),
                      timeout=SIGN_IN_WAIT)
    page.locator(".wb-step-start").wait_for(timeout=SIGN_IN_WAIT)
    return tab, time.monotonic() - start
