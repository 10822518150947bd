"""The season of giving in a real browser: on 1 December a person goes from "review my year" to a
printed plan and a calendar file for next year without typing a date; on 6 January the review
still shows the year that ended.

The app runs on those days through ``WORKBOOK_TODAY``, on the demo workbook written on the same
day. Screenshots of Start and the review at laptop and phone size land in ``screenshots/``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys

import icalendar
import pytest
from apprunner import LAPTOP, PHONE, app_command, free_port, serve
from appvisit import READY, WAIT, Visit, text

from workbook import clock
from workbook.model import Resolution
from workbook.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def on(day: dt.date) -> dict[str, str]:
    return {**os.environ, clock.ENV_VAR: day.isoformat()}


def demo_app(folder, day: dt.date):
    """The app on ``day``, on the demo persona's year up to that day."""
    db = folder / "workbook.sqlite"
    subprocess.run([sys.executable, "-m", "workbook", "demo", "--db", str(db)], env=on(day),
                   check=True, capture_output=True, timeout=120)
    port = free_port()
    return db, serve(app_command(port, db), port, env=on(day), log=folder / "server.log",
                     ready_path=READY)


def download(tab, section, button: str, filename: str, folder):
    section.get_by_role("button", name=button).click()
    link = section.get_by_role("link", name=re.compile(rf"Download {re.escape(filename)}"))
    link.wait_for(timeout=WAIT)
    with tab.page.expect_download(timeout=WAIT) as done:
        link.click()
    path = folder / filename
    done.value.save_as(path)
    return path


def test_on_the_first_of_december_the_review_ends_in_next_years_plan(browser, tmp_path):
    from pypdf import PdfReader

    day = dt.date(2026, 12, 1)
    db, server = demo_app(tmp_path, day)
    with server as base:
        tab = Visit(browser, base, LAPTOP)
        tab.open()
        season = tab.page.locator(".wb-start-season")
        assert "The season of giving: review 2026 and plan 2027" in text(season)
        tab.shot("season-start-laptop")
        season.get_by_role("button", name="Open the review").click()
        review = tab.page.locator(".wb-review")
        review.get_by_text("Your year of giving: 2026", exact=True).first.wait_for(timeout=WAIT)
        assert "1 January to 1 December 2026, so far" in text(review)

        # Carry the first running resolution into 2027.
        decisions = tab.part("reflect", "decisions")
        keep = decisions.get_by_role("button", name="Keep for 2027").first
        row = keep.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][1]")
        kept = text(row).split("\n")[0]
        keep.click()
        tab.part("reflect", "done").get_by_text("Kept for 2027", exact=False).wait_for(
            timeout=WAIT)

        # Accept the first suggestion, as it is.
        suggestions = tab.part("reflect", "suggestions")
        suggestions.get_by_role("button", name="Plan this").first.click()
        form = tab.part("reflect", "resolution_form")
        give_box = form.get_by_placeholder("e.g. send one member a useful link")
        tab.page.wait_for_function("el => el.value.length > 0", arg=give_box.element_handle(),
                                   timeout=WAIT)
        suggested = give_box.input_value()
        assert form.locator("input[type=date]").first.input_value() == "2027-01-01"
        form.get_by_role("button", name="Save").click()
        form.get_by_text("Saved the resolution", exact=False).wait_for(timeout=WAIT)
        tab.shot("season-review-laptop")

        plan = download(tab, tab.part("reflect", "plan_downloads"), "My plan for 2027 (PDF)",
                        "my-plan.pdf", tmp_path)
        words = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(plan).pages)
        assert "My giving plan for 2027" in words
        kept_give = kept.split(", I will ")[1].split(" (")[0]
        assert " ".join(kept_give.split()) in words
        assert " ".join(suggested.split()) in words
        ics = download(tab, tab.part("reflect", "plan_downloads"), "Reminders for 2027 (.ics)",
                       "my-reminders.ics", tmp_path)
        events = icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
        sentences = " ".join(str(e["description"]) for e in events)
        assert kept_give in sentences and suggested in sentences
        tab.close()

        phone = Visit(browser, base, PHONE)
        phone.open()
        phone.shot("season-start-phone")
        phone.step("Step 5, Reflect")
        phone.page.locator(".wb-review").get_by_text("Your year of giving: 2026",
                                                     exact=True).first.wait_for(timeout=WAIT)
        phone.shot("season-review-phone")
        phone.close()
        assert "/workbook/" not in base.output(), base.output()[-3000:]

    with Store(db) as store:
        starting = [r for r in store.records(Resolution) if r.start == dt.date(2027, 1, 1)]
        assert {r.give for r in starting} >= {kept_give, suggested}
    done = subprocess.run([sys.executable, "-m", "workbook", "check", "--db", str(db)],
                          env=on(day), capture_output=True, text=True, timeout=120)
    assert done.stdout == "ok\n", done.stdout + done.stderr


def test_on_the_sixth_of_january_the_review_shows_the_year_that_ended(browser, tmp_path):
    _db, server = demo_app(tmp_path, dt.date(2027, 1, 6))
    with server as base:
        tab = Visit(browser, base, LAPTOP)
        tab.open()
        assert "review 2026 and plan 2027" in text(tab.page.locator(".wb-start-season"))
        tab.step("Step 5, Reflect")
        review = tab.page.locator(".wb-review")
        review.get_by_text("Your year of giving: 2026", exact=True).first.wait_for(timeout=WAIT)
        assert "The whole of 2026, beside the whole of 2025." in text(review)
        assert tab.part("reflect", "year").locator("select").input_value() == "2026"
        tab.close()
