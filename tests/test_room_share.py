"""A workshop room: what a participant shares, and how the facilitator reads it."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from shared import room_summary, write_file

from workbook import analytics, pages, room_share
from workbook.errors import WorkbookError
from workbook.model import Community, HelpReceived, LogEntry, Person, Reflection, Resolution
from workbook.store import Store

ROOT = Path(__file__).resolve().parent.parent
LONG = "x" * 200


def typed_words(hostile_texts) -> list[str]:
    """Everything the workbook below holds that a person typed."""
    return [*hostile_texts, LONG, "Knitting circle", "Aunt Mirela", "brought soup",
            "my own kind"]


@pytest.fixture
def typed(store, today, hostile_texts):
    """A workbook whose every text field holds hostile, long, emoji or right-to-left text."""
    ids = [store.add(Community(name=t, kind="hobby", role=t, notes=t)) for t in hostile_texts]
    ids.append(store.add(Community(name="Knitting circle", kind="my own kind", notes=LONG)))
    person = store.add(Person(name="Aunt Mirela", notes=hostile_texts[0],
                              communities=(ids[0], ids[-1])))
    for t in (*hostile_texts, LONG):
        store.add(Person(name=t[:200], notes=t))
    store.add(Resolution(cue=hostile_texts[1], give=LONG, community_id=ids[0],
                         start=today - dt.timedelta(days=30)))
    store.add(Resolution(cue="the new year", give=hostile_texts[2], community_id=ids[1],
                         start=dt.date(today.year + 1, 1, 1)))
    for n, t in enumerate(hostile_texts):
        store.add(LogEntry(date=today - dt.timedelta(days=3 * n), community_id=ids[n % 3],
                           person_id=person, note=t))
    store.add(LogEntry(date=today - dt.timedelta(days=200), community_id=ids[0],
                       note="brought soup"))
    store.add(HelpReceived(date=today, note=hostile_texts[3], person_id=person))
    store.add(Reflection(prompt_id="map-1", answer=hostile_texts[4]))
    return store


@pytest.fixture
def room(tmp_path) -> Path:
    folder = tmp_path / "room"
    folder.mkdir()
    return folder


def test_room_dir_is_read_from_the_environment_only_when_it_is_a_folder(monkeypatch, room):
    monkeypatch.delenv(room_share.ENV_VAR, raising=False)
    assert room_share.room_dir() is None
    monkeypatch.setenv(room_share.ENV_VAR, "  ")
    assert room_share.room_dir() is None
    monkeypatch.setenv(room_share.ENV_VAR, str(room / "gone"))
    assert room_share.room_dir() is None
    monkeypatch.setenv(room_share.ENV_VAR, str(room))
    assert room_share.room_dir() == room


def test_the_variable_is_named_in_one_place():
    # Anything else reads it through room_share.room_dir, or names it as room_share.ENV_VAR.
    quoted = re.compile(r"[\"']WORKBOOK_ROOM_DIR[\"']")
    naming = [p.relative_to(ROOT).as_posix() for p in (ROOT / "workbook").rglob("*.py")
              if quoted.search(p.read_text(encoding="utf-8"))]
    assert naming == ["workbook/room_share.py"]


# -- the summary --------------------------------------------------------------------------------
def test_summary_counts_the_demo_year(demo_one_year, today):
    with demo_one_year.read() as store:
        frames = store.frames()
    counts = room_share.summary(frames, today)
    assert set(counts) == room_share.KEYS
    assert counts["shared_on"] == today.isoformat()
    assert counts["people"] == len(frames["people"]) > 0
    assert counts["resolutions"] == len(frames["resolutions"])
    assert counts["running"] == analytics.running(frames["resolutions"], today).sum()
    assert sum(counts["communities"].values()) == len(frames["communities"])
    assert list(counts["communities"]) == list(room_share.kind_ids())
    assert counts["help_received"] == len(frames["help"])
    assert counts["reflections"] == len(frames["reflections"])
    # the weeks: this ISO week and the eleven before, each counted by analytics' own weeks
    weeks = counts["gives_per_week"]
    assert len(weeks) == room_share.WEEKS and list(weeks)[-1] == "2026-W48"
    assert list(weeks)[0] == "2026-W37"
    per_week = analytics.gives_per_period(frames["log"], frames["communities"], "W")
    monday = pd.Timestamp(today - dt.timedelta(days=today.weekday()))
    expected = per_week[per_week["period"] >= monday - pd.Timedelta(weeks=11)]
    assert sum(weeks.values()) == expected["gives"].sum() > 0


def test_summary_of_an_empty_workbook_is_all_zeros(store, today):
    counts = room_share.summary(store.frames(), today)
    assert counts["people"] == counts["resolutions"] == counts["running"] == 0
    assert set(counts["communities"].values()) == {0}
    assert set(counts["gives_per_week"].values()) == {0}
    assert counts["new_year_resolution"] is False
    room_share._check(json.loads(json.dumps(counts)))


def test_summary_holds_no_text_a_person_typed(typed, today, hostile_texts):
    counts = room_share.summary(typed.frames(), today)
    text = json.dumps(counts, ensure_ascii=False)
    for word in typed_words(hostile_texts):
        assert word not in text
    assert counts["communities"]["own"] == 1  # "my own kind" is theirs: counted, not named
    assert counts["communities"]["hobby"] == len(hostile_texts)
    assert counts["new_year_resolution"] is True  # one starts on 1 January of the plan year
    assert sum(counts["gives_per_week"].values()) == len(hostile_texts)  # not the 200-day one


@pytest.mark.parametrize("today, start, made", [
    (dt.date(2026, 11, 26), dt.date(2027, 1, 1), True),  # in the season: next January
    (dt.date(2026, 12, 31), dt.date(2027, 1, 20), True),
    (dt.date(2026, 11, 26), dt.date(2026, 1, 1), False),  # last January is not this plan
    (dt.date(2027, 1, 10), dt.date(2027, 1, 10), True),  # made in January, started that day
    (dt.date(2027, 3, 10), dt.date(2027, 1, 1), True),  # this year's, looked at later
    (dt.date(2027, 3, 10), dt.date(2026, 12, 1), False),
    (dt.date(2027, 3, 10), dt.date(2027, 2, 1), False),
])
def test_a_new_years_resolution_starts_in_january_of_the_plan_year(today, start, made):
    resolutions = pd.DataFrame({"start": pd.to_datetime([start])})
    assert room_share.has_new_year_resolution(resolutions, today) is made


# -- sharing --------------------------------------------------------------------------------------
def test_share_writes_one_file_readable_by_the_facilitators_and_replaces_it(typed, room, today,
                                                                           hostile_texts):
    path = room_share.share(typed, room, today)
    assert re.fullmatch(r"[0-9a-f]{32}\.json", path.name) and path.parent == room
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    id_file = Path(f"{typed.path}.room-share")
    assert stat.S_IMODE(id_file.stat().st_mode) == 0o600
    assert id_file.read_text().strip() == path.stem
    text = path.read_text(encoding="utf-8")
    for word in typed_words(hostile_texts):
        assert word not in text
    assert room_share.shared(typed.path, room)
    assert room_share.shared_on(typed.path, room) == today
    # sharing again replaces the same file, with the new counts
    typed.add(Person(name="someone new"))
    again = room_share.share(typed, room, today)
    assert again == path and sorted(p.name for p in room.iterdir()) == [path.name]
    assert json.loads(path.read_text())["people"] == len(typed.frame("people"))
    room_share.withdraw(typed.path, room)
    assert list(room.iterdir()) == [] and not id_file.exists()
    assert not room_share.shared(typed.path, room)
    assert room_share.shared_on(typed.path, room) is None
    room_share.withdraw(typed.path, room)  # nothing shared: nothing to do
    assert room_share.share(typed, room, today).name != path.name  # a new id after a stop


def test_share_needs_the_folder(store, tmp_path, today):
    with pytest.raises(WorkbookError, match="not there"):
        room_share.share(store, tmp_path / "gone", today)


def test_a_damaged_id_file_is_taken_as_no_id(store, room, today):
    Path(f"{store.path}.room-share").write_text("../../etc/passwd\n")
    assert not room_share.shared(store.path, room)
    path = room_share.share(store, room, today)
    assert path.parent == room and re.fullmatch(r"[0-9a-f]{32}", path.stem)


def as_participant(action) -> str:
    """Run ``action()`` in a child process as the user nobody; what it returns, or its error."""
    read, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (the child's coverage is not collected)
        os.close(read)
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            result = str(action())
        except BaseException as e:
            result = f"error: {type(e).__name__}: {e}"
        os.write(write_end, result.encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read, "rb") as f:
        result = f.read().decode()
    os.waitpid(child, 0)
    return result


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="needs root to act as a participant of a room's folder")
def test_a_participant_shares_into_a_folder_they_cannot_list(today):
    # pytest's own folders are root's alone: the participant could not reach one.
    with tempfile.TemporaryDirectory(prefix="room-test-") as base:
        os.chmod(base, 0o755)
        _share_as_participant(Path(base), today)


def _share_as_participant(base: Path, today) -> None:
    # The room's folder as the room set-up makes it: root's, setgid and sticky, 3773.
    room = base / "room"
    room.mkdir()
    os.chown(room, 0, 4321)  # a group of facilitators the participant is not in
    os.chmod(room, 0o3773)
    home = base / "participant"
    home.mkdir()
    os.chown(home, 65534, 65534)
    workbook = home / "wb.sqlite"

    def share_twice_and_try_to_list():
        with Store(workbook) as store:
            room_share.share(store, room, today)
            path = room_share.share(store, room, today)
        try:
            os.listdir(room)
        except PermissionError:
            return f"{path.name} {room_share.shared(workbook, room)} not listed"
        return "listed"

    name, is_shared, listed = as_participant(share_twice_and_try_to_list).split(" ", 2)
    assert (is_shared, listed) == ("True", "not listed")
    info = (room / name).stat()
    assert (info.st_uid, info.st_gid) == (65534, 4321)  # the folder's group: facilitators read
    assert stat.S_IMODE(info.st_mode) == 0o640
    assert [p.name for p in room.iterdir()] == [name]  # no temporary file left behind
    assert as_participant(lambda: room_share.withdraw(workbook, room)) == "None"
    assert list(room.iterdir()) == []


# -- reading a room's folder ----------------------------------------------------------------------
BAD = {
    "list.json": "[]",
    "other.json": room_summary(format="something else"),
    "version.json": room_summary(version=2),
    "extra.json": {**room_summary(), "name": "Aunt Mirela"},
    "missing.json": {k: v for k, v in room_summary().items() if k != "people"},
    "bool.json": room_summary(people=True),
    "negative.json": room_summary(people=-1),
    "float.json": room_summary(people=1.5),
    "huge-count.json": room_summary(people=10**12),
    "text-count.json": room_summary(people="12"),
    "date.json": room_summary(shared_on="2026-02-30"),
    "date-text.json": room_summary(shared_on="<img src=x onerror=alert(1)>"),
    "year.json": room_summary(plan_year=99999),
    "new-year.json": room_summary(new_year_resolution=1),
    "kind.json": room_summary(communities={"<script>": 1}),
    "kinds.json": room_summary(communities=[1, 2]),
    "week-key.json": room_summary(gives_per_week={"last week": 1}),
    "week-54.json": room_summary(gives_per_week={"2026-W54": 1}),
    "weeks.json": room_summary(gives_per_week={f"2026-W{n:02d}": 1 for n in range(1, 30)}),
    "week-count.json": room_summary(gives_per_week={"2026-W48": -3}),
    "running.json": room_summary(running=9),
    "twice.json": '{"format": "a", "format": "b"}',
    "nan.json": json.dumps(room_summary()).replace('"people": 12', '"people": NaN'),
    "deep.json": "[" * 30_000 + "]" * 30_000,
    "big-int.json": json.dumps(room_summary()).replace('"people": 12',
                                                       '"people": ' + "9" * 5000),
    "not-json.json": "this is not JSON {",
    "latin1.json": "",
}


def test_read_summaries_reports_each_bad_file_and_counts_the_others(tmp_path):
    folder = tmp_path / "room"
    folder.mkdir()
    write_file(folder, "a" * 32 + ".json", room_summary())
    write_file(folder, "b" * 32 + ".json", room_summary(people=3, new_year_resolution=False))
    for name, value in BAD.items():
        write_file(folder, name, value)
    (folder / "latin1.json").write_bytes(b'{"format": "\xe9"}')
    (folder / "huge.json").write_text(json.dumps(room_summary()) + " " * (70 * 1024))
    (folder / "folder.json").mkdir()
    (folder / "link.json").symlink_to(folder / ("a" * 32 + ".json"))
    os.mkfifo(folder / "pipe.json")  # would hang a plain read
    write_file(folder, "<img src=x onerror=alert(1)>\n.json", "{")
    write_file(folder, "notes.txt", "not a summary, not read")
    summaries, problems = room_share.read_summaries(folder)
    assert [s["people"] for s in summaries] == [12, 3]
    left_out = {p.split(": ", 1)[0]: p.split(": ", 1)[1] for p in problems}
    assert set(left_out) == {*BAD, "huge.json", "folder.json", "link.json", "pipe.json",
                             "<img src=x onerror=alert(1)>\\x0a.json"}
    assert left_out["huge.json"] == "larger than 64 KB"
    assert left_out["not-json.json"] == left_out["latin1.json"] == "not JSON"
    assert left_out["deep.json"] == left_out["nan.json"] == "not JSON"
    assert left_out["link.json"] == "a link, not a file"
    assert left_out["pipe.json"] == left_out["folder.json"] == "not a plain file"
    assert "name" in left_out["extra.json"]
    assert all("\n" not in p and len(p) < 200 for p in problems)


def test_read_summaries_needs_the_folder(tmp_path):
    with pytest.raises(WorkbookError, match="no folder"):
        room_share.read_summaries(tmp_path / "gone")


def test_a_shared_file_reads_back_as_it_was_written(typed, room, today):
    room_share.share(typed, room, today)
    summaries, problems = room_share.read_summaries(room)
    assert problems == [] and summaries == [room_share.summary(typed.frames(), today)]


def test_room_figures_add_up_the_summaries():
    summaries = [
        room_summary(),
        room_summary(people=3, communities={"faith": 4}, new_year_resolution=False,
                     gives_per_week={"2026-W46": 2, "2026-W47": 5}),
        room_summary(plan_year=2026, shared_on="2026-10-02", gives_per_week={"2026-W40": 7}),
    ]
    figures = room_share.room_figures(summaries)
    totals = figures["totals"]
    assert totals == {"participants": 3, "communities": 12, "people": 27, "resolutions": 9,
                      "running": 6, "new_year": 1, "gives": 18, "help": 12, "reflections": 6}
    assert figures["plan_year"] == 2027
    assert figures["shared"] == (dt.date(2026, 10, 2), dt.date(2026, 11, 26))
    by_kind = figures["by_kind"].set_index("kind")["communities"]
    assert by_kind["hobby"] == 4 and by_kind["faith"] == 4 and by_kind["own"] == 2
    assert list(figures["by_kind"]["kind"]) == list(room_share.kind_ids())
    weeks = figures["weeks"]
    assert len(weeks) == room_share.WEEKS
    assert list(weeks["week"][-3:]) == ["2026-W46", "2026-W47", "2026-W48"]
    assert list(weeks["gives"][-3:]) == [2, 8, 1]
    assert list(weeks["participants"][-3:]) == [1, 2, 1]
    assert weeks.set_index("week").loc["2026-W40", "gives"] == 7
    assert weeks["monday"].iloc[-1] == pd.Timestamp("2026-11-23")
    rows = dict(room_share.room_rows(figures))
    assert rows["Made a New Year's resolution for 2027"] == 1


def test_room_figures_of_nobody():
    figures = room_share.room_figures([])
    assert set(figures["totals"].values()) == {0}
    assert figures["weeks"].empty and figures["shared"] is None
    assert "the coming year" in dict(room_share.room_rows(figures)).__repr__()



# -- the app --------------------------------------------------------------------------------------
@pytest.fixture
def session(tmp_path):
    s = pages.open_session(tmp_path / "mine.sqlite")
    yield s
    s.close()


def test_the_progress_page_offers_sharing_only_in_a_room(session, monkeypatch, room):
    monkeypatch.delenv(room_share.ENV_VAR, raising=False)
    assert "room" not in pages.progress_page(session).parts
    monkeypatch.setenv(room_share.ENV_VAR, str(room / "not-made-yet"))
    assert "room" not in pages.progress_page(session).parts


def test_share_and_stop_from_the_progress_page(session, monkeypatch, room, hostile_texts):
    monkeypatch.setenv(room_share.ENV_VAR, str(room))
    for text in hostile_texts:
        community = session.store.add(Community(name=text, notes=text))
        session.store.add(Person(name=text, notes=text, communities=(community,)))
        session.store.add(LogEntry(date=session.today, community_id=community, note=text))
    session.changed()
    page = pages.progress_page(session)
    part = page.parts["room"]
    html = "\n".join(w.value for w in _walk(page) if hasattr(w, "value")
                     and isinstance(w.value, str))
    assert "No names, no notes" in html and "facilitator sees" in html
    assert part.share.description == "Share my counts with the room"
    assert part.stop.layout.display == "none" and "Not shared" in part.status.text
    part.share.click()
    assert part.error.text == ""
    (shared,) = room.iterdir()
    assert stat.S_IMODE(shared.stat().st_mode) == 0o640
    text = shared.read_text(encoding="utf-8")
    for word in hostile_texts:
        assert word not in text
    assert json.loads(text)["communities"]["hobby"] == len(hostile_texts)
    assert "Shared on 26 November 2026" in part.status.text
    assert "Share again to update" in part.status.text
    assert part.stop.layout.display is None and part.stop.description == "Stop sharing"
    part.stop.click()
    assert list(room.iterdir()) == [] and "Not shared" in part.status.text


def test_the_demo_is_not_shared(session, monkeypatch, room):
    monkeypatch.setenv(room_share.ENV_VAR, str(room))
    page = pages.progress_page(session)
    session.open_demo()
    part = page.parts["room"]
    assert part.share.disabled and "demo" in part.status.text
    part.share.click()
    assert list(room.iterdir()) == [] and "demo" in part.error.text


def test_a_folder_gone_since_the_page_was_built_is_said_in_one_line(session, monkeypatch, room):
    monkeypatch.setenv(room_share.ENV_VAR, str(room))
    part = pages.progress_page(session).parts["room"]
    room.rmdir()
    part.share.click()
    assert "not there" in part.error.text


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)
