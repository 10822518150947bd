"""The ``workbook`` command: look into a workbook, fill it, back it up, print from it, serve it."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import ipaddress
import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from . import __version__, backup, clock
from .atomic import atomic_write
from .model import WorkbookError
from .paths import ENV_VAR, workbook_path
from .store import SCHEMA_VERSION, Store

PROG = "workbook"
DEFAULT_PORT = 8866
ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
APP_NOTEBOOK = NOTEBOOKS / "app.ipynb"
# The app's Voila settings (template, pool, culling), and where its page template lives.
VOILA_CONFIG = ROOT / "voila.json"
TEMPLATES = Path(__file__).resolve().parent / "jupyter"
LOCAL_IP = "127.0.0.1"
CULL_VAR = "WORKBOOK_CULL_IDLE"
EXPORT_FORMATS = ("json", "csv", "xlsx", "ics", "graphml")
CHART_FORMATS = ("json", "svg", "png")
PAPERS = ("a4", "letter")
DEBUG_VAR = "WORKBOOK_DEBUG"

# store.counts() key -> how a person reads it
COUNT_LABELS = {
    "communities": "Communities",
    "people": "People",
    "memberships": "Memberships",
    "resolutions": "Resolutions",
    "log": "Log entries",
    "help": "Help received",
    "reflections": "Reflections",
    "pauses": "Pauses",
}


class UsageError(Exception):
    """The command line itself is wrong (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake becomes one line instead of usage text and an exit."""

    def error(self, message):
        raise UsageError(f"{message} (see '{self.prog} --help')")


# -- small helpers ------------------------------------------------------------------------------
def _db(args) -> Path:
    """The workbook file this run works on."""
    return workbook_path(getattr(args, "db", None))


def _existing_store(args) -> Store:
    """Open a workbook that must already exist, for reading only: a reading command never
    creates, upgrades or otherwise changes a workbook."""
    path = _db(args)
    if not path.exists():
        raise WorkbookError(
            f"There is no workbook at {path} yet; create one with 'workbook demo', "
            "'workbook import' or the app."
        )
    return Store(path, readonly=True)


@contextlib.contextmanager
def _kept_only_on_success(path: Path) -> Iterator[None]:
    """Remove the workbook file (and folders) this command created if the command fails."""
    if path.exists():
        yield
        return
    created = []
    folder = path.parent
    while not folder.exists():
        created.append(folder)
        folder = folder.parent
    try:
        yield
    except BaseException:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(f"{path}{suffix}")
        for folder in created:  # innermost first
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


def _optional(module: str, name: str, what: str):
    """A function from a part of the package that this installation may not have."""
    try:
        return getattr(importlib.import_module(f"{__package__}.{module}"), name)
    except ModuleNotFoundError as e:
        if e.name != f"{__package__}.{module}":
            raise
    except AttributeError:
        pass
    raise WorkbookError(f"{what} is not available in this installation.")


def _table(rows, width: int = 0) -> str:
    """Two aligned columns of plain text; numbers right-aligned."""
    rows = [(str(a), b) for a, b in rows]
    left = max(width, *(len(a) for a, _ in rows))
    numbers = [b for _, b in rows if isinstance(b, int)]
    right = max((len(f"{n:,}") for n in numbers), default=0)
    return "\n".join(
        f"{a:<{left}}  {b:>{right},}" if isinstance(b, int) else f"{a:<{left}}  {b}"
        for a, b in rows
    )


def _count_rows(counts: dict[str, int]) -> list[tuple[str, int]]:
    return [(COUNT_LABELS.get(k, k), v) for k, v in counts.items()]


def _print_written(result, fallback) -> None:
    """Print the file or files a command wrote."""
    if isinstance(result, str | os.PathLike):
        print(result)
    elif isinstance(result, list | tuple) and result:
        for item in result:
            print(item)
    else:
        print(fallback)


def _port(value) -> int:
    """A TCP port number from the command line or $PORT."""
    try:
        port = int(value)
    except (TypeError, ValueError):
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be a number from 1 to 65535, not {value!r}")
    return port


def _years(value) -> int:
    try:
        years = int(value)
    except ValueError:
        years = 0
    if not 1 <= years <= 50:
        raise argparse.ArgumentTypeError(f"years must be a number from 1 to 50, not {value!r}")
    return years


# -- commands -----------------------------------------------------------------------------------
def cmd_info(args) -> int:
    """Print where the workbook lives, its schema version and how much it holds."""
    path = _db(args)
    if not path.exists():
        print(_table([("Workbook", path), ("Status", "not created yet")]))
        return 0
    with Store(path, readonly=True) as store:
        version = str(store.file_version)
        if store.file_version < SCHEMA_VERSION:
            version += (f" (older than this program's {SCHEMA_VERSION}: the app or a command "
                        "that writes upgrades it)")
        about = [
            ("Workbook", path),
            ("Schema version", version),
            ("Size", f"{path.stat().st_size:,} bytes"),
        ]
        counts = _count_rows(store.counts())
    width = max(len(a) for a, _ in about + counts)
    print(_table(about, width), _table(counts, width), sep="\n\n")
    return 0


def cmd_demo(args) -> int:
    """Fill the workbook with the demo persona."""
    write_demo = _optional("demo", "write_demo", "The demo workbook")
    path = _db(args)
    started = time.perf_counter()
    with _kept_only_on_success(path), Store(path) as store:
        held = sum(v for k, v in store.counts().items() if k != "memberships")
        if held and not args.replace:
            raise WorkbookError(
                f"The workbook at {path} is not empty; run 'workbook demo --replace' to "
                "overwrite it with the demo, or choose another file with --db."
            )
        if args.replace:
            demo_records = _optional("demo", "demo_records", "The demo workbook")
            backup.restore(store, demo_records(years=args.years, seed=args.seed), replace=True)
        else:
            write_demo(store, years=args.years, seed=args.seed)
        counts = store.counts()
    elapsed = time.perf_counter() - started
    print(f"Wrote the demo workbook to {path} in {elapsed:.1f} s.")
    print(_table(_count_rows(counts)))
    return 0


def cmd_export(args) -> int:
    """Write the workbook as a JSON backup or in another format."""
    out = None if args.out in (None, "-") else Path(args.out)
    if args.format == "json":
        with _existing_store(args) as store:
            text = backup.dump(store)
        if out is None:
            # bytes, so a console with another encoding still gets the UTF-8 the format promises
            stream = getattr(sys.stdout, "buffer", None)
            if stream is None:
                sys.stdout.write(text)
            else:
                stream.write(text.encode("utf-8"))
            sys.stdout.flush()
        else:
            atomic_write(out, text)
            print(out)
        return 0
    if out is None:
        raise UsageError(
            f"the {args.format} format needs --out FILE (see 'workbook export --help')"
        )
    export = _optional("exports", "export", f"The {args.format} format")
    with _existing_store(args) as store:
        result = export(store, args.format, out)
    _print_written(result, out)
    return 0


def cmd_import(args) -> int:
    """Restore a JSON backup into the workbook."""
    source = Path(args.file)
    records = backup.read(source)
    path = _db(args)
    with _kept_only_on_success(path), Store(path) as store:
        counts = backup.restore(store, records, replace=args.replace)
    print(f"Imported {len(records):,} records from {source} into {path}.")
    print(_table(_count_rows(counts)))
    return 0


def cmd_check(args) -> int:
    """Run the workbook's health check; exit status 1 when something is wrong."""
    with _existing_store(args) as store:
        problems = store.check()
    print("\n".join(problems) if problems else "ok")
    return 1 if problems else 0


def cmd_charts(args) -> int:
    """Write the progress charts as files."""
    write_charts = _optional("charts", "write_charts", "Charts")
    with _existing_store(args) as store:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        paths = write_charts(store, out, fmt=args.format)
    _print_written(paths, out)
    return 0


def cmd_handouts_blank(args) -> int:
    """Write blank worksheets for a workshop room."""
    blank_worksheets = _optional("handouts", "blank_worksheets", "Handouts")
    _print_written(blank_worksheets(Path(args.out), paper=args.paper), args.out)
    return 0


def cmd_handouts_plan(args) -> int:
    """Write a one-page plan: from this workbook, or one per workbook in a folder."""
    if args.from_dir is not None:
        if args.out_dir is None or args.out is not None or args.year is not None:
            raise UsageError(
                "--from-dir goes with --out-dir only (see 'workbook handouts plan --help')"
            )
        plans_from_dir = _optional("handouts", "plans_from_dir", "Handouts")
        _print_written(plans_from_dir(Path(args.from_dir), Path(args.out_dir)), args.out_dir)
        return 0
    if args.out is None or args.out_dir is not None:
        raise UsageError(
            "give --out FILE, or --from-dir DIR with --out-dir OUT "
            "(see 'workbook handouts plan --help')"
        )
    personal_plan = _optional("handouts", "personal_plan", "Handouts")
    options = {} if args.year is None else {"year": args.year}
    with _existing_store(args) as store:
        result = personal_plan(store, Path(args.out), **options)
    _print_written(result, args.out)
    return 0


def cmd_review(args) -> int:
    """Print the year in review, or write it as a page that opens offline."""
    from . import review

    today = clock.today()
    with _existing_store(args) as store:
        frames = store.frames()
    looked_back = review.year_review(frames, today, args.year)
    out = None if args.out in (None, "-") else Path(args.out)
    if out is None:
        sys.stdout.write(review.review_text(looked_back))
        return 0
    if out.suffix.lower() in (".html", ".htm"):
        review_html = _optional("review_html", "review_html", "The review as a page")
        review_charts = _optional("review_html", "review_charts", "The review as a page")
        text = review_html(looked_back, review_charts(frames, looked_back))
    else:
        text = review.review_text(looked_back)
    atomic_write(out, text)
    print(out)
    return 0


def _ip(value: str) -> str:
    """An IP address to listen on, from the command line."""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--ip takes an IP address such as 0.0.0.0 or 192.168.1.20, not {value!r}"
        ) from None


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


