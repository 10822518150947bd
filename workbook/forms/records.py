"""The forms for communities, people, gives and help that came back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import ipywidgets as widgets

from .. import clock, content, model
from ..model import (
    ACTIVITY_LEVELS,
    CIRCLE_WORDS,
    GIVE_KINDS,
    Community,
    HelpReceived,
    LogEntry,
    Pause,
    Person,
)
from ..widgets_text import named
from .base import (
    INPUT_WIDTH,
    NO_COMMUNITY,
    NO_RESOLUTION,
    NOBODY,
    NONE,
    Form,
    _choose,
    _chosen,
    _date,
    _dropdown,
    _layout,
    _set_options,
    _text,
    _textarea,
)

OTHER_KIND = "__other__"
CIRCLE_CHOICES = tuple((label, circle) for circle, label in CIRCLE_WORDS.items())
GIVE_KIND_CHOICES = tuple((k.capitalize(), k) for k in GIVE_KINDS)


class CommunityForm(Form):
    """Add or edit a community: name, kind (or your own), role, activity, since, notes."""

    record_type = Community
    noun = "community"

    def __init__(self, title: str = "Add a community"):
        super().__init__(title)

    def _build(self):
        kinds = [(label, kind) for kind, label in content.kind_labels().items()]
        self.kind_other = named(_text("your own kind, e.g. Sports club", width="14em"),
                                "Your own kind")
        self.kind_other.layout.display = "none"
        kind = _dropdown([*kinds, ("Other...", OTHER_KIND)], width="15em")
        kind.observe(self._kind_changed, names="value")
        activity = widgets.ToggleButtons(
            options=[(word.capitalize(), i) for i, word in enumerate(ACTIVITY_LEVELS)],
            value=2, style={"button_width": "auto"},
        )
        return [
            self._field("name", "Name", _text("e.g. Harbour Choir")),
            self._field("kind", "Kind", kind, extra=[self.kind_other]),
            self._field("role", "Your role", _text("e.g. alto, volunteer, member")),
            self._field("activity", "How active", activity,
                        hint="How often you take part, from dormant to the heart of it."),
            self._field("since", "Member since", _text("year, e.g. 2019 (optional)", "14em")),
            self._field("notes", "Notes", _textarea("anything you want to remember")),
        ]

    def _kind_changed(self, change) -> None:
        self.kind_other.layout.display = None if change["new"] == OTHER_KIND else "none"

    def _values(self):
        f = self.fields
        kind = f["kind"].value
        since = f["since"].value.strip()
        return {
            "name": f["name"].value,
            "kind": self.kind_other.value if kind == OTHER_KIND else kind,
            "role": f["role"].value,
            "activity": f["activity"].value,
            "since": since or None,
            "notes": f["notes"].value,
        }

    def _fill(self, record):
        f = self.fields
        f["name"].value = record.name
        builtin = record.kind in model.COMMUNITY_KINDS
        f["kind"].value = record.kind if builtin else OTHER_KIND
        self.kind_other.value = "" if builtin else record.kind
        f["role"].value = record.role
        f["activity"].value = record.activity
        f["since"].value = "" if record.since is None else str(record.since)
        f["notes"].value = record.notes

    def _reset(self):
        f = self.fields
        for name in ("name", "role", "since", "notes"):
            f[name].value = ""
        f["kind"].value = model.COMMUNITY_KINDS[0]
        self.kind_other.value = ""
        f["activity"].value = 2


class PersonForm(Form):
    """Add or edit a person: name (a nickname is enough), circle, communities, notes."""

    record_type = Person
    noun = "person"

    def __init__(self, title: str = "Add a person"):
        super().__init__(title)

    def _build(self):
        circle = _dropdown(CIRCLE_CHOICES, width="15em")
        circle.value = 150
        communities = widgets.SelectMultiple(rows=5, layout=_layout())
        self._choice("communities", communities)
        return [
            self._field("name", "Name", _text("a first name, nickname or initials")),
            self._field("circle", "Circle", circle,
                        hint="How close you are: about 5, 15, 50 or 150 people fit each circle."),
            self._field("communities", "Communities", communities,
                        hint="Hold Ctrl (or Cmd) to choose more than one."),
            self._field("notes", "Notes", _textarea("how you know them, what they care about")),
        ]

    def _values(self):
        f = self.fields
        return {
            "name": f["name"].value,
            "circle": f["circle"].value,
            "communities": tuple(f["communities"].value),
            "notes": f["notes"].value,
        }

    def _fill(self, record):
        f = self.fields
        f["name"].value = record.name
        f["circle"].value = record.circle
        known = {v for _, v in f["communities"].options}
        f["communities"].value = tuple(c for c in record.communities if c in known)
        f["notes"].value = record.notes

    def _reset(self):
        f = self.fields
        f["name"].value = ""
        f["circle"].value = 150
        f["communities"].value = ()
        f["notes"].value = ""



class LogForm(Form):
    """Log a give in three actions: community (the last one is chosen already), kind, Save.

    The Resolution choice lists only the resolutions of the chosen community that run on the
    give's date (`set_plans`); a community with exactly one of them has it chosen already.
    """

    record_type = LogEntry
    noun = "give"
    save_label = "Log it"

    def __init__(self, title: str = "Log a give"):
        self._plans: list[tuple[str, int, int, dt.date, dt.date | None]] = []
        super().__init__(title)
        self.fields["community_id"].observe(lambda _c: self._offer_plans(choose=True),
                                            names="value")
        self.fields["date"].observe(lambda _c: self._offer_plans(), names="value")

    def set_plans(self, plans: Sequence[tuple[str, int, int, dt.date, dt.date | None]]
                  ) -> None:
        """The resolutions a give may count for: (label, id, community id, start, end)."""
        self._plans = list(plans)
        self._offer_plans(choose=True)

    def _offer_plans(self, choose: bool = False) -> None:
        f = self.fields
        community, day = f["community_id"].value, f["date"].value
        fits = [(label, rid) for label, rid, cid, start, end in self._plans
                if cid == community and day is not None and start <= day
                and (end is None or day <= end)]
        _set_options(f["resolution_id"], fits, NO_RESOLUTION, pick_first=False)
        if f["resolution_id"].value is None:
            f["resolution_id"].value = NONE
        if choose and self._editing is None and len(fits) == 1:
            f["resolution_id"].value = fits[0][1]

    def _build(self):
        community = self._choice("communities", _dropdown())
        kind = widgets.ToggleButtons(options=GIVE_KIND_CHOICES, value="advice",
                                     style={"button_width": "9.4em"},
                                     layout=widgets.Layout(width=INPUT_WIDTH))
        person = self._choice("people", _dropdown(), NOBODY)
        resolution = _dropdown([(NO_RESOLUTION, NONE)])
        # Not bounded: a bounded box would change 100,000 to 1,440 without a word; the record says.
        minutes = widgets.IntText(value=5, layout=_layout("6em"))
        details = widgets.VBox([
            self._field("person_id", "For whom", person),
            self._field("resolution_id", "Resolution", resolution),
            self._field("minutes", "Minutes", minutes),
            self._field("note", "Note", _textarea("what you did, in a few words")),
        ])
        self.details = widgets.Accordion(children=[details], titles=("More details",),
                                         selected_index=None,
                                         layout=widgets.Layout(width="auto"))
        return [
            self._field("date", "Date", _date(clock.today())),
            self._field("community_id", "Community", community),
            self._field("kind", "What you gave", kind),
            self.details,
        ]

    def _reveal(self, field):
        if field in ("person_id", "resolution_id", "minutes", "note"):
            self.details.selected_index = 0

    def remember(self, community_id: int | None) -> None:
        """Preselect this community (the one used last) when it is among the choices."""
        widget = self.fields["community_id"]
        if community_id in [v for _, v in widget.options]:
            widget.value = community_id

    def _values(self):
        f = self.fields
        values = {name: f[name].value for name in
                  ("date", "community_id", "kind", "minutes", "note")}
        values.update(person_id=_chosen(f["person_id"]),
                      resolution_id=_chosen(f["resolution_id"]))
        return values

    def _fill(self, record):
        f = self.fields
        for name in ("date", "kind", "minutes", "note"):
            f[name].value = getattr(record, name)
        for name in ("community_id", "person_id", "resolution_id"):
            _choose(f[name], getattr(record, name))

    def _reset(self):
        # The community stays: the next give is most likely in the same place.
        f = self.fields
        f["date"].value = clock.today()
        f["kind"].value = "advice"
        f["person_id"].value = NONE
        f["resolution_id"].value = NONE
        f["minutes"].value = 5
        f["note"].value = ""
        self.details.selected_index = None
        self._offer_plans(choose=True)

    def _describe(self, record):
        community = self.fields["community_id"]
        names = dict((v, k) for k, v in community.options)
        return f"a give ({record.kind}) in {names.get(record.community_id, 'your community')}"


class HelpForm(Form):
    """Note help that came back to you, from anyone; it is never matched to a give."""

    record_type = HelpReceived
    noun = "help received"

    def __init__(self, title: str = "Note help you received"):
        super().__init__(title)

    def _build(self):
        return [
            self._field("date", "Date", _date(clock.today())),
            self._field("note", "What happened", _textarea("who helped, and how")),
            self._field("community_id", "Community",
                        self._choice("communities", _dropdown(), NO_COMMUNITY)),
            self._field("person_id", "Person", self._choice("people", _dropdown(), NOBODY)),
        ]

    def _values(self):
        f = self.fields
        return {"date": f["date"].value, "note": f["note"].value,
                "community_id": _chosen(f["community_id"]), "person_id": _chosen(f["person_id"])}

    def _fill(self, record):
        f = self.fields
        f["date"].value = record.date
        f["note"].value = record.note
        _choose(f["community_id"], record.community_id)
        _choose(f["person_id"], record.person_id)

    def _reset(self):
        f = self.fields
        f["date"].value = clock.today()
        f["note"].value = ""
        f["community_id"].value = NONE
        f["person_id"].value = NONE

    def _describe(self, record):
        return "the help you received"


EVERYTHING = "(everything: all my communities)"


class PauseForm(Form):
    """Mark days off giving (ill, travelling): for one community or for everything."""

    record_type = Pause
    noun = "pause"

    def __init__(self, title: str = "Take a break"):
        super().__init__(title)

    def _build(self):
        return [
            self._field("start", "From", _date(clock.today())),
            self._field("end", "Until", _date(), hint="Leave empty until you are back."),
            self._field("community_id", "For",
                        self._choice("communities", _dropdown(), EVERYTHING)),
            self._field("note", "Why", _text("e.g. ill, travelling, a new baby (optional)")),
        ]

    def _values(self):
        f = self.fields
        return {"start": f["start"].value, "end": f["end"].value,
                "community_id": _chosen(f["community_id"]), "note": f["note"].value}

    def _fill(self, record):
        f = self.fields
        f["start"].value, f["end"].value = record.start, record.end
        _choose(f["community_id"], record.community_id)
        f["note"].value = record.note

    def _reset(self):
        f = self.fields
        f["start"].value, f["end"].value = clock.today(), None
        f["community_id"].value = NONE
        f["note"].value = ""

    def _describe(self, record):
        return "the pause"
