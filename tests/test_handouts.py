"""Printed handouts: the room's blank sheets and guide, the personal plan, plans for a room."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import sqlite3

import pypdf
import pytest
from shared import HOSTILE as SHARED_HOSTILE

from workbook import content, handouts, model, worksheets
from workbook.cli import main
from workbook.model import Community, LogEntry, Person, Resolution
from workbook.store import Store

A4 = (595.3, 841.9)
LETTER = (612.0, 792.0)

# Text a person might type that typst, HTML or a shell would treat as code, markup or a path.
HOSTILE = (
    '#import "x"',
    '#read("/etc/passwd")',
    "<img src=file:///etc/passwd>",
    "*bold*",
    "$x$",
    "]",
    "back\\slash",
    "// not a comment",
    "#{panic()}",
    "@ref <label>",
    "Choir 🎶👩‍👩‍👧",
)
RIGHT_TO_LEFT = ("جوقة", "المدينة", "מקהלה")


def pdf_pages(data: bytes | os.PathLike) -> list[str]:
    """The text of each page as `normal` makes it."""
    reader = pypdf.PdfReader(data if not isinstance(data, bytes) else io.BytesIO(data))
    return [normal(page.extract_text()) for page in reader.pages]


def page_sizes(path) -> list[tuple[float, float]]:
    """Width and height of each page in points."""
    return [(float(p.mediabox.width), float(p.mediabox.height))
            for p in pypdf.PdfReader(path).pages]


def normal(text: str) -> str:
    """Runs of white space as one space, and none after a hyphen (lines break there)."""
    return re.sub(r"-\s+", "-", re.sub(r"\s+", " ", text)).strip()


def _passwd_lines() -> list[str]:
    """Lines of /etc/passwd that must never reach a PDF."""
    try:
        with open("/etc/passwd", encoding="utf-8") as f:
            return [line.strip() for line in f if line.strip()][:3]
    except OSError:
        return ["root:x:0:0"]


@pytest.fixture
def demo_store(demo_one_year):
    """The demo persona's year, open for reading only."""
    with demo_one_year.read() as store:
        yield store


@pytest.fixture
def hostile_store(store, today):
    """A workbook whose every text field holds something that looks like code."""
    ids = []
    for i, text in enumerate(HOSTILE + (" ".join(RIGHT_TO_LEFT),)):
        ids.append(store.add(Community(name=text, kind="hobby", role=text, activity=3)))
        store.add(Resolution(cue=text, give=f"share {text}", community_id=ids[-1],
                             times=1 + i % 3, per="month", start=dt.date(2026, 1, 1)))
    store.add(Person(name="<script>alert(1)</script> 🙂", circle=5, communities=(ids[0],)))
    store.add(LogEntry(date=today - dt.timedelta(days=3), community_id=ids[1],
                       note='#read("/etc/passwd")'))
    return store


def test_fonts_for_emoji_and_right_to_left_text_are_installed():
    # Without them user text prints as empty boxes (Debian: fonts-noto-color-emoji,
    # fonts-noto-core, fonts-dejavu-core).
    families = set(handouts._fonts().families())
    assert "Noto Color Emoji" in families
    assert {"Noto Sans Arabic", "DejaVu Sans"} & families
    assert {"Noto Sans Hebrew", "DejaVu Sans"} & families


# Blank worksheets ---------------------------------------------------------------------------------


SHEET_LABEL = re.compile(r"\b(\d+) · (Map your|People and|Give ideas|Resolutions|Twelve-month"
                         r"|Reflect:)")