def voila_command(port: int, open_browser: bool, *, ip: str = LOCAL_IP,
                  token: str | None = None, cull_idle: int | None = None,
                  notebooks: Path = NOTEBOOKS) -> list[str]:
    """The command that serves the app and the guided notebooks with Voila.

    Parameters
    ----------
    port
        The TCP port.
    open_browser
        Open a browser tab once the server is up.
    ip
        The address to listen on: 127.0.0.1 (this computer only) unless asked otherwise.
    token
        The secret a browser must present; required by the caller for any other address.
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
        sys.executable, "-m", "voila", str(notebooks),
        f"--port={port}", f"--Voila.ip={ip}", "--Voila.port_retries=0",
        # only this project's voila.json, whatever folder the command is run from
        f"--Voila.config_file_paths={ROOT}",
    ]
    if token is not None:
        command.append(f"--Voila.token={token}")
    if cull_idle is not None:
        command += [f"--MappingKernelManager.cull_idle_timeout={cull_idle}",
                    f"--MappingKernelManager.cull_interval={max(1, cull_idle // 2)}"]
    if not open_browser:
        command.append("--no-browser")
    return command


def voila_environment(db: Path, ip: str = LOCAL_IP) -> dict[str, str]:
    """The environment for the Voila server and the kernels it starts.

    The workbook file is passed to every kernel; the app's page template is found through
    JUPYTER_PATH; and kernels started ahead of time are told where to reach the server.
    """
    env = {**os.environ, ENV_VAR: str(db)}
    env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(TEMPLATES), os.environ.get("JUPYTER_PATH", "")) if p
    )
    reach = LOCAL_IP if ipaddress.ip_address(ip).is_unspecified else ip
    env["VOILA_APP_IP"] = f"[{reach}]" if ":" in reach else reach
    return env


def _network_address() -> str | None:
    """This computer's address on its network, for people in the same room; None if unknown."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # a documentation address: choosing a route sends nothing
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if ipaddress.ip_address(address).is_loopback else address


