"""Tests for the content files in data/ and their loader."""

import re
import shutil
from collections import Counter

import pytest

from workbook import content
from workbook.content import (
    GIVE_TAGS,
    STAGES,
    ContentError,
    community_kinds,
    give_idea,
    give_ideas,
    give_ideas_frame,
    kind_labels,
    reflection_prompt,
    reflection_prompts,
)

KIND_IDS = (
    "hobby",
    "work",
    "education",
    "family",
    "neighbourhood",
    "volunteering",
    "faith",
    "online",
)

GOOD_TEXT = "Forward a job posting to someone who is looking"
GOOD_IDEA = f"""
[[idea]]
id = "share-job-lead"
text = "{GOOD_TEXT}"
kinds = ["work"]
minutes = 5
tags = ["link"]
"""


# The shipped content ---------------------------------------------------------------------------


def test_data_dir_holds_the_three_files():
    folder = content.data_dir()
    for name in (content.KINDS_FILE, content.IDEAS_FILE, content.PROMPTS_FILE):
        assert (folder / name).is_file()


def test_the_eight_kinds_in_order():
    kinds = community_kinds()
    assert tuple(kind.id for kind in kinds) == KIND_IDS
    assert all(kind.label and kind.description for kind in kinds)
    assert kind_labels()["faith"] == "Faith community"
    assert kind_labels()["hobby"] == "Hobby or club"


def test_enough_give_ideas_overall_and_per_kind():
    assert len(give_ideas()) >= 80
    for kind in KIND_IDS:
        assert len(give_ideas(kind)) >= 8, kind


def test_every_tag_is_used_often():
    used = Counter(tag for idea in give_ideas() for tag in idea.tags)
    assert set(used) == set(GIVE_TAGS)
    for tag in GIVE_TAGS:
        assert used[tag] >= 5, tag


def test_most_ideas_are_small_favours():
    minutes = [idea.minutes for idea in give_ideas()]
    assert all(1 <= m <= 240 for m in minutes)
    assert sum(m <= 15 for m in minutes) > len(minutes) / 2


def test_enough_prompts_per_stage():
    assert len(reflection_prompts()) >= 24
    for stage in STAGES:
        assert len(reflection_prompts(stage)) >= 6, stage


def test_ids_are_unique():
    idea_ids = [idea.id for idea in give_ideas()]
    prompt_ids = [prompt.id for prompt in reflection_prompts()]
    assert len(idea_ids) == len(set(idea_ids))
    assert len(prompt_ids) == len(set(prompt_ids))


def test_texts_are_short_and_trimmed():
    texts = [idea.text for idea in give_ideas()] + [p.text for p in reflection_prompts()]
    texts += [kind.description for kind in community_kinds()]
    for text in texts:
        assert text == text.strip()
        assert 0 < len(text) < 300


def test_an_idea_stands_alone_with_a_capital_and_follows_i_will_in_lower_case():
    for idea in give_ideas():
        assert idea.text[0].isupper(), idea.id
        assert idea.give == idea.text[0].lower() + idea.text[1:], idea.id
    named = content.GiveIdea("x", "LinkedIn: endorse a colleague", ("work",), 5, ("thanks",))
    assert named.give == "LinkedIn: endorse a colleague"
    assert content.GiveIdea("x", "CV tips for a cousin", ("family",), 5, ("advice",)).give == (
        "CV tips for a cousin")


def test_files_are_loaded_once():
    assert give_ideas() == give_ideas()
    assert content._load_ideas() is content._load_ideas()


# Filters and look-ups --------------------------------------------------------------------------


def test_kind_filter():
    faith = give_ideas(kind="faith")
    assert faith
    assert all("faith" in idea.kinds for idea in faith)
    assert len(faith) < len(give_ideas())


def test_custom_kind_has_no_built_in_ideas():
    assert give_ideas(kind="book-club-of-my-own") == ()


def test_tag_filter():
    visits = give_ideas(tag="visit")
    assert visits
    assert all("visit" in idea.tags for idea in visits)


def test_kind_and_tag_filters_combine():
    both = give_ideas(kind="neighbourhood", tag="time")
    expected = [i for i in give_ideas(kind="neighbourhood") if i in give_ideas(tag="time")]
    assert both
    assert list(both) == expected


def test_unknown_tag_or_stage_is_refused():
    with pytest.raises(ValueError, match="unknown tag 'gift'"):
        give_ideas(tag="gift")
    with pytest.raises(ValueError, match="unknown stage 'dream'"):
        reflection_prompts("dream")


