"""Show a chart as a widget that draws in JupyterLab and in the Voila app without a network."""

from __future__ import annotations

import altair as alt

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
    alt.JupyterChart.enable_offline()  # a no-op once the bundle is loaded
    return alt.JupyterChart(chart, embed_options=EMBED_OPTIONS)
