"""A workshop room's progress for its facilitator: one offline page, or a one-page PDF.

Both are made from the summaries in the room's folder (`workbook.room_share`): counts only, so
nobody's names or notes can reach them. The charts are drawn to SVG by vl-convert with no base
URL allowed, so nothing is fetched; every text, a file name in a problem line included, is
escaped on the page and passed to typst as data.
"""

from __future__ import annotations

import html
import os

import vl_convert

from . import charts, clock, room_share
from .season import long_date

STYLE = """
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
       color: #1a1a1a; max-width: 60em; margin: 2em auto; padding: 0 1em; }
h1 { margin-bottom: 0.1em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ccc; }
.muted { color: #555; } .new-year { font-size: 1.15em; }
table { border-collapse: collapse; } td { padding: 0.2em 0.8em; }
td:last-child { text-align: right; } .chart { margin: 1em 0; overflow-x: auto; }
.chart svg { max-width: 100%; height: auto; }
li { overflow-wrap: anywhere; }
"""
PDF_PROBLEMS = 6  # the lines that fit under the charts; the rest are counted


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _svg(chart) -> str:
    """A chart as SVG text, drawn offline."""
    return vl_convert.vegalite_to_svg(chart.to_json(), allowed_base_urls=[])


def room_content(folder: str | os.PathLike) -> dict:
    """What the page and the PDF show: the figures, the rows, the sentences, the charts' SVG."""
    summaries, problems = room_share.read_summaries(folder)
    figures = room_share.room_figures(summaries)
    totals = figures["totals"]
    year = figures["plan_year"]
    if totals["participants"] == 0:
        new_year = "Nobody has shared yet."
    else:
        n = totals["participants"]
        new_year = (f"{totals['new_year']:,} of {n:,} {'participant' if n == 1 else 'participants'}"
                    f" who shared made a New Year's resolution for {year}.")
    if figures["shared"] is None:
        shared = "Nobody has shared their counts yet."
    else:
        first, last = figures["shared"]
        shared = (f"Shared on {long_date(first)}." if first == last
                  else f"Shared from {long_date(first)} to {long_date(last)}.")
    return {
        "title": "The room's progress",
        "as_of": long_date(clock.today()),
        "shared": shared,
        "new_year": new_year,
        "rows": [{"label": label, "value": f"{value:,}"}
                 for label, value in room_share.room_rows(figures)],
        "charts": [_svg(charts.room_gives_per_week(figures["weeks"])),
                   _svg(charts.room_communities_by_kind(figures["by_kind"]))],
        "problems": problems,
        "note": "Counts only: each participant chose to share how many communities, people, "
                "resolutions, gives, help received and reflections they have; no names and "
                "no notes.",
    }


def room_page_html(folder: str | os.PathLike) -> str:
    """The room's progress as one self-contained HTML page (no script, nothing fetched).

    Parameters
    ----------
    folder
        The room's folder of summaries.

    Returns
    -------
    str
        The page: totals, New Year's resolutions, the two charts as inline SVG, and one line
        per file left out.
    """
    c = room_content(folder)
    rows = "".join(f"<tr><td>{_e(r['label'])}</td><td>{_e(r['value'])}</td></tr>"
                   for r in c["rows"])
    parts = [
        f"<h1>{_e(c['title'])}</h1>",
        f'<p class="muted">{_e(c["shared"])} This page was made on {_e(c["as_of"])}.</p>',
        f'<p class="new-year"><b>{_e(c["new_year"])}</b></p>',
        f"<h2>In numbers</h2><table>{rows}</table>",
        f'<p class="muted">{_e(c["note"])}</p>',
        "<h2>In charts</h2>",
        *(f'<div class="chart">{svg}</div>' for svg in c["charts"]),
    ]
    if c["problems"]:
        parts.append(f"<h2>Files left out ({len(c['problems']):,})</h2><ul>"
                     + "".join(f"<li>{_e(p)}</li>" for p in c["problems"]) + "</ul>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(c['title'])}</title><style>{STYLE}</style></head><body>"
        + "\n".join(parts) + "</body></html>\n"
    )


def room_pdf(folder: str | os.PathLike, paper: str = "a4") -> bytes:
    """The room's progress as a one-page PDF for the follow-up session.

    Parameters
    ----------
    folder
        The room's folder of summaries.
    paper
        ``"a4"`` or ``"letter"``.

    Returns
    -------
    bytes
        The PDF; past the first lines, the files left out are only counted.
    """
    from .handouts import _paper, render  # typst loads only for a PDF

    data = room_content(folder)
    problems = data["problems"]
    data["problems"] = problems[:PDF_PROBLEMS]
    data["more_problems"] = max(0, len(problems) - PDF_PROBLEMS)
    data["paper"] = _paper(paper)
    return render("room.typ", data)
