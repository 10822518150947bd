"""The sentences and table rows the pages show, from the workbook's frames and today's date.

Nothing here imports a widget: each function takes frames (tables by name), counts or today and
returns plain text or rows, and a page copies them into its widgets. Names with an underscore
are for the page modules of this package.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pandas as pd

from .. import analytics
from ..model import Resolution, cadence
from ..season import MONTH_NAMES
from ..words import count, number

# The window of "lately" on the progress page: the same twelve weeks as the balance chart.
RECENT_WEEKS = 12
NEGLECTED_WEEKS = 8  # a regular community without a give this long counts as neglected
UNREACHED_MONTHS = 3  # a close person without a give this long counts as not reached
NAMES_IN_A_SENTENCE = 3


# -- words in a sentence ------------------------------------------------------------------------


def _communities_word(n: int) -> str:
    return count(n, "community", "communities")


def _resolution_label(row, communities: Mapping[int, str]) -> str:
    record = Resolution(cue=row.cue, give=row.give, community_id=int(row.community_id),
                        times=int(row.times), per=row.per, start=row.start.date())
    return record.sentence(communities.get(int(row.community_id), ""))


def short_date(day: dt.date) -> str:
    """'1 Jan 2027'."""
    return f"{day.day} {MONTH_NAMES[day.month - 1][:3]} {day.year}"


def resolution_state(row, today: dt.date) -> str:
    """'starts 1 Jan 2027', 'running', 'running until 30 Jun 2027', 'ended 31 Dec 2026' or
    'paused', for a row of the resolutions frame."""
    if not row.active:
        return "paused"
    start = row.start.date()
    end = None if pd.isna(row.end) else row.end.date()
    if start > today:
        return f"starts {short_date(start)}"
    if end is not None and end < today:
        return f"ended {short_date(end)}"
    return f"running until {short_date(end)}" if end is not None else "running"


def _date_text(value) -> str:
    return "" if pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _days_text(days) -> str:
    if pd.isna(days):
        return "never"
    return "earlier today" if int(days) == 0 else f"{count(int(days), 'day')} ago"


def _name(text: str) -> str:
    """A name set apart inside a sentence, so that right-to-left text cannot reorder its
    neighbours (Unicode first-strong isolate; browsers show nothing for the marks)."""
    return f"\u2068{text}\u2069"


def _and(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C', 'A, B, C and 2 more': names in a sentence."""
    names = [_name(n) for n in names]
    shown, rest = names[:NAMES_IN_A_SENTENCE], len(names) - NAMES_IN_A_SENTENCE
    if rest > 0:
        return ", ".join(shown) + f" and {rest} more"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


# -- figures in words ---------------------------------------------------------------------------


def next_step(counts: dict[str, int], last_give: dt.date | None, today: dt.date) -> str:
    """Suggest what to do next from where the workbook stands.

    Parameters
    ----------
    counts : dict
        `workbook.store.Store.counts` of the open workbook.
    last_give : datetime.date or None
        The date of the latest logged give.
    today : datetime.date

    Returns
    -------
    str
        One sentence naming the notebook (and web app step) to open.
    """
    if counts.get("communities", 0) == 0:
        return "Start by mapping your communities (Step 1, Communities)."
    if counts.get("people", 0) == 0:
        return "Add a few people you know to your map, even as initials (Step 1, Communities)."
    if counts.get("resolutions", 0) == 0:
        return "Turn one give idea into an if-then resolution (Step 2, Plan)."
    if last_give is None or (today - last_give).days > 14:
        return "Log the gives of the last days; a small one counts (Step 3, Log)."
    if today.month == 12 or counts.get("reflections", 0) == 0:
        return "Take a quiet moment to reflect and review your year (Step 5, Reflect)."
    return "Look at your progress and which community could use you next (Step 4, Progress)."


def _where_you_stand(counts: Mapping[str, int], frames: Mapping,
                     today: dt.date) -> tuple[list[tuple[str, int]], str]:
    """The rows of "Where you stand", and the suggested next step."""
    gives = frames["log"]
    year = today.year
    totals = analytics.year_in_review(frames["communities"], gives, frames["help"],
                                      today, year).totals[year]
    bridges = analytics.bridges(frames["people"], frames["memberships"], frames["communities"])
    rows = [
        ("Communities", counts["communities"]),
        ("People", counts["people"]),
        ("Bridges (people in two or more communities)", len(bridges)),
        ("Active resolutions", int(frames["resolutions"]["active"].sum())),
        (f"Gives logged in {year}", int(totals["Gives"])),
        (f"Minutes given in {year}", int(totals["Minutes given"])),
        ("Times help came back", counts["help"]),
        ("Reflections written", counts["reflections"]),
    ]
    last = gives["date"].max() if len(gives) else None
    advice = next_step(counts, None if last is None else last.date(), today)
    return rows, advice


