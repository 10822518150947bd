"""Widget forms for the workbook's records: labelled fields, an error line per field, Save/Cancel.

A form holds widget state and raises events; it never touches the store. On Save it builds the
model record (``workbook.model`` does every check), shows a refused value's message next to its
field, keeps what was typed, and otherwise hands the record to the ``on_submit`` callbacks. The
pages wire those callbacks to the store.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence

import ipywidgets as widgets

from .. import clock, content, model
from ..model import (
    ACTIVITY_LEVELS,
    CIRCLE_WORDS,
    GIVE_KINDS,
    PERIODS,
    Community,
    HelpReceived,
    LogEntry,
    Person,
    Reflection,
    Resolution,
    ValidationError,
    WorkbookError,
)
from ..widgets_text import OK_COLOR, TextLine, error_line

log = logging.getLogger(__name__)

LABEL_WIDTH = "10.5em"
INPUT_WIDTH = "30em"
FORM_WIDTH = "44em"

OTHER_KIND = "__other__"
CIRCLE_CHOICES = tuple((label, circle) for circle, label in CIRCLE_WORDS.items())
PER_CHOICES = tuple((f"a {p}", p) for p in PERIODS)
STAGE_CHOICES = (
    ("Mapping your communities", "map"),
    ("Planning your gives", "plan"),
    ("Giving", "give"),
    ("Year-end review", "review"),
)
GIVE_KIND_CHOICES = tuple((k.capitalize(), k) for k in GIVE_KINDS)
# Choice widgets show nothing for a None value, so "none of them" is the option 0 (ids start at 1).
NONE = 0
NOBODY = "(nobody in particular)"
NO_RESOLUTION = "(not part of a resolution)"
NO_COMMUNITY = "(no community in particular)"
REVIEW_PROMPTS = ("review-proudest", "review-neglected", "review-came-back", "review-next-year")

Choices = Sequence[tuple[str, int]]


def _layout(width: str = INPUT_WIDTH, **kw) -> widgets.Layout:
    return widgets.Layout(width=width, **kw)


def _text(placeholder: str = "", width: str = INPUT_WIDTH) -> widgets.Text:
    return widgets.Text(placeholder=placeholder, layout=_layout(width))


def _textarea(placeholder: str = "", rows: int = 3) -> widgets.Textarea:
    return widgets.Textarea(placeholder=placeholder, rows=rows, layout=_layout())


def _dropdown(options=(), width: str = INPUT_WIDTH) -> widgets.Dropdown:
    return widgets.Dropdown(options=list(options), layout=_layout(width))


def _date(value: dt.date | None = None) -> widgets.DatePicker:
    return widgets.DatePicker(value=value, layout=_layout("12em"))


def _label_cell(text: str = "") -> widgets.Label:
    return widgets.Label(text, layout=widgets.Layout(width=LABEL_WIDTH, min_width=LABEL_WIDTH,
                                                     margin="2px 0.5em 0 0"))


def _set_options(widget, options: Iterable, none_label: str | None = None, *,
                 pick_first: bool = True) -> None:
    """Replace a choice widget's options, keeping the current choice where it still exists."""
    opts = list(options)
    if none_label is not None:
        opts.insert(0, (none_label, NONE))
    values = [v for _, v in opts]
    current = widget.value
    widget.options = opts
    if isinstance(widget, widgets.SelectMultiple):
        widget.value = tuple(v for v in (current or ()) if v in values)
    elif current in values:
        widget.value = current
    elif values and pick_first:
        widget.value = values[0]
    else:
        widget.value = None


def _chosen(widget) -> int | None:
    """The id chosen in an optional choice widget, or None for 'none of them'."""
    return widget.value or None


def _choose(widget, value) -> None:
    """Choose ``value`` in a choice widget if it is among the options, else 'none'."""
    values = [v for _, v in widget.options]
    value = NONE if value is None else value
    if value in values:
        widget.value = value
    elif NONE in values:
        widget.value = NONE


