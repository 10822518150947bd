"""Follow-through: fair words for a plan, pauses that keep the score flat, what is due now, and
gives that can only count for a resolution of their own community on a day it runs."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import numpy as np
import pytest
from apprunner import ROOT

from workbook import analytics
from workbook.model import Community, LogEntry, Pause, Resolution, ValidationError
from workbook.store import FRAME_NAMES, Store

D = dt.date


def frames(store, *records):
    store.add_many(records)
    return {name: store.frame(name) for name in FRAME_NAMES}


# -- fair words ---------------------------------------------------------------------------------


@pytest.mark.parametrize("logged, status", [(0, "behind"), (4, "behind"), (5, "nearly there"),
                                            (7, "nearly there"), (8, "on track"),
                                            (10, "on track"), (12, "on track"),
                                            (13, "ahead")])
def test_on_track_from_eighty_percent_nearly_there_from_half(store, today, logged, status):
    # Ten gives planned so far: 70 days at once a week.
    first = today - dt.timedelta(days=69)
    f = frames(store, Community(name="Choir", id=1),
               Resolution(cue="c", give="g", community_id=1, times=1, per="week", start=first,
                          id=1),
               *[LogEntry(date=first + dt.timedelta(days=i), community_id=1, resolution_id=1)
                 for i in range(logged)])
    row = analytics.plan_vs_actual(f["resolutions"], f["log"], today).iloc[0]
    assert row["expected"] == pytest.approx(10)
    assert row["status"] == status


# -- pauses ---------------------------------------------------------------------------------------


def daily(first: dt.date, gives: int) -> list:
    return [Community(name="Choir", id=1), Community(name="Pantry", id=2),
            Resolution(cue="c", give="g", community_id=1, times=7, per="week", start=first),
            *[LogEntry(date=first + dt.timedelta(days=i), community_id=1) for i in range(gives)]]


def test_a_paused_stretch_keeps_the_score_flat(store, today):
    first = today - dt.timedelta(days=39)  # 20 days of gives, then 20 without
    f = frames(store, *daily(first, 20),
               Pause(start=first + dt.timedelta(days=20), community_id=1, note="ill"))
    with_pause = analytics.visibility(f["communities"], f["resolutions"], f["log"], today,
                                      pauses=f["pauses"])
    choir = with_pause[with_pause["community_id"] == 1]["score"].to_numpy()
    assert np.all(choir[20:] == choir[19])  # flat from the first paused day on
    assert choir[19] == pytest.approx(1 - 0.5 ** (20 / 13))
    without = analytics.visibility(f["communities"], f["resolutions"], f["log"], today)
    assert without[without["community_id"] == 1]["score"].iloc[-1] < choir[-1]
    # A pause of one community leaves the others as they were.
    pantry = with_pause[with_pause["community_id"] == 2]["score"].to_numpy()
    assert np.array_equal(pantry, without[without["community_id"] == 2]["score"].to_numpy())


def test_a_pause_of_everything_and_the_plan_leaves_paused_days_out(store, today):
    first = today - dt.timedelta(days=27)
    f = frames(store, *daily(first, 0),
               Pause(start=first, end=first + dt.timedelta(days=13), note="travelling"))
    row = analytics.plan_vs_actual(f["resolutions"], f["log"], today, f["pauses"]).iloc[0]
    assert row["days"] == 14 and row["expected"] == pytest.approx(14)
    days = analytics.visibility(f["communities"], f["resolutions"], f["log"], today,
                                pauses=f["pauses"])
    assert (days["score"] == 0).all()


# -- due now --------------------------------------------------------------------------------------


@pytest.mark.parametrize("day, per, first, last", [
    (D(2026, 11, 26), "week", D(2026, 11, 23), D(2026, 11, 29)),
    (D(2026, 11, 26), "month", D(2026, 11, 1), D(2026, 11, 30)),
    (D(2026, 11, 26), "quarter", D(2026, 10, 1), D(2026, 12, 31)),
    (D(2028, 2, 29), "month", D(2028, 2, 1), D(2028, 2, 29)),
    (D(2026, 12, 31), "week", D(2026, 12, 28), D(2027, 1, 3)),
    (D(2027, 1, 1), "year", D(2027, 1, 1), D(2027, 12, 31)),
])
def test_the_current_period(day, per, first, last):
    assert analytics.period_of(day, per) == (first, last)


def test_due_now_lists_what_is_still_to_do_this_period(store, today):
    monday = today - dt.timedelta(days=today.weekday())
    f = frames(
        store, Community(name="Choir", id=1), Community(name="Pantry", id=2),
        Resolution(cue="a", give="introduce a newcomer", community_id=1, times=2, per="month",
                   start=D(2026, 1, 1), id=1),
        Resolution(cue="b", give="thank a volunteer", community_id=2, times=1, per="week",
                   start=D(2026, 1, 1), id=2),
        Resolution(cue="c", give="next year", community_id=1, start=D(2027, 1, 1), id=3),
        LogEntry(date=today.replace(day=1), community_id=1, resolution_id=1),
        LogEntry(date=monday, community_id=2, resolution_id=2),
    )
    due = analytics.due_now(f["resolutions"], f["log"], today, f["pauses"])
    assert due[["resolution_id", "done", "left"]].values.tolist() == [[1, 1, 1]]
    assert due.iloc[0]["period_end"] == D(2026, 11, 30)
    store.add(Pause(start=today, community_id=1))
    f = {name: store.frame(name) for name in FRAME_NAMES}
    assert analytics.due_now(f["resolutions"], f["log"], today, f["pauses"]).empty


# -- links that hold ------------------------------------------------------------------------------


@pytest.fixture
def linked(store):
    store.add_many([Community(name="Choir", id=1), Community(name="Work", id=2),
                    Resolution(cue="Friday", give="thank a colleague", community_id=2,
                               start=D(2026, 3, 1), end=D(2026, 9, 30), id=1)])
    return store


@pytest.mark.parametrize("give, words", [
    (LogEntry(D(2026, 5, 1), 1, resolution_id=1), "belongs to another community"),
    (LogEntry(D(2026, 2, 28), 2, resolution_id=1), "starts on 2026-03-01, after this give"),
    (LogEntry(D(2026, 10, 1), 2, resolution_id=1), "ended on 2026-09-30, before this give"),
])
def test_a_give_credited_where_it_does_not_belong_is_refused(linked, give, words):
    with pytest.raises(ValidationError) as caught:
        linked.add(give)
    assert caught.value.field == "resolution_id"
    assert str(caught.value) == f"The resolution \u201cthank a colleague\u201d {words}."
    assert linked.counts()["log"] == 0
    fine = linked.add(LogEntry(D(2026, 5, 1), 2, resolution_id=1))
    with pytest.raises(ValidationError):
        linked.update(give.with_changes(id=fine))
    # The resolution cannot move away from the give credited to it either.
    with pytest.raises(ValidationError, match="1 give from 2026-05-01 to 2026-05-01"):
        linked.update(linked.get(Resolution, 1).with_changes(start=D(2026, 6, 1)))


def test_the_check_reports_cross_linked_gives_in_an_older_file(linked, tmp_path):
    linked.add(LogEntry(D(2026, 5, 1), 2, resolution_id=1))
    with linked.transaction() as con:  # as a file from before the rule could hold it
        con.execute("UPDATE log_entry SET community_id = 1")
    assert linked.check() == ["log_entry row 1: its resolution 1 belongs to another community"]
    done = subprocess.run([sys.executable, "-m", "workbook", "check", "--db", str(linked.path)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 1
    assert done.stdout == "log_entry row 1: its resolution 1 belongs to another community\n"


def test_keeping_in_january_moves_the_gives_before_the_old_plan_ends(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBOOK_TODAY", "2027-01-06")
    with Store(tmp_path / "w.sqlite") as store:
        store.add_many([Community(name="Choir", id=1),
                        Resolution(cue="c", give="g", community_id=1, start=D(2026, 1, 1),
                                   id=1),
                        LogEntry(D(2027, 1, 2), 1, resolution_id=1)])
        old = store.get(Resolution, 1)
        store.carry_over(old.with_changes(end=D(2026, 12, 31)),
                         old.with_changes(id=None, start=D(2027, 1, 1), end=None))
        assert store.check() == []
        assert store.frame("log")["resolution_id"].tolist() == [2]