def _streak_text(log: pd.DataFrame, today: dt.date) -> str:
    """Current and longest runs of weeks with a give, in one sentence."""
    runs = analytics.streaks(log, today)
    if runs.longest_weeks == 0:
        return "No gives logged yet: your first one starts a run of weeks."
    now = (f"{runs.current_weeks} now" if runs.current_weeks
           else "none now (no give this week or last)")
    return (f"Weeks in a row with a give: {now}; {runs.longest_weeks} at most, from the week of "
            f"{_date_text(runs.longest_from)} to the week of {_date_text(runs.longest_to)}.")


# -- what to do next, under each chart ----------------------------------------------------------
# Each takes the workbook's frames and today and returns one plain sentence. The names in it are
# text a person typed: the sentence is shown in a TextLine, never as markup.


def _labels(frames: Mapping) -> pd.Series:
    return analytics.community_labels(frames["communities"])


def _map_advice(frames: Mapping, today: dt.date, year: int | None = None) -> str:
    """Who to add to the map, or which bridge to talk to."""
    communities, people = frames["communities"], frames["people"]
    if communities.empty:
        return "Add your first community above, and your map starts to grow here."
    if people.empty:
        return ("Add a few people you know in each community (initials are enough): each one "
                "shows up here as a dot.")
    labels = _labels(frames)
    members = frames["memberships"].groupby("community_id").size()
    busy = communities[communities["activity"] >= 2].sort_values("activity", ascending=False,
                                                                  kind="stable")
    empty = [labels[c] for c in busy["id"] if members.get(c, 0) == 0]
    if empty:
        return (f"Nobody from {_and(empty)} is on your map yet: add one or two people you know "
                "there, so you see who notices your gives.")
    bridges = analytics.bridges(people, frames["memberships"], communities)
    if bridges.empty:
        return ("Nobody on your map belongs to two of your communities yet: think of someone "
                "who does, and choose both communities for them.")
    first = bridges.iloc[0]
    return (f"Bridges are in pink. {_name(first['name'])} is in "
            f"{number(first['community_count'])} of your communities "
            f"({_name(first['communities'])}): next time you meet, ask what is new in them, and "
            "pass on what you hear.")


def _plan_advice(frames: Mapping, today: dt.date, year: int | None = None) -> str:
    """The resolution furthest from its plan, or praise for keeping them."""
    resolutions = frames["resolutions"]
    plans = analytics.plan_vs_actual(resolutions, frames["log"], today, frames["pauses"])
    plans = plans[resolutions["active"].to_numpy(dtype=bool)
                  & (plans["status"] != "not started").to_numpy()]
    if plans.empty:
        return ("No resolution is running yet: turn one give idea into an if-then plan in "
                "Step 2, Plan, and follow it here.")
    short = plans[plans["status"].isin(["behind", "nearly there"])].sort_values(
        "share", kind="stable")
    if short.empty:
        return ("Every running resolution is on track or ahead: keep the same cues, and log "
                "each give when it happens.")
    worst = short.iloc[0]
    where = _labels(frames).get(int(worst["community_id"]), "")
    so_far = f"{number(worst['logged'])} of {number(worst['expected'])} so far"
    if worst["status"] == "nearly there":
        return (f"\u201c{_name(worst['give'])}\u201d in {_name(where)} is nearly there "
                f"({so_far}): one more give soon brings it on track.")
    return (f"\u201c{_name(worst['give'])}\u201d in {_name(where)} is behind its plan "
            f"({so_far}). Make it smaller rather than drop it: end it today and plan a cadence "
            "you can keep, in Step 2, Plan.")


def _calendar_advice(frames: Mapping, today: dt.date, year: int | None = None) -> str:
    """What keeps the run of weeks going."""
    log = frames["log"]
    log = log[log["date"] <= pd.Timestamp(today)]
    if log.empty:
        return "Log your first give in Step 3, Log, and its day turns blue here."
    runs = analytics.streaks(log, today)
    monday = pd.Timestamp(today - dt.timedelta(days=today.weekday()))
    n = runs.current_weeks
    if n == 0:
        return ("No give this week or last: one five-minute favour before Sunday starts a new "
                "run of weeks.")
    if (log["date"] >= monday).any():
        run = "a run of weeks begins" if n == 1 else f"{n} weeks in a row"
        return f"This week has its give: {run}. One small give next week keeps it going."
    run = "Last week had a give" if n == 1 else f"You have given {n} weeks in a row"
    return f"{run}: one small give before Sunday keeps the run going."


