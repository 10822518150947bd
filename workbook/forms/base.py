"""What every form shares: labelled fields, an error line per field, Save and Cancel.

`Form` builds one model record on Save (``workbook.model`` does every check), shows a refused
value's message next to its field and keeps what was typed; the small helpers here make the
widgets of its fields.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence

import ipywidgets as widgets

from ..model import ValidationError, WorkbookError
from ..widgets_text import OK_COLOR, TextLine, error_line, named
from .cards import unique_labels

log = logging.getLogger(__name__)

LABEL_WIDTH = "10.5em"
INPUT_WIDTH = "30em"
FORM_WIDTH = "44em"

# Choice widgets show nothing for a None value, so "none of them" is the option 0 (ids start at 1).
NONE = 0
NOBODY = "(nobody in particular)"
NO_RESOLUTION = "(not part of a resolution)"
NO_COMMUNITY = "(no community in particular)"

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
    if isinstance(widget, widgets.RadioButtons):
        opts = unique_labels(opts)  # the page finds a card by its label
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
    labels : dict
        The label each field shows, by the same names: a refused value's message names the
        field by it ("What happened must not be empty"), not by the model's own word.
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
        self.labels: dict[str, str] = {}
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
        self.fields[name] = named(widget, label)
        self.errors[name] = error_line(INPUT_WIDTH)
        self.labels[name] = label
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
            self.show_error(e.field, e.worded(self.labels))
            return None
        try:
            for callback in self._callbacks:
                callback(record)
        except ValidationError as e:
            self.show_error(e.field, e.worded(self.labels))
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