@pytest.mark.parametrize(("paper", "size"), [("a4", A4), ("letter", LETTER)])
def test_every_page_of_the_participant_set_is_the_sheet_of_its_number(tmp_path, paper, size):
    out = worksheets.blank_worksheets(tmp_path / "sheets" / f"{paper}.pdf", paper=paper)

    assert out.read_bytes().startswith(b"%PDF-")
    pages = pdf_pages(out)
    labels = [[int(m.group(1)) for m in SHEET_LABEL.finditer(text)] for text in pages]
    assert labels == [[n] for n in range(1, len(pages) + 1)]  # one label a page: its number
    starts = {
        "map": "Map your communities",
        "people": "People and circles",
        "ideas": "Give ideas to choose from",
        "resolutions": "Resolutions",
        "tracker": "Twelve-month give tracker",
        **{f"reflect-{stage}": "Reflect:" for stage in content.STAGES},
    }
    numbers = worksheets.sheet_numbers(paper)
    assert set(numbers) == {*starts, "pages"} and numbers["pages"] == len(pages)
    for key, words in starts.items():
        # the label heads its page (the first sheet has a line for name and date above it)
        assert re.match(rf"(Name Date )?{numbers[key]} · {re.escape(words)}",
                        pages[numbers[key] - 1]), key
    assert [numbers[k] for k in starts] == sorted(numbers[k] for k in starts)
    # The give ideas run over whole pages up to the resolutions, each page numbered; the
    # tracker is one page, then one page per stage of reflection, and nothing for a facilitator.
    assert numbers["resolutions"] - numbers["ideas"] >= 1
    assert "(continued)" in pages[numbers["ideas"]] or numbers["resolutions"] == 4
    assert numbers["tracker"] == numbers["resolutions"] + 1
    reflect = [numbers[f"reflect-{stage}"] for stage in content.STAGES]
    assert reflect == list(range(numbers["tracker"] + 1, len(pages) + 1))
    assert not any("Facilitator" in text for text in pages)
    assert 10 <= len(pages) <= 13

    sizes = page_sizes(out)
    for i, (width, height) in enumerate(sizes, start=1):
        expected = size[::-1] if i == numbers["tracker"] else size
        assert (width, height) == pytest.approx(expected, abs=0.5), f"page {i}"


def test_blank_worksheets_show_the_content_files(tmp_path):
    text = " ".join(pdf_pages(worksheets.blank_worksheets(tmp_path / "w.pdf")))

    for kind in content.community_kinds():
        assert kind.label in text
    for idea in content.give_ideas():
        assert normal(idea.text) in text, idea.id
    for prompt in content.reflection_prompts():
        assert normal(prompt.text) in text, prompt.id
    for level in (model.ACTIVITY_LEVELS[0], model.ACTIVITY_LEVELS[-1]):
        assert level in text
    for phrase in ("When", "I will", "times a", "Jan", "Dec"):
        assert phrase in text


def test_the_resolutions_sheet_shows_a_worked_example_above_empty_boxes(tmp_path):
    out = worksheets.blank_worksheets(tmp_path / "w.pdf")
    page = pdf_pages(out)[worksheets.sheet_numbers()["resolutions"] - 1]

    example = page.index("Example")
    assert example < page.index("Resolution 1")
    for words in ("When the Saturday morning run ends in the running club",
                  "I will thank two of the volunteer marshals by name", "2 times a month",
                  "from 1 January to 31 December"):
        assert words in page[example:page.index("Resolution 1")], words
    assert "Resolution 4" in page


@pytest.mark.parametrize("template, data", [
    ("worksheets.typ", worksheets.worksheets_data), ("ideas.typ", worksheets.ideas_data),
    ("facilitator.typ", worksheets.guide_data)], ids=["set", "ideas", "guide"])
def test_blank_handouts_are_black_and_white(template, data):
    pdf = handouts.render(template, data("a4"))
    # typst sets colours with "cs"/"scn": a grey takes one operand, a colour three or four.
    operands = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        stream = page.get_contents().get_data().decode("latin-1")
        operands += [len(nums.split()) for nums in
                     re.findall(r"((?:-?[\d.]+ )+)(?:scn|SCN|sc|SC|rg|RG|k|K)\b", stream)]
    assert len(operands) > 20
    assert set(operands) == {1}


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_facilitator_guide_alone_starts_with_setting_up_the_room(tmp_path, paper):
    pages = pdf_pages(worksheets.facilitator_guide(tmp_path / "guide.pdf", paper=paper))

    assert len(pages) == 1
    text = pages[0]
    assert text.startswith("Facilitator guide")
    setup = text[text.index("First, set up the room"):text.index("Bring")]
    for words in ("Run a workshop room", "picks a name and a password the first time",
                  "one participant set per person", "once per table", "--ideas",
                  "--facilitator"):
        assert words in setup, words
    assert text.index("First, set up the room") < text.index("Timings")
    # The guide names the sheets by the numbers the participant set prints.
    numbers = worksheets.sheet_numbers(paper)
    assert f"{numbers['pages']} pages" in setup
    assert f"spare copies of sheet {numbers['resolutions']}" in setup
    for step, key in (("which community surprised you?", "map"),
                      ("bridges between communities.", "people"),
                      ("the give is small.", "resolutions"), ("in the app.", "tracker")):
        assert f"{step} {numbers[key]} " in text, key
    assert f"one about the plan. {numbers['reflect-map']} and {numbers['reflect-plan']}" in text
    for phrase in ("Privacy", "Timings", "85–90"):
        assert phrase in text