class Form:
    """A labelled form that builds one validated model record when Save is pressed.

    Subclasses add their fields with `_field` and say how to read, fill and reset them.

    Attributes
    ----------
    widget : ipywidgets.VBox
        What to display; a form also displays itself in a notebook.
    fields : dict
        Input widgets by model field name (``"name"``, ``"community_id"``, ...).
    errors : dict
        The error line under each field, by the same names.
    form_error : TextLine
        Problems that belong to no single field, such as a refusal from the workbook file.
    save_button, cancel_button : ipywidgets.Button
        Cancel shows only while an existing record is being edited.
    """

    record_type: type = object
    noun = "entry"
    stacked = False  # True when questions sit above their fields, with no label column
    save_label = "Save"

    def __init__(self, title: str = ""):
        self.fields: dict[str, widgets.Widget] = {}
        self.errors: dict[str, TextLine] = {}
        self._choices: dict[str, list[tuple[widgets.Widget, str | None]]] = {}
        self._callbacks: list[Callable] = []
        self._editing = None
        self.title = title
        self.mode_line = TextLine(title, bold=True, size="1.1em")
        # Children of the form take its width (a fixed width plus the widget margin overflows).
        self.form_error = error_line()
        self.status = TextLine("", color=OK_COLOR)
        self.save_button = widgets.Button(description=self.save_label, button_style="primary",
                                          layout=widgets.Layout(width="9em"))
        self.cancel_button = widgets.Button(
            description="Cancel", layout=widgets.Layout(width="9em", display="none",
                                                        margin="2px 2px 2px 0.8em"))
        self.save_button.on_click(self._clicked_save)
        self.cancel_button.on_click(lambda _button: self.clear())
        rows = self._build()
        buttons = widgets.HBox(
            [*([] if self.stacked else [_label_cell()]), self.save_button, self.cancel_button],
            layout=widgets.Layout(margin="0.4em 0 0 0"),
        )
        self.widget = widgets.VBox(
            [self.mode_line, *rows, buttons, self.form_error, self.status],
            layout=widgets.Layout(width=FORM_WIDTH, padding="0.2em 0 0.8em 0"),
        )

    # -- building blocks --------------------------------------------------------------------
    def _field(self, name: str, label: str, widget: widgets.Widget, *, hint: str = "",
               extra: Sequence[widgets.Widget] = ()) -> widgets.HBox:
        """One row: a label column, the input (plus extras), an optional hint and an error line."""
        self.fields[name] = widget
        self.errors[name] = error_line(INPUT_WIDTH)
        inputs = widgets.HBox([widget, *extra], layout=widgets.Layout(grid_gap="0.5em"))
        column = [inputs]
        if hint:
            column.append(TextLine(hint, color="#555", size="0.9em", width=INPUT_WIDTH))
        column.append(self.errors[name])
        return widgets.HBox(
            [_label_cell(label), widgets.VBox(column)],
            layout=widgets.Layout(align_items="flex-start", margin="0 0 0.25em 0"),
        )

    def _choice(self, source: str, widget: widgets.Widget, none_label: str | None = None):
        """Register a widget whose options come from `set_choices(source=...)`."""
        self._choices.setdefault(source, []).append((widget, none_label))
        _set_options(widget, [], none_label)
        return widget

    # -- what subclasses provide ------------------------------------------------------------
    def _build(self) -> list[widgets.Widget]:
        raise NotImplementedError

    def _values(self) -> dict:
        """The record's fields as typed, for the model to check."""
        raise NotImplementedError

    def _fill(self, record) -> None:
        raise NotImplementedError

    def _reset(self) -> None:
        raise NotImplementedError

    def _describe(self, record) -> str:
        return getattr(record, "name", self.noun)

    def _reveal(self, field: str) -> None:
        """Make sure the field with an error can be seen (e.g. open a folded section)."""

    # -- public behaviour -------------------------------------------------------------------
    @property
    def value(self):
        """The record described by the fields now.

        Raises
        ------
        workbook.model.ValidationError
            When a field holds a value the workbook cannot keep; ``field`` names it.
        """
        values = self._values()
        if self._editing is not None:
            return self._editing.with_changes(**values)
        return self.record_type(**values)

    @property
    def editing(self):
        """The saved record being edited, or ``None`` when the form makes a new one."""
        return self._editing

    def load(self, record) -> None:
        """Fill the form with a saved record to edit it; Save then changes that record."""
        self._clear_messages()
        self.status.text = ""
        self._editing = record
        self._fill(record)
        self.mode_line.text = f"Editing {self._describe(record)}"
        self.save_button.description = "Save changes"
        self.cancel_button.layout.display = None

    def clear(self) -> None:
        """Empty the form (back to a new record) and remove every message."""
        self._reset()
        self._stop_editing()
        self._clear_messages()
        self.status.text = ""

    def on_submit(self, callback: Callable) -> None:
        """Call ``callback(record)`` with each validated record on Save.

        If the callback raises `workbook.model.WorkbookError`, its message is shown on the form
        and what was typed stays; otherwise the form empties and says what was saved.
        """
        self._callbacks.append(callback)

    def set_choices(self, **choices: Choices) -> None:
        """Set the options of choice fields, e.g. ``communities=[("Choir", 1), ...]``.

        Accepted names: ``communities``, ``people`` and ``resolutions`` (each form uses those it
        has fields for and ignores the rest). A current choice that still exists is kept.
        """
        for source, options in choices.items():
            for widget, none_label in self._choices.get(source, ()):
                _set_options(widget, options, none_label)

    def show_error(self, field: str, message: str) -> None:
        """Show a message under the named field (or on the form if there is no such field)."""
        line = self.errors.get(field, self.form_error)
        line.text = message
        self._reveal(field)

    def submit(self):
        """Validate and hand the record to the callbacks; returns it, or ``None`` if refused."""
        self._clear_messages()
        self.status.text = ""
        try:
            record = self.value
        except ValidationError as e:
            self.show_error(e.field, str(e))
            return None
        try:
            for callback in self._callbacks:
                callback(record)
        except ValidationError as e:
            self.show_error(e.field, str(e))
            return None
        except WorkbookError as e:
            self.form_error.text = str(e)
            return None
        was_editing = self._editing is not None
        self._reset()
        self._stop_editing()
        verb = "Saved the changes to" if was_editing else "Saved"
        self.status.text = f"{verb} {self._describe(record)}."
        return record

    def _clicked_save(self, _button) -> None:
        # A person should never meet a traceback: anything unexpected becomes one plain line.
        try:
            self.submit()
        except Exception as e:
            log.exception("saving %s failed", self.noun)
            self.form_error.text = f"Something went wrong and nothing was saved: {e}"

    def _clear_messages(self) -> None:
        for line in self.errors.values():
            line.text = ""
        self.form_error.text = ""

    def _stop_editing(self) -> None:
        self._editing = None
        self.mode_line.text = self.title
        self.save_button.description = self.save_label
        self.cancel_button.layout.display = "none"

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


