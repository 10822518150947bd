"""Deleting from a page's list: first what depends on the record, in words with counts, and
what to do instead; then the delete, with what the schema takes along; then Undo.

What each delete takes along follows the schema's ON DELETE rules (`workbook.store.removal`):

- a community is kept by its gives and resolutions; its memberships and breaks go with it,
  and help noted in it stays without a community;
- a person's memberships go with them; the gives, resolutions and help that name them stay,
  naming nobody;
- the gives counted for a resolution stay, counted for none;
- nothing depends on a give, a note of help or a break.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..forms import Confirmation, RecordList
from ..model import (
    ACTIVITY_LEVELS,
    Community,
    HelpReceived,
    LogEntry,
    Pause,
    Person,
    Resolution,
    StaleRecordError,
)
from ..words import count, number
from .presenter import _name, short_date
from .session import Session, removed

NAME_LIMIT = 80  # a longer name is cut short in the question, which must stay readable
DORMANT = ACTIVITY_LEVELS.index("dormant")

# A page's alternative to deleting a record: (button label, what it does) or None.
Instead = Callable[[object], tuple[str, Callable[[], str]] | None]


class Deletes:
    """The delete of one list's records: what it asks, the delete itself, and its undo.

    Parameters
    ----------
    session : Session
    record_type : type
        The model class of the list's records.
    records : RecordList
        The list; its Delete asks `ask`.
    form : Form, optional
        The page's form for these records: a record being edited there is cleared when it is
        deleted.
    instead : callable, optional
        ``instead(record)`` gives what to offer instead of deleting it, or None.
    """

    def __init__(self, session: Session, record_type: type, records: RecordList, form=None,
                 *, instead: Instead | None = None):
        self.session = session
        self.record_type = record_type
        self.form = form
        self.instead = instead
        self.versions: dict[int, int] = {}
        records.on_delete(self.ask)

    def shown(self, versions: Mapping[int, int]) -> None:
        """Note the versions of the records the list shows now: a record written since (in
        another tab or window) is refused, as a stale edit is."""
        self.versions = dict(versions)

    def ask(self, record_id: int) -> Confirmation:
        """What to ask before deleting one record of the list."""
        store = self.session.store
        record = store.get(self.record_type, record_id)
        shown = self.versions.get(record_id)
        if shown is not None and shown != record.version:
            raise StaleRecordError()
        found = {(link.table, link.column): n
                 for link, n in store.dependents(self.record_type, record_id).items()}
        name = self.name(record)
        says, allowed = _SAYS[self.record_type](name, found, record)
        offer = self.instead(record) if self.instead is not None else None
        return Confirmation(name, says, (lambda: self._delete(record)) if allowed else None,
                            offer)

    def name(self, record) -> str:
        """The record in words, for the question and for 'Deleted ...'."""
        if isinstance(record, Community | Person):
            return _name(_cut(record.name))
        if isinstance(record, LogEntry):
            community = self.session.frames["communities"].set_index("id")["name"].get(
                record.community_id, "")
            return f"the give of {short_date(record.date)} in {_name(_cut(community))}"
        if isinstance(record, HelpReceived):
            return f"the help noted on {short_date(record.date)}"
        if isinstance(record, Pause):
            return f"the break from {short_date(record.start)}"
        return f"the resolution \u201c{_name(_cut(record.give))}\u201d"

    def _delete(self, record) -> Callable[[], None]:
        session = self.session
        gone = session.store.delete(self.record_type, record.id, record.version)
        editing = self.form is not None and self.form.editing is not None
        if editing and self.form.editing.id == record.id:
            self.form.clear()
        session.changed(removed(self.record_type))

        def undo() -> None:
            session.store.restore(gone)
            session.changed(removed(self.record_type))

        return undo


def dormant_instead(session: Session) -> Instead:
    """A community that is not dormant yet can be set to dormant instead of deleted."""

    def offer(community: Community):
        if community.activity == DORMANT:
            return None

        def apply() -> str:
            session.store.update(community.with_changes(activity=DORMANT))
            session.changed({"communities"})
            return (f"{_name(_cut(community.name))} is dormant now: it stays on your map, "
                    "with all its history.")

        return "Set it to dormant instead", apply

    return offer


def _community(name: str, found: dict, record: Community) -> tuple[str, bool]:
    gives, plans = found.get(("log_entry", "community_id"), 0), found.get(
        ("resolution", "community_id"), 0)
    people, breaks = found.get(("membership", "community_id"), 0), found.get(
        ("pause", "community_id"), 0)
    helps = found.get(("help_received", "community_id"), 0)
    has = [count(gives, "give"), count(plans, "resolution"),
           f"{count(people, 'person', 'people')} in it", count(breaks, "break"),
           count(helps, "note of help", "notes of help")]
    has = [h for h, n in zip(has, (gives, plans, people, breaks, helps), strict=True) if n]
    first = f"{name} has {_listed(has)}." if has else f"Nothing else in the workbook needs {name}."
    dormant = record.activity == DORMANT
    if gives or plans:
        rest = ("A community with gives or resolutions cannot be deleted: they are your history "
                "there. " + ("It is dormant already, so it stays on your map, quiet."
                             if dormant else
                             "Set it to dormant instead: it stays on your map, quiet, with all "
                             "of its history."))
        return f"{first} {rest}", False
    after = []
    if people:
        after.append(f"{_counted(people, 'The person in it stays', 'The {} people in it stay')} "
                     "among the people you know, out of this community.")
    if breaks:
        after.append(f"{_counted(breaks, 'Its break goes', 'Its {} breaks go')} with it.")
    if helps:
        after.append(f"{_counted(helps, 'The note of help stays', 'The {} notes of help stay')}"
                     ", in no community.")
    if not dormant:
        after.append("If you only see it less now, set it to dormant instead.")
    return " ".join([first, *after]), True


def _person(name: str, found: dict, _record) -> tuple[str, bool]:
    communities = found.get(("membership", "person_id"), 0)
    mentions = [(found.get((table, "person_id"), 0), one, many) for table, one, many in (
        ("log_entry", "give", "gives"), ("resolution", "resolution", "resolutions"),
        ("help_received", "note of help", "notes of help"))]
    named = [count(n, one, many) for n, one, many in mentions if n]
    total = sum(n for n, _, _ in mentions)
    facts = []
    if communities:
        facts.append(f"is in {count(communities, 'community', 'communities')}")
    if named:
        facts.append(f"{'' if communities else 'is '}named in {_listed(named)}")
    if not facts:
        return f"Nothing else in the workbook names {name}.", True
    after = []
    if communities:
        after.append("Deleting takes them out of "
                     f"{'that community' if communities == 1 else 'those communities'}.")
    if named:
        the = named[0].removeprefix("1 ") + " stays" if total == 1 else _listed(named) + " stay"
        after.append(f"The {the}, naming nobody.")
    return " ".join([f"{name} {' and '.join(facts)}.", *after]), True


def _resolution(_name_, found: dict, _record) -> tuple[str, bool]:
    gives = found.get(("log_entry", "resolution_id"), 0)
    if not gives:
        return "No give counts for it yet.", True
    return (f"{count(gives, 'give')} {'counts' if gives == 1 else 'count'} for it. Deleting it "
            "keeps the gives, counted for no resolution, and its record of follow-through is "
            "gone."), True


def _nothing(_name_, _found, _record) -> tuple[str, bool]:
    return "Nothing else in the workbook depends on it.", True


def _pause(_name_, _found, _record) -> tuple[str, bool]:
    return ("Nothing else in the workbook depends on it. Its days count as planned days "
            "again."), True


def _counted(n: int, one: str, many: str) -> str:
    """``one`` for a single one, else ``many`` with the number ('The {} people in it stay')."""
    return one if n == 1 else many.format(number(n))


def _cut(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= NAME_LIMIT else text[: NAME_LIMIT - 1] + "\u2026"


def _listed(parts: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


_SAYS = {Community: _community, Person: _person, Resolution: _resolution, LogEntry: _nothing,
         HelpReceived: _nothing, Pause: _pause}