def test_the_give_ideas_sheet_is_one_page_of_ideas_from_every_kind(tmp_path):
    ideas = worksheets.room_ideas()
    pages = pdf_pages(worksheets.ideas_sheet(tmp_path / "ideas.pdf", paper="letter"))

    assert len(pages) == 1 and 20 <= len(ideas) <= 30
    assert worksheets.room_ideas() == ideas  # the same sheet every time
    assert len({i.id for i in ideas}) == len(ideas)
    kinds = [k.id for k in content.community_kinds()]
    assert sorted({i.kinds[0] for i in ideas}) == sorted(kinds)
    assert max(sum(i.kinds[0] == k for i in ideas) for k in kinds) <= 4
    assert len({i.tags[0] for i in ideas}) >= 6  # many kinds of give, not only thanks
    for idea in ideas:
        assert normal(idea.text) in pages[0], idea.id
    others = [i for i in content.give_ideas() if i not in ideas]
    assert not any(normal(i.text) in pages[0] for i in others)
    assert f"{len(ideas)} small gives" in pages[0]


def test_the_command_line_writes_each_blank_handout_on_its_own(tmp_path, capsys):
    out = {name: tmp_path / f"{name}.pdf" for name in ("set", "ideas", "guide")}
    assert main(["handouts", "blank", "--out", str(out["set"])]) == 0
    assert main(["handouts", "blank", "--ideas", "--out", str(out["ideas"])]) == 0
    assert main(["handouts", "blank", "--facilitator", "--paper", "letter",
                 "--out", str(out["guide"])]) == 0
    written = {name: pdf_pages(path) for name, path in out.items()}
    assert len(written["set"]) == worksheets.sheet_numbers()["pages"]
    assert not any("Facilitator" in page for page in written["set"])
    assert [p[:20] for p in written["ideas"]] == ["Give ideas for the t"]
    assert [p[:17] for p in written["guide"]] == ["Facilitator guide"]
    assert page_sizes(out["guide"]) == [pytest.approx(LETTER, abs=0.5)]
    assert capsys.readouterr().out.split() == [str(p) for p in out.values()]


def test_blank_worksheets_refuse_an_unknown_paper(tmp_path):
    with pytest.raises(ValueError, match="a4, letter"):
        worksheets.blank_worksheets(tmp_path / "w.pdf", paper="a5")
    assert not (tmp_path / "w.pdf").exists()


# Personal plan ---------------------------------------------------------------------------------


def test_plan_without_charts_is_one_page_with_communities_resolutions_and_steps(
    demo_store, tmp_path, today
):
    out = handouts.personal_plan(demo_store, tmp_path / "plan.pdf", year=today.year,
                                 today=today, charts=False)

    pages = pdf_pages(out)
    assert len(pages) == 1
    text = pages[0]
    for heading in (f"My giving plan for {today.year}", "My communities", "My resolutions",
                    "Next steps", "My next give"):
        assert heading in text
    names = {}
    for community in demo_store.records(Community):
        names[community.id] = community.name
        assert community.name in text
        assert model.ACTIVITY_LEVELS[community.activity] in text
    active = [r for r in demo_store.records(Resolution) if r.active]
    assert active
    for res in active:
        assert normal(res.sentence(names[res.community_id])) in text
    # The demo's choir has gone quiet: the plan says so.
    assert "Give something small in Harbour Voices choir" in text
    assert re.search(r"\d+ of \d+ (on track|behind|ahead)", text)


def test_plan_with_charts_adds_a_page(demo_store, tmp_path, today):
    data = handouts.plan_pdf_bytes(demo_store, today=today, charts=True)

    assert data.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    assert "Progress in charts" in reader.pages[1].extract_text()
    assert (float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)) \
        == pytest.approx(A4, abs=0.5)