class CommunityForm(Form):
    """Add or edit a community: name, kind (or your own), role, activity, since, notes."""

    record_type = Community
    noun = "community"

    def __init__(self, title: str = "Add a community"):
        super().__init__(title)

    def _build(self):
        kinds = [(label, kind) for kind, label in content.kind_labels().items()]
        self.kind_other = _text("your own kind, e.g. Sports club", width="14em")
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


class ResolutionForm(Form):
    """Plan a give as an if-then resolution, starting from a browsable list of give ideas."""

    record_type = Resolution
    noun = "resolution"

    def __init__(self, title: str = "Make a resolution"):
        self._idea_id: str | None = None
        self._community_kinds: dict[int, str] = {}
        super().__init__(title)
        self._show_ideas()
        self._update_preview()

    def _build(self):
        self._build_idea_browser()
        cue = _text("e.g. after choir rehearsal on Thursday")
        give = _text("e.g. send one member a useful link")
        community = self._choice("communities", _dropdown())
        community.observe(self._community_changed, names="value")
        person = self._choice("people", _dropdown(), NOBODY)
        times = widgets.BoundedIntText(value=1, min=1, max=31, layout=_layout("6em"))
        per = _dropdown(PER_CHOICES, width="10em")
        per.value = "month"
        self.preview = TextLine("", bold=True, width=INPUT_WIDTH)
        for w in (cue, give, community, times, per):
            w.observe(lambda _change: self._update_preview(), names="value")
        how_often = self._field("times", "How often", times,
                                extra=[widgets.Label("times"), per])
        self.fields["per"], self.errors["per"] = per, self.errors["times"]
        return [
            self.ideas_box,
            self._field("cue", "When", cue, hint="A moment that already happens: the cue."),
            self._field("give", "I will", give, hint="The give, small enough to do every time."),
            self._field("community_id", "In community", community),
            self._field("person_id", "For whom", person),
            how_often,
            self._field("start", "Start", _date(clock.today())),
            self._field("end", "End", _date(), hint="Leave empty to keep it going."),
            self._field("active", "Active", widgets.Checkbox(value=True, indent=False)),
            widgets.HBox([_label_cell("Your plan reads"), self.preview],
                         layout=widgets.Layout(margin="0.3em 0", padding="0.4em 0",
                                               border_top="1px solid #ddd",
                                               border_bottom="1px solid #ddd")),
        ]

    def _build_idea_browser(self) -> None:
        kinds = [(label, kind) for kind, label in content.kind_labels().items()]
        self.idea_kind = _dropdown([("Every kind of community", ""), *kinds], width="16em")
        self.idea_tag = _dropdown(
            [("Every kind of give", ""), *((t.capitalize(), t) for t in content.GIVE_TAGS)],
            width="13em",
        )
        self.idea_list = widgets.Select(rows=7, layout=_layout("auto"))
        self.idea_text = TextLine("")
        self.idea_count = TextLine("", color="#555", size="0.9em")
        self.use_idea_button = widgets.Button(description="Use this idea",
                                              layout=widgets.Layout(width="11em"))
        self.use_idea_button.on_click(lambda _button: self.use_idea())
        self.idea_kind.observe(lambda _change: self._show_ideas(), names="value")
        self.idea_tag.observe(lambda _change: self._show_ideas(), names="value")
        self.idea_list.observe(self._idea_selected, names="value")
        self.ideas_box = widgets.VBox(
            [
                TextLine("Find a give idea", bold=True),
                widgets.HBox([widgets.Label("Show ideas for"), self.idea_kind,
                              widgets.Label("and"), self.idea_tag],
                             layout=widgets.Layout(grid_gap="0.5em", align_items="center")),
                self.idea_count,
                self.idea_list,
                self.idea_text,
                self.use_idea_button,
            ],
            layout=widgets.Layout(margin="0 0 1em 0"),
        )

    def _show_ideas(self) -> None:
        ideas = content.give_ideas(self.idea_kind.value or None, self.idea_tag.value or None)
        self.idea_list.options = [(f"{i.text} (about {i.minutes} min)", i.id) for i in ideas]
        self.idea_count.text = (
            f"{len(ideas)} ideas. Pick one and press 'Use this idea', or write your own below."
            if ideas else "No ideas match; try every kind of give."
        )
        self.idea_list.value = None
        self.idea_text.text = ""

    def _idea_selected(self, change) -> None:
        self.idea_text.text = content.give_idea(change["new"]).text if change["new"] else ""

    def use_idea(self) -> None:
        """Copy the chosen give idea into the 'I will' field."""
        if not self.idea_list.value:
            self.idea_count.text = "Choose an idea in the list first."
            return
        idea = content.give_idea(self.idea_list.value)
        self.fields["give"].value = idea.text[0].lower() + idea.text[1:]
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
            "active": f["active"].value,
            "idea_id": self._idea_id,
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
        f["active"].value = record.active
        self._idea_id = record.idea_id

    def _reset(self):
        f = self.fields
        f["cue"].value = ""
        f["give"].value = ""
        f["person_id"].value = NONE
        f["times"].value = 1
        f["per"].value = "month"
        f["start"].value = clock.today()
        f["end"].value = None
        f["active"].value = True
        self._idea_id = None

    def _describe(self, record):
        return f"the resolution '{record.give}'"


