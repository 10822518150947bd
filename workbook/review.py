"""The year-end review as plain values: the year in numbers, each community, what becomes of each
running resolution, suggestions for the coming year and the review questions.

Nothing here draws or shows anything: the Reflect page, ``workbook review`` and its HTML page
copy these values into widgets, text or markup. The date is always a parameter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import analytics, content
from .model import ACTIVITY_LEVELS, Reflection, Resolution
from .season import MONTH_NAMES, long_date, season
from .words import count, hours, number

REVIEW_PROMPTS = ("review-proudest", "review-neglected", "review-came-back", "review-next-year")
NEGLECTED_WEEKS = 8  # a regular community without a give this long has gone quiet
UNREACHED_MONTHS = 3  # a close person without a give this long has not been reached
FELL_WEEKS = 12  # visibility is compared with this many weeks before
FELL_BY = 0.15  # a drop of 15 points or more is a fall
SUGGESTIONS_MAX = 6
SUGGESTED_CUE = "a new month begins"
@dataclass(frozen=True)
class Decision:
    """A resolution that ran in the reviewed year, and what becomes of it in the next one.

    ``state`` is "open" (it runs on into the coming year: keep it, change it or let it end),
    "kept" (a copy starts on 1 January), "ends" (it ends in the reviewed year) or "past"
    (a year long gone: nothing to decide).
    """

    resolution_id: int
    community_id: int
    sentence: str
    progress: str
    state: str
    note: str


@dataclass(frozen=True)
class CommunityReview:
    """One community's year: gives beside the year before, visibility, and its resolutions."""

    community_id: int
    name: str
    line: str
    gives: int
    gives_before: int
    visibility: float
    visibility_before: float
    decisions: tuple[Decision, ...]

    @property
    def fell(self) -> bool:
        """Whether its visibility fell by at least `FELL_BY` in the last `FELL_WEEKS` weeks."""
        return self.visibility_before - self.visibility >= FELL_BY


@dataclass(frozen=True)
class Suggestion:
    """A resolution for the coming year drawn from a gap, ready to be put in the form."""

    key: str
    reason: str
    resolution: Resolution
    sentence: str


@dataclass(frozen=True)
class Answer:
    """A review question and the answer saved for this year (empty when none yet)."""

    prompt_id: str
    question: str
    answer: str
    reflection_id: int | None
    date: dt.date | None


@dataclass(frozen=True)
class YearReview:
    """Everything the year-end review shows, in the order it shows it."""

    year: int
    previous: int
    plan_year: int
    today: dt.date
    so_far: bool
    begun: bool
    title: str
    period: str
    summary: str
    numbers: tuple[tuple[str, int, int], ...]
    communities: tuple[CommunityReview, ...]
    suggestions: tuple[Suggestion, ...]
    answers: tuple[Answer, ...]
    deciding: bool

    @property
    def decisions(self) -> tuple[Decision, ...]:
        """Every resolution of the year, community by community."""
        return tuple(d for c in self.communities for d in c.decisions)


def review_years(frames: Mapping[str, pd.DataFrame], today: dt.date) -> list[int]:
    """The years a review can show: every year with an entry or a resolution, and the coming one.

    Newest first.
    """
    years = {season(today).plan_year, season(today).review_year}
    for name in ("log", "help", "reflections"):
        years |= {int(y) for y in frames[name]["date"].dt.year.dropna().unique()}
    resolutions = frames["resolutions"]
    years |= {int(y) for y in resolutions["start"].dt.year.dropna().unique()}
    return sorted((y for y in years if y <= season(today).plan_year), reverse=True)


def year_review(frames: Mapping[str, pd.DataFrame], today: dt.date,
                year: int | None = None) -> YearReview:
    """The review of a year, ending in suggestions for the year after it.

    Parameters
    ----------
    frames
        The workbook's DataFrames by name (``Store.frame`` names).
    today
        Entries after today are left out.
    year
        The year to review; by default the year under review on ``today`` (the year that just
        ended, in January).

    Returns
    -------
    YearReview
        While the year is not over its numbers are "so far", compared with the same days of the
        year before. Resolutions can be carried into the next year only when the year reviewed
        is the one under review on ``today`` (``deciding``).
    """
    now = season(today)
    year = now.review_year if year is None else int(year)
    communities, log = frames["communities"], frames["log"]
    figures = analytics.year_in_review(communities, log, frames["help"], today, year)
    until = figures.until or today
    totals = figures.totals
    numbers = tuple((measure, int(totals.at[measure, year]), int(totals.at[measure, year - 1]))
                    for measure in totals.index)
    deciding = year == now.review_year
    reviewed = tuple(_communities(frames, figures, until, today, deciding))
    return YearReview(
        year=year, previous=year - 1, plan_year=year + 1, today=today, so_far=figures.so_far,
        begun=figures.begun, title=f"Your year of giving: {year}",
        period=_period(figures), summary=_summary(figures, len(communities)),
        numbers=numbers, communities=reviewed,
        suggestions=tuple(_suggestions(frames, reviewed, year + 1, until)),
        answers=tuple(_answers(frames["reflections"], year)), deciding=deciding,
    )


