"""Printable handouts as PDF: a one-page personal plan, and the rendering every handout uses.

The blank sheets for a workshop room are in `workbook.worksheets`. Templates live in
``workbook/templates`` and are rendered with typst. Everything a person typed
reaches a template as a JSON string and is shown as plain text: it is never parsed as markup,
code or a path, and nothing is fetched from the network while rendering.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import typst

from . import analytics, clock, content, model
from .atomic import atomic_write
from .model import Resolution, WorkbookError
from .season import MONTH_NAMES, long_date, season
from .store import NotAWorkbookError, Store, check_file
from .words import count, hours, number

TEMPLATES = Path(__file__).parent / "templates"
PAPERS = {"a4": "a4", "letter": "us-letter"}


# Rendering ------------------------------------------------------------------------------------


@functools.cache
def _fonts() -> typst.Fonts:
    """The machine's fonts and typst's own, searched once per process."""
    return typst.Fonts(include_system_fonts=True, include_embedded_fonts=True)


def render(template: str, data: dict) -> bytes:
    """Render one template in ``workbook/templates`` with ``data`` to PDF bytes.

    Parameters
    ----------
    template : str
        File name of the template, such as ``"plan.typ"``.
    data : dict
        Values for the template, serialisable as JSON; the template reads them with
        ``json(bytes(sys.inputs.data))``, so text stays text.

    Returns
    -------
    bytes
        The PDF.
    """
    compiler = typst.Compiler(
        str(TEMPLATES / template),
        root=str(TEMPLATES),  # the template can read nothing outside its own folder
        font_paths=_fonts(),
    )
    payload = json.dumps(data, ensure_ascii=False, default=str)
    return compiler.compile(format="pdf", sys_inputs={"data": payload})


def _paper(paper: str) -> str:
    """Typst's name for a paper size, or a ValueError naming the sizes we print."""
    try:
        return PAPERS[paper.lower()]
    except (KeyError, AttributeError):
        raise ValueError(f"paper must be one of: {', '.join(PAPERS)} (got {paper!r})") from None