class LogForm(Form):
    """Log a give in three actions: community (the last one is chosen already), kind, Save."""

    record_type = LogEntry
    noun = "give"
    save_label = "Log it"

    def __init__(self, title: str = "Log a give"):
        super().__init__(title)

    def _build(self):
        community = self._choice("communities", _dropdown())
        kind = widgets.ToggleButtons(options=GIVE_KIND_CHOICES, value="advice",
                                     style={"button_width": "9.4em"},
                                     layout=widgets.Layout(width=INPUT_WIDTH))
        person = self._choice("people", _dropdown(), NOBODY)
        resolution = self._choice("resolutions", _dropdown(), NO_RESOLUTION)
        minutes = widgets.BoundedIntText(value=5, min=0, max=24 * 60, layout=_layout("6em"))
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


class ReflectionForm(Form):
    """Answer a reflection prompt, chosen by stage; the full question is shown above the answer."""

    record_type = Reflection
    noun = "reflection"

    def __init__(self, stage: str | None = None, title: str = "Write a reflection"):
        self._fixed_stage = stage
        super().__init__(title)
        self._show_prompts()

    def _build(self):
        self.stage = _dropdown(STAGE_CHOICES, width="18em")
        if self._fixed_stage:
            self.stage.value = self._fixed_stage
        self.stage.observe(lambda _change: self._show_prompts(), names="value")
        prompt = _dropdown()
        prompt.observe(self._prompt_changed, names="value")
        self.question = TextLine("", bold=True, size="1.05em", width=INPUT_WIDTH)
        rows = [
            self._field("prompt_id", "Question", prompt),
            widgets.HBox([_label_cell(), self.question]),
            self._field("answer", "Your answer", _textarea("write freely; only you see this", 5)),
            self._field("date", "Date", _date(clock.today())),
        ]
        stage_row = widgets.HBox([_label_cell("Stage"), self.stage],
                                 layout=widgets.Layout(margin="0 0 0.25em 0"))
        if self._fixed_stage:
            stage_row.layout.display = "none"
        return [stage_row, *rows]

    def _show_prompts(self) -> None:
        prompts = content.reflection_prompts(self.stage.value)
        widget = self.fields["prompt_id"]
        widget.options = [(p.text, p.id) for p in prompts]
        widget.value = prompts[0].id if prompts else None

    def _prompt_changed(self, change) -> None:
        try:
            self.question.text = content.reflection_prompt(change["new"]).text
        except KeyError:
            self.question.text = ""

    def _values(self):
        f = self.fields
        return {"prompt_id": f["prompt_id"].value, "answer": f["answer"].value,
                "date": f["date"].value}

    def _fill(self, record):
        f = self.fields
        try:
            self.stage.value = content.reflection_prompt(record.prompt_id).stage
        except KeyError:
            # A prompt that is no longer in the content files: show its id as the question.
            f["prompt_id"].options = [*f["prompt_id"].options, (record.prompt_id,
                                                               record.prompt_id)]
        f["prompt_id"].value = record.prompt_id
        f["answer"].value = record.answer
        f["date"].value = record.date

    def _reset(self):
        f = self.fields
        f["answer"].value = ""
        f["date"].value = clock.today()

    def _describe(self, record):
        return "your answer"