def _period(figures: analytics.YearInReview) -> str:
    if not figures.begun:
        return f"{figures.year} has not begun yet."
    if not figures.so_far:
        return f"The whole of {figures.year}, beside the whole of {figures.previous}."
    until = figures.until
    return (f"1 January to {until.day} {MONTH_NAMES[until.month - 1]} {figures.year}, so far, "
            f"beside the same days of {figures.previous}.")


def _summary(figures: analytics.YearInReview, communities: int) -> str:
    totals = figures.totals
    year, before = figures.year, figures.previous
    gives, earlier = int(totals.at["Gives", year]), int(totals.at["Gives", before])
    if not figures.begun:
        return (f"Nothing to look back on in {year} yet: below are suggestions for it, drawn "
                f"from {before}.")
    when = f"In {year} so far" if figures.so_far else f"In {year}"
    if gives == 0:
        text = f"{when} you logged no gives"
    else:
        text = (f"{when} you logged {count(gives, 'give')}, "
                f"{hours(totals.at['Minutes given', year])}, in "
                f"{number(totals.at['Communities reached', year])} of your "
                f"{count(communities, 'community', 'communities')}")
    same = "the same days of " if figures.so_far else ""
    if earlier:
        change = ("more than" if gives > earlier else "fewer than" if gives < earlier
                  else "as many as")
        text += f", {change} the {number(earlier)} of {same}{before}"
    elif gives:
        text += f", and none in {same}{before}"
    helped = int(totals.at["Help received", year])
    if helped:
        text += f". Help came back {count(helped, 'time')} that you noted"
    return text + "."


def _progress(row) -> str:
    if row["status"] == "not started":
        return "not started"
    return f"{row['status']}: {number(row['logged'])} of {number(row['expected'])} planned"


def _communities(frames, figures, until: dt.date, today: dt.date, deciding: bool):
    communities, resolutions, log = frames["communities"], frames["resolutions"], frames["log"]
    year = figures.year
    labels = analytics.community_labels(communities)
    kinds = content.kind_labels()
    per = figures.by_community.pivot_table(index="community_id", columns="year", values="gives",
                                           aggfunc="sum")
    days, scores = analytics.visibility_matrix(communities, resolutions, log, until)
    back = FELL_WEEKS * 7
    earlier = scores[-back - 1] if len(scores) > back else np.zeros(len(communities))
    now = scores[-1] if len(scores) else np.zeros(len(communities))

    ran = analytics.in_year(resolutions, year)
    counted = analytics.in_year(resolutions, year, clip=True)
    progress = analytics.plan_vs_actual(counted, log, min(today, dt.date(year, 12, 31)))
    progress = progress.set_index("resolution_id")
    for i, row in enumerate(communities.itertuples(index=False)):
        cid = int(row.id)
        gives = int(per.at[cid, year]) if cid in per.index and year in per else 0
        before = int(per.at[cid, year - 1]) if cid in per.index and year - 1 in per else 0
        same = "the same days of " if figures.so_far else ""
        line = (f"{labels[cid]} ({kinds.get(row.kind, row.kind)}, {ACTIVITY_LEVELS[row.activity]}"
                f"): {count(gives, 'give')}, {number(before)} in {same}{year - 1}; visibility "
                f"{now[i]:.0%}")
        if now[i] <= earlier[i] - 0.05:
            line += f", down from {earlier[i]:.0%} {FELL_WEEKS} weeks before"
        decisions = tuple(
            _decision(res, labels[cid], progress.loc[int(res.id)], resolutions, year, deciding)
            for res in ran[ran["community_id"] == cid].itertuples(index=False))
        yield CommunityReview(cid, labels[cid], line + ".", gives, before, float(now[i]),
                              float(earlier[i]), decisions)


def _record(row) -> Resolution:
    return Resolution(cue=row.cue, give=row.give, community_id=int(row.community_id),
                      times=int(row.times), per=row.per, start=row.start.date(),
                      end=None if pd.isna(row.end) else row.end.date(),
                      person_id=None if pd.isna(row.person_id) else int(row.person_id),
                      active=bool(row.active), idea_id=row.idea_id, id=int(row.id))