def _check_port_free(ip: str, port: int) -> None:
    """Fail with one clear line when the port is taken (Voila would quietly pick another)."""
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


def cmd_app(args) -> int:
    """Serve the workbook app in a browser until Ctrl+C."""
    if args.port is not None:
        port = args.port
    elif os.environ.get("PORT", "").strip():
        try:
            port = _port(os.environ["PORT"].strip())
        except argparse.ArgumentTypeError as e:
            raise UsageError(f"$PORT: {e}") from None
    else:
        port = DEFAULT_PORT
    if not APP_NOTEBOOK.exists():
        raise WorkbookError(f"The app notebook is missing: {APP_NOTEBOOK}.")
    ip = args.ip
    cull_idle = _cull_idle()
    _check_port_free(ip, port)
    db = _db(args)
    local = ip == LOCAL_IP
    # Anyone who can reach another address could read and change the workbook: ask for a secret.
    token = None if local else secrets.token_urlsafe(24)
    host = LOCAL_IP if ipaddress.ip_address(ip).is_unspecified else ip
    host = f"[{host}]" if ":" in host else host
    url = f"http://{host}:{port}/" + (f"?token={token}" if token else "")
    print(f"The workbook app is at {url} (Ctrl+C stops it).", flush=True)
    print(f"Workbook file: {db}", flush=True)
    if not local:
        if ipaddress.ip_address(ip).is_unspecified and (other := _network_address()):
            print(f"From other computers: http://{other}:{port}/?token={token}", flush=True)
        print(f"It listens on {ip}: give the address above, with its token, only to people "
              "who may read and change this workbook.", flush=True)
    # Voila would open its page without the token, so with a token the address is only printed.
    command = voila_command(port, not args.no_browser and local, ip=ip, token=token,
                            cull_idle=cull_idle)
    child = subprocess.Popen(command, cwd=ROOT, env=voila_environment(db, ip))
    # Stopped by a service manager or `kill`: pass it on, so the server stops its kernels.
    previous = signal.signal(signal.SIGTERM, lambda *_: child.terminate())
    try:
        return child.wait()
    except KeyboardInterrupt:
        # Ctrl+C reached the server too; give it time to stop its kernels.
        try:
            child.wait(timeout=10)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            child.terminate()
            child.wait()
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)