class ReviewForm(Form):
    """The year-end review: a few questions answered together, each saved as a reflection.

    ``value`` is a tuple of `workbook.model.Reflection`, one per answered question; at least
    one answer is needed. Errors show under the question they belong to.
    """

    record_type = tuple
    noun = "review"
    stacked = True
    save_label = "Save review"

    def __init__(self, prompt_ids: Sequence[str] = REVIEW_PROMPTS,
                 title: str = "Your review and resolve for next year"):
        self._prompts = [content.reflection_prompt(p) for p in prompt_ids]
        super().__init__(title)

    def _build(self):
        rows = []
        for prompt in self._prompts:
            # The question is the label here: too long for the label column, so it sits above.
            answer = widgets.Textarea(rows=3, layout=_layout("auto"))
            self.fields[prompt.id] = answer
            self.errors[prompt.id] = error_line()
            rows.append(widgets.VBox(
                [TextLine(prompt.text), answer, self.errors[prompt.id]],
                layout=widgets.Layout(margin="0 0 0.4em 0"),
            ))
        return rows

    @property
    def value(self) -> tuple[Reflection, ...]:
        """The answered questions as reflections dated today.

        Raises
        ------
        workbook.model.ValidationError
            With ``field`` set to the prompt id whose answer cannot be kept.
        """
        answers = []
        for prompt in self._prompts:
            text = self.fields[prompt.id].value
            if not text.strip():
                continue
            try:
                answers.append(Reflection(prompt_id=prompt.id, answer=text))
            except ValidationError as e:
                raise ValidationError(prompt.id, str(e)) from None
        if not answers:
            raise ValidationError(self._prompts[0].id, "Please answer at least one question.")
        return tuple(answers)

    def load(self, record) -> None:  # a review is only ever written new
        raise WorkbookError("A saved review is edited one answer at a time.")

    def _values(self):
        return {}

    def _fill(self, record):
        pass

    def _reset(self):
        for prompt in self._prompts:
            self.fields[prompt.id].value = ""

    def _describe(self, record):
        return f"your review ({len(record)} answers)" if isinstance(record, tuple) else "review"