def _same_plan(a, b) -> bool:
    return (int(a.community_id) == int(b.community_id) and a.times == b.times
            and a.per == b.per and a.cue.strip().casefold() == b.cue.strip().casefold()
            and a.give.strip().casefold() == b.give.strip().casefold())


def successor(resolutions: pd.DataFrame, res, year: int):
    """The copy of a resolution that starts on 1 January of ``year``, or None."""
    first = pd.Timestamp(year, 1, 1)
    later = resolutions[resolutions["active"] & (resolutions["start"] == first)
                        & (resolutions["id"] != res.id)]
    return next((r for r in later.itertuples(index=False) if _same_plan(r, res)), None)


def _decision(res, community: str, row, resolutions, year: int, deciding: bool) -> Decision:
    record = _record(res)
    coming, last = year + 1, pd.Timestamp(year, 12, 31)
    if not deciding:
        state, note = "past", ""
    elif pd.isna(res.end) or res.end > last:
        state = "open"
        note = (f"For {coming}: keep it (a copy starts on 1 January {coming}), change it, or "
                f"let it end on 31 December {year}.")
    elif successor(resolutions, res, coming) is not None:
        state, note = "kept", f"Kept for {coming}: the copy starts on 1 January {coming}."
    else:
        state, note = "ends", f"Ends on {long_date(res.end.date())}."
    return Decision(int(res.id), int(res.community_id), record.sentence(community),
                    _progress(row), state, note)


def carried(record: Resolution, year: int) -> tuple[Resolution, Resolution]:
    """A resolution kept for ``year``: the old one ending on 31 December before, and its copy.

    Returns
    -------
    (Resolution, Resolution)
        The saved resolution with its new end, and a new one (no id) starting on 1 January of
        ``year`` with the same cue, give, community, person and cadence.
    """
    ended = record.with_changes(end=dt.date(year - 1, 12, 31))
    copy = record.with_changes(id=None, start=dt.date(year, 1, 1), end=None)
    return ended, copy


def ended(record: Resolution, year: int) -> Resolution:
    """A resolution let go at the end of ``year``: it ends on 31 December."""
    return record.with_changes(end=dt.date(year, 12, 31))


def _idea_for(kind: str, used: set[str]):
    ideas = content.give_ideas(kind) or content.give_ideas()
    return next((i for i in ideas if i.id not in used), ideas[0])


def _draft(community_id: int, kind: str, used: set[str], year: int, **extra) -> Resolution:
    idea = _idea_for(kind, used)
    give = extra.pop("give", idea.give)
    return Resolution(cue=SUGGESTED_CUE, give=give, community_id=community_id, times=1,
                      per="month", start=dt.date(year, 1, 1),
                      idea_id=None if "person_id" in extra else idea.id, **extra)


def _suggestions(frames, reviewed: tuple[CommunityReview, ...], coming: int, until: dt.date):
    communities, resolutions, log = frames["communities"], frames["resolutions"], frames["log"]
    labels = analytics.community_labels(communities)
    busy = communities[analytics.regular(communities)].sort_values(
        "activity", ascending=False, kind="stable")
    planned = set(analytics.in_year(resolutions, coming)["community_id"].astype(int))
    # a plan made for the coming year answers the gap, whatever the year before looked like
    fresh = set(resolutions.loc[resolutions["active"]
                                & (resolutions["start"] >= pd.Timestamp(coming, 1, 1)),
                                "community_id"].astype(int))
    quiet = analytics.neglected(communities, log, until, NEGLECTED_WEEKS)
    quiet = dict(zip(quiet["community_id"].astype(int), quiet["days_since"], strict=True))
    by_id = {c.community_id: c for c in reviewed}
    found: list[Suggestion] = []

    def add(key: str, reason: str, draft: Resolution) -> None:
        found.append(Suggestion(key, reason, draft, draft.sentence(
            labels.get(draft.community_id, ""))))

    for row in busy.itertuples(index=False):
        cid, name = int(row.id), labels[int(row.id)]
        used = set(resolutions.loc[resolutions["community_id"] == cid, "idea_id"].dropna())
        review = by_id.get(cid)
        if cid in fresh:
            continue
        if cid not in planned:
            reason = f"Nothing is planned in {name} for {coming}."
        elif cid in quiet:
            days = quiet[cid]
            reason = (f"{name} has not seen a give from you yet." if pd.isna(days) else
                      f"{name} has not seen a give from you for {count(int(days) // 7, 'week')}.")
        elif review is not None and review.fell:
            reason = (f"Your visibility in {name} fell from {review.visibility_before:.0%} to "
                      f"{review.visibility:.0%} in {FELL_WEEKS} weeks.")
        else:
            continue
        add(f"community-{cid}", reason, _draft(cid, row.kind, used, coming))

    people = frames["people"]
    memberships = frames["memberships"]
    activity = dict(zip(communities["id"], communities["activity"], strict=True))
    if log["person_id"].notna().any() or len(people):
        planned_for = set(resolutions.loc[resolutions["active"]
                                          & (resolutions["start"] >= pd.Timestamp(coming, 1, 1)),
                                          "person_id"].dropna().astype(int))
        for row in analytics.unreached_people(people, log, until, UNREACHED_MONTHS).itertuples():
            theirs = memberships.loc[memberships["person_id"] == row.person_id, "community_id"]
            if theirs.empty or int(row.person_id) in planned_for:
                continue  # a resolution needs a community; one for them is made already
            cid = int(max(theirs, key=lambda c: activity.get(c, 0)))
            since = ("no give has named them yet" if pd.isna(row.last_give)
                     else f"the last give to them was on {long_date(row.last_give.date())}")
            add(f"person-{int(row.person_id)}",
                f"{row.name} is in your closest circles, and {since}.",
                _draft(cid, "", set(), coming, person_id=int(row.person_id),
                       give=f"get in touch with {row.name} and ask how things are"))
    return found[:SUGGESTIONS_MAX]


