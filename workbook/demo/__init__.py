"""A fictional demo workbook: years of one person's gives, for tours, tests and benchmarks.

The persona came back to a small harbour town after years in a big city. She sings in a choir,
works part-time at the library, helps at the food pantry, belongs to a congregation and keeps up
with a professional forum online; her mother is known and liked all over town. Lately she has
stopped going to choir, so one busy community shows no gives in the last three months.

Everything is drawn from one ``random.Random(seed)``: the same arguments give the same records.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random
from collections import Counter
from dataclasses import dataclass

from .. import clock, content
from ..model import (
    GIVE_KINDS,
    Community,
    HelpReceived,
    LogEntry,
    Person,
    Reflection,
    Resolution,
    WorkbookError,
)
from ..store import Store

# --- the persona's world --------------------------------------------------------------------


@dataclass(frozen=True)
class _Place:
    """A community of the persona and how she gives there."""

    key: str
    name: str
    kind: str
    role: str
    activity: int
    joined: int | None  # years before the demo starts; None: always (family)
    week: tuple[float, ...]  # how likely a give is on Monday..Sunday
    cue: str
    notes: str = ""


_WEEKDAYS = (1.3, 1.3, 1.3, 1.3, 1.2, 0.6, 0.1)
_WEEKENDS = (0.7, 0.7, 0.7, 0.7, 0.9, 1.6, 2.0)
_FLAT = (1.0,) * 7

# The first eight are the persona of DOMAIN.md; the rest join over a long (benchmark) workbook.
_PLACES = (
    _Place("library", "Harbour Street Library", "work", "Part-time library assistant", 4, 1,
           (1.2, 1.2, 1.2, 1.2, 1.2, 0.9, 0.05), "a regular asks me for something at the desk"),
    _Place("family", "Family", "family", "Daughter, sister, aunt", 4, None, _WEEKENDS,
           "I make my Sunday call to Mum and Gran"),
    _Place("choir", "Harbour Voices choir", "hobby", "Alto", 3, 1,
           (0.4, 0.4, 0.4, 3.2, 0.4, 0.8, 0.6), "Thursday rehearsal ends",
           "Rehearsals moved to Tuesdays, which clash with my late shift at the library."),
    _Place("pantry", "Food pantry at the Seamen's Hall", "volunteering", "Saturday volunteer", 3, 1,
           (0.4, 0.4, 0.4, 0.4, 0.6, 3.5, 0.3), "I finish my Saturday shift"),
    _Place("congregation", "Chapel Road congregation", "faith", "Member", 2, 1,
           (0.3, 0.3, 0.8, 0.3, 0.3, 0.5, 4.0), "the Sunday service ends"),
    _Place("street", "Gull Lane neighbours", "neighbourhood", "Neighbour", 2, 1, _WEEKENDS,
           "I see a neighbour who lives alone"),
    _Place("online", "Librarians' Exchange forum", "online", "Member", 2, 6, _FLAT,
           "the weekly digest of the forum arrives",
           "The professional forum I kept up with while I lived in the city."),
    _Place("alumni", "City university alumni", "education", "Alumna", 1, 12, _FLAT,
           "the alumni newsletter asks for volunteers"),
    _Place("swim", "Winter sea swimmers", "hobby", "Swimmer", 2, 0, (0.5,) * 5 + (2.5, 2.5),
           "we warm up after a swim"),
    _Place("cleanup", "Beach clean-up crew", "volunteering", "Volunteer", 2, 0, _WEEKENDS,
           "the monthly clean-up is announced"),
    _Place("association", "Regional library association", "work", "Committee member", 2, 0,
           _WEEKDAYS, "the committee meets"),
    _Place("cousins", "Cousins' group chat", "family", "Cousin", 1, 0, _FLAT,
           "someone posts news in the cousins' chat"),
    _Place("market", "Harbour market stallholders", "neighbourhood", "Regular customer", 1, 0,
           (0.2, 0.2, 0.2, 0.2, 0.5, 4.0, 0.3), "I do my Saturday market round"),
    _Place("spanish", "Evening Spanish class", "education", "Student", 2, 0,
           (0.3, 3.0, 0.3, 0.3, 0.3, 0.3, 0.3), "Tuesday class finishes"),
    _Place("bookclub", "Book club at the Anchor", "hobby", "Host every few months", 2, 0,
           _WEEKDAYS, "we pick the next book"),
    _Place("lifeboat", "Lifeboat station fundraisers", "volunteering", "Helper", 1, 0,
           _WEEKENDS, "a fundraiser is being planned"),
    _Place("history", "Local history society", "hobby", "Member", 1, 0, _WEEKDAYS,
           "someone brings an old photo to a meeting"),
    _Place("catalogue", "Open catalogue project", "online", "Contributor", 2, 0, _FLAT,
           "a newcomer posts a question in the project chat"),
    _Place("youth", "Chapel youth group", "faith", "Helper", 1, 0, (0.2,) * 4 + (3.0, 0.3, 0.3),
           "Friday youth club opens"),
    _Place("allotments", "Allotment society", "hobby", "Plot holder", 1, 0, _WEEKENDS,
           "I am at the allotment on a weekend"),
)
_NEGLECTED = "choir"
_NEGLECT_DAYS = 105  # a bit over three months without a single give
_TOWN = ("choir", "pantry", "congregation", "street", "market", "youth", "history", "lifeboat")

# Closest first: the circle of each person follows their place in this list (see _circles).
_CAST: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("Mum", ("family", "congregation", "street"),
     "Knows half the town; most people I meet already know her."),
    ("Tess", ("family",), "My sister; two boys, lives twenty minutes inland."),
    ("ليلى", ("choir", "library"), "Sits next to me in the altos and borrows novels by the stack."),
    ("Gran", ("family",), "Ninety-one and sharper than all of us."),
    ("Dev", ("library",), "Runs the library; hired me when I came back."),
    ("Auntie Bee", ("family", "congregation"), "Mum's sister; never misses a Sunday."),
    ("Marta", ("pantry",), "Pantry coordinator."),
    ("Kofi", ("choir",), "Choir director; brings the best scones 🍰 to rehearsal."),
    ("נועה", ("online",), "The kindest answerer of questions on the forum."),
    ("Jo", ("pantry",), "Does the Saturday shift with me."),
    ("Rev. Ann", ("congregation",), "Always knows who needs a visit."),
    ("Mr O'Neill", ("street", "congregation"), "Friend of Mum's; lives alone at number 12."),
    ("Priya", ("online",), "Met on the forum; now works on digital lending."),
    ("Sione", ("street",), "Next door; fixes bikes for every child on the lane."),
    ("Mei", ("library",), "Saturday assistant; studying for her degree."),
    ("J.P.", ("choir", "street"), "Tenor; friend of Mum's since school."),
    ("Aoife", ("alumni",), "Old flatmate from the city."),
    ("Yusuf", ("pantry",), "Drives the van on collection days."),
    ("Camille", ("choir",), "Joined the sopranos this spring; new in town."),
    ("Big Pat", ("street", "pantry"), "Runs the corner shop and gives bread to the pantry."),
    ("Hiro", ("online",), "Moderates the forum."),
    ("Mrs D.", ("congregation", "choir"), "Friend of Mum's; sang in the choir for forty years."),
    ("Tomasz", ("library",), "A regular; looking for work as an electrician."),
    ("Zanele", ("alumni",), "Classmate; now hires graduates for a big firm in the city."),
)
_FIRST_NAMES = (
    "Ada", "Ahmed", "Alba", "Amara", "Anselm", "Aroha", "Bea", "Bilal", "Björn", "Bronagh",
    "Carmen", "Chen", "Chloé", "Ciarán", "Dara", "Dmitri", "Eamon", "Efua", "Elif", "Emre",
    "Esther", "Fatima", "Femi", "Finn", "Gloria", "Gwen", "Hamid", "Hana", "Ines", "Isla",
    "Ivo", "Jae", "Jonas", "Kai", "Kamala", "Keira", "Lars", "Leila", "Lotte", "Luca",
    "Maeve", "Malik", "Mateo", "Nadia", "Niamh", "Nkechi", "Noor", "Oisín", "Olu", "Omar",
    "Paddy", "Paulo", "Quinn", "Rafa", "Rania", "Rhys", "Rosa", "Ruth", "Sam", "Sanjay",
    "Saoirse", "Selin", "Shay", "Sven", "Tama", "Tariq", "Thandi", "Tomás", "Una", "Uri",
    "Vera", "Wanjiru", "Wes", "Xiu", "Yara", "Yosef", "Zoë", "Zeynep",
)
_PERSON_NOTES = (
    "Works at the harbour office.", "New in town.", "Retired teacher.",
    "Has a van; handy for moves.", "Looking for work.",
    "Always asks about the local history shelf.", "Plays fiddle at the pub.",
    "Knows everyone at the council.", "Just had a baby.", "Grows far too many courgettes.",
)
_MUM_NOTES = (
    "Friend of Mum's.", "Friend of Mum's from the bridge club.", "Knew me as a child through Mum.",
    "Worked with Mum at the post office.", "Mum's walking partner.",
)
_GIVE_NOTES = {
    "hobby": ("Stayed after to stack the chairs", "Sent round the recording of our part",
              "Gave a newcomer a lift home", "Concert went well 🎶",
              "Shared the app I practise with"),
    "work": ("Helped a regular fill in a job application online",
             "Showed the new volunteer the catalogue shortcuts",
             "Found a student the right journal",
             "Set up a reader's e-book account", "Covered the late desk"),
    "volunteering": ("Covered a shift at short notice", "Sorted the tin donations",
                     "Wrote up the new intake steps", "Talked with a family new to the pantry",
                     "Asked the bakery about donating bread"),
    "faith": ("Visited a housebound member", "Set out chairs for the harvest supper",
              "Gave two older members a lift", "Baked for the shared meal",
              "Welcomed a family who came for the first time"),
    "neighbourhood": ("Took in parcels for next door", "Cleared the path at number 12",
                      "Posted the road closure in the lane chat", "Lent out the ladder",
                      "Welcomed the new people at number 7"),
    "family": ("Long call with Gran", "Helped Tess with the school forms",
               "Fixed Mum's phone again",
               "Took the boys to the beach so Tess could rest", "Started the family photo album"),
    "online": ("Answered a question about cataloguing rules",
               "Shared a template for reading packs",
               "Summarised the long thread on budgets", "Welcomed three new members"),
    "education": ("Answered a student's questions about library work",
                  "Passed on a scholarship call",
                  "Helped plan the reunion", "Read an application essay"),
}
_HELP_NOTES = (
    "Told me the library was hiring before the post went up.",
    "Dropped off soup when I had the flu.",
    "Lent me their car the week mine was in the garage.",
    "Sent me a lead for a paid cataloguing contract.",
    "Put in a good word with the council about the reading-room grant.",
    "Introduced me to the editor of the local paper.",
    "Gave me a lift home after the late shift in the rain.",
    "Recommended me to run a workshop at the regional meeting.",
    "Fixed my bike without being asked.",
    "Covered my Saturday shift at short notice.",
    "A stranger said Mum had told them about my story hour, and signed up their kids.",
    "Sent a long thank-you message that made my week.",
    "Looked after the cat while I was away.",
    "Read my grant application and caught two mistakes.",
)
_ANSWERS = {
    "map-notice-absence": "{busiest}. They would ask after me within a week.",
    "map-all-groups": "More than I thought: {places}.",
    "map-drifted-away": "{quiet}. Going back would mostly take turning up once and saying hello.",
    "map-bridges": "Mum, mostly. Through her I know people in almost every group I belong to.",
    "map-known-for": "To find things, mostly ({busiest}); at home, to fix phones.",
    "map-energy": "{busiest}, even on a tired day.",
    "map-family-reach": "Mum's friends from the post office. Half the town, really.",
    "plan-five-minutes": "A link or a name: who to ask at the council, which form to use.",
    "plan-cue": "The end of my Saturday shift: everyone is still there and in a good mood.",
    "plan-one-person": "Tomasz, who wants electrician work. I can ask around at chapel.",
    "plan-time-limit": "About four hours a month beyond what I already do, and no more.",
    "plan-neglected": "{quiet}. One small give a month would be a start.",
    "plan-resolution": (
        "When the Sunday service ends, I will ask an older member if they need a lift."
    ),
    "plan-obstacle": "Late shifts. I will keep the five-minute gives for those weeks.",
    "give-this-week": "A lift, two links and an introduction ({busiest}).",
    "give-no-return": "Lighter than I expected. Nobody was keeping count, including me.",
    "give-size": "The ten-minute job application help took an hour, and it was worth it.",
    "give-when-asked": "Yes ({busiest}). I said yes to the small part and no to the big one.",
    "give-let-pass": "A newcomer stood alone after a meeting ({quiet}); I was in a hurry.",
    "give-new-faces": "Two families at the pantry and a student who wants to be a librarian.",
    "give-came-your-way": "A lead for a contract, from someone I hardly know. A friend of Mum's.",
    "review-proudest": "Helping Tomasz find work: three introductions and a CV evening.",
    "review-thriving": "{busiest}. I turned up, and then I turned up again.",
    "review-neglected": "{quiet}. I want to go back, but only if I can keep it small.",
    "review-came-back": "More than I gave, it feels. Mostly through Mum's friends.",
    "review-kept": "The one tied to a fixed moment in the week. The cue did the work.",
    "review-next-year": "Give more to {quiet}, and more deliberately; fewer big promises.",
    "review-known-as": "{busiest}: people there now send others to me.",
}
_CADENCES = ((2, "month"), (1, "week"), (1, "quarter"), (1, "month"), (3, "month"), (2, "month"))
_MINUTES = (5, 10, 15, 20, 30, 45, 60, 90, 120)
_MINUTE_WEIGHTS = (30, 22, 15, 10, 9, 5, 5, 2, 2)  # small gives are the common ones
_ACTIVITY_WEIGHT = (0.3, 1.0, 2.5, 4.0, 5.0)  # share of gives by activity level


# --- size --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoSize:
    """How big a demo workbook is.

    Attributes
    ----------
    communities, people : int
        How many of each.
    gives_per_day : float
        Average log entries a day; the total is exactly ``ceil(gives_per_day * days)``.
    resolutions : int
        Resolutions in all, spread over the years (about six made each year).
    help_per_month : float
        Average help received a month.
    reflections_per_quarter : int
        Average reflections written a quarter.
    """

    communities: int = 8
    people: int = 40
    gives_per_day: float = 0.9
    resolutions: int = 6
    help_per_month: float = 2.0
    reflections_per_quarter: int = 3

    def __post_init__(self):
        if not 2 <= self.communities <= len(_PLACES):
            raise ValueError(f"communities must be between 2 and {len(_PLACES)}")
        if self.people < 1 or self.resolutions < 0 or self.reflections_per_quarter < 0:
            raise ValueError("people must be at least 1; resolutions and reflections not negative")
        if self.gives_per_day < 0 or self.help_per_month < 0:
            raise ValueError("gives_per_day and help_per_month must not be negative")


def demo_size(years: int) -> DemoSize:
    """Return the size of a demo workbook that covers ``years`` years.

    One year is a realistic workbook (8 communities, 40 people, about 330 gives); ten years is a
    stress fixture (20 communities, 500 people, at least 36,500 gives); sizes in between grow in
    a straight line.

    Parameters
    ----------
    years : int
        At least 1; more than 10 keeps the size of 10 years except for the log.
    """
    if isinstance(years, bool) or not isinstance(years, int) or years < 1:
        raise ValueError("years must be a whole number, at least 1")
    step = (min(years, 10) - 1) / 9
    return DemoSize(
        communities=8 + round(12 * step),
        people=40 + round(460 * step),
        gives_per_day=round(0.9 + 9.1 * step, 3),
        resolutions=6 * years,
    )


# --- records -----------------------------------------------------------------------------------


def demo_records(
    *,
    years: int = 1,
    seed: int = 2026,
    today: dt.date | None = None,
    size: DemoSize | None = None,
) -> list:
    """Return the demo persona's workbook as model records.

    Parameters
    ----------
    years : int
        How many years of history, ending on ``today``.
    seed : int
        The seed of the only source of randomness; the same arguments give equal records.
    today : datetime.date, optional
        The last day with gives; defaults to ``workbook.clock.today()`` and must not be later.
    size : DemoSize, optional
        Overrides ``demo_size(years)``.

    Returns
    -------
    list
        Records with explicit ids, in the order a store needs them: communities, people,
        resolutions, log entries, help received, reflections.
    """
    size = size or demo_size(years)
    today = today or clock.today()
    if today > clock.today():
        raise ValueError("today must not be later than the current date")
    return _Persona(random.Random(seed), size, years, today).records()


def write_demo(
    store: Store,
    *,
    years: int = 1,
    seed: int = 2026,
    today: dt.date | None = None,
    size: DemoSize | None = None,
) -> dict[str, int]:
    """Fill an empty workbook with the demo persona.

    Parameters
    ----------
    store : Store
        An open workbook with no entries at all.
    years, seed, today, size
        As in `demo_records`.

    Returns
    -------
    dict
        ``store.counts()`` after writing.

    Raises
    ------
    WorkbookError
        If the workbook already holds entries; nothing is written then.
    """
    if any(store.counts().values()):
        raise WorkbookError(
            "The demo can only be loaded into an empty workbook, and this one already has "
            "entries. Open a new workbook file to try the demo."
        )
    store.add_many(demo_records(years=years, seed=seed, today=today, size=size))
    return store.counts()


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


_CLOSENESS = {5: 6.0, 15: 4.0, 50: 2.0, 150: 1.0}  # closer people receive more of the gives


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
