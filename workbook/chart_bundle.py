"""The charts' JavaScript (Vega, Vega-Lite, Vega-Embed and altair's widget) as one file.

Altair bundles it for offline use with vl-convert, whose JavaScript engine then stays in the
process: about 95 MB in every kernel. The bundle is the same for a given pair of versions, so
it is made once, in a process of its own, and kept in the user's cache folder. The app serves
that folder as part of its page template (`template_root`), so a browser fetches the bundle
once, as a file it can keep, instead of receiving it inside every chart widget.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from .atomic import atomic_write
from .paths import APP_NAME

TEMPLATE = "networking-workbook"  # the app's page template (its static files are served)
URL_VAR = "WORKBOOK_CHART_URL"  # where the page finds the bundle; set for the app's kernels
_BUNDLE_SCRIPT = (
    "import sys, altair as alt\n"
    "alt.JupyterChart.enable_offline()\n"
    "sys.stdout.write(alt.JupyterChart._esm)\n"
)


def cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME))


def bundle_name() -> str:
    return f"jupyterchart-{version('altair')}-vl-convert-{version('vl-convert-python')}.js"


def template_root() -> Path:
    """A Jupyter data folder holding only the bundle, as a static file of the app's template."""
    return cache_dir() / "jupyter"


def bundle_path() -> Path:
    """Where the bundle for the installed altair and vl-convert is kept."""
    return template_root() / "nbconvert" / "templates" / TEMPLATE / "static" / bundle_name()


def bundle_url() -> str:
    """The bundle's address on the app's server, from the root of the site."""
    return f"/voila/templates/{TEMPLATE}/static/{bundle_name()}"


def make_bundle() -> Path | None:
    """The bundle's file, made first if there is none yet (a few seconds); None on failure."""
    path = bundle_path()
    if path.exists():
        return path
    bundle = subprocess.run([sys.executable, "-c", _BUNDLE_SCRIPT], capture_output=True,
                            text=True, encoding="utf-8", check=True, timeout=300).stdout
    if not bundle.strip():
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, bundle)
    return path


def importer(url: str) -> str:
    """The few lines a chart widget carries instead of the bundle: they import it by address."""
    # anywidget imports an absolute address itself and runs anything else as module text; the
    # page's own location makes the address absolute, whatever host the browser used.
    return (f"const url = new URL({json.dumps(url)}, window.location.href).href;\n"
            "export default (await import(url)).default;\n")
