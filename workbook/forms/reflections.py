"""The forms for reflections: one answer to a prompt, and the year-end review."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets

from .. import clock, content
from ..model import Reflection, ValidationError, WorkbookError
from ..review import REVIEW_PROMPTS
from ..widgets_text import TextLine, error_line, named
from ..words import count
from .base import INPUT_WIDTH, Form, _date, _dropdown, _label_cell, _layout, _textarea

STAGE_CHOICES = (
    ("Mapping your communities", "map"),
    ("Planning your gives", "plan"),
    ("Giving", "give"),
    ("Year-end review", "review"),
)


class ReflectionForm(Form):
    """Answer a reflection prompt, chosen by stage; the full question is shown above the answer."""

    record_type = Reflection
    noun = "reflection"

    def __init__(self, stage: str | None = None, title: str = "Write a reflection"):
        self._fixed_stage = stage
        super().__init__(title)
        self._show_prompts()

    def _build(self):
        self.stage = named(_dropdown(STAGE_CHOICES, width="18em"), "Stage")
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
    one answer is needed. Errors show under the question they belong to. Answers saved before
    are shown with `show_answers` and stay in the fields after a save, to be read and edited.
    """

    record_type = tuple
    noun = "review"
    stacked = True
    save_label = "Save review"

    def __init__(self, prompt_ids: Sequence[str] = REVIEW_PROMPTS,
                 title: str = "Your review and resolve for next year"):
        self._prompts = [content.reflection_prompt(p) for p in prompt_ids]
        self._saved: dict[str, str] = {}
        super().__init__(title)

    def show_answers(self, answers: dict[str, str]) -> None:
        """Fill the questions with the answers saved so far (prompt id -> answer)."""
        self._saved = dict(answers)
        self._reset()

    def _build(self):
        rows = []
        for prompt in self._prompts:
            # The question is the label here: too long for the label column, so it sits above.
            answer = named(widgets.Textarea(rows=3, layout=_layout("auto")), prompt.text)
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
                # The question is the label: the error under it speaks of the answer.
                raise ValidationError(prompt.id, e.worded({"answer": "Your answer"})) from None
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
            self.fields[prompt.id].value = self._saved.get(prompt.id, "")

    def _describe(self, record):
        if not isinstance(record, tuple):
            return "review"
        return f"your review ({count(len(record), 'answer')})"