def answer_window(year: int) -> tuple[dt.date, dt.date]:
    """The days whose review answers belong to ``year``: February to the January after."""
    return dt.date(year, 2, 1), dt.date(year + 1, 1, 31)


def _answers(reflections: pd.DataFrame, year: int):
    first, last = (pd.Timestamp(d) for d in answer_window(year))
    inside = reflections[(reflections["date"] >= first) & (reflections["date"] <= last)]
    for prompt_id in REVIEW_PROMPTS:
        question = content.reflection_prompt(prompt_id).text
        mine = inside[inside["prompt_id"] == prompt_id]
        if mine.empty:
            yield Answer(prompt_id, question, "", None, None)
        else:
            latest = mine.iloc[-1]
            yield Answer(prompt_id, question, latest["answer"], int(latest["id"]),
                         latest["date"].date())


def answers_to_save(review: YearReview, typed: Mapping[str, str], today: dt.date
                    ) -> list[Reflection]:
    """The review answers to write: changed ones keep their id and date, new ones are dated today.

    An answer left empty, or typed exactly as saved, is left out.
    """
    out = []
    for answer in review.answers:
        text = typed.get(answer.prompt_id, "")
        if not text.strip() or text == answer.answer:
            continue
        if answer.reflection_id is None:
            out.append(Reflection(prompt_id=answer.prompt_id, answer=text, date=today))
        else:
            out.append(Reflection(prompt_id=answer.prompt_id, answer=text, date=answer.date,
                                  id=answer.reflection_id))
    return out


def review_text(review: YearReview) -> str:
    """The review as plain text, for a terminal or an e-mail."""
    lines = [review.title, review.period, "", review.summary, "", "In numbers"]
    width = max(len(m) for m, _, _ in review.numbers)
    lines.append(f"  {'':<{width}}  {review.year:>8}  {review.previous:>8}")
    lines += [f"  {m:<{width}}  {a:>8,}  {b:>8,}" for m, a, b in review.numbers]
    lines += ["", "Your communities"]
    if not review.communities:
        lines.append("  No communities yet.")
    for community in review.communities:
        lines.append(f"- {community.line}")
        for d in community.decisions:
            lines.append(f"    {d.sentence} ({d.progress})" + (f" {d.note}" if d.note else ""))
    lines += ["", f"Suggestions for {review.plan_year}"]
    lines += [f"- {s.reason} {s.sentence}" for s in review.suggestions] or [
        # No more than the empty list shows: it may have no regular community to speak of.
        "  Nothing stands out." if review.communities else "  None: no communities yet."]
    lines += ["", "Your answers"]
    for answer in review.answers:
        lines += [f"- {answer.question}", f"  {answer.answer or '(not answered yet)'}"]
    return "\n".join(_one_line(line) for line in lines) + "\n"


def _one_line(text: str) -> str:
    """Line breaks typed inside an answer stay inside its line."""
    return text.replace("\r\n", " / ").replace("\n", " / ").replace("\r", " / ")
