"""The widget forms, driven as a person would: set field values, press buttons, read messages."""

from __future__ import annotations

import datetime as dt
import re

import ipywidgets as widgets
import pytest
from shared import IMG, SCRIPT

from workbook import clock, content, model
from workbook.forms import (
    NONE,
    OTHER_KIND,
    CommunityForm,
    Confirmation,
    HelpForm,
    LogForm,
    PersonForm,
    RecordList,
    ReflectionForm,
    ResolutionForm,
    ReviewForm,
)
from workbook.forms.cards import unique_labels
from workbook.model import Community, LogEntry, Person, Reflection, WorkbookError
from workbook.store import FRAME_NAMES

HOSTILE = {
    "empty": "",
    "spaces": "   ",
    "long": "x" * 10_000,
    "emoji": "🎶🙂",
    "hebrew": "שלום עולם",
    "arabic": "مرحبا بالعالم",
    "img": IMG,
    "script": SCRIPT,
}


def collect(form) -> list:
    """Records the form hands over on Save."""
    saved: list = []
    form.on_submit(saved.append)
    return saved


def shown_errors(form) -> dict[str, str]:
    """Every non-empty error line of a form, by field."""
    out = {name: line.text for name, line in form.errors.items() if line.text}
    if form.form_error.text:
        out["(form)"] = form.form_error.text
    return out


def dump(store) -> dict:
    """Everything in a workbook, to compare before and after."""
    return {name: store.frame(name).to_dict("records") for name in FRAME_NAMES}


# -- the common form behaviour ----------------------------------------------------------------


def test_a_valid_community_is_handed_over_and_the_form_empties():
    form = CommunityForm()
    saved = collect(form)
    form.fields["name"].value = "  Harbour Choir  "
    form.fields["kind"].value = "hobby"
    form.fields["role"].value = "alto"
    form.fields["activity"].value = 3
    form.fields["since"].value = " 2019 "
    form.fields["notes"].value = "Thursdays"
    form.save_button.click()
    assert saved == [Community(name="Harbour Choir", kind="hobby", role="alto", activity=3,
                               since=2019, notes="Thursdays")]
    assert form.fields["name"].value == ""
    assert form.fields["activity"].value == 2
    assert "Saved Harbour Choir" in form.status.text
    assert shown_errors(form) == {}


def test_a_refused_value_shows_next_to_its_field_and_keeps_the_input():
    form = CommunityForm()
    saved = collect(form)
    form.fields["name"].value = "   "
    form.fields["role"].value = "treasurer"
    form.fields["notes"].value = "keep me"
    form.save_button.click()
    assert saved == []
    assert shown_errors(form) == {"name": "Name must not be empty."}
    assert form.errors["name"].layout.display is None  # visible
    assert form.errors["role"].layout.display == "none"
    assert (form.fields["role"].value, form.fields["notes"].value) == ("treasurer", "keep me")
    # Fixing the field clears the message on the next Save.
    form.fields["name"].value = "Choir"
    form.save_button.click()
    assert [r.name for r in saved] == ["Choir"] and shown_errors(form) == {}


def test_value_raises_the_model_error_and_messages_name_the_field():
    form = CommunityForm()
    form.fields["name"].value = "Choir"
    form.fields["since"].value = "next year"
    with pytest.raises(model.ValidationError) as caught:
        _ = form.value
    assert caught.value.field == "since"
    form.save_button.click()
    assert shown_errors(form) == {"since": "Member since must be a whole number."}
    form.fields["since"].value = str(clock.today().year + 1)  # next year
    form.save_button.click()
    assert form.errors["since"].text.startswith("Member since must be between")


def test_other_kind_reveals_its_own_field():
    form = CommunityForm()
    saved = collect(form)
    assert form.kind_other.layout.display == "none"
    form.fields["kind"].value = OTHER_KIND
    assert form.kind_other.layout.display is None
    form.fields["name"].value = "Harbour rowing"
    form.save_button.click()
    assert shown_errors(form) == {"kind": "Kind must not be empty."}
    form.kind_other.value = "Sports club"
    form.save_button.click()
    assert saved[-1].kind == "Sports club"


