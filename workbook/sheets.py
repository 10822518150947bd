"""The workbook's tables as a person reads them in a spreadsheet, and the Excel file made of them.

Each kind of entry gets a sheet named in plain words. Names and labels come first: the community's
name beside its id, a kind as the label the app shows, an activity level as a word. The ids stay,
at the end of each row, for joining one table with another. The CSV zip holds the same tables.
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from . import content, model
from .analytics.labels import UNKNOWN, community_labels

SHEET_NAMES = ("Communities", "People", "Memberships", "Resolutions", "Gives", "Help received",
               "Reflections", "Breaks")
# A spreadsheet treats a cell starting with one of these as a formula (OWASP, CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
TITLE_MAX = 60  # a calendar or a narrow column shows the start of a title: keep it short
EVERYWHERE = "All my communities"  # a break with no community is a break from all of them
DAY_NAMES = dict(zip(model.WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                      "Saturday", "Sunday"), strict=True))
WIDTH_MIN, WIDTH_MAX = 8, 50  # characters: wide enough for a header, never wider than a screen
DATE_WIDTH = 12
WIDTH_ROWS = 2_000  # the widths come from the first rows: a long table costs no more


def neutralise(value):
    """Text that a spreadsheet would run as a formula gets a leading ``'``; other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def title(give: str, community: str, limit: int = TITLE_MAX) -> str:
    """'Harbour Choir: introduce a newcomer', cut at a word to at most ``limit`` characters."""
    give = " ".join(give.split())
    give = give[len("i will "):] if give.lower().startswith("i will ") else give
    text = f"{' '.join(community.split())}: {give}" if community else give
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return (cut if len(cut) > limit // 2 else text[: limit - 1]).rstrip(" ,;:") + "\u2026"


# Readable tables --------------------------------------------------------------------------------


def readable_tables(store) -> dict[str, pd.DataFrame]:
    """Every table of the workbook with names beside ids, words for codes and plain headers.

    Parameters
    ----------
    store : Store
        The open workbook.

    Returns
    -------
    dict of str to pandas.DataFrame
        Sheet name (`SHEET_NAMES`) to its table: readable columns first, then the ids.
        Dates stay ``datetime64``; a missing value is ``NA`` or ``None``.
    """
    frames = store.frames()
    names = _Names(frames)
    tables = (
        _communities(frames["communities"]),
        _people(frames["people"], frames["memberships"], names),
        _memberships(frames["memberships"], names),
        _resolutions(frames["resolutions"], names),
        _gives(frames["log"], names),
        _help(frames["help"], names),
        _reflections(frames["reflections"]),
        _breaks(frames["pauses"], names),
    )
    return dict(zip(SHEET_NAMES, tables, strict=True))


class _Names:
    """Names for ids: communities and people (a repeated name gets its number), resolutions."""

    def __init__(self, frames: dict[str, pd.DataFrame]):
        self.communities = community_labels(frames["communities"])
        self.people = community_labels(frames["people"])
        plans = frames["resolutions"]
        self.resolutions = pd.Series(
            [title(give, self.communities.get(cid, ""))
             for give, cid in zip(plans["give"], plans["community_id"], strict=True)],
            index=plans["id"].to_numpy(), dtype=object)

    @staticmethod
    def of(ids: pd.Series, labels: pd.Series) -> pd.Series:
        """A label for each id; none for no id, '(unknown)' for an id the workbook lacks."""
        found = ids.map(labels).astype(object)
        return found.where(ids.isna() | found.notna(), UNKNOWN).where(ids.notna(), None)


def _words(codes: pd.Series, words: dict) -> pd.Series:
    """Codes as the words the app shows them by; a code without a word as it is."""
    said = codes.map(words).astype(object)
    return said.where(said.notna(), codes.astype(object))


def _communities(frame: pd.DataFrame) -> pd.DataFrame:
    levels = {i: word.capitalize() for i, word in enumerate(model.ACTIVITY_LEVELS)}
    return pd.DataFrame({
        "Community": frame["name"],
        "Kind": _words(frame["kind"], content.kind_labels()),
        "Your role": frame["role"],
        "How active": _words(frame["activity"], levels),
        "Member since": frame["since"],
        "Notes": frame["notes"],
        "Community id": frame["id"],
    })


def _people(frame: pd.DataFrame, memberships: pd.DataFrame, names: _Names) -> pd.DataFrame:
    belongs = names.of(memberships["community_id"], names.communities)
    joined = belongs.groupby(memberships["person_id"].to_numpy()).agg("; ".join)
    return pd.DataFrame({
        "Person": frame["name"],
        "Circle": _words(frame["circle"], model.CIRCLE_WORDS),
        "Communities": frame["id"].map(joined).astype(object).fillna(""),
        "Notes": frame["notes"],
        "Person id": frame["id"],
    })


def _memberships(frame: pd.DataFrame, names: _Names) -> pd.DataFrame:
    return pd.DataFrame({
        "Person": names.of(frame["person_id"], names.people),
        "Community": names.of(frame["community_id"], names.communities),
        "Person id": frame["person_id"],
        "Community id": frame["community_id"],
    })


def _resolutions(frame: pd.DataFrame, names: _Names) -> pd.DataFrame:
    ideas = {idea.id: idea.text for idea in content.give_ideas()}
    return pd.DataFrame({
        "Resolution": names.of(frame["id"], names.resolutions),
        "Community": names.of(frame["community_id"], names.communities),
        "Person": names.of(frame["person_id"], names.people),
        model.LABELS["cue"]: frame["cue"],
        model.LABELS["give"]: frame["give"],
        "How often": pd.Series([model.cadence(int(t), p) for t, p in
                                zip(frame["times"], frame["per"], strict=True)], dtype=object),
        "Start date": frame["start"],
        "End date": frame["end"],
        "Active": frame["active"].map({True: "Yes", False: "No"}).astype(object),
        "Give idea": frame["idea_id"].map(lambda i: ideas.get(i, i)).astype(object),
        "On which days": frame["weekdays"].map(_days).astype(object),
        "Reminder at": frame["remind_at"],
        "Resolution id": frame["id"],
        "Community id": frame["community_id"],
        "Person id": frame["person_id"],
        "Give idea id": frame["idea_id"],
    })


def _days(weekdays: str) -> str:
    """'MO,TH' as 'Monday, Thursday'."""
    return ", ".join(DAY_NAMES.get(day, day) for day in weekdays.split(",") if day)


def _gives(frame: pd.DataFrame, names: _Names) -> pd.DataFrame:
    kinds = {kind: kind.capitalize() for kind in model.GIVE_KINDS}
    return pd.DataFrame({
        "Date given": frame["date"],
        "Community": names.of(frame["community_id"], names.communities),
        "Person": names.of(frame["person_id"], names.people),
        "Resolution": names.of(frame["resolution_id"], names.resolutions),
        "Kind of give": _words(frame["kind"], kinds),
        "Minutes": frame["minutes"],
        "Note": frame["note"],
        "Give id": frame["id"],
        "Community id": frame["community_id"],
        "Person id": frame["person_id"],
        "Resolution id": frame["resolution_id"],
    })


def _help(frame: pd.DataFrame, names: _Names) -> pd.DataFrame:
    return pd.DataFrame({
        "Date received": frame["date"],
        "Community": names.of(frame["community_id"], names.communities),
        "From": names.of(frame["person_id"], names.people),
        "Note": frame["note"],
        "Help id": frame["id"],
        "Community id": frame["community_id"],
        "Person id": frame["person_id"],
    })


def _reflections(frame: pd.DataFrame) -> pd.DataFrame:
    prompts = {prompt.id: prompt.text for prompt in content.reflection_prompts()}
    return pd.DataFrame({
        "Date written": frame["date"],
        "Prompt": _words(frame["prompt_id"], prompts),
        "Answer": frame["answer"],
        "Reflection id": frame["id"],
        "Prompt id": frame["prompt_id"],
    })


def _breaks(frame: pd.DataFrame, names: _Names) -> pd.DataFrame:
    return pd.DataFrame({
        "From": frame["start"],
        "Until": frame["end"],
        "For": names.of(frame["community_id"], names.communities).fillna(EVERYWHERE),
        "Note": frame["note"],
        "Break id": frame["id"],
        "Community id": frame["community_id"],
    })


# Cells and the Excel file -----------------------------------------------------------------------


def cell_columns(frame: pd.DataFrame) -> list[list]:
    """Each column as plain Python values: dates as ``date`` (a time of day as ``datetime``),
    missing as ``None``, text neutralised."""
    columns = []
    for name in frame.columns:
        series = frame[name]
        if pd.api.types.is_datetime64_any_dtype(series):
            known = series.dropna()
            whole_days = bool((known == known.dt.normalize()).all())
            values = [None if pd.isna(v) else v.date() if whole_days else v.to_pydatetime()
                      for v in series]
        elif pd.api.types.is_bool_dtype(series):
            values = [bool(v) for v in series]
        else:
            values = once_each(_text_cell, series.tolist())
        columns.append(values)
    return columns


def _text_cell(value):
    """None for a missing value, else the value neutralised."""
    return None if value is None or value is pd.NA or value != value else neutralise(value)


def once_each(change, values: list) -> list:
    """``[change(v) for v in values]``, with ``change`` run once per distinct value: names and
    labels repeat all down a long table. The values of one column are of one type."""
    done = {value: change(value) for value in set(values)}
    return [done[value] for value in values]


def xlsx_value(value):
    """A cell value for the file: line breaks as LF (XML would turn a bare CR into LF anyway),
    none of the control characters the format forbids, and no text as an empty cell."""
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
        return text or None
    return value


def xlsx_bytes(tables: dict[str, pd.DataFrame]) -> bytes:
    """An Excel workbook of one sheet per table: bold headers frozen at the top, readable
    column widths, dates as date cells; no cell is ever a formula."""
    # Write-only: rows stream into the file instead of living as cell objects until the save.
    book = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)
    for name, frame in tables.items():
        sheet = book.create_sheet(title=name)
        columns = [once_each(xlsx_value, values) for values in cell_columns(frame)]
        for number, (label, values) in enumerate(zip(frame.columns, columns, strict=True), 1):
            dated = pd.api.types.is_datetime64_any_dtype(frame[label])
            sheet.column_dimensions[get_column_letter(number)].width = _width(label, values,
                                                                              dated)
        sheet.freeze_panes = "A2"  # set before the first row: write-only writes it first
        header = []
        for label in frame.columns:
            cell = WriteOnlyCell(sheet, value=label)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in zip(*columns, strict=True):
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _width(label: str, values: list, dated: bool) -> float:
    """Enough for the header and the longest line of text in the first rows, within limits."""
    if dated:
        longest = DATE_WIDTH + 4 * any(isinstance(v, dt.datetime) for v in values[:WIDTH_ROWS])
    else:
        longest = max((len(line) for v in values[:WIDTH_ROWS] if v is not None
                       for line in str(v).split("\n")), default=0)
    return min(WIDTH_MAX, max(WIDTH_MIN, len(label), longest) + 2)
