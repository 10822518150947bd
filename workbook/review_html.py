"""The year-end review as one self-contained HTML page: it opens offline, mails and prints.

Vega, Vega-Lite and Vega-Embed are inlined from vl-convert's bundle, so the page fetches
nothing. Every piece of text a person typed is escaped, and each chart's data sits in a JSON
script block whose ``<``, ``>`` and ``&`` are written as escapes, so a name cannot end the block.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping

import altair as alt
import pandas as pd

from . import charts
from .review import YearReview

EMBED = {"renderer": "svg", "actions": {"export": True, "source": False, "compiled": False,
                                        "editor": False}}
STYLE = """
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
       color: #1a1a1a; max-width: 60em; margin: 2em auto; padding: 0 1em; }
h1 { margin-bottom: 0.1em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ccc; }
.muted { color: #555; } .note { color: #555; font-size: 0.95em; }
table { border-collapse: collapse; } td, th { padding: 0.2em 0.8em; text-align: right; }
td:first-child, th:first-child { text-align: left; }
li { margin: 0.3em 0; } .chart { margin: 1em 0; overflow-x: auto; }
@media print { .vega-actions { display: none; } .chart { break-inside: avoid; } }
"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _json_block(value) -> str:
    """JSON that is safe inside a <script> element: no '<', '>' or '&' characters at all."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _bundle() -> str:
    import vl_convert
    from altair.utils._importers import vl_version_for_vl_convert

    code = vl_convert.javascript_bundle(vl_version=vl_version_for_vl_convert())
    # The bundle is our own library code, but it must not end its own <script> element early.
    return code.replace("</script", "<\\/script")


def review_charts(frames: Mapping[str, pd.DataFrame],
                  review: YearReview) -> list[alt.TopLevelMixin]:
    """The charts of the review: the year beside the one before, and its calendar of gives."""
    today = review.today
    return [
        charts.year_in_review(frames["communities"], frames["log"], frames["help"], today,
                              review.year),
        charts.gives_calendar(frames["log"], today, review.year),
    ]


def review_html(review: YearReview, figures: list[alt.TopLevelMixin]) -> str:
    """The whole page.

    Parameters
    ----------
    review
        From `workbook.review.year_review`.
    figures
        The charts to draw (see `review_charts`).

    Returns
    -------
    str
        An HTML document with its scripts inlined.
    """
    parts = [f"<h1>{_e(review.title)}</h1>", f'<p class="muted">{_e(review.period)}</p>',
             f"<p>{_e(review.summary)}</p>", "<h2>In numbers</h2>",
             f"<table><tr><th></th><th>{review.year}</th><th>{review.previous}</th></tr>"]
    parts += [f"<tr><td>{_e(m)}</td><td>{a:,}</td><td>{b:,}</td></tr>"
              for m, a, b in review.numbers]
    parts.append("</table>")
    for i in range(len(figures)):
        parts.append(f'<div class="chart" id="chart-{i}"></div>')
    parts.append("<h2>Your communities</h2><ul>")
    for community in review.communities:
        items = "".join(
            f"<li>{_e(d.sentence)} <span class='note'>({_e(d.progress)}) {_e(d.note)}</span></li>"
            for d in community.decisions)
        parts.append(f"<li>{_e(community.line)}" + (f"<ul>{items}</ul>" if items else "")
                     + "</li>")
    parts.append("</ul>")
    parts.append(f"<h2>Suggestions for {review.plan_year}</h2><ul>")
    parts += [f"<li>{_e(s.reason)}<br><b>{_e(s.sentence)}</b></li>" for s in review.suggestions]
    if not review.suggestions:
        parts.append("<li>Nothing stands out: every regular community has a plan and saw you "
                     "lately.</li>")
    parts.append("</ul><h2>Your answers</h2>")
    for answer in review.answers:
        text = (_e(answer.answer).replace("\n", "<br>")
                or "<span class='muted'>(not answered yet)</span>")
        parts.append(f"<h3>{_e(answer.question)}</h3><p>{text}</p>")
    specs = "".join(
        f'<script type="application/json" id="spec-{i}">{_json_block(f.to_dict())}</script>'
        for i, f in enumerate(figures))
    embed = (
        "for (const block of document.querySelectorAll('script[id^=\"spec-\"]')) {"
        " const n = block.id.slice(5);"
        f" vegaEmbed('#chart-' + n, JSON.parse(block.textContent), {json.dumps(EMBED)})"
        ".catch(console.error); }"
    )
    bundle = f"<script>{_bundle()}</script>" if figures else ""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(review.title)}</title><style>{STYLE}</style>{bundle}</head><body>"
        + "\n".join(parts) + specs + (f"<script>{embed}</script>" if figures else "")
        + "</body></html>\n"
    )