def _write(out: Path, pdf: bytes) -> Path:
    """Write a PDF in one step, creating its folder."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    return atomic_write(out, pdf)


# Personal plan ----------------------------------------------------------------------------------

NEXT_STEPS_MAX = 6
# The charts on page 2 in reading order: how many of the two columns each spans, and its width
# in percent of that space (a chart's fonts grow with its width).
CHARTS_ON_PAGE = {
    "plan_vs_actual": (1, 100),
    "visibility_over_time": (1, 100),
    "gives_calendar": (2, 80),
    "balance_by_community": (2, 65),
}


def plan_data(
    store,
    year: int | None = None,
    today: dt.date | None = None,
    charts: bool = True,
    name: str | None = None,
) -> dict:
    """What the personal plan shows, as plain values for the template.

    Parameters
    ----------
    store : Store
        The workbook.
    year : int, optional
        The year the plan covers; by default the coming year from 1 November, else this year
        (`workbook.season.season`).
    today : datetime.date, optional
        The day progress is counted to; ``workbook.clock.today()`` by default.
    charts : bool
        Add the progress charts (SVG) for page 2 when ``workbook.charts`` is available.
    name : str, optional
        A name to print under the title; by default the workbook owner's (`Store.owner`),
        none when they gave none.

    Returns
    -------
    dict
        JSON-ready values; every piece of user text stays a plain string.
    """
    today = today or clock.today()
    year = int(year or season(today).plan_year)
    begun = today >= dt.date(year, 1, 1)
    frames = store.frames()
    communities, log = frames["communities"], frames["log"]
    names = analytics.community_labels(communities).to_dict()
    labels = content.kind_labels()

    # Before the year begins, the communities show what last year brought, to plan against.
    shown_year = year if begun else year - 1
    done = log[(log["date"].dt.year == shown_year) & (log["date"] <= pd.Timestamp(today))]
    gives = done.groupby("community_id").size()
    community_rows = [
        {
            "name": row.name,
            "kind": labels.get(row.kind, row.kind),
            "role": row.role,
            "activity": model.ACTIVITY_LEVELS[row.activity],
            "gives": int(gives.get(row.id, 0)),
        }
        for row in communities.itertuples(index=False)
    ]

    # Every resolution that runs on a day of the year, with its own dates; progress is counted
    # within the year, up to today or to its end.
    res = analytics.in_year(frames["resolutions"], year, clip=True)
    counted_to = min(today, dt.date(year, 12, 31))
    progress = analytics.plan_vs_actual(res, log, counted_to).set_index("resolution_id")
    records = {r.id: r for r in store.records(Resolution)}
    resolution_rows = []
    for rid, row in progress.iterrows():
        record = records[rid]
        started = begun and record.start <= today
        resolution_rows.append({
            "sentence": record.sentence(names.get(record.community_id, "")),
            "started": started,
            "logged": int(row["logged"]),
            "expected": float(row["expected"]),
            "expected_text": number(row["expected"]),
            "status": row["status"] if started else "not started",
            "start": long_date(record.start),
            "dates": _dates(record),
            # before its year, a plan that already runs is carried on, not started
            "waiting": ("runs on into " + str(year) if record.start <= today
                        else f"starts {long_date(record.start)}"),
        })

    return {
        "paper": _paper("a4"),
        "title": f"My giving plan for {year}",
        "name": store.owner if name is None else name,
        "year": str(year),
        "begun": begun,
        "gives_year": str(shown_year),
        "as_of": long_date(today),
        "summary": (_summary(done, frames["help"], year, today) if begun
                    else _plan_ahead(year, resolution_rows, today)),
        "communities": community_rows,
        "resolutions": resolution_rows,
        "next_steps": _next_steps(frames, progress[progress.index.isin(
            [rid for rid, r in zip(progress.index, resolution_rows, strict=True)
             if r["started"]])], records, names, today),
        # Charts of an empty log would only say "nothing yet" four times.
        "charts": _chart_svgs(frames, today) if charts and not log.empty else [],
    }


def _dates(record: Resolution) -> str:
    """'from 1 January 2027' or '1 January to 31 December 2027'."""
    if record.end is None:
        return f"from {long_date(record.start)}"
    if record.start.year == record.end.year:
        return (f"{record.start.day} {MONTH_NAMES[record.start.month - 1]} to "
                f"{long_date(record.end)}")
    return f"{long_date(record.start)} to {long_date(record.end)}"


def _plan_ahead(year: int, rows: list[dict], today: dt.date) -> str:
    """One sentence for a plan made before its year begins."""
    if not rows:
        return (f"A plan for {year}, made on {long_date(today)}: no resolution runs in {year} "
                "yet. Pick one small give for the community you care about most.")
    return (f"A plan for {year}, made on {long_date(today)}: "
            f"{count(len(rows), 'resolution')} to keep from 1 January.")


def _summary(done, help_frame, year: int, today: dt.date) -> str:
    """One sentence on the year so far."""
    if done.empty:
        return f"No gives logged in {year} yet. The first one can be small."
    reached = done["community_id"].nunique()
    helped = help_frame[(help_frame["date"].dt.year == year)
                        & (help_frame["date"] <= pd.Timestamp(today))]
    sentence = (
        f"In {year} so far: {count(len(done), 'give')}, {hours(done['minutes'].sum())}, "
        f"in {count(reached, 'community', 'communities')}."
    )
    if len(helped):
        sentence += f" Help came back {count(len(helped), 'time')}."
    return sentence


def _since(last, days) -> str:
    """'last give 3 August 2026' or 'no give logged yet'."""
    if pd.isna(last):
        return "no give logged yet"
    return f"last give {long_date(last.date())}, {int(days)} days ago"


def _next_steps(frames, progress, records, names, today) -> list[str]:
    """Neglected communities, close people not reached, resolutions behind: a short list."""
    if frames["communities"].empty:
        return ["Map your communities: the groups you belong to, your role, how active you are."]
    if frames["log"].empty:
        return ["No gives logged yet: pick one resolution and make its first give this week."]
    quiet = [
        f"Give something small in {row.community} ({_since(row.last_give, row.days_since)})."
        for row in analytics.neglected(frames["communities"], frames["log"], today).itertuples()
    ]
    behind = [
        f"Catch up in {names.get(records[rid].community_id, '')}: {records[rid].give} "
        f"({int(row['logged'])} of {number(row['expected'])} so far)."
        for rid, row in progress[progress["status"] == "behind"].iterrows()
    ]
    people = [
        f"Get in touch with {row.name}, one of your closest {row.circle} "
        f"({_since(row.last_give, row.days_since)})."
        for row in _unreached(frames["people"], frames["log"], today).itertuples()
    ]
    # A few of each kind first, so that one long list cannot hide the others.
    share = NEXT_STEPS_MAX // 3
    first = quiet[:share] + behind[:share] + people[:share]
    rest = quiet[share:] + behind[share:] + people[share:]
    return (first + rest)[:NEXT_STEPS_MAX]


def _unreached(people: pd.DataFrame, log: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Close people not reached lately; when no give names anybody, every close person."""
    if log["person_id"].notna().any():
        return analytics.unreached_people(people, log, today)
    # analytics.unreached_people cannot yet take a log that names nobody (pandas' map of an
    # empty Series), and the answer is plain here: nobody close has been reached.
    close = people[people["circle"].isin((5, 15))].sort_values(["circle", "name"])
    return close.assign(last_give=pd.NaT, days_since=pd.NA)


# Emoji and their joiners: the SVG renderers draw them as empty boxes, so charts leave them out
# (page 1 shows every name in full).
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u200D\uFE0F\u20E3\U000E0020-\U000E007F]")


def _chart_svgs(frames: dict, today: dt.date) -> list[dict]:
    """The progress charts as SVG text, when the charts module is installed."""
    try:
        from . import charts
    except ImportError:
        return []
    import vl_convert

    made = charts.all_charts(frames, today)
    return [
        {
            # No allowed base URLs: converting a chart never fetches anything.
            "svg": _EMOJI.sub("", vl_convert.vegalite_to_svg(made[key].to_json(),
                                                             allowed_base_urls=[])),
            "span": span,
            "width": width,
        }
        for key, (span, width) in CHARTS_ON_PAGE.items()
        if key in made
    ]


