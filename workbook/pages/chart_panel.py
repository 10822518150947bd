"""A chart on a page, with the sentence under it that says what to do next."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

import ipywidgets as widgets

from ..forms import FORM_WIDTH
from ..widgets_text import TextLine

NOTE_COLOR = "#0072B2"  # the blue of the charts

# A view: the label of its button, the chart's name in `workbook.charts`, and its advice.
ChartView = tuple[str, str, Callable[[Mapping, dt.date, int | None], str]]


class ChartPanel(widgets.VBox):
    """One chart with a sentence under it that says what to do next.

    With several views, toggle buttons above the chart choose which one is drawn. Only the
    chosen chart is built, at most once per change of data, and every view shares one chart
    widget: each chart widget carries the whole charting library to the browser.

    Parameters
    ----------
    views : dict
        View key -> (button label, chart name in `workbook.charts.CHART_NAMES`, advice), where
        ``advice(frames, today, year)`` returns the sentence shown under the chart.

    Attributes
    ----------
    choice : ipywidgets.ToggleButtons or None
        Which view is shown; None for a single view.
    chart_widget : altair.JupyterChart or None
        The chart (its ``.chart`` is the Altair chart); None until first drawn.
    note : TextLine
        The sentence under the chart.
    """

    def __init__(self, views: Mapping[str, ChartView]):
        self.views = dict(views)
        self.choice = None
        top = []
        if len(self.views) > 1:
            self.choice = widgets.ToggleButtons(
                options=[(label, key) for key, (label, _, _) in self.views.items()],
                style={"button_width": "8em"}, layout=widgets.Layout(width="auto"))
            self.choice.observe(lambda _change: self.draw(), names="value")
            # A label of its own: the buttons' description would sit on a line of its own.
            top = [widgets.HBox([widgets.Label("Show:"), self.choice],
                                layout=widgets.Layout(align_items="center", flex_flow="row wrap"))]
        self.chart_widget = None
        self._chart_box = widgets.Box(layout=widgets.Layout(overflow="auto"))
        # The sentence is the point of the chart: a rule on its left sets it apart.
        self.note = TextLine("", width=FORM_WIDTH)
        self.note.layout.margin = "0.3em 0 0.8em 0"
        self.note.layout.padding = "0 0 0 0.7em"
        self.note.layout.border_left = f"3px solid {NOTE_COLOR}"
        self._frames: Mapping | None = None
        self._today: dt.date | None = None
        self._year: int | None = None
        self._drawn: str | None = None
        super().__init__([*top, self._chart_box, self.note])

    @property
    def view(self) -> str:
        """The key of the view shown (or to be shown)."""
        return self.choice.value if self.choice else next(iter(self.views))

    def set_data(self, frames: Mapping, today: dt.date, year: int | None = None) -> None:
        """Take new data (and the year a calendar or a review shows); drawn on the next `draw`."""
        self._frames, self._today, self._year, self._drawn = frames, today, year, None

    def draw(self) -> None:
        """Build the chosen chart and its sentence, unless they already show the current data."""
        if self._frames is None or self._drawn == self.view:
            return
        # altair takes a second to import: a page without charts in sight never pays for it.
        from .. import charts, chartview

        _, name, advice = self.views[self.view]
        figure = charts.chart(name, self._frames, self._today, self._year)
        if self.chart_widget is None:
            self.chart_widget = chartview.chart_widget(figure)
            self._chart_box.children = (self.chart_widget,)
        else:
            self.chart_widget.chart = figure
        self.note.text = advice(self._frames, self._today, self._year)
        self._drawn = self.view