def _balance_advice(frames: Mapping, today: dt.date, year: int | None = None) -> str:
    """Where most gives went, and the busy community that saw none."""
    communities = frames["communities"]
    if communities.empty:
        return "Add your communities in Step 1, Communities, to see where your gives go."
    spread = analytics.balance(communities, frames["log"], today, RECENT_WEEKS)
    if spread["gives"].sum() == 0:
        return (f"No give in the last {RECENT_WEEKS} weeks: choose the community you feel "
                "closest to, and give something small there this week.")
    activity = dict(zip(communities["id"], communities["activity"], strict=True))
    spread = spread.assign(activity=spread["community_id"].map(activity))
    top = spread.iloc[0]
    idle = spread[(spread["gives"] == 0) & (spread["activity"] >= 2)].sort_values(
        "activity", ascending=False, kind="stable")
    most = f"Most of your gives went to {_name(top['community'])} ({top['share_gives']:.0%})"
    if idle.empty and not (spread["activity"] >= 2).any():
        return f"{most}. Keep the busiest one from taking all your time."
    if idle.empty:
        return (f"{most}, and every community you are regularly part of saw a give lately. Keep "
                "the busiest one from taking all your time.")
    return (f"{most}, and none to {_and(idle['community'])}: plan one small give there this "
            "week.")


def plan_words(resolutions: pd.DataFrame, community_id: int, today: dt.date) -> str:
    """What a community's visibility is measured against today: 'your plan of once a week',
    'your plans of once a week and twice a month', or 'one give a month (no plan)'."""
    mine = resolutions[analytics.running(resolutions, today)
                       & (resolutions["community_id"] == community_id)]
    if mine.empty:
        return "one give a month (no plan)"
    said = [cadence(int(r.times), r.per) for r in mine.itertuples(index=False)]
    return (f"your plan of {said[0]}" if len(said) == 1
            else f"your plans of {', '.join(said[:-1])} and {said[-1]}")


def _visibility_advice(frames: Mapping, today: dt.date, year: int | None = None) -> str:
    """The community that is fading, or the least visible one, and the plan it is measured by.

    The communities are those of the visibility table beside it: every community.
    """
    communities, log = frames["communities"], frames["log"]
    if communities.empty:
        return "Add your communities in Step 1, Communities, to follow your visibility."
    if (log["date"] <= pd.Timestamp(today)).sum() == 0:
        return ("Log a give and watch its community rise here: regular small gives lift it, "
                "and a break lets it fade only slowly, or not at all.")
    resolutions = frames["resolutions"]
    quiet = analytics.neglected(communities, log, today, NEGLECTED_WEEKS)
    if not quiet.empty:
        first = quiet.iloc[0]
        since = ("has not seen a give from you yet" if pd.isna(first["days_since"])
                 else f"has not seen you for {count(int(first['days_since']), 'day')}")
        return (f"A community fading here has not seen you lately: {_name(first['community'])} "
                f"{since}, measured against "
                f"{plan_words(resolutions, int(first['community_id']), today)}. Plan one small "
                "give there this week.")
    now = analytics.visibility_now(communities, resolutions, log, today,
                                   pauses=frames["pauses"])
    low = now.iloc[-1]
    lately = ("Every community you are regularly part of saw you lately. "
              if analytics.regular(communities).any() else "")
    return (f"{lately}{_name(low['community'])} is the least visible now ({low['score']:.0%}, "
            f"against {plan_words(resolutions, int(low['community_id']), today)}): a small "
            "give there counts most.")


def _year_advice(frames: Mapping, today: dt.date, year: int | None = None) -> str:
    """The year in one sentence, and the community to think about for next year."""
    review = analytics.year_in_review(frames["communities"], frames["log"], frames["help"],
                                      today, year)
    gives = review.totals.loc["Gives"]
    this, before = int(gives[review.year]), int(gives[review.previous])
    if not review.begun:
        return f"{review.year} has not begun: plan it in the review below."
    if this == 0 and before == 0:
        return "Once you log gives, your year shows up here, next to the year before."
    reached = int(review.totals.loc["Communities reached", review.year])
    when = f"In {review.year} so far" if review.so_far else f"In {review.year}"
    text = f"{when} you logged {count(this, 'give')} in {_communities_word(reached)}"
    if before:
        change = "more than" if this > before else "fewer than" if this < before else "as many as"
        same = "the same days of " if review.so_far else ""
        text += f", {change} the {number(before)} of {same}{review.previous}"
    quiet = analytics.neglected(frames["communities"], frames["log"], min(review.until, today),
                                NEGLECTED_WEEKS)
    if quiet.empty:
        return (text + ". Write below what you are proud of, and where you want to give more "
                "next year.")
    return (text + f". {_and(quiet['community'])} went quiet: is that where to give more next "
            "year? Say so in the review below.")


