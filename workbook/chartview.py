"""Show a chart as a widget that draws in JupyterLab and in the Voila app without a network."""

from __future__ import annotations

import logging
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import altair as alt
import platformdirs

from .atomic import atomic_write
from .paths import APP_NAME

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


# Altair bundles the charts' JavaScript for offline use with vl-convert, whose JavaScript engine
# then stays in the process: about 95 MB in every kernel. The bundle is the same for a given pair
# of versions, so it is made once, in a process of its own, and kept in the user's cache folder.
_BUNDLE_SCRIPT = (
    "import sys, altair as alt\n"
    "alt.JupyterChart.enable_offline()\n"
    "sys.stdout.write(alt.JupyterChart._esm)\n"
)


def chart_bundle_path() -> Path:
    """Where the offline chart bundle for the installed altair and vl-convert is cached."""
    name = f"jupyterchart-{version('altair')}-vl-convert-{version('vl-convert-python')}.js"
    return Path(platformdirs.user_cache_dir(APP_NAME)) / name


def load_chart_bundle() -> None:
    """Give altair's chart widget its offline JavaScript without starting vl-convert here.

    The first call on a computer makes the bundle in a separate Python process (a few seconds)
    and caches it; later calls read the file. Afterwards ``alt.JupyterChart.enable_offline()``
    has nothing left to do.
    """
    chart = alt.JupyterChart
    if getattr(chart, "_is_offline", True):
        return  # done already (or an altair that works differently: it bundles by itself)
    path = chart_bundle_path()
    try:
        bundle = path.read_text(encoding="utf-8")
    except OSError:
        bundle = subprocess.run([sys.executable, "-c", _BUNDLE_SCRIPT], capture_output=True,
                                text=True, encoding="utf-8", check=True, timeout=300).stdout
        if not bundle.strip():
            return  # nothing came out: leave the bundling to altair
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, bundle)
    chart._esm, chart._is_offline = bundle, True