def test_every_builtin_kind_is_offered_with_its_label():
    form = CommunityForm()
    options = dict(form.fields["kind"].options)
    for kind, label in content.kind_labels().items():
        assert options[label] == kind
    assert set(options.values()) == {*model.COMMUNITY_KINDS, OTHER_KIND}
    labels = [label for label, _ in form.fields["activity"].options]
    assert labels == [w.capitalize() for w in model.ACTIVITY_LEVELS]


def test_editing_fills_the_form_and_keeps_the_id():
    form = CommunityForm()
    saved = collect(form)
    record = Community(name="Lantern Club", kind="Lantern makers", role="host", activity=4,
                       since=2001, notes="n", id=7)
    form.load(record)
    assert form.fields["kind"].value == OTHER_KIND and form.kind_other.value == "Lantern makers"
    assert form.save_button.description == "Save changes"
    assert form.cancel_button.layout.display is None
    assert "Editing Lantern Club" in form.mode_line.text
    form.fields["role"].value = "founder"
    form.save_button.click()
    assert saved == [record.with_changes(role="founder")]
    assert form.editing is None and form.save_button.description == "Save"
    assert "Saved the changes to Lantern Club" in form.status.text


def test_cancel_leaves_editing_without_handing_anything_over():
    form = CommunityForm()
    saved = collect(form)
    form.load(Community(name="Choir", id=3))
    form.cancel_button.click()
    assert saved == [] and form.editing is None
    assert form.fields["name"].value == "" and form.cancel_button.layout.display == "none"


def test_a_workbook_refusal_shows_on_the_form_and_keeps_the_input():
    form = CommunityForm()

    def refuse(record):
        raise WorkbookError("The workbook file is read-only.")

    form.on_submit(refuse)
    form.fields["name"].value = "Choir"
    form.save_button.click()
    assert shown_errors(form) == {"(form)": "The workbook file is read-only."}
    assert form.fields["name"].value == "Choir" and form.status.text == ""


def test_an_unexpected_failure_becomes_one_plain_line(caplog):
    form = CommunityForm()
    form.on_submit(lambda record: 1 / 0)
    form.fields["name"].value = "Choir"
    form.save_button.click()  # must not raise: a person never sees a traceback
    assert form.form_error.text.startswith("Something went wrong and nothing was saved")
    assert form.fields["name"].value == "Choir"


def test_labels_are_plain_words_never_cut_to_fit():
    for form in (CommunityForm(), PersonForm(), ResolutionForm(), LogForm(), HelpForm(),
                 ReflectionForm()):
        labels = [w for w in walk(form.widget) if isinstance(w, widgets.Label) and w.value]
        assert labels, type(form).__name__
        for label in labels:
            # The label column is 10.5em wide: about 16 characters of the interface font.
            assert len(label.value) <= 16, label.value


