"""The form that plans a give as an if-then resolution, with a browser of give ideas."""

from __future__ import annotations

import datetime as dt

import ipywidgets as widgets

from .. import clock, content, model
from ..model import PERIODS, WEEKDAYS, Resolution, ValidationError, weekdays_in
from ..season import new_resolution_start
from ..widgets_text import TextLine, named
from ..words import count
from .base import (
    INPUT_WIDTH,
    NOBODY,
    NONE,
    Form,
    _choose,
    _chosen,
    _date,
    _dropdown,
    _label_cell,
    _layout,
    _text,
)
from .cards import card_list, card_style, unique_labels

PER_CHOICES = tuple((f"a {p}", p) for p in PERIODS)


class ResolutionForm(Form):
    """Plan a give as an if-then resolution, starting from a browsable list of give ideas.

    A new resolution starts on 1 January of the coming year from 1 November (a New Year's
    resolution), else today; after a save the form keeps the start date just used.

    Parameters
    ----------
    title : str
        The line above the form.
    browse : bool
        Show the browser of give ideas (False for a form filled from a suggestion).
    """

    record_type = Resolution
    noun = "resolution"

    def __init__(self, title: str = "Make a resolution", browse: bool = True):
        self._idea_id: str | None = None
        self._community_kinds: dict[int, str] = {}
        self._start = new_resolution_start(clock.today())
        super().__init__(title)
        self.fields["start"].value = self._start
        if not browse:
            self.ideas_box.layout.display = "none"
        self.on_submit(self._keep_start)
        self._show_ideas()
        self._show_days()
        self._update_preview()

    def _keep_start(self, record: Resolution) -> None:
        self._start = record.start

    def prefill(self, record: Resolution, title: str | None = None) -> None:
        """Fill the form with a resolution that is not saved yet, such as a suggestion."""
        self.clear()
        self._fill(record)
        if title is not None:
            self.mode_line.text = title

    def _build(self):
        self._build_idea_browser()
        cue = _text("e.g. after choir rehearsal on Thursday")
        give = _text("e.g. send one member a useful link")
        community = self._choice("communities", _dropdown())
        community.observe(self._community_changed, names="value")
        person = self._choice("people", _dropdown(), NOBODY)
        times = widgets.IntText(value=1, layout=_layout("6em"))  # refused out of range, not changed
        per = named(_dropdown(PER_CHOICES, width="10em"), "How often, per")
        per.value = "month"
        self.preview = TextLine("", bold=True, width=INPUT_WIDTH)
        for w in (cue, give, community, times, per):
            w.observe(lambda _change: self._update_preview(), names="value")
        how_often = self._field("times", "How often", times,
                                extra=[widgets.Label("times"), per])
        self.fields["per"], self.errors["per"] = per, self.errors["times"]
        self.labels["per"] = self.labels["times"]
        # Weekdays for a weekly plan: the cue's own day is proposed until one is chosen by hand.
        self.day_buttons = {
            day: widgets.ToggleButton(description=name, layout=widgets.Layout(width="3.6em"))
            for day, name in zip(WEEKDAYS, ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
                                 strict=True)}
        self._days_chosen = False
        self._proposing = False
        for button in self.day_buttons.values():
            button.observe(self._day_toggled, names="value")
        days = widgets.HBox(list(self.day_buttons.values()),
                            layout=widgets.Layout(flex_flow="row wrap", grid_gap="0.2em"))
        self._days_row = self._field("weekdays", "On which days", days,
                                     hint="For a weekly plan: the days its reminder rings.")
        per.observe(lambda _change: self._show_days(), names="value")
        cue.observe(lambda _change: self._propose_days(), names="value")
        return [
            self.ideas_box,
            self._field("cue", "When", cue, hint="A moment that already happens: the cue."),
            self._field("give", "I will", give, hint="The give, small enough to do every time."),
            self._field("community_id", "In community", community),
            self._field("person_id", "For whom", person),
            how_often,
            self._days_row,
            self._field("remind_at", "Remind me at", widgets.TimePicker(
                value=dt.time(9, 0), step=60, layout=_layout("9em")),
                hint="The time your calendar file rings, in your own time zone."),
            self._field("start", "Start", _date()),
            self._field("end", "End", _date(), hint="Leave empty to keep it going."),
            widgets.HBox([_label_cell("Your plan reads"), self.preview],
                         layout=widgets.Layout(margin="0.3em 0", padding="0.4em 0",
                                               border_top="1px solid #ddd",
                                               border_bottom="1px solid #ddd")),
        ]

    def _show_days(self) -> None:
        self._days_row.layout.display = None if self.fields["per"].value == "week" else "none"

    def _day_toggled(self, _change) -> None:
        if not self._proposing:
            self._days_chosen = True

    def _set_days(self, days) -> None:
        self._proposing = True
        try:
            for day, button in self.day_buttons.items():
                button.value = day in days
        finally:
            self._proposing = False

    def _propose_days(self) -> None:
        if not self._days_chosen:
            self._set_days(weekdays_in(self.fields["cue"].value))

    @property
    def weekdays(self) -> tuple[str, ...]:
        """The weekdays chosen (or proposed from the cue), in week order."""
        return tuple(day for day, button in self.day_buttons.items() if button.value)

    def _build_idea_browser(self) -> None:
        kinds = [(label, kind) for kind, label in content.kind_labels().items()]
        self.idea_kind = named(
            _dropdown([("Every kind of community", ""), *kinds], width="16em"),
            "Show ideas for")
        self.idea_tag = named(_dropdown(
            [("Every kind of give", ""), *((t.capitalize(), t) for t in content.GIVE_TAGS)],
            width="13em",
        ), "Kind of give")
        self.idea_list = card_list(7, "Give ideas")
        self.idea_count = TextLine("", color="#555", size="0.9em")
        self.use_idea_button = widgets.Button(description="Use this idea",
                                              layout=widgets.Layout(width="11em"))
        self.use_idea_button.on_click(lambda _button: self.use_idea())
        self.idea_kind.observe(lambda _change: self._show_ideas(), names="value")
        self.idea_tag.observe(lambda _change: self._show_ideas(), names="value")
        self.ideas_box = widgets.VBox(
            [
                card_style(),
                TextLine("Find a give idea", bold=True),
                widgets.HBox([widgets.Label("Show ideas for"), self.idea_kind,
                              widgets.Label("and"), self.idea_tag],
                             layout=widgets.Layout(grid_gap="0.5em", align_items="center")),
                self.idea_count,
                self.idea_list,
                self.use_idea_button,
            ],
            layout=widgets.Layout(margin="0 0 1em 0"),
        )

    def _show_ideas(self) -> None:
        ideas = content.give_ideas(self.idea_kind.value or None, self.idea_tag.value or None)
        self.idea_list.options = unique_labels(
            (f"{i.text} (about {i.minutes} min)", i.id) for i in ideas)
        wider = "every kind of give" if self.idea_tag.value else "every kind of community"
        self.idea_count.text = (
            f"{count(len(ideas), 'idea')}. Pick one and press 'Use this idea', or write your own "
            "below." if ideas else f"No ideas match; try {wider}."
        )
        self.idea_list.value = None

    def use_idea(self) -> None:
        """Copy the chosen give idea into the 'I will' field."""
        if not self.idea_list.value:
            self.idea_count.text = "Choose an idea in the list first."
            return
        idea = content.give_idea(self.idea_list.value)
        self.fields["give"].value = idea.give
        self._idea_id = idea.id

    def set_community_kinds(self, kinds: dict[int, str]) -> None:
        """Tell the form each community's kind, so choosing one shows ideas that suit it."""
        self._community_kinds = dict(kinds)

    def _community_changed(self, change) -> None:
        kind = self._community_kinds.get(change["new"])
        if kind in model.COMMUNITY_KINDS:
            self.idea_kind.value = kind

    def _update_preview(self) -> None:
        f = self.fields
        try:
            draft = Resolution(
                cue=f["cue"].value.strip() or "...", give=f["give"].value.strip() or "...",
                community_id=1, times=f["times"].value, per=f["per"].value,
            )
        except ValidationError:
            self.preview.text = "(the sentence appears here as you type)"
            return
        community = f["community_id"]
        self.preview.text = draft.sentence(community.label if community.value else "")

    @property
    def idea_id(self) -> str | None:
        """The give idea the 'I will' text came from, if any."""
        return self._idea_id

    def _values(self):
        f = self.fields
        return {
            "cue": f["cue"].value,
            "give": f["give"].value,
            "community_id": f["community_id"].value,
            "person_id": _chosen(f["person_id"]),
            "times": f["times"].value,
            "per": f["per"].value,
            "start": f["start"].value,
            "end": f["end"].value,
            "idea_id": self._idea_id,
            # weekdays belong to a weekly plan; the reminder time to every plan
            "weekdays": self.weekdays if f["per"].value == "week" else (),
            "remind_at": f["remind_at"].value,
        }

    def _fill(self, record):
        f = self.fields
        f["cue"].value = record.cue
        f["give"].value = record.give
        _choose(f["community_id"], record.community_id)
        _choose(f["person_id"], record.person_id)
        f["times"].value = record.times
        f["per"].value = record.per
        f["start"].value = record.start
        f["end"].value = record.end
        f["remind_at"].value = dt.time.fromisoformat(record.remind_at)
        self._set_days(record.weekdays or weekdays_in(record.cue))
        self._days_chosen = bool(record.weekdays)
        self._idea_id = record.idea_id

    def _reset(self):
        f = self.fields
        f["cue"].value = ""
        f["give"].value = ""
        f["person_id"].value = NONE
        f["times"].value = 1
        f["per"].value = "month"
        f["start"].value = self._start
        f["end"].value = None
        f["remind_at"].value = dt.time(9, 0)
        self._set_days(())
        self._days_chosen = False
        self._idea_id = None

    def _describe(self, record):
        return f"the resolution '{record.give}'"
