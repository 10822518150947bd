"""Giving as planned, in a real browser: three presses of Done on a three-a-week resolution
bring it from "nearly there" to "on track", and its visibility rises. One press per give."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from apprunner import LAPTOP, PHONE, app_command, free_port, serve
from appvisit import READY, WAIT, Visit, text
from playwright.sync_api import expect

from workbook import clock
from workbook.model import Community, LogEntry, Resolution
from workbook.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TODAY = clock.today()  # pinned by pyproject.toml: a Thursday
GIVE = "introduce a newcomer to two regulars"


def choir_row(tab):
    """The choir's row in the Progress step's table of communities."""
    tab.step("Step 4, Progress")
    row = tab.part("progress", "by_community").locator("tr", has_text="Harbour Choir").first
    row.wait_for(timeout=WAIT)
    return row


def visibility(row) -> int:
    """The visibility a row of communities shows, in percent."""
    return int(re.search(r"(\d+)%", text(row)).group(1))


def status(tab):
    """The resolution's status: the last cell of its row in "Plan and what happened"."""
    tab.step("Step 4, Progress")
    row = tab.part("progress", "plan_vs_actual").locator("tr", has_text=GIVE).first
    return row.locator("td").last


def test_three_presses_of_done_put_a_three_a_week_plan_on_track(browser, tmp_path):
    db = tmp_path / "workbook.sqlite"
    start = TODAY - dt.timedelta(days=TODAY.weekday() + 14)  # a Monday, two weeks before this
    with Store(db) as store:
        choir = store.add(Community(name="Harbour Choir", kind="hobby", activity=3))
        plan = store.add(Resolution(cue="a new singer comes", give=GIVE, community_id=choir,
                                    times=3, per="week", start=start))
        # Two weeks kept before this one: three gives in each.
        store.add_many([LogEntry(date=start + dt.timedelta(days=7 * w + d), community_id=choir,
                                 kind="introduction", minutes=10, resolution_id=plan)
                        for w in (0, 1) for d in (0, 2, 4)])
    port = free_port()
    with serve(app_command(port, db), port, log=tmp_path / "server.log",
               ready_path=READY) as base:
        tab = Visit(browser, base, LAPTOP)
        tab.open()
        before = visibility(choir_row(tab))
        expect(status(tab)).to_have_text("nearly there")  # 6 of 7.7 planned so far

        tab.step("Step 3, Log")
        due = tab.part("log", "due")
        for done in range(1, 4):
            row = due.locator(".widget-vbox", has_text=f"Harbour Choir: {GIVE}, {done - 1} of 3 "
                                                       "this week").first
            row.get_by_role("button", name="Done").click()  # the one click a planned give takes
            due.get_by_text(f"Harbour Choir: {GIVE}, {done - 1} of 3 this week",
                            exact=True).wait_for(state="hidden", timeout=WAIT)
            if done < 3:
                due.get_by_text(f"Harbour Choir: {GIVE}, {done} of 3 this week",
                                exact=True).wait_for(timeout=WAIT)
        due.get_by_text(f"Logged: Harbour Choir: {GIVE}.", exact=True).wait_for(timeout=WAIT)
        tab.shot("log-done-laptop")
        assert f"{GIVE}, 3 of 3" not in text(due)  # met for this week: no longer due
        # A page out of sight is redrawn when it is shown again, a moment after the step opens.
        expect(status(tab)).to_have_text("on track", timeout=WAIT)  # 9 of 7.7 planned so far
        row = choir_row(tab)
        expect(row).not_to_contain_text(f"{before}%", timeout=WAIT)
        after = visibility(row)
        assert after > before, (before, after)
        tab.close()

        phone = Visit(browser, base, PHONE)
        phone.open()
        phone.step("Step 3, Log")
        phone.part("log", "due").wait_for(timeout=WAIT)
        phone.shot("log-done-phone")
        phone.close()
        assert "/workbook/" not in base.output(), base.output()[-3000:]

    with Store(db) as store:
        gives = store.records(LogEntry)
        assert len(gives) == 9 and store.check() == []
        assert [(g.date, g.resolution_id, g.kind, g.minutes) for g in gives[-3:]] == [
            (TODAY, plan, "introduction", 10)] * 3