def test_plan_of_an_empty_workbook_says_how_to_start(store, tmp_path, today):
    out = handouts.personal_plan(store, tmp_path / "p.pdf", today=today, charts=True,
                                 paper="letter")

    pages = pdf_pages(out)
    assert len(pages) == 1  # nothing to chart
    # 26 November: the plan is for the coming year
    assert "No communities yet" in pages[0] and "No resolutions for 2027 yet" in pages[0]
    assert "Map your communities" in pages[0]
    assert page_sizes(out)[0] == pytest.approx(LETTER, abs=0.5)


def test_plan_for_another_year_counts_only_that_year(demo_store, tmp_path, today):
    text = pdf_pages(handouts.personal_plan(demo_store, tmp_path / "p.pdf", year=2025,
                                            today=today, charts=False))[0]

    assert "My giving plan for 2025" in text
    assert "2025 so far" in text or "No gives logged in 2025" in text


def test_user_text_in_a_plan_is_shown_literally_and_never_run(hostile_store, tmp_path, today):
    out = handouts.personal_plan(hostile_store, tmp_path / "p.pdf", today=today, charts=True,
                                 name='#read("/etc/passwd") 🎶')

    text = " ".join(pdf_pages(out))
    for value in HOSTILE:
        assert value in text, value
    for word in RIGHT_TO_LEFT:
        assert word in text
    assert "<script>alert(1)</script> 🙂" in text
    for line in _passwd_lines():
        assert line not in text
    raw = out.read_bytes()
    assert b"root:x:0" not in raw


# Right-to-left words one at a time: PDF text of mixed scripts comes out in the order drawn.
@pytest.mark.parametrize("name", [*HOSTILE[:4], HOSTILE[-1], *SHARED_HOSTILE, "x" * 80,
                                  *RIGHT_TO_LEFT])
def test_a_plan_prints_the_owners_name_as_text(store, tmp_path, today, name):
    store.set_owner(name)
    text = pdf_pages(handouts.personal_plan(store, tmp_path / "p.pdf", today=today,
                                            charts=False))[0]
    # the name has its own line under the title and the date
    assert text.startswith(f"My giving plan for 2027 as of 26 November 2026 {normal(name)} A plan")
    for line in _passwd_lines():
        assert line not in text


def test_a_plan_without_an_owners_name_prints_none_and_a_given_name_wins(store, tmp_path, today):
    plain = pdf_pages(handouts.personal_plan(store, tmp_path / "p.pdf", today=today,
                                             charts=False))[0]
    assert plain.startswith("My giving plan for 2027 as of 26 November 2026 A plan")
    store.set_owner("Maren")
    given = handouts.plan_data(store, today=today, charts=False, name="Table 3")
    assert given["name"] == "Table 3"
    assert handouts.plan_data(store, today=today, charts=False)["name"] == "Maren"


# For facilitators ------------------------------------------------------------------------------


@pytest.fixture
def room(tmp_path, demo_one_year):
    """A folder of two participants' workbooks and three files that are not workbooks."""
    folder = tmp_path / "room"
    folder.mkdir()
    demo_one_year.copy(folder, "anna.sqlite")
    with Store(folder / "ben.sqlite") as s:
        s.add(Community(name="Allotment society", kind="hobby"))
    (folder / "notes.sqlite").write_bytes(b"these are my notes, not a database\n")
    (folder / "empty.sqlite").write_bytes(b"")
    con = sqlite3.connect(folder / "other.sqlite")
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    (folder / "readme.txt").write_text("not a workbook either, and not *.sqlite")
    return folder


def _snapshot(folder):
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}