def walk(widget):
    """Every widget in a tree."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


# -- the other forms ---------------------------------------------------------------------------


def test_person_form_offers_plain_circles_and_the_communities_it_is_given():
    form = PersonForm()
    saved = collect(form)
    assert [label for label, _ in form.fields["circle"].options] == [
        "Closest 5", "Good friends 15", "Friends 50", "Acquaintances 150"]
    form.set_choices(communities=[("Choir", 1), ("Library", 2), ("Pantry", 3)])
    form.fields["name"].value = "Mo"
    form.fields["circle"].value = 15
    form.fields["communities"].value = (3, 1)
    form.save_button.click()
    assert saved == [Person(name="Mo", circle=15, communities=(1, 3))]
    # New choices keep what is still there and drop what is gone.
    form.fields["communities"].value = (1, 2)
    form.set_choices(communities=[("Choir", 1)])
    assert form.fields["communities"].value == (1,)


def test_resolution_form_browses_ideas_and_copies_one():
    form = ResolutionForm()
    saved = collect(form)
    form.set_choices(communities=[("Harbour Choir", 4)], people=[("Mo", 9)])
    form.idea_kind.value = "faith"
    shown = [value for _, value in form.idea_list.options]
    assert shown and all("faith" in content.give_idea(i).kinds for i in shown)
    form.idea_tag.value = "visit"
    assert all("visit" in content.give_idea(i).tags for _, i in form.idea_list.options)
    form.idea_list.value = form.idea_list.options[0][1]
    idea = content.give_idea(form.idea_list.value)
    assert form.idea_list.label == f"{idea.text} (about {idea.minutes} min)"  # whole, on a card
    form.use_idea_button.click()
    assert form.fields["give"].value == idea.give
    form.fields["cue"].value = "after the Sunday service"
    form.fields["times"].value = 2
    assert form.preview.text == (
        f"When after the Sunday service in Harbour Choir, I will "
        f"{form.fields['give'].value} (twice a month)."
    )
    form.save_button.click()
    assert len(saved) == 1
    record = saved[0]
    assert (record.community_id, record.person_id, record.idea_id) == (4, None, idea.id)
    # 26 November: a New Year's resolution
    assert record.start == dt.date(clock.today().year + 1, 1, 1) and record.active


@pytest.mark.parametrize("day, start", [("2026-10-31", dt.date(2026, 10, 31)),
                                        ("2026-11-01", dt.date(2027, 1, 1)),
                                        ("2027-01-06", dt.date(2027, 1, 6))])
def test_a_new_resolution_starts_on_new_years_day_from_november(monkeypatch, day, start):
    monkeypatch.setenv("WORKBOOK_TODAY", day)
    form = ResolutionForm()
    form.set_choices(communities=[("Choir", 1)])
    assert form.fields["start"].value == start
    saved = collect(form)
    form.fields["cue"].value, form.fields["give"].value = "the choir meets", "bring cake"
    form.fields["start"].value = dt.date(2027, 3, 1)
    form.save_button.click()
    assert saved[-1].start == dt.date(2027, 3, 1)
    assert form.fields["start"].value == dt.date(2027, 3, 1)  # the last start used stays
    form.fields["cue"].value, form.fields["give"].value = "the choir meets", "bring tea"
    form.save_button.click()
    assert saved[-1].start == dt.date(2027, 3, 1) and len(saved) == 2


SECOND_PERSON = re.compile(r"\b(you|your|yours|yourself|yourselves)\b", re.IGNORECASE)
DOUBLED_CUE = re.compile(
    r"\bI will (when|whenever|if|unless|after|before|once|as soon as|(the )?next time|each time|"
    r"every time|any time|during|while|whilst|until|I will|I'll)\b",
    re.IGNORECASE,
)


def test_every_give_idea_reads_as_a_first_person_plan():
    form = ResolutionForm()
    cue = "the Friday meeting ends"
    assert len(form.idea_list.options) == len(content.give_ideas())
    for idea in content.give_ideas():
        form.idea_list.value = idea.id
        form.use_idea_button.click()
        give = form.fields["give"].value
        assert give == idea.give  # what the review's suggestions and the demo copy as well
        assert give[0].islower() and give[1:] == idea.text[1:], idea.id
        sentence = model.Resolution(cue=cue, give=give, community_id=1, times=2).sentence("Acme")
        assert sentence == f"When {cue} in Acme, I will {give} (twice a month).", idea.id
        assert not SECOND_PERSON.search(sentence), sentence
        assert not DOUBLED_CUE.search(sentence), sentence


def test_resolution_form_asks_for_an_idea_before_using_one():
    form = ResolutionForm()
    form.use_idea_button.click()
    assert form.fields["give"].value == ""
    assert "Choose an idea" in form.idea_count.text


def test_resolution_form_shows_date_and_community_problems_where_they_belong():
    form = ResolutionForm()
    saved = collect(form)
    form.fields["cue"].value = "when the digest arrives"
    form.fields["give"].value = "share one link"
    form.save_button.click()
    assert shown_errors(form) == {"community_id": "In community: please choose one."}
    form.set_choices(communities=[("Forum", 1)])
    form.fields["end"].value = dt.date(2026, 1, 1)
    form.save_button.click()
    assert shown_errors(form) == {"end": "End must not be before Start."}
    assert saved == []


def test_choosing_a_community_shows_ideas_for_its_kind():
    form = ResolutionForm()
    form.set_community_kinds({1: "online", 2: "My own kind"})
    form.set_choices(communities=[("Forum", 1), ("Rowing", 2)])
    assert form.idea_kind.value == "online"
    form.fields["community_id"].value = 2
    assert form.idea_kind.value == "online"  # a kind of one's own has no ideas: filter stays


def test_log_form_needs_three_actions_and_keeps_the_community():
    form = LogForm()
    saved = collect(form)
    form.set_choices(communities=[("Choir", 1), ("Pantry", 2)], people=[("Mo", 5)],
                     resolutions=[("When ..., I will ...", 8)])
    form.remember(2)
    assert form.fields["date"].value == clock.today()
    assert form.fields["community_id"].value == 2
    form.fields["kind"].value = "visit"  # action 2 (the community was action 1, or preset)
    form.save_button.click()  # action 3
    assert saved == [LogEntry(date=clock.today(), community_id=2, kind="visit")]
    assert form.fields["community_id"].value == 2
    assert form.fields["kind"].value == "advice"
    assert form.save_button.description == "Log it"  # the button keeps its own word


def test_log_form_opens_more_details_to_show_an_error_there():
    form = LogForm()
    form.set_choices(communities=[("Choir", 1)])
    assert form.details.selected_index is None
    form.fields["note"].value = "x" * 6000
    form.save_button.click()
    assert shown_errors(form) == {"note": "Note is too long: 6,000 characters, at most 5,000."}
    assert form.details.selected_index == 0


def test_log_form_refuses_a_future_date():
    form = LogForm()
    form.set_choices(communities=[("Choir", 1)])
    form.fields["date"].value = clock.today() + dt.timedelta(days=1)
    form.save_button.click()
    assert shown_errors(form) == {"date": "Date cannot be in the future."}


def test_help_form_needs_a_note_and_takes_optional_links():
    form = HelpForm()
    saved = collect(form)
    form.set_choices(communities=[("Choir", 1)], people=[("Mo", 5)])
    assert form.fields["community_id"].value == NONE
    form.save_button.click()
    assert shown_errors(form) == {"note": "What happened must not be empty."}
    form.fields["note"].value = "Mo lent me a ladder"
    form.fields["person_id"].value = 5
    form.save_button.click()
    assert saved[0].person_id == 5 and saved[0].community_id is None


def test_reflection_form_shows_the_prompts_of_a_stage_and_the_full_question():
    form = ReflectionForm()
    saved = collect(form)
    form.stage.value = "review"
    ids = [value for _, value in form.fields["prompt_id"].options]
    assert ids == [p.id for p in content.reflection_prompts("review")]
    form.fields["prompt_id"].value = ids[1]
    assert form.question.text == content.reflection_prompt(ids[1]).text
    form.save_button.click()
    assert shown_errors(form) == {"answer": "Your answer must not be empty."}
    form.fields["answer"].value = "  the choir  "
    form.save_button.click()
    assert saved == [Reflection(prompt_id=ids[1], answer="  the choir  ", date=clock.today())]


def test_reflection_form_can_be_fixed_to_one_stage():
    form = ReflectionForm(stage="plan")
    ids = {value for _, value in form.fields["prompt_id"].options}
    assert ids == {p.id for p in content.reflection_prompts("plan")}


def test_review_form_saves_each_answered_question():
    form = ReviewForm()
    saved = collect(form)
    form.save_button.click()
    first, second, *_ = form._prompts
    assert shown_errors(form) == {first.id: "Please answer at least one question."}
    form.fields[second.id].value = "the pantry"
    form.fields[form._prompts[-1].id].value = "more at the library"
    form.save_button.click()
    assert len(saved) == 1
    assert [(r.prompt_id, r.answer) for r in saved[0]] == [
        (second.id, "the pantry"), (form._prompts[-1].id, "more at the library")]
    assert all(form.fields[p.id].value == "" for p in form._prompts)


def test_record_list_deletes_only_once_confirmed_and_cancel_keeps_it():
    records = RecordList()
    deleted, edited, undone = [], [], []

    def ask(record_id):
        def delete():
            deleted.append(record_id)
            return lambda: undone.append(record_id)
        return Confirmation(f"entry {record_id}", "Nothing depends on it.", delete)

    assert records.delete_button.layout.display == "none"  # nothing to ask yet
    records.on_delete(ask)
    records.on_edit(edited.append)
    records.set_items([("Choir", 1), ("Pantry", 2)])
    assert records.select.value is None
    records.delete_button.click()
    assert records.error.text == "Choose an entry in the list first."
    records.select.value = 2
    records.delete_button.click()
    assert records.confirm.layout.display is None and deleted == []
    assert records.confirm_title.text == "Delete entry 2?"
    assert records.confirm_button.button_style == "danger"
    records.cancel_button.click()
    assert records.confirm.layout.display == "none" and deleted == []
    records.delete_button.click()
    records.select.value = 1  # another choice takes the question away
    assert records.confirm.layout.display == "none"
    records.confirm_button.click()
    assert deleted == []
    records.delete_button.click()
    records.confirm_button.click()
    assert deleted == [1] and records.status.text == "Deleted entry 1."
    assert records.undo_button.layout.display is None
    records.undo_button.click()
    assert undone == [1] and records.status.text == "entry 1 is back."
    records.edit_button.click()
    assert edited == [1]


def test_record_list_shows_a_refusal():
    records = RecordList()

    def refuse(record_id):
        raise WorkbookError("Other entries depend on it.")

    records.on_delete(refuse)
    records.set_items([("Choir", 1)])
    records.select.value = 1
    records.delete_button.click()
    assert records.error.text == "Other entries depend on it." and records.status.text == ""
    assert records.confirm.layout.display == "none"


def test_an_empty_list_says_so_instead_of_showing_buttons():
    records = RecordList(empty="No gives yet.")
    assert records.empty_line.text == "No gives yet."
    assert records.empty_line.layout.display is None
    assert records.select.layout.display == "none" and records.buttons.layout.display == "none"
    records.set_items([("Choir", 1)])
    assert records.empty_line.layout.display == "none" and records.select.layout.display is None


def test_a_list_shows_cards_that_wrap_and_keeps_the_choice():
    """Each entry is a card (a radio button) with its whole text; a phone shows it all."""
    records = RecordList(rows=4)
    assert isinstance(records.select, widgets.RadioButtons)
    assert "wb-cards" in records.select._dom_classes
    long = "a give with a note far longer than a phone is wide " * 4
    records.set_items([("Choir", 1), (long, 2)])
    assert records.select.value is None  # nothing is chosen for you
    records.select.value = 2
    records.set_items([("Choir", 1), (long, 2), ("Pantry", 3)])
    assert records.select.value == 2 and records.select.label == long
    records.set_items([("Choir", 1)])
    assert records.select.value is None
    styles = [w for w in records.widget.children if isinstance(w, widgets.HTML)
              and "<style>" in w.value]
    assert len(styles) == 1 and "white-space: normal" in styles[0].value


def test_two_entries_with_the_same_text_are_told_apart():
    """The page marks the chosen card by its text, so no two cards may share it."""
    records = RecordList()
    records.set_items([("3 Nov 2026 · Choir", 7), ("3 Nov 2026 · Choir", 8),
                       ("3 Nov 2026 · Choir (2)", 9), ("Pantry", 10)])
    labels = [label for label, _ in records.select.options]
    assert len(set(labels)) == 4 and labels[0] == "3 Nov 2026 · Choir"
    assert labels[1].startswith("3 Nov 2026 · Choir") and labels[3] == "Pantry"
    assert [v for _, v in records.select.options] == [7, 8, 9, 10]
    records.select.value = 8
    assert records.select.index == 1
    assert unique_labels([("a", 1), ("a", 2), ("a", 3)]) == [("a", 1), ("a (2)", 2),
                                                            ("a (3)", 3)]


# -- hostile text through every text field, into a real workbook ---------------------------------

# form, field, how the model treats it: "name" (stripped, required, <=200/300),
# "note" (verbatim, optional, <=5000), "answer" (verbatim, required, <=5000), "year".
TEXT_FIELDS = [
    (CommunityForm, "name", "name"),
    (CommunityForm, "role", "optional-name"),
    (CommunityForm, "kind_other", "name"),
    (CommunityForm, "since", "year"),
    (CommunityForm, "notes", "note"),
    (PersonForm, "name", "name"),
    (PersonForm, "notes", "note"),
    (ResolutionForm, "cue", "name"),
    (ResolutionForm, "give", "name"),
    (LogForm, "note", "note"),
    (HelpForm, "note", "answer"),
    (ReflectionForm, "answer", "answer"),
    (ReviewForm, "review-proudest", "answer"),
]


def expected(rule: str, text: str):
    """What the workbook keeps for ``text`` under a rule, or None when it must refuse."""
    if rule == "year":
        return None if text.strip() else "kept"
    if len(text) > 300 and rule != "note" and rule != "answer" or len(text) > 5000:
        return None
    if rule in ("name", "optional-name"):
        if not text.strip():
            return None if rule == "name" else ""
        return text.strip()
    if rule == "answer" and not text.strip():
        return None
    return text


def fill_required(form) -> None:
    """Fill the other required fields of a form with ordinary values."""
    f = form.fields
    if isinstance(form, CommunityForm | PersonForm):
        f["name"].value = "Ordinary"
    if isinstance(form, CommunityForm):
        form.fields["kind"].value = OTHER_KIND
        form.kind_other.value = "Own kind"
    if isinstance(form, ResolutionForm):
        f["cue"].value, f["give"].value = "after rehearsal", "thank the organiser"
    if isinstance(form, HelpForm):
        f["note"].value = "a lift home"
    if isinstance(form, ReflectionForm):
        f["answer"].value = "an answer"


@pytest.mark.parametrize("text_id", list(HOSTILE))
@pytest.mark.parametrize(("form_type", "field", "rule"), TEXT_FIELDS,
                         ids=[f"{t.__name__}.{f}" for t, f, _ in TEXT_FIELDS])
def test_hostile_text_is_kept_verbatim_or_refused_next_to_its_field(store, form_type, field, rule,
                                                                    text_id):
    text = HOSTILE[text_id]
    community = store.add(Community(name="Choir"))
    person = store.add(Person(name="Mo", communities=(community,)))
    form = form_type()
    form.set_choices(communities=[("Choir", community)], people=[("Mo", person)])

    def save(record):
        if isinstance(record, tuple):
            store.add_many(record)
        else:
            store.add(record)

    form.on_submit(save)
    fill_required(form)
    widget = form.kind_other if field == "kind_other" else form.fields[field]
    widget.value = text
    before = dump(store)
    form.save_button.click()
    after = dump(store)
    want = expected(rule, text)
    error_field = "kind" if field == "kind_other" else field
    if want is None:
        assert set(shown_errors(form)) == {error_field}, shown_errors(form)
        assert after == before
        assert widget.value == text  # what was typed stays for correcting
        return
    assert shown_errors(form) == {}
    changed = [name for name in after if after[name] != before[name]]
    table = {CommunityForm: "communities", PersonForm: "people", ResolutionForm: "resolutions",
             LogForm: "log", HelpForm: "help", ReflectionForm: "reflections",
             ReviewForm: "reflections"}[form_type]
    assert set(changed) <= {table, "memberships"}
    new = [row for row in after[table] if row not in before[table]]
    assert len(new) == 1
    column = {"kind_other": "kind", "review-proudest": "answer"}.get(field, field)
    if rule == "year":
        assert new[0]["since"] is None or str(new[0]["since"]) == "<NA>"
    else:
        assert new[0][column] == want


@pytest.mark.parametrize("minutes", [100_000, 24 * 60 + 1, -1])
def test_log_form_refuses_minutes_out_of_range_and_keeps_them(minutes):
    form = LogForm()
    saved = collect(form)
    form.set_choices(communities=[("Choir", 1)])
    form.fields["minutes"].value = minutes
    form.save_button.click()
    assert saved == []
    assert shown_errors(form) == {"minutes": "Minutes must be between 0 and 1440."}
    assert form.fields["minutes"].value == minutes  # as typed, never changed to fit
    assert form.details.selected_index == 0


@pytest.mark.parametrize("times", [0, 32, -3])
def test_resolution_form_refuses_times_out_of_range_and_keeps_them(times):
    form = ResolutionForm()
    saved = collect(form)
    form.set_choices(communities=[("Forum", 1)])
    form.fields["cue"].value = "when the digest arrives"
    form.fields["give"].value = "share one link"
    form.fields["times"].value = times
    form.save_button.click()
    assert saved == []
    shown = shown_errors(form)  # "times" and "per" share one line, under "How often"
    assert set(shown) <= {"times", "per"} and "between 1 and 31" in shown["times"]
    assert form.fields["times"].value == times