class RecordList:
    """A list of saved records as plain text, with Edit, Remove (asks twice) and extra buttons.

    Attributes
    ----------
    widget : ipywidgets.VBox
        What to display.
    select : ipywidgets.Select
        The list; option labels are plain text, values are record ids.
    error, status : TextLine
        A refusal (in red) or a confirmation of the last action.
    """

    def __init__(self, *, rows: int = 8, empty: str = "Nothing here yet.", title: str = "",
                 remove_label: str = "Remove", width: str = "auto"):
        self.empty = empty
        self.max_rows = rows
        self.remove_label = remove_label
        self.title = TextLine(title, bold=True, size="1.1em")
        self.select = widgets.Select(rows=rows, layout=_layout(width))
        self.empty_line = TextLine(empty, color="#555", width=width)
        self.edit_button = widgets.Button(description="Edit", layout=widgets.Layout(width="10em"))
        self.remove_button = widgets.Button(description=remove_label,
                                            layout=widgets.Layout(width="10em"))
        self.error = error_line(width)
        self.status = TextLine("", color=OK_COLOR, width=width)
        self.buttons = widgets.HBox([self.edit_button, self.remove_button],
                                    layout=widgets.Layout(grid_gap="0.5em"))
        self._on_edit: list[Callable[[int], None]] = []
        self._on_remove: list[Callable[[int], None]] = []
        self._armed: int | None = None
        self.edit_button.on_click(lambda _button: self._run(self._on_edit))
        self.remove_button.on_click(self._clicked_remove)
        self.select.observe(lambda _change: self._disarm(), names="value")
        self.widget = widgets.VBox(
            [self.title, self.empty_line, self.select, self.buttons, self.error, self.status],
            layout=widgets.Layout(margin="0 0 0.8em 0"),
        )
        self.set_items([])

    def set_items(self, items: Sequence[tuple[str, int]]) -> None:
        """Show these (label, id) pairs, keeping the selection if it is still there."""
        _set_options(self.select, items, pick_first=False)
        self.select.rows = max(2, min(len(items), self.max_rows))
        has_items = bool(items)
        self.empty_line.layout.display = None if not has_items else "none"
        self.select.layout.display = None if has_items else "none"
        self.buttons.layout.display = None if has_items else "none"
        self._disarm()

    def on_edit(self, callback: Callable[[int], None]) -> None:
        """Call ``callback(id)`` when Edit is pressed with a record selected."""
        self._on_edit.append(callback)

    def on_remove(self, callback: Callable[[int], None]) -> None:
        """Call ``callback(id)`` on the second press of Remove for the same record."""
        self._on_remove.append(callback)

    def add_button(self, description: str, callback: Callable[[int], None],
                   width: str = "11em") -> widgets.Button:
        """Add a button that calls ``callback(id)`` for the selected record."""
        button = widgets.Button(description=description, layout=widgets.Layout(width=width))
        button.on_click(lambda _button: self._run([callback]))
        self.buttons.children = (*self.buttons.children, button)
        return button

    def _clicked_remove(self, _button) -> None:
        selected = self.select.value
        if selected is None:
            self._run([])
            return
        if self._armed != selected:
            self._armed = selected
            self.remove_button.description = "Yes, remove it"
            self.remove_button.button_style = "danger"
            self.error.text = ""
            self.status.text = f"Press 'Yes, remove it' to remove '{self.select.label}' for good."
            return
        self._run(self._on_remove)

    def _disarm(self) -> None:
        self._armed = None
        self.remove_button.description = self.remove_label
        self.remove_button.button_style = ""

    def _run(self, callbacks) -> None:
        self.error.text = ""
        self.status.text = ""
        selected = self.select.value
        if selected is None:
            self.error.text = "Choose an entry in the list first."
            return
        label = self.select.label
        try:
            for callback in callbacks:
                callback(selected)
        except WorkbookError as e:
            self.error.text = str(e)
        except Exception as e:
            log.exception("an action on the list failed")
            self.error.text = f"Something went wrong: {e}"
        finally:
            self._disarm()
        if callbacks is self._on_remove and not self.error.text:
            self.status.text = f"Removed '{label}'."

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
