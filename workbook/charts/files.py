"""Charts as files: Vega-Lite JSON, SVG or PNG, each written in one step."""

from __future__ import annotations

import datetime as dt
import os
from io import BytesIO, StringIO
from pathlib import Path

import altair as alt

from .. import clock
from ..atomic import atomic_write
from .named import all_charts

FORMATS = ("json", "svg", "png")


def _render(figure: alt.TopLevelMixin, fmt: str) -> bytes | str:
    """A chart as Vega-Lite JSON text, SVG text or PNG bytes (no browser or network needed)."""
    if fmt == "json":
        return figure.to_json(indent=1)
    buffer = BytesIO() if fmt == "png" else StringIO()
    figure.save(buffer, format=fmt)
    return buffer.getvalue()


def write_charts(store, out_dir: str | os.PathLike, fmt: str = "json",
                 today: dt.date | None = None) -> list[Path]:
    """Write each progress chart of a workbook to its own file.

    Parameters
    ----------
    store
        An open :class:`workbook.store.Store`.
    out_dir
        The folder to write into (created when missing).
    fmt
        "json" (Vega-Lite), "svg" or "png".
    today
        The date the charts are drawn for; the workbook clock's today by default.

    Returns
    -------
    list of Path
        The files written, one per chart, named after the chart (``network_map.svg``, ...). Each
        file is replaced in one step, so a reader never sees half a chart.
    """
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, not {fmt!r}")
    today = clock.today() if today is None else today
    frames = store.frames()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return [atomic_write(out / f"{name}.{fmt}", _render(figure, fmt))
            for name, figure in all_charts(frames, today).items()]
