"""Step 5, Reflect: the year-end review that ends in next year's resolutions, then
answers to prompts and earlier answers."""

from __future__ import annotations

import ipywidgets as widgets

from .. import content
from .. import review as rv
from ..forms import FORM_WIDTH, ReflectionForm, ResolutionForm, ReviewForm
from ..model import Resolution, WorkbookError
from ..season import season
from ..steps import TITLES
from ..widgets_text import (
    MUTED_COLOR,
    OK_COLOR,
    TextLine,
    heading,
    heading_html,
    table,
    table_html,
)
from ..words import count
from .parts import (
    ActionRows,
    ChartPanel,
    DownloadButtons,
    Page,
    YearChoice,
    _add_or_update,
    _by_name,
    _choices,
    _intro,
    _section,
    _what_next,
)
from .presenter import _calendar_advice, _date_text, _suggestions_empty, _year_advice
from .session import Session

ANSWERS_SHOWN = 10
KEEP, CHANGE, END, PLAN = "keep", "change", "end", "plan"


def reflect_page(session: Session, *, prose: bool = True) -> Page:
    """Review a year (by default the one under review) and resolve for the next, then reflect.

    Parameters
    ----------
    session : Session
    prose : bool
        As in `workbook.pages.start.start_page`.

    Returns
    -------
    Page
        Parts: ``year`` (the year selector), ``review_title``, ``period``, ``year_summary``,
        ``numbers`` (table), ``year_chart`` (a `ChartPanel`: the year and its calendar),
        ``decisions`` (`ActionRows`: each community, then its resolutions with keep, change
        and end) and ``suggestions`` (`ActionRows`), ``resolution_form`` (once a press needs it)
        (`ResolutionForm`), ``review_form`` (`ReviewForm`), ``plan_downloads``
        (`DownloadButtons`), ``form`` (`ReflectionForm`) and ``answers`` (table).
    """
    year_choice = YearChoice(session)
    review_title = heading("", 2)
    period = TextLine("", color=MUTED_COLOR, width=FORM_WIDTH)
    summary = TextLine("", width=FORM_WIDTH)
    numbers = table([], [])
    year_chart = ChartPanel({"year": ("Year", "year_in_review", _year_advice),
                             "calendar": ("Calendar", "gives_calendar", _calendar_advice)})
    decisions_title = heading("", 3)
    decisions_note = TextLine("", color=MUTED_COLOR, width=FORM_WIDTH)
    suggestions_title = heading("", 3)
    done_line = TextLine("", color=OK_COLOR, width=FORM_WIDTH)
    form_box = widgets.VBox([])  # the resolution form comes with the first press that needs it
    review_form = ReviewForm(title="")
    plan_title = heading("", 3)
    plan_downloads = DownloadButtons(session, keys=("plan", "ics"))
    form = ReflectionForm(title="")
    answers = table([], [])
    answers_note = TextLine("", color=MUTED_COLOR, width=FORM_WIDTH)
    state: dict = {"review": None, "replacing": None}

    def current() -> rv.YearReview:
        return state["review"]

    def on_decision(key: str, action: str) -> None:
        looked = current()
        record = session.store.get(Resolution, int(key))
        coming = looked.plan_year
        done_line.text = ""
        if action == KEEP:
            session.store.carry_over(*rv.carried(record, coming))
            done_line.text = (f"Kept for {coming}: \u201c{record.give}\u201d starts again on "
                              "1 January.")
        elif action == END:
            session.store.update(rv.ended(record, looked.year))
            done_line.text = f"\u201c{record.give}\u201d ends on 31 December {looked.year}."
        elif action == CHANGE:
            _ended, copy = rv.carried(record, coming)
            resolution_form().prefill(copy, title=f"Change it for {coming}, then save: the old "
                                    f"one ends on 31 December {looked.year}")
            state["replacing"] = record.id
            return
        session.changed({"resolutions", "log"})

    def on_suggestion(key: str, action: str) -> None:
        chosen = next(s for s in current().suggestions if s.key == key)
        resolution_form().prefill(chosen.resolution, title=f"A resolution for "
                                f"{current().plan_year}: change what you like, then save")
        state["replacing"] = None
        done_line.text = ""

    def save_resolution(record: Resolution) -> None:
        replacing = state["replacing"]
        if replacing is not None:
            old = session.store.get(Resolution, replacing)
            session.store.carry_over(rv.ended(old, record.start.year - 1), record)
        elif record.id is None:
            session.store.add(record)
        else:
            session.store.update(record)
        state["replacing"] = None
        session.changed({"resolutions", "log"})

    def save_review(records) -> None:
        typed = {r.prompt_id: r.answer for r in records}
        to_save = rv.answers_to_save(current(), typed, session.today)
        if not to_save:
            raise WorkbookError("Nothing new to save: your answers are as they were saved.")
        session.store.save(to_save)
        session.changed({"reflections"})

    decisions = ActionRows(on_decision)
    suggestions = ActionRows(on_suggestion)

    def resolution_form() -> ResolutionForm:
        """The form for a kept-and-changed or a suggested resolution, made when first needed."""
        if "resolution_form" not in parts:
            made = ResolutionForm(title="", browse=False)
            made.on_submit(save_resolution)
            made.cancel_button.on_click(lambda _b: state.update(replacing=None))
            page.add_part("resolution_form", made)
            form_box.children = (made.widget,)
            offer_choices(session.frames)
        return parts["resolution_form"]

    def offer_choices(frames) -> None:
        made = parts.get("resolution_form")
        if made is None:
            return
        communities = frames["communities"]
        made.set_community_kinds(dict(zip(communities["id"], communities["kind"], strict=True)))
        made.set_choices(communities=_choices(communities),
                         people=_choices(_by_name(frames["people"])))
    review_form.on_submit(save_review)
    form.on_submit(_add_or_update(session))

    def question(prompt_id: str) -> str:
        try:
            return content.reflection_prompt(prompt_id).text
        except KeyError:
            return prompt_id

    def refresh():
        frames = session.frames
        today = session.today
        looked = rv.year_review(frames, today, session.year)
        state["review"] = looked
        year, coming = looked.year, looked.plan_year
        year_choice.update(frames, today)
        review_title.value = heading_html(looked.title, 2)
        period.text = looked.period
        summary.text = looked.summary
        numbers.value = table_html(["What", str(year), str(looked.previous)],
                                   [(m, a, b) for m, a, b in looked.numbers])
        year_chart.set_data(frames, today, year)

        decisions_title.value = heading_html(
            f"Your communities, and what goes on into {coming}", 3)
        decisions_note.text = (
            f"Each community with its gives and visibility, and each resolution that ran in "
            f"{year}: keep it for {coming} (a copy starts on 1 January), change it, or let it "
            "end on 31 December." if looked.deciding else
            f"The resolutions that ran in {year}. Choose {season(today).review_year} to "
            f"decide which go on into {season(today).plan_year}.")
        rows = []
        for community in looked.communities:
            rows.append((f"community-{community.community_id}", community.line, "", None))
            for d in community.decisions:
                actions = ([(KEEP, f"Keep for {coming}"), (CHANGE, "Change it"),
                            (END, "Let it end")] if d.state == "open" else [])
                rows.append((str(d.resolution_id), d.sentence, f"{d.progress}. {d.note}".strip(),
                             actions))
        decisions.empty.text = "No communities yet: map them in Step 1, Communities."
        decisions.show(rows)

        suggestions_title.value = heading_html(f"Suggestions for {coming}", 3)
        suggestions.empty.text = _suggestions_empty(frames, looked.deciding,
                                                    season(today).review_year, coming)
        suggestions.show([(s.key, s.reason, s.sentence, [(PLAN, "Plan this")])
                          for s in looked.suggestions] if looked.deciding else [])
        offer_choices(frames)

        review_form.show_answers({a.prompt_id: a.answer for a in looked.answers})
        review_form.save_button.disabled = not looked.deciding
        review_form.mode_line.text = (
            f"Answers saved from February {year} to January {year + 1} count for {year}; "
            "change them and save again as often as you like." if looked.deciding else
            f"Your answers for {year}.")
        plan_title.value = heading_html(f"Your plan for {plan_downloads.year()}", 3)
        plan_downloads.clear()

        written = frames["reflections"]
        latest = written.iloc[::-1].head(ANSWERS_SHOWN)
        answers_note.text = (
            f"The latest {ANSWERS_SHOWN} of your {count(len(written), 'answer')}, newest first."
            if len(written) > ANSWERS_SHOWN else ""
        )
        answers.value = table_html(
            ["Date", "Question", "Your answer"],
            [(_date_text(r.date), question(r.prompt_id), r.answer) for r in latest.itertuples()],
            empty="No answers yet: the first one is above.",
        )

    review_box = widgets.VBox(
        [review_title, year_choice, period, summary, numbers, year_chart,
         decisions_title, decisions_note, decisions,
         suggestions_title, suggestions, done_line, form_box,
         heading("The review questions", 3), review_form.widget,
         plan_title, plan_downloads],
        layout=widgets.Layout(margin="0.8em 0 0 0"))
    review_box.add_class("wb-review")
    children = [
        _intro(
            TITLES["reflect"],
            "At the end of the year, the season of giving, look back over the whole year: "
            "what you gave, where, which community you neglected, and where you want to give "
            "more, and more deliberately, next year. The review ends in next year's "
            "resolutions and a one-page plan to print.",
            "Any time of year, a few written lines turn a busy month into something you can "
            "learn from: pick a question below and answer it in your own words; nobody else "
            "reads it.",
        ),
        review_box,
        _section("Answer a question", form.widget),
        _section("Your earlier answers", answers_note, answers),
        _what_next(
            "Print your plan and add the reminders to your calendar. In January, log the first "
            "gives of the new year in Step 3, Log, and let the loop begin again."
        ),
    ]
    parts = {"year": year_choice, "review_title": review_title, "period": period,
             "year_summary": summary, "numbers": numbers, "year_chart": year_chart,
             "decisions": decisions, "suggestions": suggestions,
             "done": done_line,
             "review_form": review_form, "plan_downloads": plan_downloads, "form": form,
             "answers": answers}
    page = Page(session, children, parts, refresh, prose=prose, key="reflect")
    return page