# -- the progress page's tables -----------------------------------------------------------------


def _community_rows(frames: Mapping, today: dt.date) -> list[tuple]:
    """Each community: visibility now, gives and minutes lately, last give; most visible first."""
    communities, log = frames["communities"], frames["log"]
    now = analytics.visibility_now(communities, frames["resolutions"], log, today,
                                   pauses=frames["pauses"])
    spread = analytics.balance(communities, log, today, RECENT_WEEKS).set_index("community_id")
    last = log[log["date"] <= pd.Timestamp(today)].groupby("community_id")["date"].max()
    return [(r.community, f"{r.score:.0%}",
             plan_words(frames["resolutions"], r.community_id, today),
             int(spread.at[r.community_id, "gives"]),
             int(spread.at[r.community_id, "minutes"]), _date_text(last.get(r.community_id)))
            for r in now.itertuples()]


def _plan_rows(frames: Mapping, today: dt.date) -> list[tuple]:
    """Per active resolution: its sentence, gives planned so far, logged, the share kept."""
    resolutions = frames["resolutions"]
    plans = analytics.plan_vs_actual(resolutions, frames["log"], today, frames["pauses"])
    active = resolutions["active"].to_numpy(dtype=bool)
    labels = _labels(frames)
    rows = []
    for row, p in zip(resolutions[active].itertuples(), plans[active].itertuples(), strict=True):
        kept = (p.status if p.status == "not started" else "just started" if p.expected < 0.5
                else f"{p.share:.0%}")
        rows.append((_resolution_label(row, labels), round(p.expected, 1), int(p.logged), kept,
                     p.status))
    return rows


# -- what an empty list or table says -----------------------------------------------------------
# Each is true of the workbook as it is: no communities, communities nobody is regular in,
# nobody in the closest circles, no resolution running. None claims what the data cannot show.

CLOSE_CIRCLES = (5, 15)  # the two closest circles, as `analytics.unreached_people` looks at them


def _neglected_empty(frames: Mapping) -> str:
    """What "Who could use you now" says when no community has gone quiet."""
    communities = frames["communities"]
    if communities.empty:
        return "No communities yet: map them in Step 1, Communities, and any gone quiet shows here."
    if not analytics.regular(communities).any():
        return ("None of your communities is marked regular, active or core, so none is "
                "watched for a quiet spell here.")
    return (f"Every community you are regularly part of saw a give from you in the last "
            f"{count(NEGLECTED_WEEKS, 'week')}.")


def _unreached_empty(frames: Mapping) -> str:
    """What the list of close people not reached lately says when it is empty."""
    people = frames["people"]
    if people.empty:
        return ("Nobody on your map yet: add the people closest to you in Step 1, Communities, "
                "and the ones you have not reached lately show here.")
    if not people["circle"].isin(CLOSE_CIRCLES).any():
        return ("Nobody on your map is in your two closest circles (Closest 5, Good friends "
                "15), so nobody is listed here.")
    return (f"Everyone in your two closest circles had a give from you in the last "
            f"{count(UNREACHED_MONTHS, 'month')}.")


def _due_empty(frames: Mapping, today: dt.date) -> str:
    """What "Due now" says when nothing is due."""
    if not analytics.running(frames["resolutions"], today).any():
        return ("Nothing is due: no resolution is running today. Make one in Step 2, Plan; "
                "any give you make can be logged below.")
    return ("Nothing is due: each running resolution has its gives for now, or is on a break. "
            "A give you make anyway can be logged below.")


def _suggestions_empty(frames: Mapping, deciding: bool, review_year: int, coming: int) -> str:
    """What the review's suggestions say when there are none."""
    communities = frames["communities"]
    if not deciding:
        return f"Suggestions are made for the year being planned: choose {review_year} to see them."
    if communities.empty:
        return "No communities yet, so nothing to suggest: map them in Step 1, Communities."
    if not analytics.regular(communities).any():
        return (f"Nothing to suggest for {coming}: suggestions start from the communities you "
                "are regularly part of (regular, active or core), and none of yours is marked so.")
    return (f"Nothing stands out: each community you are regularly part of has a plan for "
            f"{coming} and saw you lately.")
