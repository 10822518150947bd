"""The ``workbook`` command: look into a workbook, fill it, back it up, print from it, serve it."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time

# Only the lightest parts of the standard library and of the package load here: pathlib,
# pandas and the rest come with the command that needs them, so that --help and --version
# answer at once.
from . import __version__
from .errors import UsageError, WorkbookError
from .listen import DEFAULT_PORT, LOCAL_IP, ip_address, port_number
from .paths import ENV_VAR, ROOM_DIR

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start-up
if TYPE_CHECKING:
    from pathlib import Path

PROG = "workbook"
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


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake becomes one line instead of usage text and an exit."""

    def error(self, message):
        raise UsageError(f"{message} (see '{self.prog} --help')")


# -- small helpers ------------------------------------------------------------------------------
def _path(text: str) -> Path:
    from pathlib import Path

    return Path(text)


def _db(args) -> Path:
    """The workbook file this run works on."""
    from .paths import workbook_path

    return workbook_path(getattr(args, "db", None))


def _existing_store(args):
    """Open a workbook that must already exist, for reading only: a reading command never
    creates, upgrades or otherwise changes a workbook."""
    path = _db(args)
    if not path.exists() and not path.is_symlink():  # a link to nothing: the store says so
        raise WorkbookError(
            f"There is no workbook at {path} yet; create one with 'workbook demo', "
            "'workbook import' or the app."
        )
    from .store import Store

    return Store(path, readonly=True)


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
    from .store import SCHEMA_VERSION, Store

    path = _db(args)
    if not path.exists() and not path.is_symlink():  # a link to nothing: the store says so
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
    from . import backup
    from .atomic import kept_only_on_success
    from .store import Store

    write_demo = _optional("demo", "write_demo", "The demo workbook")
    path = _db(args)
    started = time.perf_counter()
    with kept_only_on_success(path), Store(path) as store:
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
    from . import backup
    from .atomic import atomic_write

    out = None if args.out in (None, "-") else _path(args.out)
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
    from . import backup
    from .atomic import kept_only_on_success
    from .store import Store

    source = _path(args.file)
    records = backup.read(source)
    path = _db(args)
    with kept_only_on_success(path), Store(path) as store:
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
        out = _path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        paths = write_charts(store, out, fmt=args.format)
    _print_written(paths, out)
    return 0


def cmd_handouts_blank(args) -> int:
    """Write blank handouts for a workshop room: the participant set (print one per person;
    sheet numbers are page numbers), or with --ideas the one-page give-ideas sheet (one per
    table), or with --facilitator the facilitator guide alone (one for you)."""
    name = ("facilitator_guide" if args.facilitator else "ideas_sheet" if args.ideas
            else "blank_worksheets")
    write = _optional("worksheets", name, "Handouts")
    _print_written(write(_path(args.out), paper=args.paper), args.out)
    return 0


def cmd_handouts_plan(args) -> int:
    """Write a one-page plan: from this workbook, or one per workbook in a folder."""
    if args.from_dir is not None:
        if args.out_dir is None or args.out is not None or args.year is not None:
            raise UsageError(
                "--from-dir goes with --out-dir only (see 'workbook handouts plan --help')"
            )
        plans_from_dir = _optional("handouts", "plans_from_dir", "Handouts")
        _print_written(plans_from_dir(_path(args.from_dir), _path(args.out_dir)), args.out_dir)
        return 0
    if args.out is None or args.out_dir is not None:
        raise UsageError(
            "give --out FILE, or --from-dir DIR with --out-dir OUT "
            "(see 'workbook handouts plan --help')"
        )
    personal_plan = _optional("handouts", "personal_plan", "Handouts")
    options = {} if args.year is None else {"year": args.year}
    with _existing_store(args) as store:
        result = personal_plan(store, _path(args.out), **options)
    _print_written(result, args.out)
    return 0


def cmd_review(args) -> int:
    """Print the year in review, or write it as a page that opens offline."""
    from . import clock, review
    from .atomic import atomic_write

    today = clock.today()
    with _existing_store(args) as store:
        frames = store.frames()
    looked_back = review.year_review(frames, today, args.year)
    out = None if args.out in (None, "-") else _path(args.out)
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


def cmd_room_summary(args) -> int:
    """Print the totals of the counts a workshop room's participants shared with it, or write
    them as a one-page PDF (--out FILE.pdf) or an offline page (--out FILE.html)."""
    from . import room_share

    folder = _path(args.from_dir)
    out = None if args.out in (None, "-") else _path(args.out)
    if out is None:
        summaries, problems = room_share.read_summaries(folder)
        print(_table(room_share.room_rows(room_share.room_figures(summaries))))
        if problems:
            print(f"\nLeft out {len(problems):,} {'file' if len(problems) == 1 else 'files'}:")
            print("\n".join(f"  {_one_line(p)}" for p in problems))
        return 0
    if out.suffix.lower() not in (".pdf", ".html", ".htm"):
        raise UsageError("--out must end in .pdf or .html (see 'workbook room summary --help')")
    from . import room_report
    from .atomic import atomic_write

    pdf = out.suffix.lower() == ".pdf"
    atomic_write(out, room_report.room_pdf(folder) if pdf else room_report.room_page_html(folder))
    print(out)
    return 0