def test_plans_from_dir_writes_one_plan_per_workbook_and_leaves_other_files(room, tmp_path):
    foreign = {"notes.sqlite", "empty.sqlite", "other.sqlite", "readme.txt"}
    before = {k: v for k, v in _snapshot(room).items() if k in foreign}
    calls = []

    written = handouts.plans_from_dir(room, tmp_path / "plans",
                                      progress=lambda *args: calls.append(args), charts=False)

    assert [p.name for p in written] == ["anna-plan.pdf", "ben-plan.pdf"]
    assert sorted(p.name for p in (tmp_path / "plans").iterdir()) == [p.name for p in written]
    assert "Allotment society" in pdf_pages(written[1])[0]
    assert "ben" in pdf_pages(written[1])[0]
    after = _snapshot(room)
    assert {k: v for k, v in after.items() if k in foreign} == before
    assert set(after) == foreign | {"anna.sqlite", "ben.sqlite"}  # no journal files left
    assert [(done, total, path.name) for done, total, path, _ in calls] == [
        (1, 5, "anna.sqlite"), (2, 5, "ben.sqlite"), (3, 5, "empty.sqlite"),
        (4, 5, "notes.sqlite"), (5, 5, "other.sqlite"),
    ]
    problems = {path.name: problem for _, _, path, problem in calls}
    assert problems["anna.sqlite"] == problems["ben.sqlite"] == ""
    assert "empty" in problems["empty.sqlite"]
    assert "not a workbook" in problems["notes.sqlite"]
    assert "another program" in problems["other.sqlite"]


def test_plans_from_dir_print_the_owners_name_or_else_the_file_name(room, tmp_path):
    with Store(room / "anna.sqlite") as store:
        store.set_owner('Anna #read("/etc/passwd") 🎶')

    written = handouts.plans_from_dir(room, tmp_path / "plans", progress=False, charts=False)

    anna, ben = (pdf_pages(path)[0] for path in written)
    heading = r"My giving plan for \d{4} as of \d+ \w+ \d{4} "
    assert re.match(heading + re.escape('Anna #read("/etc/passwd") 🎶 '), anna)
    assert re.match(heading + "ben ", ben)


def test_plans_from_dir_reports_progress_on_stderr(room, tmp_path, capsys):
    handouts.plans_from_dir(room, tmp_path / "plans", charts=False)

    err = capsys.readouterr().err
    assert "anna.sqlite" in err and "ben.sqlite" in err
    assert "skipped" in err and "notes.sqlite" in err


# Writing -------------------------------------------------------------------------------------


def test_a_failed_render_leaves_the_old_file(tmp_path, monkeypatch):
    out = tmp_path / "w.pdf"
    out.write_bytes(b"the old handout")

    def broken(*args, **kwargs):
        raise RuntimeError("typst failed")

    monkeypatch.setattr(handouts, "render", broken)
    with pytest.raises(RuntimeError):
        worksheets.blank_worksheets(out)
    assert out.read_bytes() == b"the old handout"
    assert os.listdir(tmp_path) == ["w.pdf"]


@pytest.mark.parametrize("day, year", [(dt.date(2026, 10, 31), 2026), (dt.date(2026, 11, 1), 2027),
                                       (dt.date(2027, 1, 6), 2027)])
def test_the_plan_is_for_the_coming_year_from_november(store, day, year):
    assert handouts.plan_data(store, today=day, charts=False)["title"] == (
        f"My giving plan for {year}")


def test_a_plan_for_next_year_lists_what_runs_in_it_with_real_dates(store, tmp_path):
    december = dt.date(2026, 12, 1)
    choir = store.add(Community(name="Harbour Choir", activity=3))
    store.add_many([
        Resolution(cue="rehearsal ends", give="thank the pianist", community_id=choir,
                   start=dt.date(2026, 3, 2)),  # running, no end: it goes on in 2027
        Resolution(cue="a new singer comes", give="introduce them to two people",
                   community_id=choir, times=2, start=dt.date(2027, 1, 1)),
        Resolution(cue="the autumn concert nears", give="carry chairs", community_id=choir,
                   start=dt.date(2026, 9, 1), end=dt.date(2026, 12, 31)),  # ends before 2027
        Resolution(cue="summer starts", give="water the plants", community_id=choir,
                   start=dt.date(2027, 6, 1), end=dt.date(2027, 8, 31)),
    ])
    text = normal(pdf_pages(handouts.personal_plan(store, tmp_path / "p.pdf", today=december,
                                                   charts=False))[0])
    assert "My giving plan for 2027" in text
    assert "thank the pianist" in text and "from 2 March 2026" in text
    assert "runs on into 2027" in text
    assert "introduce them to two people" in text and "starts 1 January 2027" in text
    assert "water the plants" in text and "1 June to 31 August 2027" in text
    assert "carry chairs" not in text
    assert "not started" not in text and " of 0" not in text  # nothing is due before 1 January
    assert "planned by now" not in text
