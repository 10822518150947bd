"""Show a chart as a widget that draws in JupyterLab and in the Voila app without a network."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import altair as alt

from . import chart_bundle

log = logging.getLogger(__name__)

# SVG keeps every name as a text node (sharp, searchable, read by screen readers). The menu keeps
# "save as SVG/PNG" and leaves out the link that would send the chart, and the names in it, to an
# online editor.
EMBED_OPTIONS = {
    "renderer": "svg",
    "actions": {"export": True, "source": False, "compiled": False, "editor": False},
}


def chart_widget(chart: alt.TopLevelMixin) -> alt.JupyterChart:
    """Wrap a chart in a widget whose JavaScript ships with the package (no CDN).

    Parameters
    ----------
    chart
        Any Altair chart, for example one from :mod:`workbook.charts`.

    Returns
    -------
    alt.JupyterChart
        An ipywidget: display it, or put it in a box with other widgets. Names in the chart are
        drawn as text by Vega (never read as HTML), tooltips included.

    Notes
    -----
    The first call bundles Vega and Vega-Lite from ``vl-convert`` (about a second); later calls
    reuse the bundle.
    """
    try:
        load_chart_bundle()
    except Exception:
        # altair then bundles the JavaScript by itself, in this process
        log.exception("the cached chart bundle could not be used")
    alt.JupyterChart.enable_offline()  # a no-op once the bundle is loaded
    return alt.JupyterChart(chart, embed_options=EMBED_OPTIONS)


def chart_bundle_path() -> Path:
    """Where the offline chart bundle for the installed altair and vl-convert is cached."""
    return chart_bundle.bundle_path()


def load_chart_bundle() -> None:
    """Give altair's chart widget its offline JavaScript without starting vl-convert here.

    In the app, the page loads the bundle once from the server, as a file the browser keeps
    (``$WORKBOOK_CHART_URL``), and each chart widget carries only a line that imports it.
    Elsewhere (JupyterLab) the widget carries the bundle itself. The first call on a computer
    makes the bundle in a separate Python process (a few seconds) and caches it; later calls
    read the file. Afterwards ``alt.JupyterChart.enable_offline()`` has nothing left to do.
    """
    chart = alt.JupyterChart
    if getattr(chart, "_is_offline", True):
        return  # done already (or an altair that works differently: it bundles by itself)
    served = os.environ.get(chart_bundle.URL_VAR, "").strip()
    if served:
        chart._esm, chart._is_offline = chart_bundle.importer(served), True
        return
    path = chart_bundle.make_bundle()
    if path is None:
        return  # nothing came out: leave the bundling to altair
    chart._esm, chart._is_offline = path.read_text(encoding="utf-8"), True
