"""The ``workbook`` command: look into a workbook, fill it, back it up, print from it, serve it.

Here the parser and the entry point; the commands' work is in `workbook.cli_commands`.
"""

from __future__ import annotations

import argparse
import os
import sys

# Only the lightest parts of the standard library and of the package load here: pathlib,
# pandas and the rest come with the command that needs them, so that --help and --version
# answer at once.
from . import __version__
from .cli_commands import (
    _one_line,
    _optional,
    cmd_app,
    cmd_charts,
    cmd_check,
    cmd_demo,
    cmd_export,
    cmd_handouts_blank,
    cmd_handouts_plan,
    cmd_import,
    cmd_info,
    cmd_review,
    cmd_room_serve,
    cmd_room_summary,
)
from .errors import UsageError, WorkbookError
from .listen import DEFAULT_PORT, LOCAL_IP, ip_address, port_number
from .paths import ENV_VAR, ROOM_DIR

__all__ = ["_optional", "build_parser", "main"]  # _optional as before, from here too

PROG = "workbook"
EXPORT_FORMATS = ("json", "csv", "xlsx", "ics", "graphml")
CHART_FORMATS = ("json", "svg", "png")
PAPERS = ("a4", "letter")
DEBUG_VAR = "WORKBOOK_DEBUG"


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake becomes one line instead of usage text and an exit."""

    def error(self, message):
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _years(value) -> int:
    try:
        years = int(value)
    except ValueError:
        years = 0
    if not 1 <= years <= 50:
        raise argparse.ArgumentTypeError(f"years must be a number from 1 to 50, not {value!r}")
    return years


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
