"""A chart on a page, with the sentence under it that says what to do next."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

import ipywidgets as widgets

from ..forms import FORM_WIDTH
from ..palette import ACCENT
from ..widgets_text import TextLine

PICK = "pick"  # the selection a tap on a map's dot sets (`workbook.charts.network.PICK`)
NOTE_COLOR = ACCENT  # the dark blue of the charts

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
    narrow : bool
        Whether the chart is drawn for a phone (`workbook.charts.chart`); set by `set_narrow`.
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
        # The page ties the chart to its sentence by these classes (aria-describedby).
        self._chart_box.add_class("wb-chart")
        # The sentence is the point of the chart: a rule on its left sets it apart.
        self.note = TextLine("", width=FORM_WIDTH)
        self.note.layout.margin = "0.3em 0 0.8em 0"
        self.note.layout.padding = "0 0 0 0.7em"
        self.note.layout.border_left = f"3px solid {NOTE_COLOR}"
        self.note.add_class("wb-chart-note")
        self._frames: Mapping | None = None
        self._today: dt.date | None = None
        self._year: int | None = None
        self._drawn: str | None = None
        self.narrow = False
        self._on_pick: list[Callable[[str, int], None]] = []
        self._listening = False
        super().__init__([*top, self._chart_box, self.note])
        self.add_class("wb-chart-panel")

    @property
    def view(self) -> str:
        """The key of the view shown (or to be shown)."""
        return self.choice.value if self.choice else next(iter(self.views))

    def set_data(self, frames: Mapping, today: dt.date, year: int | None = None) -> None:
        """Take new data (and the year a calendar or a review shows); drawn on the next `draw`."""
        self._frames, self._today, self._year, self._drawn = frames, today, year, None

    def set_narrow(self, narrow: bool) -> None:
        """Draw for a phone (or not) from the next `draw` on."""
        if narrow != self.narrow:
            self.narrow, self._drawn = narrow, None

    def draw(self) -> None:
        """Build the chosen chart and its sentence, unless they already show the current data."""
        if self._frames is None or self._drawn == self.view:
            return
        # altair takes a second to import: a page without charts in sight never pays for it.
        from .. import charts, chartview

        _, name, advice = self.views[self.view]
        figure = charts.chart(name, self._frames, self._today, self._year, narrow=self.narrow)
        if self.chart_widget is None:
            self.chart_widget = chartview.chart_widget(figure)
            self._chart_box.children = (self.chart_widget,)
        else:
            self.chart_widget.chart = figure
        self._listen_for_picks()
        self.note.text = advice(self._frames, self._today, self._year)
        self._drawn = self.view

    def on_pick(self, callback: Callable[[str, int], None]) -> None:
        """Call ``callback(kind, ref)`` when a dot of a chart with a `PICK` selection (the network
        map) is tapped or clicked: kind "person" or "community", ref its id."""
        self._on_pick.append(callback)

    def _listen_for_picks(self) -> None:
        # The widget's selections object is new with each chart, the raw selection state it
        # syncs with the browser is not: listen to that once, and read the selections after
        # altair has (its own listener comes first).
        if not self._listening:
            self.chart_widget.observe(self._picked, names="_vl_selections")
            self._listening = True

    def _picked(self, _change) -> None:
        selections = self.chart_widget.selections
        if not selections.has_trait(PICK):
            return
        chosen = [p for p in getattr(selections, PICK).value
                  if p.get("kind") in ("person", "community")]
        if not chosen:
            return
        # Forget the pick at once, so that a second tap on the same dot opens it again.
        self.chart_widget._vl_selections = {PICK: {"value": None, "store": []}}
        kind, ref = chosen[0]["kind"], chosen[0].get("ref")
        if isinstance(ref, int | float) and not isinstance(ref, bool):
            for callback in self._on_pick:
                callback(kind, int(ref))
