"""The app on chosen dates: the server and its kernels run on ``WORKBOOK_TODAY``, so the edges of
the year (New Year's Eve, New Year's Day, a leap day) can be tried in a real browser.

Each date gets its own server on a new workbook. A give is logged on that date with the form's
own default, the next day is refused, and ``workbook check`` run on the same date finds nothing
wrong afterwards. Chromium does not run under faketime, which is why the date travels this way.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys

import pytest
from apprunner import LAPTOP, app_command, free_port, serve
from appvisit import CARDS, READY, WAIT, Visit, error_below, text

from workbook import clock
from workbook.app import STEPS
from workbook.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DATES = (dt.date(2026, 12, 31), dt.date(2027, 1, 1), dt.date(2028, 2, 29))


def on(day: dt.date) -> dict[str, str]:
    """The environment that runs a process on ``day``."""
    return {**os.environ, clock.ENV_VAR: day.isoformat()}


def workbook(*args: str, day: dt.date) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workbook", *args], capture_output=True,
                          text=True, env=on(day), timeout=120)


@pytest.mark.parametrize("day", DATES, ids=str)
def test_the_app_runs_on_the_day_it_is_given(browser, tmp_path, day):
    db = tmp_path / "workbook.sqlite"
    port = free_port()
    with serve(app_command(port, db), port, env=on(day), log=tmp_path / "server.log",
               ready_path=READY) as base:
        tab = Visit(browser, base, LAPTOP)
        tab.open()
        for step in STEPS:
            tab.step(step.label)  # every step opens on this date

        form = tab.part("communities", "community_form")
        tab.step("Step 1, Communities")
        form.get_by_placeholder("e.g. Harbour Choir").fill("Harbour Choir")
        form.get_by_role("button", name="Save").click()
        form.get_by_text("Saved Harbour Choir.", exact=True).wait_for(timeout=WAIT)

        tab.step("Step 3, Log")
        log_form = tab.part("log", "form")
        date = log_form.locator("input[type=date]")
        assert date.input_value() == day.isoformat()  # the form starts on the server's today
        date.fill((day + dt.timedelta(days=1)).isoformat())
        log_form.get_by_role("button", name="Log it").click()
        error_below(date, "Date cannot be in the future.", tab.page)
        date.fill(day.isoformat())
        log_form.get_by_role("button", name="Log it").click()
        recent = tab.part("log", "list").locator(CARDS)
        recent.first.wait_for(state="attached", timeout=WAIT)
        assert text(recent.first).startswith(f"{day.isoformat()} · Harbour Choir")

        tab.step("Start")
        stand = tab.part("start", "stand")
        tab.page.wait_for_function(
            "([el, re]) => new RegExp(re).test(el.innerText)",
            arg=[stand.element_handle(), rf"Gives logged in {day.year}\s+1\b"], timeout=WAIT)
        tab.close()
        assert "/workbook/" not in base.output(), base.output()[-3000:]

    with Store(db) as store:
        assert store.frame("log")["date"].dt.date.tolist() == [day]
    done = workbook("check", "--db", str(db), day=day)
    assert (done.returncode, done.stdout.strip()) == (0, "ok"), done.stderr
    # The day before, the same give lies in the future: the check knows which day it is.
    before = workbook("check", "--db", str(db), day=day - dt.timedelta(days=1))
    assert before.returncode == 1
    assert re.search(r"log_entry row \d+: Date cannot be in the future", before.stdout)
