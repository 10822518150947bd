"""The workbook in other programs' formats: CSV tables, an Excel file, a calendar, a network graph.

Every file is built in memory first and then written in one step, so a failure leaves an
existing file as it was. JSON backups are made by :mod:`workbook.backup`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
import networkx as nx
import tzlocal
from dateutil import rrule

from . import clock, model, sheets
from .atomic import atomic_write
from .model import PERIOD_DAYS, WEEKDAYS, Resolution
from .sheets import FORMULA_TRIGGERS as FORMULA_TRIGGERS  # also read as exports.FORMULA_TRIGGERS
from .sheets import TITLE_MAX, neutralise

FORMATS = ("csv", "xlsx", "ics", "graphml")
# A spreadsheet may guess any of these as the separator of a CSV file (a semicolon in many
# locales), and a program reading line by line may split at any line break Python knows:
# each starts a new cell. Spaces and quotes before a formula are skipped by some programs.
CSV_CELL_START = re.compile(r'(^|[,;\t\n\r\v\f\x1c-\x1e\x85\u2028\u2029])([\s"]*)(?=[=+\-@])')
PRODID = "-//Networking Workbook//Resolutions//EN"
UID_DOMAIN = "networking-workbook"
MONTHS_IN = {"month": 1, "quarter": 3, "year": 12}
REMINDER_MINUTES = 15
# BYMONTHDAY stays within 1-28 so that every month has every chosen day.
MONTH_DAYS = 28


def export(store, fmt: str, out_path: Path, today: dt.date | None = None) -> Path:
    """Write the workbook in another program's format.

    Parameters
    ----------
    store : Store
        The open workbook.
    fmt : str
        ``"csv"`` (a zip of one CSV table per kind of entry), ``"xlsx"`` (one sheet per kind
        of entry, names and labels beside the ids: `workbook.sheets`),
        ``"ics"`` (one recurring calendar event per active resolution) or ``"graphml"`` (you,
        your communities and people as a network).
    out_path : Path
        The file to write; replaced in one step if it exists.
    today : datetime.date, optional
        The calendar's time stamp and the default end of an open-ended resolution;
        ``workbook.clock.today()`` by default.

    Returns
    -------
    Path
        ``out_path``.

    Raises
    ------
    ValueError
        If ``fmt`` is not one of ``FORMATS``.
    """
    writers: dict[str, Callable[[object, dt.date], bytes]] = {
        "csv": csv_zip_bytes,
        "xlsx": xlsx_bytes,
        "ics": ics_bytes,
        "graphml": graphml_bytes,
    }
    if fmt not in writers:
        raise ValueError(f"format must be one of: {', '.join(FORMATS)} (got {fmt!r})")
    data = writers[fmt](store, today or clock.today())
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    return atomic_write(out_path, data)


# Tables -----------------------------------------------------------------------------------------


def csv_cell(value):
    """Text that a spreadsheet could run as a formula, whatever separator it guesses: a ``'``
    before ``=``, ``+``, ``-`` or ``@`` at the start and after every comma, semicolon, tab or
    line break (and the spaces or quotes after it), as well as `neutralise` does. Other values
    pass: a number is written as a number."""
    if not isinstance(value, str):
        return value
    return neutralise(CSV_CELL_START.sub(r"\1\2'", value))


def _csv_text(value):
    """A cell of a CSV table: empty for a missing value, a date as ``YYYY-MM-DD``."""
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else csv_cell(value)


def csv_name(sheet: str) -> str:
    """The file of a sheet in the CSV zip: 'Help received' -> 'help-received.csv'."""
    return sheet.lower().replace(" ", "-") + ".csv"


def csv_zip_bytes(store, today: dt.date) -> bytes:
    """A zip of CSV tables, one per kind of entry (the sheets of `xlsx_bytes`), UTF-8 with a
    header row.

    Dates are written as ``YYYY-MM-DD``, missing values as empty cells; text gets a ``'``
    wherever a cell could start with a formula, whichever separator a spreadsheet takes
    (`csv_cell`).
    """
    buffer = io.BytesIO()
    stamp = (today.year, today.month, today.day, 0, 0, 0)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, frame in sheets.readable_tables(store).items():
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow(frame.columns)
            columns = [sheets.once_each(_csv_text, values)
                       for values in sheets.cell_columns(frame)]
            writer.writerows(zip(*columns, strict=True))
            info = zipfile.ZipInfo(csv_name(name), date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.getvalue().encode("utf-8"))
    return buffer.getvalue()


def xlsx_bytes(store, today: dt.date) -> bytes:
    """An Excel workbook with one sheet per kind of entry (`workbook.sheets`); no cell is ever
    a formula."""
    return sheets.xlsx_bytes(sheets.readable_tables(store))


# Calendar ---------------------------------------------------------------------------------------


def recurrence(times: int, per: str, start: dt.date, weekdays: tuple[str, ...] = ()) -> dict:
    """The iCalendar RRULE (without UNTIL) for a give planned ``times`` a ``per``.

    One event recurs so that each period holds ``times`` occurrences, spread evenly:

    - once a period: ``WEEKLY``, ``MONTHLY``, ``MONTHLY;INTERVAL=3`` (quarter) or ``YEARLY``;
    - when the months of a quarter or a year split evenly (3 a quarter; 2, 3, 4, 6 or 12 a year):
      ``MONTHLY`` with ``INTERVAL`` = months / times; when the count splits evenly over the
      months (6 a quarter, 24 a year), the monthly rule for times / months a month;
    - a weekly plan with ``weekdays`` (chosen, or named in its cue): ``WEEKLY;BYDAY`` on
      those days, whatever its count;
    - up to 7 a week: ``WEEKLY;BYDAY`` with that many weekdays, starting on the start's weekday;
    - up to 28 a month: ``MONTHLY;BYMONTHDAY`` with that many days between 1 and 28, starting
      on the start's day;
    - anything else (say 2 a quarter): every ``period days / times`` days, as ``WEEKLY`` with
      an ``INTERVAL`` of the nearest whole number of weeks when that is a week or more, else
      ``DAILY`` with the nearest whole number of days (one reminder a day at most); the count
      per period is then close to ``times`` rather than exact.

    A monthly rule that starts on the 29th to the 31st falls on the last day of each month, and
    a yearly one from 29 February on the last day of February, so that no period is skipped.

    Parameters
    ----------
    times : int
        Gives per period, 1 to 31.
    per : str
        ``"week"``, ``"month"``, ``"quarter"`` or ``"year"``.
    start : datetime.date
        The first day of the resolution; it anchors weekdays and days of the month.
    weekdays : tuple of str
        iCalendar weekdays (``"MO"``, ...) for a weekly plan.

    Returns
    -------
    dict
        Keys and values for :class:`icalendar.vRecur`, such as ``{"FREQ": "MONTHLY",
        "BYMONTHDAY": [5, 19]}``.
    """
    if per == "week" and weekdays:
        return {"FREQ": "WEEKLY", "BYDAY": list(weekdays)}
    return _anchored(_rule(times, per, start), start)


def _rule(times: int, per: str, start: dt.date) -> dict:
    """The rule before it is anchored to days every month has."""
    months = MONTHS_IN.get(per)
    if times == 1:
        if per == "quarter":
            return {"FREQ": "MONTHLY", "INTERVAL": 3}
        if per == "week":  # on the start's weekday, said outright
            return {"FREQ": "WEEKLY", "BYDAY": [WEEKDAYS[start.weekday()]]}
        return {"FREQ": {"month": "MONTHLY", "year": "YEARLY"}[per]}
    if months and months % times == 0:
        step = months // times
        return {"FREQ": "MONTHLY"} if step == 1 else {"FREQ": "MONTHLY", "INTERVAL": step}
    if months and months > 1 and times % months == 0:
        return _rule(times // months, "month", start)
    if per == "week" and times <= 7:
        days = sorted({(start.weekday() + i * 7 // times) % 7 for i in range(times)})
        return {"FREQ": "WEEKLY", "BYDAY": [WEEKDAYS[d] for d in days]}
    if per == "month" and times <= MONTH_DAYS:
        first = min(start.day, MONTH_DAYS) - 1
        days = sorted(
            {(first + i * MONTH_DAYS // times) % MONTH_DAYS + 1 for i in range(times)}
        )
        return {"FREQ": "MONTHLY", "BYMONTHDAY": days}
    gap = PERIOD_DAYS[per] / times
    if gap >= 7:
        return {"FREQ": "WEEKLY", "INTERVAL": round(gap / 7)}
    return {"FREQ": "DAILY", "INTERVAL": max(1, round(gap))}


def _anchored(rule: dict, start: dt.date) -> dict:
    """A monthly rule from the 29th-31st, or a yearly one from 29 February, falls on the
    month's last day: otherwise short months (or non-leap years) would be skipped."""
    if rule["FREQ"] == "MONTHLY" and "BYMONTHDAY" not in rule and start.day > MONTH_DAYS:
        return {**rule, "BYMONTHDAY": [-1]}
    if rule["FREQ"] == "YEARLY" and (start.month, start.day) == (2, 29):
        return {**rule, "BYMONTH": [2], "BYMONTHDAY": [-1]}
    return rule


