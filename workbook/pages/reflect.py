"""Step 5, Reflect and review: answers to prompts, earlier answers, and the year in review."""

from __future__ import annotations

import ipywidgets as widgets

from .. import analytics, content
from ..forms import FORM_WIDTH, ReflectionForm, ReviewForm
from ..widgets_text import MUTED_COLOR, TextLine, heading, table, table_html
from .parts import ChartPanel, Page, _add_or_update, _Frames, _intro, _saver, _section, _what_next
from .presenter import NEGLECTED_WEEKS, _date_text, _name, _year_advice
from .session import Session

ANSWERS_SHOWN = 10


def reflect_page(session: Session, *, prose: bool = True) -> Page:
    """Answer prompts by stage, read earlier answers, and review the year.

    Parameters
    ----------
    session : Session
    prose : bool
        As in `start_page`.

    Returns
    -------
    Page
        Parts: ``form`` (`ReflectionForm`), ``answers`` (table), ``year_summary``,
        ``by_community`` (table), ``neglected`` (`TextLine`), ``year_chart`` (a `ChartPanel`
        with the year in review) and ``review_form`` (`ReviewForm`).
    """
    form = ReflectionForm(title="")
    review_form = ReviewForm()
    answers = table([], [])
    answers_note = TextLine("", color=MUTED_COLOR, width=FORM_WIDTH)
    year_heading = heading("", 2)
    year_summary = TextLine("", width=FORM_WIDTH)
    year_chart = ChartPanel({"year": ("Year", "year_in_review", _year_advice)})
    by_community = table([], [])
    neglected = TextLine("", bold=True, color="#8a4b00", width=FORM_WIDTH)
    form.on_submit(_add_or_update(session))
    # Read session.store at save time: switch() may have opened another file since.
    review_form.on_submit(_saver(session, lambda records: session.store.add_many(records)))

    def question(prompt_id: str) -> str:
        try:
            return content.reflection_prompt(prompt_id).text
        except KeyError:
            return prompt_id

    def refresh():
        frames = _Frames(session.store)
        today = session.today
        written = frames["reflections"]
        latest = written.iloc[::-1].head(ANSWERS_SHOWN)
        answers_note.text = (
            f"The latest {ANSWERS_SHOWN} of your {len(written)} answers, newest first."
            if len(written) > ANSWERS_SHOWN else ""
        )
        answers.value = table_html(
            ["Date", "Question", "Your answer"],
            [(_date_text(r.date), question(r.prompt_id), r.answer) for r in latest.itertuples()],
            empty="No answers yet: the first one is above.",
        )
        review = analytics.year_in_review(frames["communities"], frames["log"], frames["help"],
                                          today)
        year, before = review.year, review.previous
        totals = review.totals[year]
        year_heading.value = heading(f"Your year {year} in review", 2).value
        year_summary.text = (
            f"In {year} you logged {totals['Gives']:,} gives, about "
            f"{totals['Minutes given'] / 60:.0f} hours, in {totals['Communities reached']} of "
            f"your {len(frames['communities'])} communities, and gave to "
            f"{totals['People reached']} people by name. Help came back "
            f"{totals['Help received']} times that you noted."
        )
        per = review.by_community.pivot_table(index="community", columns="year", values="gives",
                                              sort=False)
        by_community.value = table_html(
            ["Community", f"Gives in {year}", f"Gives in {before}"],
            [(name, int(row[year]), int(row[before])) for name, row in per.iterrows()],
            empty=f"No gives logged in {before} or {year} yet.",
        )
        quiet = analytics.neglected(frames["communities"], frames["log"], today,
                                    NEGLECTED_WEEKS)
        neglected.text = (
            f"No give in the last {NEGLECTED_WEEKS} weeks: "
            + ", ".join(f"{_name(r.community)} (last give: {_date_text(r.last_give) or 'never'})"
                        for r in quiet.itertuples()) + "."
            if len(quiet) else
            f"Every community you are regularly part of saw a give from you in the last "
            f"{NEGLECTED_WEEKS} weeks."
        )
        year_chart.set_data(frames, today)

    children = [
        _intro(
            "Reflect and review",
            "Writing a few lines turns a busy month into something you can learn from. "
            "Choose a stage, pick a question that catches your attention, and answer it in "
            "your own words; nobody else reads it.",
            "At the end of the year, the season of giving, look back over the whole year: "
            "what you gave, where, which community you neglected, and where you want to give "
            "more, and more deliberately, next year.",
        ),
        _section("Answer a question", form.widget),
        _section("Your earlier answers", answers_note, answers),
        widgets.VBox(
            [year_heading, year_summary, year_chart, by_community, neglected,
             review_form.widget],
            layout=widgets.Layout(margin="0.8em 0 0 0"),
        ),
        _what_next(
            "Turn your answer about next year into one or two resolutions in 02 Plan your "
            "gives, and let the loop begin again."
        ),
    ]
    parts = {"form": form, "answers": answers, "year_summary": year_summary,
             "year_chart": year_chart, "by_community": by_community, "neglected": neglected,
             "review_form": review_form}
    return Page(session, children, parts, refresh, prose=prose)
