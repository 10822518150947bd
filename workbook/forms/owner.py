"""The form for the workbook owner's name: one optional line, printed on their plan."""

from __future__ import annotations

import ipywidgets as widgets

from ..model import Owner
from ..widgets_text import TextLine, error_line, named
from .base import INPUT_WIDTH, Form, _text

OWNER_QUESTION = "Your name (optional, printed on your plan)"


class OwnerForm(Form):
    """Your name, or nothing: Save hands an `workbook.model.Owner` to the callbacks.

    The name saved last stays in the field (`show_name`); a refused one stays as typed, with
    the reason under it.
    """

    record_type = Owner
    noun = "your name"
    stacked = True  # the question is too long for the label column: it sits above the field

    def __init__(self, title: str = ""):
        self.saved = ""
        super().__init__(title)

    def show_name(self, name: str) -> None:
        """Show the name the workbook keeps now."""
        self.saved = name
        self._reset()

    def _build(self):
        name = named(_text("e.g. Maren, or leave it empty", width="22em"), OWNER_QUESTION)
        self.fields["name"] = name
        self.errors["name"] = error_line(INPUT_WIDTH)
        self.labels["name"] = "Your name"  # the heading above the question
        return [widgets.VBox([TextLine(OWNER_QUESTION), name, self.errors["name"]])]

    def _values(self):
        return {"name": self.fields["name"].value}

    def _fill(self, record):
        self.fields["name"].value = record.name

    def _reset(self):
        self.fields["name"].value = self.saved

    def _describe(self, record):
        if isinstance(record, Owner) and not record.name:
            return "no name: your plan prints none"
        return "your name"
