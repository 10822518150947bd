"""The persona's world: her communities, the people she knows, the words of her notes."""

from __future__ import annotations

from dataclasses import dataclass


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
_CLOSENESS = {5: 6.0, 15: 4.0, 50: 2.0, 150: 1.0}  # closer people receive more of the gives