def plan_pdf_bytes(
    store,
    year: int | None = None,
    today: dt.date | None = None,
    charts: bool = True,
    paper: str = "a4",
    name: str | None = None,
) -> bytes:
    """The personal plan as PDF bytes, for a download button.

    Parameters
    ----------
    store : Store
        The workbook.
    year, today, charts, name
        As in `plan_data`.
    paper : str
        ``"a4"`` or ``"letter"``.

    Returns
    -------
    bytes
        The PDF: page 1 is the plan, page 2 the charts (when ``charts`` and there is something
        to draw).
    """
    data = plan_data(store, year=year, today=today, charts=charts, name=name)
    data["paper"] = _paper(paper)
    return render("plan.typ", data)


def personal_plan(
    store,
    out: Path,
    year: int | None = None,
    today: dt.date | None = None,
    charts: bool = True,
    paper: str = "a4",
    name: str | None = None,
) -> Path:
    """Write a person's one-page plan, with a page of charts.

    Page 1 lists the communities (kind, role, activity), the resolutions in if-then wording with
    their cadence and progress so far (planned by now against logged), and next steps: neglected
    communities, resolutions that fell behind, close people not reached lately.

    Parameters
    ----------
    store : Store
        The workbook.
    out : Path
        The PDF to write (replaced in one step if it exists).
    year : int, optional
        The year the plan covers; by default the coming year from 1 November, else this year.
    today : datetime.date, optional
        The day progress is counted to; ``workbook.clock.today()`` by default.
    charts : bool
        Add a second page with progress charts.
    paper : str
        ``"a4"`` or ``"letter"``.
    name : str, optional
        A name to print under the title; by default the workbook owner's.

    Returns
    -------
    Path
        ``out``.
    """
    return _write(out, plan_pdf_bytes(store, year, today, charts, paper, name))


# For facilitators ------------------------------------------------------------------------------

Progress = Callable[[int, int, Path, str], None]


def _stderr_progress(total: int) -> Progress:
    """A progress bar on stderr (tqdm when installed, else one line per workbook)."""
    try:
        from tqdm import tqdm
    except ImportError:

        def line(done: int, total: int, path: Path, problem: str) -> None:
            note = f"skipped: {problem}" if problem else "plan written"
            print(f"[{done}/{total}] {path.name}: {note}", file=sys.stderr, flush=True)

        return line
    bar = tqdm(total=total, unit="workbook", file=sys.stderr)

    def step(done: int, total: int, path: Path, problem: str) -> None:
        if problem:
            bar.write(f"skipped {path.name}: {problem}", file=sys.stderr)
        bar.update(1)
        if done == total:
            bar.close()

    return step


def _silent(done: int, total: int, path: Path, problem: str) -> None:
    """Report nothing."""


def plans_from_dir(
    folder: Path,
    out_dir: Path,
    progress: Progress | bool | None = None,
    *,
    year: int | None = None,
    today: dt.date | None = None,
    charts: bool = True,
    paper: str = "a4",
) -> list[Path]:
    """Write one plan for every workbook (``*.sqlite``) in a folder.

    A file that is not a workbook is reported and skipped; it is only read, never changed.

    Parameters
    ----------
    folder : Path
        The folder of participants' workbooks (not searched recursively).
    out_dir : Path
        Where the plans go, as ``<workbook name>-plan.pdf``; the owner's name is printed under
        the title, or the workbook's file name when they gave none.
    progress : callable, bool or None
        Called as ``progress(done, total, path, problem)`` after each file, where ``problem`` is
        empty for a plan written and the reason for a file skipped. ``None`` (or ``True``) shows
        progress on stderr; ``False`` shows nothing.
    year, today, charts, paper
        As in `personal_plan`.

    Returns
    -------
    list of Path
        The plans written, in file-name order.
    """
    sources = sorted(p for p in Path(folder).glob("*.sqlite") if p.is_file())
    if progress is None or progress is True:
        progress = _stderr_progress(len(sources))
    elif progress is False:
        progress = _silent
    written = []
    for nth, source in enumerate(sources, start=1):
        problem = ""
        try:
            pdf = _plan_of_file(source, year, today, charts, paper)
            written.append(_write(Path(out_dir) / f"{source.stem}-plan.pdf", pdf))
        except (WorkbookError, sqlite3.DatabaseError) as err:
            problem = str(err)
        progress(nth, len(sources), source, problem)
    return written


def _plan_of_file(source: Path, year, today, charts, paper) -> bytes:
    """The plan of one workbook file, refusing anything that is not a workbook before opening."""
    if source.stat().st_size == 0:
        # Opening an empty file would turn it into a new workbook.
        raise NotAWorkbookError(f"{source} is empty, not a workbook.")
    check_file(source)
    with Store(source, readonly=True) as store:  # a participant's file is only read
        return plan_pdf_bytes(store, year, today, charts, paper,
                              name=store.owner or source.stem)