def cmd_app(args) -> int:
    """Serve the workbook app in a browser until Ctrl+C."""
    from .server import serve_app

    return serve_app(args, _db(args))


def cmd_room_serve(args) -> int:
    """Run a workshop room: JupyterHub gives every participant a private workbook."""
    from .room_serve import serve_room

    return serve_room(args)


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
    which = blank.add_mutually_exclusive_group()
    which.add_argument("--ideas", action="store_true",
                       help="the one-page give-ideas sheet instead, to print once per table")
    which.add_argument("--facilitator", action="store_true",
                       help="the facilitator guide alone instead, starting with the room's set-up")
    plan = command("plan", cmd_handouts_plan, "a one-page plan", parent=handout_kinds)
    plan.add_argument("--out", metavar="FILE", help="the PDF to write from this workbook")
    plan.add_argument("--year", type=int, help="the year the plan is for")
    plan.add_argument("--from-dir", metavar="DIR", help="a folder of participants' workbooks")
    plan.add_argument("--out-dir", metavar="OUT", help="folder for one plan per participant")

    room = command("room", None, "a workshop room: a private workbook each, the counts they share")
    room_commands = room.add_subparsers(title="room", metavar="ACTION", required=True)
    summary = command("summary", cmd_room_summary, "the room's totals, as text, a PDF or a page",
                      parent=room_commands)
    summary.add_argument("--from-dir", metavar="DIR", required=True,
                         help="the room's folder, where participants share their counts")
    summary.add_argument("--out", metavar="FILE", help="write a one-page PDF (FILE.pdf) or an "
                         "offline page (FILE.html) instead of printing the totals")
    serve = command("serve", cmd_room_serve, "run the room on this server (as root)",
                    parent=room_commands)
    serve.add_argument("--dir", default=ROOM_DIR, metavar="DIR",
                       help=f"the room's folder (default {ROOM_DIR})")
    serve.add_argument("--ip", type=ip_address, default="0.0.0.0", metavar="ADDR",
                       help="the address participants reach (default 0.0.0.0: every network)")
    serve.add_argument("--port", type=port_number, default=8000, help="the port (default 8000)")
    serve.add_argument("--facilitator", action="append", metavar="NAME",
                       help="a name that may open the room page (repeat for more)")
    serve.add_argument("--idle", type=int, default=3600, metavar="SECONDS",
                       help="stop a participant's server unused this long (default 3600)")
    serve.add_argument("--proxy", metavar="PATH", help="the configurable-http-proxy command")
    for name, default in (("--hub-port", 8081), ("--proxy-api-port", 8001),
                          ("--service-port", 8002)):
        serve.add_argument(name, type=port_number, metavar="P",
                           help=f"a port on 127.0.0.1 the room uses inside (default {default})")

    app = command("app", cmd_app, "serve the workbook app in your browser")
    app.add_argument("--port", type=port_number, help=f"port on 127.0.0.1 (default $PORT, else "
                     f"{DEFAULT_PORT})")
    app.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    app.add_argument("--ip", type=ip_address, default=LOCAL_IP, metavar="ADDR",
                     help="listen on another address, e.g. 0.0.0.0 for a workshop room; "
                          "then a token is required (default 127.0.0.1: this computer only)")
    return parser


# -- entry point --------------------------------------------------------------------------------
def _one_line(message: str) -> str:
    """A message made safe for one terminal line (no newlines or control characters)."""
    text = " ".join(str(message).split())
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


def _is_sqlite_error(error: BaseException) -> bool:
    """An error from SQLite (the module is loaded by then, if it could have raised it)."""
    sqlite3 = sys.modules.get("sqlite3")
    return sqlite3 is not None and isinstance(error, sqlite3.Error)


def _describe(error: BaseException) -> str:
    if isinstance(error, OSError) and error.filename is not None and error.strerror:
        return f"{error.strerror}: {error.filename}"
    if _is_sqlite_error(error):
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
        from . import clock

        clock.today()  # a malformed $WORKBOOK_TODAY stops every command before it starts
        return run(args)
    except UsageError as e:
        status, message = 2, str(e)
    except (WorkbookError, OSError) as e:
        status, message = 1, _describe(e)
    except KeyboardInterrupt:
        return 130
    except Exception as e:
        if _is_sqlite_error(e):
            print(f"{PROG}: error: {_one_line(_describe(e))}", file=sys.stderr)
            return 1
        if os.environ.get(DEBUG_VAR):
            raise
        status = 1
        message = (f"unexpected problem ({type(e).__name__}: {e}); "
                   f"run with {DEBUG_VAR}=1 to see the details")
    print(f"{PROG}: error: {_one_line(message)}", file=sys.stderr)
    return status