def test_stage_filter():
    for stage in STAGES:
        assert {p.stage for p in reflection_prompts(stage)} == {stage}


def test_give_idea_lookup():
    idea = give_idea("share-job-lead")
    assert idea.id == "share-job-lead"
    assert "work" in idea.kinds
    assert "link" in idea.tags
    with pytest.raises(KeyError, match="no give idea with id 'no-such-idea'"):
        give_idea("no-such-idea")


def test_reflection_prompt_lookup():
    prompt = reflection_prompt("map-notice-absence")
    assert prompt.stage == "map"
    assert prompt.text.endswith("?")
    with pytest.raises(KeyError, match="no reflection prompt with id 'nope'"):
        reflection_prompt("nope")


def test_give_ideas_frame():
    frame = give_ideas_frame(kind="work", tag="link")
    assert list(frame.columns) == ["id", "text", "kinds", "minutes", "tags"]
    assert len(frame) == len(give_ideas(kind="work", tag="link"))
    row = frame.set_index("id").loc["share-job-lead"]
    assert "Work" in row["kinds"].split(", ")
    assert "School and study" in row["kinds"].split(", ")
    assert row["tags"] == "link"
    assert frame["minutes"].dtype == "int64"


def test_give_ideas_frame_for_custom_kind_is_empty_with_columns():
    frame = give_ideas_frame(kind="my-own-kind")
    assert frame.empty
    assert list(frame.columns) == ["id", "text", "kinds", "minutes", "tags"]


# Broken files ----------------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path):
    """A temp data folder with the real kinds file, ready for a test's own ideas or prompts."""
    shutil.copy(content.data_dir() / content.KINDS_FILE, tmp_path)
    return tmp_path


def test_a_good_temp_folder_loads(folder):
    (folder / content.IDEAS_FILE).write_text(GOOD_IDEA, encoding="utf-8")
    ideas = content._load_ideas(folder)
    assert [idea.id for idea in ideas] == ["share-job-lead"]
    assert ideas[0].minutes == 5


def test_an_idea_written_in_lower_case_is_shown_with_a_capital(folder):
    lower = GOOD_IDEA.replace(GOOD_TEXT, GOOD_TEXT.lower())
    (folder / content.IDEAS_FILE).write_text(lower, encoding="utf-8")
    [idea] = content._load_ideas(folder)
    assert idea.text == GOOD_TEXT
    assert idea.give == GOOD_TEXT.lower()


@pytest.mark.parametrize(
    ("toml_text", "message"),
    [
        (GOOD_IDEA + GOOD_IDEA, "the id 'share-job-lead' is used more than once"),
        (GOOD_IDEA.replace('["link"]', '["link", "gift"]'), "unknown tag 'gift'"),
        (GOOD_IDEA.replace('["work"]', '["sport"]'), "unknown kind 'sport'"),
        (
            GOOD_IDEA.replace(f'text = "{GOOD_TEXT}"\n', ""),
            "'text' is missing",
        ),
        (GOOD_IDEA + 'tag = ["advice"]\n', "unknown key 'tag'"),
        (
            GOOD_IDEA.replace(f'"{GOOD_TEXT}"', '"   "'),
            "'text' is empty",
        ),
        (GOOD_IDEA.replace("minutes = 5", "minutes = 0"), "'minutes' is 0"),
        (GOOD_IDEA.replace("minutes = 5", 'minutes = "five"'), "must be a whole number"),
        (
            GOOD_IDEA.replace("tags = [", "tags = ").replace('"link"]', '"link"'),
            "must be a list of text values",
        ),
        (GOOD_IDEA.replace('id = "share-job-lead"', 'id = "Share Job"'), "lower-case letters"),
        (GOOD_IDEA.replace("minutes = 5", "minutes = 5\nminutes = 6"), "not valid TOML"),
        ("[idea]\nid = 'x'\n", "expected one or more [[idea]] tables"),
    ],
)
def test_broken_ideas_file(folder, toml_text, message):
    (folder / content.IDEAS_FILE).write_text(toml_text, encoding="utf-8")
    with pytest.raises(ContentError, match=re.escape(message)) as caught:
        content._load_ideas(folder)
    assert str(caught.value).startswith(content.IDEAS_FILE)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Lend your spare gear to a newcomer", "'text' says 'your'; write the idea in the first"),
        ("Share a tip that saved YOU an hour", "'text' says 'YOU'"),
        ("Tell a colleague you're glad of their help", "'text' says 'you'"),
        ("Thank a mentor for what they taught yourself", "'text' says 'yourself'"),
        ("When a project goes well, say whose idea it was", "starts with the cue word 'When'"),
        ("after the meeting, thank the chair", "starts with the cue word 'after'"),
        ("As soon as someone asks, recommend a plumber", "starts with the cue word 'As soon as'"),
        ("Next time the group meets, bring cake", "starts with the cue word 'Next time'"),
        ("If a neighbour is away, take in their parcels", "starts with the cue word 'If'"),
        ("I will forward a job posting", "'text' starts with 'I will', which every plan already"),
        ("I'll forward a job posting", "'text' starts with \"I'll\""),
    ],
)
def test_an_idea_must_follow_i_will_in_the_first_person(folder, text, problem):
    (folder / content.IDEAS_FILE).write_text(GOOD_IDEA.replace(GOOD_TEXT, text), encoding="utf-8")
    with pytest.raises(ContentError, match=re.escape(problem)) as caught:
        content._load_ideas(folder)
    message = str(caught.value)
    assert message.startswith("give_ideas.toml, idea number 1 ('share-job-lead'): 'text' ")
    assert "\n" not in message


