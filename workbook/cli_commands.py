"""The work of each ``workbook`` command, and the small helpers they share (the parser and the
entry point are in `workbook.cli`)."""

from __future__ import annotations

import importlib
import os
import sys
import time

# As in `workbook.cli`: nothing heavy here; each command imports what it needs when it runs.
from .errors import UsageError, WorkbookError

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start-up
if TYPE_CHECKING:
    from pathlib import Path

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



def _one_line(message: str) -> str:
    """A message made safe for one terminal line (no newlines or control characters)."""
    text = " ".join(str(message).split())
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)



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

    out = None if args.out in (None, "-") else _path(args.out)
    if args.format == "json":
        with _existing_store(args) as store:
            if out is not None:
                print(backup.write(store, out))
                return 0
            # bytes, so a console with another encoding still gets the UTF-8 the format promises
            stream = getattr(sys.stdout, "buffer", None)
            with store.snapshot():
                for text in backup.pieces(store):
                    if stream is None:
                        sys.stdout.write(text)
                    else:
                        stream.write(text.encode("utf-8"))
        sys.stdout.flush()
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
