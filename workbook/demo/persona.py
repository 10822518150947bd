"""The persona drawn: her records from one random.Random, the draws in a fixed order."""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random
from collections import Counter

from .. import content
from ..model import (
    GIVE_KINDS,
    Community,
    HelpReceived,
    LogEntry,
    Person,
    Reflection,
    Resolution,
)
from .size import DemoSize
from .world import (
    _ACTIVITY_WEIGHT,
    _ANSWERS,
    _CADENCES,
    _CAST,
    _CLOSENESS,
    _FIRST_NAMES,
    _GIVE_NOTES,
    _HELP_NOTES,
    _MINUTE_WEIGHTS,
    _MINUTES,
    _MUM_NOTES,
    _NEGLECT_DAYS,
    _NEGLECTED,
    _PERSON_NOTES,
    _PLACES,
    _TOWN,
)


class _Persona:
    """Draws the persona's records; one instance per call, the random draws in a fixed order."""

    def __init__(self, rng: random.Random, size: DemoSize, years: int, today: dt.date):
        self.rng, self.size, self.years, self.today = rng, size, years, today
        self.days = max(1, round(years * 365.25))
        self.start = today - dt.timedelta(days=self.days - 1)
        self.places = _PLACES[: size.communities]
        self.keys = [p.key for p in self.places]

    def records(self) -> list:
        communities = self.communities()
        people = self.people()
        entries = self.gives()
        resolutions = self.resolutions(entries)
        log = [LogEntry(**entry, id=i) for i, entry in enumerate(entries, start=1)]  # by date
        return [*communities, *people, *resolutions, *log, *self.help(), *self.reflections(log)]

    # communities and people
    def communities(self) -> list[Community]:
        self.joined = []  # the first day each community can have gives
        out = []
        for i, place in enumerate(self.places, start=1):
            if place.joined is None:
                since, first = None, self.start
            elif place.joined > 0:
                since = self.start.year - place.joined
                first = self.start
            else:  # the later communities: joined at some point during the years shown
                since = self.rng.randint(self.start.year, self.today.year)
                first = max(self.start, dt.date(since, 1, 1))
            self.joined.append(first)
            out.append(Community(name=place.name, kind=place.kind, role=place.role,
                                 activity=place.activity, since=since, notes=place.notes, id=i))
        return out

    def people(self) -> list[Person]:
        n = self.size.people
        cast = [(name, [self.keys.index(k) for k in keys if k in self.keys], note)
                for name, keys, note in _CAST[:n]]
        names = self._invented_names(n - len(cast))
        homeless = [c for c in range(len(self.keys)) if not any(c in m for _, m, _ in cast)]
        weights = [_ACTIVITY_WEIGHT[p.activity] + 1 for p in self.places]
        invented = []
        for name in names:
            home = homeless.pop(0) if homeless else self._pick(range(len(self.keys)), weights)
            note = ""
            if self.keys[home] in _TOWN and self.rng.random() < 0.35:
                note = self.rng.choice(_MUM_NOTES)
            elif self.rng.random() < 0.2:
                note = self.rng.choice(_PERSON_NOTES)
            invented.append((name, [home], note))
        # About one person in five is a bridge between two or more communities.
        wanted = round(0.2 * n) - sum(len(m) > 1 for _, m, _ in cast)
        for _, member_of, _ in self.rng.sample(invented, max(0, min(wanted, len(invented)))):
            others = [c for c in range(len(self.keys)) if c not in member_of]
            extra = 2 if self.rng.random() < 0.25 else 1
            member_of.extend(self.rng.sample(others, min(extra, len(others))))
        everyone = [(name, m or [0], note) for name, m, note in cast + invented]
        circles = _circles(len(everyone))
        self.members: list[list[int]] = [[] for _ in self.keys]
        self.closeness: list[list[float]] = [[] for _ in self.keys]
        self.memberships: list[list[int]] = []
        out = []
        for pid, ((name, member_of, note), circle) in enumerate(zip(everyone, circles,
                                                                     strict=True), start=1):
            for c in member_of:
                self.members[c].append(pid)
                self.closeness[c].append(_CLOSENESS[circle])
            self.memberships.append(member_of)
            out.append(Person(name=name, circle=circle, notes=note,
                              communities=tuple(c + 1 for c in member_of), id=pid))
        return out

    def _invented_names(self, count: int) -> list[str]:
        """Distinct first names with an initial; a number is added only if they run out."""
        names = [f"{first} {chr(ord('A') + i)}." for first in _FIRST_NAMES for i in range(26)]
        self.rng.shuffle(names)
        return [names[i % len(names)] + (f" {i // len(names) + 1}" if i >= len(names) else "")
                for i in range(count)]

    # gives
    def gives(self) -> list[dict]:
        """Draw exactly ceil(gives_per_day * days) gives over the (day, community) grid."""
        rng, n_comm = self.rng, len(self.places)
        day_factor = self._calendar()
        bursts = self._bursts()
        neglect_from = self.today - dt.timedelta(days=_NEGLECT_DAYS - 1)
        cum, total = [], 0.0
        for d in range(self.days):
            date = self.start + dt.timedelta(days=d)
            growth = 0.8 + 0.4 * d / self.days  # she gives a little more as she settles in
            for c, place in enumerate(self.places):
                w = 0.0
                neglected = place.key == _NEGLECTED and date >= neglect_from
                if date >= self.joined[c] and not neglected:
                    w = (day_factor[d] * growth * _ACTIVITY_WEIGHT[place.activity]
                         * place.week[date.weekday()] * bursts.get((c, d), 1.0))
                    if place.kind == "family" and date.month == 12 and 24 <= date.day <= 26:
                        w *= 8  # Christmas at home: everyone else is quiet, family is not
                total += w
                cum.append(total)
        count = math.ceil(self.size.gives_per_day * self.days)
        if total == 0 or count == 0:
            return []
        self.kind_weights = [_kind_weights(p.kind) for p in self.places]
        cells = sorted(rng.choices(range(len(cum)), cum_weights=cum, k=count))
        return [self._give(self.start + dt.timedelta(days=cell // n_comm), cell % n_comm)
                for cell in cells]

    def _give(self, date: dt.date, c: int) -> dict:
        rng = self.rng
        kinds, weights = self.kind_weights[c]
        person = None
        if self.members[c] and rng.random() < 0.5:
            person = self._pick(self.members[c], self.closeness[c])
        note = ""
        if rng.random() < 0.3:
            note = rng.choice(_GIVE_NOTES.get(self.places[c].kind, ("",)))
        return {"date": date, "community_id": c + 1, "kind": self._pick(kinds, weights),
                "minutes": self._pick(_MINUTES, _MINUTE_WEIGHTS), "note": note,
                "person_id": person, "resolution_id": None}

    def _calendar(self) -> list[float]:
        """A factor a day: December's season of giving, summer holidays, quiet weeks."""
        rng = self.rng
        factor = [1.7 if (self.start + dt.timedelta(days=d)).month == 12 else 1.0
                  for d in range(self.days)]
        for year in range(self.start.year, self.today.year + 1):
            # (Days before the start or after today fall outside the list and are skipped.)
            holiday = (dt.date(year, 7, 1) - self.start).days + rng.randrange(45)
            self._scale(factor, holiday, rng.randint(10, 14), 0.1)
            for _ in range(3):  # quiet weeks: ill, busy at work, a visit away
                self._scale(factor, (dt.date(year, 1, 1) - self.start).days + rng.randrange(358),
                            7, 0.3)
            self._scale(factor, (dt.date(year, 12, 24) - self.start).days, 3, 0.3)
        return factor

    def _bursts(self) -> dict[tuple[int, int], float]:
        """Some days of many gives in one community: a concert, an appeal, a move."""
        out = {}
        for _ in range(4 * math.ceil(self.days / 365)):
            c = self.rng.randrange(len(self.places))
            first, length = self.rng.randrange(self.days), self.rng.randint(3, 6)
            for d in range(first, min(first + length, self.days)):
                out[(c, d)] = 4.0
        return out

    def _scale(self, factor: list[float], first: int, length: int, by: float) -> None:
        for d in range(max(first, 0), min(first + length, self.days)):
            factor[d] *= by

    # resolutions
    def resolutions(self, entries: list[dict]) -> list[Resolution]:
        """About six resolutions made each year; some gives carry out the year's resolutions."""
        rng, years, total = self.rng, self.years, self.size.resolutions
        by_community: dict[int, list[int]] = {}
        for i, entry in enumerate(entries):
            by_community.setdefault(entry["community_id"], []).append(i)
        neglected = self.keys.index(_NEGLECTED) if _NEGLECTED in self.keys else None
        out = []
        for batch in range(years):
            # Later years get the remainder, so the latest batch is never the smallest.
            count = total // years + (batch >= years - total % years)
            start = self.start + dt.timedelta(days=365 * batch + 35)
            if start > self.today or count == 0:
                continue
            latest = batch == years - 1
            end = start + dt.timedelta(days=364)
            joined = [c for c in range(len(self.places)) if self.joined[c] <= start]
            chosen = self._sample(joined, [_ACTIVITY_WEIGHT[self.places[c].activity]
                                           for c in joined], count)
            if latest and neglected is not None and neglected not in chosen and chosen:
                chosen[-1] = neglected
            used: set[str] = set()
            for c in chosen:
                place = self.places[c]
                ideas = [i for i in content.give_ideas(place.kind) if i.id not in used]
                idea = rng.choice(ideas or content.give_ideas(place.kind) or content.give_ideas())
                used.add(idea.id)
                times, per = rng.choice(_CADENCES)
                active, stop = latest, end
                if c == neglected and latest:  # dropped when she stopped going
                    active = False
                    stop = max(start, self.today - dt.timedelta(days=_NEGLECT_DAYS))
                rid = len(out) + 1
                out.append(Resolution(
                    cue=place.cue, give=idea.give, community_id=c + 1, times=times, per=per,
                    start=start, end=stop, active=active, idea_id=idea.id, id=rid))
                self._carry_out(entries, by_community.get(c + 1, []), out[-1], idea)
        return out

    def _carry_out(self, entries, candidates, resolution: Resolution, idea) -> None:
        """Link some of the community's gives to a resolution, as many as she kept of it."""
        rng = self.rng
        last = min(resolution.end, self.today)
        window = [i for i in candidates
                  if resolution.start <= entries[i]["date"] <= last
                  and entries[i]["resolution_id"] is None]
        planned = resolution.per_day * ((last - resolution.start).days + 1)
        kept = round(planned * rng.uniform(0.5, 1.05))
        kind = next((t for t in idea.tags if t in GIVE_KINDS), "other")
        for i in rng.sample(window, min(kept, len(window))):
            minutes = max(5, min(120, round(idea.minutes * rng.uniform(0.6, 1.4) / 5) * 5))
            entries[i].update(resolution_id=resolution.id, kind=kind, minutes=minutes)

    # help received and reflections
    def help(self) -> list[HelpReceived]:
        rng, size = self.rng, self.size
        h = size.help_per_month
        counts = (round(h / 2), round(h), round(h), round(1.5 * h))  # about 1-3 a month
        out = []
        month = dt.date(self.start.year, self.start.month, 1)
        while month <= self.today:
            nxt = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
            first, last = max(month, self.start), min(nxt - dt.timedelta(days=1), self.today)
            dates = sorted(first + dt.timedelta(days=rng.randrange((last - first).days + 1))
                           for _ in range(rng.choice(counts)))
            for date in dates:
                person = community = None
                roll = rng.random()
                if roll < 0.6:  # from someone she knows, in one of their shared communities
                    person = rng.randrange(len(self.memberships)) + 1
                    community = rng.choice(self.memberships[person - 1]) + 1
                elif roll < 0.8:  # from someone in a community she does not know by name
                    community = rng.randrange(len(self.places)) + 1
                out.append(HelpReceived(date=date, note=rng.choice(_HELP_NOTES),
                                        community_id=community, person_id=person,
                                        id=len(out) + 1))
            month = nxt
        return out

    def reflections(self, log: list[LogEntry]) -> list[Reflection]:
        """A few answers a quarter; the stage follows the season, the answers name real places."""
        rng = self.rng
        prompts = {p.id: p for p in content.reflection_prompts()}
        story = _NEGLECTED in self.keys and "plan-neglected" in prompts and self.days > 30
        answered = [p for p in _ANSWERS if p in prompts and not (story and p == "plan-neglected")]
        self.recent_dates: list[list[dt.date]] = [[] for _ in self.places]
        for entry in log:
            self.recent_dates[entry.community_id - 1].append(entry.date)
        dates = []
        quarter = dt.date(self.start.year, 3 * ((self.start.month - 1) // 3) + 1, 1)
        while quarter <= self.today and answered:
            nxt = dt.date(quarter.year + (quarter.month == 10), (quarter.month + 2) % 12 + 1, 1)
            first, last = max(quarter, self.start), min(nxt - dt.timedelta(days=1), self.today)
            for _ in range(max(0, self.size.reflections_per_quarter + rng.choice((-1, 0, 0, 1)))):
                dates.append(first + dt.timedelta(days=rng.randrange((last - first).days + 1)))
            quarter = nxt
        written, used = [], Counter()
        for date in sorted(dates):
            stage = _stage(date.month) if rng.random() < 0.75 else rng.choice(content.STAGES)
            # Prefer a prompt of the season not yet answered this year.
            fresh = [p for p in answered if (date.year, p) not in used]
            choices = [p for p in fresh if prompts[p].stage == stage] or fresh or answered
            prompt_id = rng.choice(choices)
            used[(date.year, prompt_id)] += 1
            written.append((date, prompt_id, self._answer(prompt_id, date)))
        if story:  # the latest answer names the neglected community: the demo's story in a line
            date = self.today - dt.timedelta(days=rng.randint(3, 20))
            quiet = self.places[self.keys.index(_NEGLECTED)].name
            written.append((date, "plan-neglected", _ANSWERS["plan-neglected"].format(quiet=quiet)))
        return [
            Reflection(prompt_id=pid, answer=answer, date=date, id=i)
            for i, (date, pid, answer) in enumerate(sorted(written), start=1)
        ]

    def _answer(self, prompt_id: str, date: dt.date) -> str:
        """The answer to a prompt, naming her busiest and quietest community of the last months."""
        since = date - dt.timedelta(days=120)
        recent = [bisect.bisect_right(ds, date) - bisect.bisect_left(ds, since)
                  for ds in self.recent_dates]
        joined = [c for c in range(len(self.places)) if self.joined[c] <= date] or [0]
        busiest = max(joined, key=lambda c: recent[c])
        quiet = min(joined, key=lambda c: recent[c] / _ACTIVITY_WEIGHT[self.places[c].activity])
        return _ANSWERS[prompt_id].format(
            busiest=self.places[busiest].name, quiet=self.places[quiet].name,
            places=", ".join(self.places[c].name for c in joined),
        )

    # helpers
    def _pick(self, items, weights):
        return self.rng.choices(list(items), weights=weights, k=1)[0]

    def _sample(self, items: list[int], weights: list[float], k: int) -> list[int]:
        """k distinct items, likelier the heavier (repeats only when k exceeds the items)."""
        pool, out = list(zip(items, weights, strict=True)), []
        while len(out) < k and items:
            if not pool:
                pool = list(zip(items, weights, strict=True))
            i = self.rng.choices(range(len(pool)), weights=[w for _, w in pool], k=1)[0]
            out.append(pool.pop(i)[0])
        return out


def _circles(n: int) -> list[int]:
    """Circles for n people, closest first, shaped like Dunbar's layers (few in 5, most in 150)."""
    n5 = min(5, max(1, round(0.1 * n)))
    n15 = min(10, round(0.2 * n))
    n50 = min(35, round(0.3 * n))
    out = [5] * n5 + [15] * n15 + [50] * n50
    return (out + [150] * max(0, n - len(out)))[:n]


def _kind_weights(community_kind: str) -> tuple[list[str], list[float]]:
    """Kinds of give and how common each is in a kind of community, from its give ideas' tags."""
    tags = Counter(t for idea in content.give_ideas(community_kind) for t in idea.tags)
    kinds = [k for k in GIVE_KINDS if k != "other"]
    return [*kinds, "other"], [1.0 + 3.0 * tags.get(k, 0) for k in kinds] + [1.0]


def _stage(month: int) -> str:
    """Which stage of the loop a month invites: review in December, plans in January."""
    if month == 12:
        return "review"
    if month == 1:
        return "plan"
    if month in (2, 3, 9):
        return "map"
    return "give"