def _first_occurrence(rule: dict, start: dt.date) -> dt.date:
    """The first day on or after ``start`` that the rule picks (DTSTART must be one)."""
    text = icalendar.vRecur(rule).to_ical().decode()
    first = rrule.rrulestr(text, dtstart=dt.datetime.combine(start, dt.time()))[0]
    return first.date()


def _line_breaks(text: str) -> str:
    """CR, LF and CRLF all as LF: the one line break iCalendar text can carry."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def ics_bytes(store, today: dt.date, year: int | None = None) -> bytes:
    """An iCalendar file with one repeating, ringing event per active resolution.

    Each event starts at the resolution's reminder time (09:00 unless chosen) in this
    computer's time zone, on the weekdays chosen for it (or named in its cue) for a weekly
    plan, and repeats by `recurrence` until its end date: the end of ``year`` when given,
    else a year after it starts or after today. Its title is short ("Harbour Choir: introduce a
    newcomer", at most 60 characters), its description the whole if-then sentence, and an
    alarm rings when it starts. With ``year``, only the resolutions that run on a day of it.
    """
    names = {c.id: c.name for c in store.records(model.Community)}
    zone = local_zone()
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Networking Workbook: resolutions")
    calendar.add("x-wr-timezone", zone.key)
    stamp = dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC)
    first, last = (dt.date(year, 1, 1), dt.date(year, 12, 31)) if year else (None, None)
    for res in store.records(Resolution):
        if not res.active or (year and (res.start > last or (res.end and res.end < first))):
            continue
        until = res.end or last or _one_year_after(max(res.start, today))
        calendar.add_component(_event(res, names.get(res.community_id, ""), stamp, until,
                                      zone))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def local_zone() -> ZoneInfo:
    """This computer's time zone: $TZ when it names one, else the system's; UTC if unknown."""
    for name in (os.environ.get("TZ", "").lstrip(":"), None):
        try:
            # tzlocal keeps the first answer; $TZ is read each time, so a change is seen
            return ZoneInfo(name or tzlocal.get_localzone_name() or "UTC")
        except (ZoneInfoNotFoundError, ValueError, OSError):
            continue
    return ZoneInfo("UTC")


def short_title(res: Resolution, community: str, limit: int = TITLE_MAX) -> str:
    """'Harbour Choir: introduce a newcomer', cut at a word to at most ``limit`` characters."""
    return sheets.title(res.give, community, limit)


def _event(res: Resolution, community: str, stamp: dt.datetime, until: dt.date,
           zone: ZoneInfo) -> icalendar.Event:
    """The repeating event of one resolution, with its alarm."""
    days = res.weekdays or model.weekdays_in(res.cue)
    rule = recurrence(res.times, res.per, res.start, days)
    first = min(_first_occurrence(rule, res.start), until)
    at = dt.time.fromisoformat(res.remind_at)
    begin = dt.datetime.combine(first, at, tzinfo=zone)
    # UNTIL is in UTC when the start has a time zone (RFC 5545): the end day's reminder included.
    last = dt.datetime.combine(until, at, tzinfo=zone).astimezone(dt.UTC)
    title = short_title(res, community)
    event = icalendar.Event()
    event.add("uid", f"resolution-{res.id}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", begin)
    event.add("duration", dt.timedelta(minutes=REMINDER_MINUTES))
    event.add("rrule", {**rule, "UNTIL": last})
    event.add("summary", _line_breaks(title))
    event.add("description", _line_breaks(
        f"{res.sentence(community)}\n\nA planned give in {community}, "
        f"{model.cadence(res.times, res.per)}. From your Networking Workbook."
    ))
    event.add("transp", "TRANSPARENT")  # a reminder, not a busy slot
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", _line_breaks(title))
    alarm.add("trigger", dt.timedelta(0))  # when the event starts
    event.add_component(alarm)
    return event


def _one_year_after(day: dt.date) -> dt.date:
    """The day before the same date next year (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + 1) - dt.timedelta(days=1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


# Network --------------------------------------------------------------------------------------


def network(store) -> nx.Graph:
    """You, your communities and the people you know as one graph.

    Returns
    -------
    networkx.Graph
        Nodes ``"me"``, ``"community-<id>"`` (``type``, ``label``, ``kind``, ``activity``,
        ``role``) and ``"person-<id>"`` (``type``, ``label``, ``circle``). Edges join you to each
        community (``type="member"``) and each person to the communities they belong to
        (``type="membership"``).
    """
    graph = nx.Graph()
    graph.add_node("me", type="me", label="me")
    for c in store.records(model.Community):
        node = f"community-{c.id}"
        graph.add_node(node, type="community", label=c.name, kind=c.kind,
                       activity=c.activity, role=c.role)
        graph.add_edge("me", node, type="member")
    for p in store.records(model.Person):
        node = f"person-{p.id}"
        graph.add_node(node, type="person", label=p.name, circle=p.circle)
        for cid in p.communities:
            graph.add_edge(node, f"community-{cid}", type="membership")
    return graph


def graphml_bytes(store, today: dt.date) -> bytes:
    """The `network` as GraphML (UTF-8), readable by networkx, Gephi, yEd and Cytoscape."""
    buffer = io.BytesIO()
    nx.write_graphml(network(store), buffer, encoding="utf-8")
    return buffer.getvalue()
