"""Step 1, Communities: communities, the people in them, bridges and the map."""

from __future__ import annotations

from .. import analytics, content
from ..forms import CommunityForm, PersonForm, RecordList
from ..model import ACTIVITY_LEVELS, CIRCLE_WORDS, Community, Person, WorkbookError
from ..steps import TITLES
from ..widgets_text import table, table_html
from .deleting import Deletes, dormant_instead
from .parts import (
    ChartPanel,
    Page,
    _add_or_update,
    _by_name,
    _choices,
    _editor,
    _intro,
    _section,
    _what_next,
)
from .presenter import _communities_word, _map_advice
from .session import Session


def communities_page(session: Session, *, prose: bool = True) -> Page:
    """Map your communities and the people in them; bridges are highlighted.

    Parameters
    ----------
    session : Session
    prose : bool
        As in `start_page`.

    Returns
    -------
    Page
        Parts: ``community_form``, ``community_list``, ``person_form``, ``person_list``,
        ``bridges`` (HTML table) and ``map`` (a `ChartPanel` with the network map).
    """
    community_form = CommunityForm()
    person_form = PersonForm()
    community_list = RecordList(rows=8, empty="No communities yet: add the first one below.",
                                name="Your communities")
    person_list = RecordList(rows=8, empty="No people yet: add someone below.",
                             name="People you know")
    bridges = table([], [])
    labels = content.kind_labels()

    community_form.on_submit(_add_or_update(session))
    person_form.on_submit(_add_or_update(session))
    community_list.on_edit(_editor(session, Community, community_form))
    community_deletes = Deletes(session, Community, community_list, community_form,
                                instead=dormant_instead(session))
    person_list.on_edit(_editor(session, Person, person_form))
    person_deletes = Deletes(session, Person, person_list, person_form)

    map_panel = _map_charts(session)
    map_panel.on_pick(_opener(session, community_form, person_form))

    def refresh():
        frames = session.frames
        communities = frames["communities"]
        people = frames["people"]
        memberships = frames["memberships"]
        community_list.set_items([
            (f"{row.name}  ({labels.get(row.kind, row.kind)}, {ACTIVITY_LEVELS[row.activity]})",
             int(row.id))
            for row in communities.itertuples()
        ])
        community_deletes.shown(frames.versions("communities"))
        person_deletes.shown(frames.versions("people"))
        counts = memberships.groupby("person_id").size()
        person_list.set_items([
            (f"{row.name}  ({CIRCLE_WORDS.get(row.circle, row.circle)}, "
             f"{_communities_word(counts.get(row.id, 0))})", int(row.id))
            for row in _by_name(people).itertuples()
        ])
        person_form.set_choices(communities=_choices(communities))
        bridges.value = table_html(
            ["Person", "Circle", "Communities"],
            [(row.name, CIRCLE_WORDS.get(row.circle, str(row.circle)), row.communities)
             for row in analytics.bridges(people, memberships, communities).itertuples()],
            empty="No bridges yet: when someone belongs to two of your communities, "
                  "choose both for them and they show up here.",
        )
        map_panel.set_data(frames, session.today)

    children = [
        _intro(
            TITLES["communities"],
            "Everyone belongs to more communities than they first think: a hobby, work, "
            "school friends, family, the street you live on, a cause, a congregation, an "
            "online group. Each one is a place where a small, regular give is noticed.",
            "Add each community with your role and how active you are now. Then add a few "
            "people you know there; a nickname or initials are enough. Circles follow "
            "Dunbar's layers: about 5 closest, 15 good friends, 50 friends and 150 "
            "acquaintances.",
        ),
        _section("Your communities", community_list.widget, community_form.widget,
                 intro="Choose a community in the list to edit or delete it. A community "
                       "with logged gives cannot be deleted; set it to dormant instead."),
        _section("People you know", person_list.widget, person_form.widget),
        _section(
            "Bridges",
            bridges,
            intro="Bridges are people in two or more of your communities. They carry news "
                  "between worlds: weak and moderately weak ties are where new information "
                  "and jobs most often come from (Granovetter 1973; Rajkumar et al., 2022).",
        ),
        _section(
            "Your map",
            map_panel,
            intro="You in the middle, ringed by your circles: the closest 5, 15 good "
                  "friends, 50 friends and 150 acquaintances. Each community has a slice of "
                  "the rings. Tap or click a dot to open it in its form above.",
        ),
        _what_next(
            "When your main communities are on the map, go to Step 2, Plan, and pick "
            "one small give for one of them."
        ),
    ]
    parts = {"community_form": community_form, "community_list": community_list,
             "person_form": person_form, "person_list": person_list, "bridges": bridges,
             "map": map_panel}
    return Page(session, children, parts, refresh, prose=prose, key="communities",
                shows={"communities", "people", "memberships"})


def _opener(session: Session, community_form: CommunityForm, person_form: PersonForm):
    """What a tap on the map does: open that person or community in its form, as Edit does."""
    forms = {"person": (Person, person_form), "community": (Community, community_form)}

    def open_(kind: str, ref: int) -> None:
        record_type, form = forms[kind]
        try:
            _editor(session, record_type, form)(ref)
        except WorkbookError:
            return  # removed in another tab since the map was drawn
        form.fields["name"].focus()  # brings the form into sight: it sits above the map

    return open_


def _map_charts(session: Session) -> ChartPanel:
    """The map page's chart: the network map, with who to add or which bridge to talk to."""
    return ChartPanel({"map": ("Map", "network_map", _map_advice)})