@pytest.mark.parametrize(
    "text",
    [
        "Send a thank-you card to a helper who is often overlooked",
        "Knock on the door of a neighbour who lives alone when the weather turns bad",
        "Onboard a new volunteer and show them round",
        "Iron the choir's robes before the concert",
        "Offer to read a young colleague's draft",
    ],
)
def test_a_cue_word_inside_or_a_word_like_you_is_fine(folder, text):
    (folder / content.IDEAS_FILE).write_text(GOOD_IDEA.replace(GOOD_TEXT, text), encoding="utf-8")
    assert content._load_ideas(folder)[0].text == text


def test_a_second_person_idea_is_named_by_number_and_id(folder):
    second = GOOD_IDEA.replace("share-job-lead", "lend-a-tool").replace(
        GOOD_TEXT, "Lend your ladder to a neighbour")
    (folder / content.IDEAS_FILE).write_text(GOOD_IDEA + second, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        content._load_ideas(folder)
    assert str(caught.value) == (
        "give_ideas.toml, idea number 2 ('lend-a-tool'): 'text' says 'your'; "
        "write the idea in the first person (I, my, me), as it follows 'I will'"
    )


def test_error_names_the_entry(folder):
    broken = GOOD_IDEA + GOOD_IDEA.replace("share-job-lead", "lend-a-tool").replace("= 5", "= 0")
    (folder / content.IDEAS_FILE).write_text(broken, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        content._load_ideas(folder)
    assert str(caught.value) == (
        "give_ideas.toml, idea number 2 ('lend-a-tool'): "
        "'minutes' is 0; it must be between 1 and 240"
    )


def test_entry_without_id_is_named_by_number(folder):
    (folder / content.IDEAS_FILE).write_text(
        GOOD_IDEA + "\n[[idea]]\ntext = 'Hi'\n", encoding="utf-8"
    )
    with pytest.raises(ContentError, match="idea number 2: 'id' is missing"):
        content._load_ideas(folder)


def test_text_too_long(folder):
    long_prompt = f'[[prompt]]\nid = "long"\nstage = "map"\ntext = "{"why " * 80}"\n'
    (folder / content.PROMPTS_FILE).write_text(long_prompt, encoding="utf-8")
    message = "prompt number 1 ('long'): 'text' is 319 characters long"
    with pytest.raises(ContentError, match=re.escape(message)):
        content._load_prompts(folder)


def test_unknown_stage(folder):
    prompt = '[[prompt]]\nid = "someday"\nstage = "dream"\ntext = "What next?"\n'
    (folder / content.PROMPTS_FILE).write_text(prompt, encoding="utf-8")
    with pytest.raises(ContentError, match="unknown stage 'dream' \\(allowed: map, plan"):
        content._load_prompts(folder)


def test_missing_file(tmp_path):
    with pytest.raises(ContentError, match="community_kinds.toml: the file is missing"):
        content._load_kinds(tmp_path)


def test_duplicate_kind(tmp_path):
    kind = '[[kind]]\nid = "work"\nlabel = "Work"\ndescription = "Colleagues."\n'
    (tmp_path / content.KINDS_FILE).write_text(kind + kind, encoding="utf-8")
    with pytest.raises(ContentError, match="the id 'work' is used more than once"):
        content._load_kinds(tmp_path)
