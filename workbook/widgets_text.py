"""Text on screen that stays text: escaped HTML lines, headings and tables for ipywidgets.

ipywidgets ``HTML`` sets ``innerHTML``, so every value that may come from a person goes through
``html.escape`` here and nowhere else. ``Label`` is plain text but never wraps, which cuts long
messages short; these helpers give wrapping text that is still safe.
"""

from __future__ import annotations

import html
import numbers
from collections.abc import Iterable, Sequence

import ipywidgets as widgets

ERROR_COLOR = "#b00020"
OK_COLOR = "#1b5e20"
MUTED_COLOR = "#555"

# ipywidgets gives HTML content a line-height of one input row (28px): tables need their own.
_TABLE = "border-collapse:collapse;margin:0.3em 0 0.8em 0;font-size:0.95em;line-height:1.4;"
_CELL = "padding:0.25em 0.8em 0.25em 0;border-bottom:1px solid #ddd;vertical-align:top;"
LONGEST_WORD = 20  # longer words (a pasted link, a run of emoji) may break anywhere
_HEAD = _CELL + "text-align:left;font-weight:600;border-bottom:2px solid #999;white-space:nowrap;"


def escaped(text: object) -> str:
    """Text made safe to put inside HTML; ``None`` becomes an empty string."""
    return "" if text is None else html.escape(str(text), quote=True)


def paragraph_html(text: object, *, color: str | None = None, bold: bool = False,
                   size: str | None = None) -> str:
    """One escaped paragraph as an HTML string that wraps and keeps line breaks."""
    style = "margin:0.2em 0;white-space:pre-wrap;overflow-wrap:anywhere;line-height:1.4;"
    if color:
        style += f"color:{color};"
    if bold:
        style += "font-weight:600;"
    if size:
        style += f"font-size:{size};"
    return f'<div style="{style}">{escaped(text)}</div>'


class TextLine(widgets.HTML):
    """A wrapping line of plain text (escaped before display), hidden while it is empty.

    Parameters
    ----------
    text
        Any text, including text a person typed; it is shown, never interpreted.
    color, bold, size
        Simple styling of the whole line.
    width
        A CSS width for the line, e.g. ``"40em"``.

    Set ``.text`` to change what it shows; ``.value`` holds the escaped HTML.
    """

    def __init__(self, text: object = "", *, color: str | None = None, bold: bool = False,
                 size: str | None = None, width: str | None = None):
        super().__init__(layout=widgets.Layout(width=width) if width else widgets.Layout())
        self._style = {"color": color, "bold": bold, "size": size}
        self.text = text

    @property
    def text(self) -> str:
        """The plain text shown."""
        return self._text

    @text.setter
    def text(self, text: object) -> None:
        self._text = "" if text is None else str(text)
        self.value = paragraph_html(self._text, **self._style) if self._text else ""
        self.layout.display = None if self._text else "none"


def named(widget: widgets.Widget, name: str) -> widgets.Widget:
    """Give an input the name a screen reader says; returns the widget.

    The name is the widget's own ``description`` (a ``<label>`` tied to the input), kept out of
    sight by the app page's styles (``wb-named``) and, in JupyterLab, by a width of nothing:
    the visible label sits beside the input already.
    """
    # A box has no label of its own, a toggle button's description is its visible text, and
    # a row of buttons is named by its buttons (its description would take a line of its own).
    if isinstance(widget, widgets.widget_description.DescriptionWidget) and not isinstance(
            widget, (widgets.ToggleButton, widgets.ToggleButtons)):
        widget.description = name
        widget.style.description_width = "0px"
        widget.add_class("wb-named")
    return widget


def error_line(width: str | None = None) -> TextLine:
    """An empty red line that shows one error message when its ``.text`` is set."""
    return TextLine("", color=ERROR_COLOR, width=width)


def heading_html(text: str, level: int = 2) -> str:
    """The markup of a heading (escaped), to set on a heading made once."""
    sizes = {1: "1.6em", 2: "1.3em", 3: "1.1em"}
    style = f"font-size:{sizes.get(level, '1em')};font-weight:600;margin:0.6em 0 0.2em 0;"
    return f'<div style="{style}">{escaped(text)}</div>'


def heading(text: str, level: int = 2) -> widgets.HTML:
    """A heading in our own words (still escaped, so any text is safe)."""
    return widgets.HTML(heading_html(text, level))


def guidance(*paragraphs: str, width: str = "46em") -> widgets.HTML:
    """A few paragraphs of guidance, escaped, in a muted colour and a readable width."""
    body = "".join(
        f'<p style="margin:0.3em 0 0.5em 0;line-height:1.45;">{escaped(p)}</p>' for p in paragraphs
    )
    return widgets.HTML(f'<div style="max-width:{width};color:#333;">{body}</div>')


def table_html(headers: Sequence[str], rows: Iterable[Sequence[object]], *,
               empty: str = "Nothing here yet.") -> str:
    """An HTML table in which every header and cell is escaped.

    Parameters
    ----------
    headers
        Column titles.
    rows
        Cell values; anything is turned into text and escaped.
    empty
        What to show instead of a table when there are no rows.

    Returns
    -------
    str
        HTML for a ``widgets.HTML`` value.
    """
    rows = list(rows)
    if not rows:
        return paragraph_html(empty, color=MUTED_COLOR)
    numeric = [all(_is_number(row[i]) for row in rows) for i in range(len(headers))]
    head = "".join(
        f'<th style="{_HEAD}{"text-align:right;" if num else ""}">{escaped(h)}</th>'
        for h, num in zip(headers, numeric, strict=True)
    )
    # Each cell carries its column's title: on a phone every row becomes a card of lines
    # "title  value" (see the page's stylesheet), which needs no scrolling sideways.
    labels = [escaped(h) for h in headers]
    body = "".join(
        "<tr>" + "".join(_cell(c, labels[i] if i < len(labels) else "") for i, c in enumerate(row))
        + "</tr>" for row in rows)
    kind = "wb-table wb-table-wide" if len(headers) > 2 else "wb-table"  # two columns fit
    return (f'<table class="{kind}" style="{_TABLE}"><thead><tr>{head}</tr></thead>'
            f'<tbody>{body}</tbody></table>')


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _cell(value: object, label: str = "") -> str:
    """One escaped table cell: numbers to the right with thousands separators, short values
    kept on one line, words broken only when one is too long for any column."""
    if _is_number(value):
        extra = "text-align:right;white-space:nowrap;"
        value = f"{value:,}"
    elif len(str(value)) <= 12:
        extra = "white-space:nowrap;"
    elif max(map(len, str(value).split()), default=0) <= LONGEST_WORD:
        # A narrow column breaks at spaces only: "Acquaintances 150", never "Acquaintance|s 150".
        extra = "white-space:pre-wrap;"
    else:
        extra = "white-space:pre-wrap;overflow-wrap:anywhere;"
    return f'<td data-label="{label}" style="{_CELL}{extra}">{escaped(value)}</td>'


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], *,
          empty: str = "Nothing here yet.") -> widgets.HTML:
    """A widget showing `table_html`; set ``.value = table_html(...)`` to refresh it."""
    return widgets.HTML(table_html(headers, rows, empty=empty))
