"""The year-end review: what it shows on 1 December and on 6 January, carrying resolutions into
the new year, suggestions from the gaps, answers read back and edited, and `workbook review`."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys

import pytest
from apprunner import ROOT
from shared import BREAKOUT as HOSTILE

from workbook import review as rv
from workbook.demo import write_demo
from workbook.model import Community, LogEntry, Person, Reflection, Resolution
from workbook.store import FRAME_NAMES, Store

D = dt.date
DECEMBER, JANUARY = D(2026, 12, 1), D(2027, 1, 6)


def frames(store: Store) -> dict:
    return {name: store.frame(name) for name in FRAME_NAMES}


@pytest.fixture
def december(monkeypatch):
    monkeypatch.setenv("WORKBOOK_TODAY", DECEMBER.isoformat())
    return DECEMBER


@pytest.fixture
def small(store, december):
    """A choir with a running plan and gives, a quiet regular community, a close friend."""
    choir = store.add(Community(name="Harbour Choir", kind="hobby", activity=3))
    store.add(Community(name="Chapel Road", kind="faith", activity=2))
    store.add(Person(name="Mo", circle=5, communities=(choir,)))
    plan = store.add(Resolution(cue="rehearsal ends", give="thank the pianist",
                                community_id=choir, times=1, per="week", start=D(2026, 1, 5)))
    store.add_many([LogEntry(date=D(2026, 11, d), community_id=choir, resolution_id=plan)
                    for d in (3, 10, 17, 24)])
    store.add(LogEntry(date=D(2025, 11, 20), community_id=choir))
    return store


def test_on_the_first_of_december_the_year_is_reviewed_so_far(small, december):
    review = rv.year_review(frames(small), december)
    assert (review.year, review.plan_year, review.so_far, review.deciding) == (
        2026, 2027, True, True)
    assert review.title == "Your year of giving: 2026"
    assert review.period == ("1 January to 1 December 2026, so far, beside the same days of "
                             "2025.")
    assert review.summary.startswith("In 2026 so far you logged 4 gives")
    assert "more than the 1 of the same days of 2025" in review.summary
    assert dict((m, (a, b)) for m, a, b in review.numbers)["Gives"] == (4, 1)
    choir = review.communities[0]
    assert choir.name == "Harbour Choir" and choir.gives == 4 and choir.gives_before == 1
    [decision] = choir.decisions
    assert decision.state == "open" and "keep it" in decision.note
    assert decision.progress.startswith("behind") or decision.progress.startswith("on track")


def test_suggestions_come_from_the_gaps(small, december):
    review = rv.year_review(frames(small), december)
    by_key = {s.key: s for s in review.suggestions}
    chapel = by_key["community-2"]
    assert chapel.reason == "Nothing is planned in Chapel Road for 2027."
    assert chapel.resolution.start == D(2027, 1, 1) and chapel.resolution.community_id == 2
    assert chapel.sentence.startswith("When a new month begins in Chapel Road, I will ")
    mo = by_key["person-1"]
    assert mo.resolution.person_id == 1 and "Mo" in mo.resolution.give
    assert "community-1" not in by_key  # the choir has a plan for 2027 and saw a give lately


def test_keeping_a_resolution_for_the_new_year(small, december):
    [decision] = rv.year_review(frames(small), december).communities[0].decisions
    old = small.get(Resolution, decision.resolution_id)
    ended, copy = rv.carried(old, 2027)
    assert (ended.end, copy.start, copy.end, copy.id) == (D(2026, 12, 31), D(2027, 1, 1),
                                                          None, None)
    new_id = small.carry_over(ended, copy)
    assert small.get(Resolution, new_id).give == "thank the pianist"
    [decision] = rv.year_review(frames(small), december).communities[0].decisions
    assert decision.state == "kept" and decision.note.startswith("Kept for 2027")
    assert small.check() == []


def test_letting_a_resolution_end(small, december):
    [decision] = rv.year_review(frames(small), december).communities[0].decisions
    small.update(rv.ended(small.get(Resolution, decision.resolution_id), 2026))
    [decision] = rv.year_review(frames(small), december).communities[0].decisions
    assert decision.state == "ends" and decision.note == "Ends on 31 December 2026."
    suggested = {s.key for s in rv.year_review(frames(small), december).suggestions}
    assert "community-1" in suggested  # nothing planned for the choir in 2027 any more


def test_kept_in_january_the_first_gives_of_the_year_move_to_the_copy(store, monkeypatch):
    monkeypatch.setenv("WORKBOOK_TODAY", JANUARY.isoformat())
    choir = store.add(Community(name="Choir"))
    plan = store.add(Resolution(cue="c", give="g", community_id=choir, start=D(2026, 3, 1)))
    store.add_many([LogEntry(date=day, community_id=choir, resolution_id=plan)
                    for day in (D(2026, 12, 20), D(2027, 1, 2), D(2027, 1, 5))])
    new_id = store.carry_over(*rv.carried(store.get(Resolution, plan), 2027))
    assert store.frame("log")["resolution_id"].tolist() == [plan, new_id, new_id]
    assert store.check() == []


def test_in_january_the_review_is_of_the_year_that_ended(small, monkeypatch):
    monkeypatch.setenv("WORKBOOK_TODAY", JANUARY.isoformat())
    review = rv.year_review(frames(small), JANUARY)
    assert (review.year, review.so_far, review.plan_year) == (2026, False, 2027)
    assert review.period == "The whole of 2026, beside the whole of 2025."
    assert review.summary.startswith("In 2026 you logged 4 gives")
    assert rv.review_text(review).splitlines()[0] == "Your year of giving: 2026"


def test_a_past_year_has_nothing_to_decide(small, december):
    review = rv.year_review(frames(small), december, year=2025)
    assert not review.deciding and all(d.state == "past" for d in review.decisions)
    assert rv.review_years(frames(small), december) == [2027, 2026, 2025]


def test_review_answers_are_read_back_and_edited(store, december):
    store.add(Reflection(prompt_id="review-proudest", answer="the concert", date=D(2026, 11, 30)))
    store.add(Reflection(prompt_id="review-proudest", answer="last year's", date=D(2026, 1, 10)))
    review = rv.year_review(frames(store), december)
    answers = {a.prompt_id: a for a in review.answers}
    assert answers["review-proudest"].answer == "the concert"
    assert answers["review-next-year"].answer == "" and len(answers) == 4
    typed = {"review-proudest": "the concert, and the carols", "review-next-year": "the street",
             "review-came-back": "   "}
    to_save = rv.answers_to_save(review, typed, december)
    assert [(r.prompt_id, r.date, r.id is None) for r in to_save] == [
        ("review-proudest", D(2026, 11, 30), False), ("review-next-year", december, True)]
    store.save(to_save)
    again = {a.prompt_id: a.answer for a in rv.year_review(frames(store), december).answers}
    assert again["review-proudest"] == "the concert, and the carols"
    assert again["review-next-year"] == "the street"
    assert store.counts()["reflections"] == 3
    assert rv.answers_to_save(rv.year_review(frames(store), december), again, december) == []


def test_the_demo_review_names_the_neglected_choir(store, december):
    write_demo(store)
    review = rv.year_review(frames(store), december)
    reasons = " ".join(s.reason for s in review.suggestions)
    assert "Harbour Voices choir" in reasons
    assert sum(d.state == "open" for d in review.decisions) >= 3
    assert len(review.suggestions) <= rv.SUGGESTIONS_MAX


# -- the command ---------------------------------------------------------------------------------


def run(*args: str, today: dt.date) -> subprocess.CompletedProcess:
    env = {**os.environ, "WORKBOOK_TODAY": today.isoformat()}
    return subprocess.run([sys.executable, "-m", "workbook", *args], capture_output=True,
                          text=True, env=env, timeout=120, cwd=ROOT)


@pytest.fixture
def hostile_db(tmp_path, december):
    db = tmp_path / "w.sqlite"
    with Store(db) as store:
        write_demo(store)
        bad = store.add(Community(name=HOSTILE, kind="online", activity=3))
        store.add(LogEntry(date=D(2026, 11, 2), community_id=bad, note=HOSTILE))
        store.add(Reflection(prompt_id="review-proudest", answer=f"{HOSTILE}\nsecond line",
                             date=D(2026, 11, 30)))
    return db


def test_workbook_review_prints_the_year(hostile_db):
    done = run("review", "--db", str(hostile_db), today=DECEMBER)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Your year of giving: 2026"
    assert "Suggestions for 2027" in lines and f"  {HOSTILE} / second line" in lines
    january = run("review", "--db", str(hostile_db), today=JANUARY)
    assert january.stdout.splitlines()[0] == "Your year of giving: 2026"
    assert run("review", "--db", str(hostile_db), "--year", "2025",
               today=DECEMBER).stdout.startswith("Your year of giving: 2025\n")


def test_workbook_review_writes_a_page_that_fetches_nothing(hostile_db, tmp_path):
    out = tmp_path / "review.html"
    done = run("review", "--db", str(hostile_db), "--out", str(out), today=DECEMBER)
    assert done.returncode == 0 and done.stdout.strip() == str(out), done.stderr
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    markup = re.sub(r"<script[^>]*>.*?</script>", "", page, flags=re.S)  # the page outside code
    assert not re.search(r"<script[^>]+src=", page)  # no script is fetched
    assert not re.search(r"<link|<iframe|<img|url\(", markup)  # nor anything else
    assert HOSTILE not in page and "&lt;/script&gt;&lt;img src=x" in page
    specs = re.findall(r'<script type="application/json" id="spec-\d+">(.*?)</script>', page,
                       flags=re.S)
    assert len(specs) == 2 and all("<" not in s for s in specs)
    assert "vegaEmbed" in page and len(page) > 500_000  # the charts' library, inlined


def test_a_missing_workbook_is_one_line(tmp_path):
    done = run("review", "--db", str(tmp_path / "none.sqlite"), today=DECEMBER)
    assert done.returncode == 1 and done.stderr.startswith("workbook: error: There is no")


@pytest.mark.browser
def test_the_review_page_draws_its_charts_offline_and_shows_names_as_text(hostile_db, tmp_path):
    from apprunner import LAPTOP, chromium, require_browser

    require_browser()
    out = tmp_path / "review.html"
    assert run("review", "--db", str(hostile_db), "--out", str(out), today=DECEMBER).returncode == 0
    with chromium() as browser:
        page = browser.new_page(viewport=LAPTOP)
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(out.as_uri())
        page.locator("#chart-0 svg .role-mark").first.wait_for(state="attached", timeout=30_000)
        page.locator("#chart-1 svg .role-mark").first.wait_for(state="attached", timeout=30_000)
        assert page.evaluate("() => window.__pwned") is None
        assert HOSTILE in page.locator("body").inner_text()
        assert page.locator("img").count() == 0
        assert [u for u in requests if not u.startswith("file:")] == []