# -- the parser ---------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every command (the README documents each one)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", metavar="PATH", default=argparse.SUPPRESS,
        help=f"the workbook file (default: ${ENV_VAR}, else your user data folder)",
    )
    parser = _Parser(
        prog=PROG, parents=[common],
        description="Networking Workbook: map your communities, plan and log gives, review.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name, func, help_text, parent=commands):
        sub = parent.add_parser(name, parents=[common], help=help_text,
                                description=func.__doc__ if func else help_text)
        if func:
            sub.set_defaults(run=func)
        return sub

    command("info", cmd_info, "where the workbook is and what it holds")

    demo = command("demo", cmd_demo, "fill the workbook with the demo persona")
    demo.add_argument("--years", type=_years, default=1, help="years of gives (default 1)")
    demo.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    demo.add_argument("--replace", action="store_true",
                      help="overwrite a workbook that is not empty")

    export = command("export", cmd_export, "write a JSON backup or another format")
    export.add_argument("--format", choices=EXPORT_FORMATS, default="json",
                        help="json (default), csv, xlsx, ics or graphml")
    export.add_argument("--out", metavar="FILE",
                        help="where to write (JSON goes to the screen without it)")

    imp = command("import", cmd_import, "restore a JSON backup")
    imp.add_argument("file", metavar="FILE", help="a backup written by 'workbook export'")
    imp.add_argument("--replace", action="store_true",
                     help="overwrite a workbook that is not empty")

    command("check", cmd_check, "check the workbook file's health")

    review = command("review", cmd_review, "the year in review, as text or a page")
    review.add_argument("--year", type=int, help="the year to review (default: this year; "
                        "in January, the year that just ended)")
    review.add_argument("--out", metavar="FILE", help="write it to FILE instead: a page that "
                        "opens offline when FILE ends in .html, else plain text")

    charts = command("charts", cmd_charts, "write progress charts as files")
    charts.add_argument("--out", metavar="DIR", required=True, help="folder for the charts")
    charts.add_argument("--format", choices=CHART_FORMATS, default="json",
                        help="json (Vega-Lite, default), svg or png")

    handouts = command("handouts", None, "print-ready worksheets and plans (PDF)")
    handout_kinds = handouts.add_subparsers(title="handouts", metavar="KIND", required=True)
    blank = command("blank", cmd_handouts_blank, "blank worksheets for a room",
                    parent=handout_kinds)
    blank.add_argument("--out", metavar="FILE", required=True, help="the PDF to write")
    blank.add_argument("--paper", choices=PAPERS, default="a4", help="a4 (default) or letter")
    plan = command("plan", cmd_handouts_plan, "a one-page plan", parent=handout_kinds)
    plan.add_argument("--out", metavar="FILE", help="the PDF to write from this workbook")
    plan.add_argument("--year", type=int, help="the year the plan is for")
    plan.add_argument("--from-dir", metavar="DIR", help="a folder of participants' workbooks")
    plan.add_argument("--out-dir", metavar="OUT", help="folder for one plan per participant")

    app = command("app", cmd_app, "serve the workbook app in your browser")
    app.add_argument("--port", type=_port, help=f"port on 127.0.0.1 (default $PORT, else "
                     f"{DEFAULT_PORT})")
    app.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    app.add_argument("--ip", type=_ip, default=LOCAL_IP, metavar="ADDR",
                     help="listen on another address, e.g. 0.0.0.0 for a workshop room; "
                          "then a token is required (default 127.0.0.1: this computer only)")
    return parser


# -- entry point --------------------------------------------------------------------------------
def _one_line(message: str) -> str:
    """A message made safe for one terminal line (no newlines or control characters)."""
    text = " ".join(str(message).split())
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


def _describe(error: BaseException) -> str:
    if isinstance(error, OSError) and error.filename is not None and error.strerror:
        return f"{error.strerror}: {error.filename}"
    if isinstance(error, sqlite3.Error):
        return f"The workbook file could not be used: {error}."
    return str(error) or type(error).__name__


def main(argv: list[str] | None = None) -> int:
    """Run the ``workbook`` command.

    Parameters
    ----------
    argv
        Arguments without the program name; ``sys.argv[1:]`` when None.

    Returns
    -------
    int
        The exit status: 0 done, 1 the work failed, 2 the command line was wrong,
        130 interrupted.
    """
    parser = build_parser()
    try:
        try:
            args = parser.parse_args(argv)
        except SystemExit as e:  # --help and --version
            return e.code if isinstance(e.code, int) else 0
        run = getattr(args, "run", None)
        if run is None:
            raise UsageError("choose a command (see 'workbook --help')")
        clock.today()  # a malformed $WORKBOOK_TODAY stops every command before it starts
        return run(args)
    except UsageError as e:
        status, message = 2, str(e)
    except (WorkbookError, OSError, sqlite3.Error) as e:
        status, message = 1, _describe(e)
    except KeyboardInterrupt:
        return 130
    except Exception as e:
        if os.environ.get(DEBUG_VAR):
            raise
        status = 1
        message = (f"unexpected problem ({type(e).__name__}: {e}); "
                   f"run with {DEBUG_VAR}=1 to see the details")
    print(f"{PROG}: error: {_one_line(message)}", file=sys.stderr)
    return status
