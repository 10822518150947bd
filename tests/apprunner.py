"""Start the real app on a free port and drive Debian's Chromium: shared by tests and scripts."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
LAPTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}


def chromium_path() -> str | None:
    """$CHROMIUM when set, else Debian's Chromium or one on PATH; None when there is none."""
    override = os.environ.get("CHROMIUM")
    if override is not None:  # set, even to a path that does not exist: use only that
        return override if override and Path(override).exists() else None
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    """Wait until ``url`` answers, or fail with what the server printed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


class Server(str):
    """A running server's base URL (a plain string), with its process id, log file and token."""

    pid: int
    log: Path | None
    token: str

    def __new__(cls, url: str, pid: int, log: Path | None, token: str):
        server = super().__new__(cls, url)
        server.pid, server.log, server.token = pid, log, token
        return server

    def at(self, path: str = "/") -> str:
        """The address of ``path`` with the token (a browser keeps it as a cookie after)."""
        if "token=" in path:
            return self + path
        return f"{self}{path}{'&' if '?' in path else '?'}token={self.token}"

    def output(self) -> str:
        """What the server has printed so far (empty without a log file)."""
        return self.log.read_text(errors="replace") if self.log and self.log.exists() else ""

    def kernel_pids(self) -> list[int]:
        """The kernels the server runs now (each in its own session, so found by parent)."""
        return kernel_pids(self.pid)

    def kernel_pid(self, kernel_id: str) -> int | None:
        """The process of one kernel, found by the connection file named after its id."""
        for pid in self.kernel_pids():
            try:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if f"kernel-{kernel_id}.json" in cmd:
                return pid
        return None


def _children(parent: int) -> list[tuple[int, str]]:
    """(pid, command line) of every live child process of ``parent``, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (name) ": state, ppid, ...
        if fields[0] != "Z" and int(fields[1]) == parent:
            found.append((int(entry.name), cmd))
    return found


def kernel_pids(server_pid: int) -> list[int]:
    """Kernel processes started by a Voila server (also when it was started through the CLI)."""
    pids = []
    for pid, cmd in _children(server_pid):
        if "ipykernel_launcher" in cmd:
            pids.append(pid)
        elif " -m workbook.voila_guard " in f" {cmd} ":
            pids += kernel_pids(pid)  # `workbook app` runs Voila as its child
    return pids


def rss_mib(pid: int) -> float:
    """Resident memory of a process in MiB, from /proc/PID/status."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise ValueError(f"no VmRSS for process {pid}")


@contextlib.contextmanager
def serve(
    args: list[str], port: int, env: dict[str, str] | None = None, log: Path | None = None,
    ready_path: str = "/", timeout: float = 90.0, host: str = "127.0.0.1", cwd: Path = ROOT,
) -> Iterator[Server]:
    """Run a server command on host:port; yield its base URL; stop it (and its kernels).

    ``env`` is added to this process's environment, or replaces it when it holds ``PATH``
    (a complete environment, as `workbook.server.voila_environment` builds). The app's token
    is the one in ``env``, else a new one given to the server here; ``ready_path`` is asked
    with it.
    """
    from workbook.server import TOKEN_VAR

    out = open(log, "wb") if log else subprocess.DEVNULL
    full_env = dict(env) if env and "PATH" in env else {**os.environ, **(env or {})}
    full_env.setdefault(TOKEN_VAR, secrets.token_urlsafe(24))
    proc = subprocess.Popen(
        args, cwd=cwd, env=full_env, stdout=out, stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopping it also stops its kernels
    )
    base = Server(f"http://{host}:{port}", proc.pid, log, full_env[TOKEN_VAR])
    kernels: list[int] = []
    try:
        wait_for_http(base.at(ready_path), timeout=timeout, proc=proc)
        yield base
    finally:
        # Kernels run in sessions of their own: note them, in case the server cannot stop them.
        kernels = kernel_pids(proc.pid)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        for pid in kernels:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if log:
            out.close()


def app_command(port: int, db: Path) -> list[str]:
    """The command line that serves the app, exactly as a user runs it."""
    return [sys.executable, "-m", "workbook", "app", "--db", str(db), "--port", str(port),
            "--no-browser"]


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """A headless Debian Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if path is None:
        raise RuntimeError("no Chromium found (apt-get install chromium)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def require_browser() -> None:
    """Skip without Playwright or Chromium; under CI (CI=true) that is a failure instead."""
    import pytest

    problem = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problem = "the playwright package is not installed"
    if problem is None and chromium_path() is None:
        problem = "no Chromium found (install Debian's chromium package: apt-get install chromium)"
    if problem:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"the browser tests must run under CI, but {problem}")
        pytest.skip(f"browser tests skipped: {problem}")
