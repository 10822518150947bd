"""The app with a keyboard and a screen reader, in a real browser.

axe-core finds no serious or critical violation on any step, at a laptop's and a phone's size,
with the demo workbook and with hostile names; the whole loop is done with keys alone; the focus
can always be seen; every chart is tied to the sentence under it. Without Chromium or axe-core
(``npm ci --prefix tests/axe``) the tests are skipped, except under CI.
"""

from __future__ import annotations

import os

import pytest
from accessibility import available, severe, violations
from apprunner import LAPTOP, PHONE, app_command, free_port, require_browser, serve
from appvisit import READY, SHOTS, WAIT, Visit
from shared import write_demo_file, write_hostile_file

from workbook.app import STEPS
from workbook.model import Community, LogEntry, Person, Reflection, Resolution
from workbook.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SIZES = {"laptop": LAPTOP, "phone": PHONE}
STEP = {s.key: s.label for s in STEPS}

# What has the focus: its tag, its name as a person hears it, and the parts of the page
# (``wb-<step>-<part>`` classes) it sits in.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const label = el.labels && el.labels.length ? el.labels[0].textContent.trim() : "";
  const parts = [];
  for (let up = el; up; up = up.parentElement) {
    for (const c of up.classList || []) if (/^wb-[a-z]+-[a-z_]+$/.test(c)) parts.push(c.slice(3));
  }
  const style = getComputedStyle(el);
  const group = el.closest("[role=radiogroup]");
  return {tag: el.tagName.toLowerCase(), parts: parts,
          group: group ? group.getAttribute("aria-label") || "" : "",
          name: el.getAttribute("aria-label") || label || el.textContent.trim().slice(0, 80),
          placeholder: el.getAttribute("placeholder") || "",
          outline: style.outlineStyle === "none" ? "" : style.outlineWidth,
          shadow: style.boxShadow === "none" ? "" : style.boxShadow};
}"""


def require_axe() -> None:
    """Skip without axe-core; under CI (CI=true) that is a failure instead."""
    if available():
        return
    problem = "axe-core is not installed (npm ci --prefix tests/axe --no-audit --no-fund)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"the accessibility tests must run under CI, but {problem}")
    pytest.skip(f"accessibility tests skipped: {problem}")


@pytest.fixture(scope="module", params=["demo", "hostile"])
def filled(request, tmp_path_factory):
    """The app on the demo workbook, or on one whose names are all hostile text."""
    require_browser()
    require_axe()
    folder = tmp_path_factory.mktemp(f"a11y-{request.param}")
    if request.param == "demo":
        db = write_demo_file(folder, years=1).path
    else:
        db = write_hostile_file(folder)
    port = free_port()
    with serve(app_command(port, db), port, log=folder / "server.log", ready_path=READY) as base:
        yield base


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """The app on a new, empty workbook."""
    require_browser()
    folder = tmp_path_factory.mktemp("a11y-keys")
    db = folder / "workbook.sqlite"
    port = free_port()
    with serve(app_command(port, db), port, log=folder / "server.log", ready_path=READY) as base:
        base.db = db
        yield base


def focused(page) -> dict | None:
    return page.evaluate(FOCUSED)


def tab_to(page, name: str, part: str | None = None, *, back: bool = False,
           limit: int = 250) -> dict:
    """Press Tab (or Shift+Tab) until the control called ``name`` (its label, text,
    placeholder or group), inside the page part ``part``, has the focus."""
    passed = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        now = focused(page)
        if now and name in (now["name"], now["placeholder"], now["group"]) and (
                part is None or part in now["parts"]):
            return now
        passed.append(now and now["name"])
    raise AssertionError(f"the keyboard never reached {name!r} in {part}; it passed {passed}")


def readable(found: dict) -> str:
    """Each step's serious and critical violations: rule, impact, help and where."""
    lines = []
    for where, items in found.items():
        for v in items:
            lines.append(f"{where}: {v['id']} ({v['impact']}, {v['count']}): {v['help']}")
            lines += [f"    {target}" for target in v["targets"]]
    return "\n".join(lines)


# -- axe-core -----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_no_serious_or_critical_violation_on_any_step(filled, browser, size):
    visit = Visit(browser, filled, SIZES[size])
    visit.open()
    found = {}
    for step in STEPS:
        visit.step(step.label)
        visit.page.wait_for_timeout(800)  # charts draw after the step shows
        bad = severe(violations(visit.page))
        if bad:
            found[step.key] = bad
    visit.close()
    assert found == {}, "\n" + readable(found)


# -- charts -------------------------------------------------------------------------------------


def test_every_chart_is_tied_to_the_sentence_under_it(filled, browser):
    visit = Visit(browser, filled, LAPTOP)
    visit.open()
    checked = 0
    for key in ("progress", "reflect"):
        section = visit.step(STEP[key])
        section.locator(".wb-chart svg").first.wait_for(state="attached", timeout=WAIT)
        visit.page.wait_for_timeout(300)  # the page ties them a moment after drawing
        for panel in section.locator(".wb-chart-panel").all():
            if not panel.is_visible():
                continue
            chart, note = panel.locator(".wb-chart"), panel.locator(".wb-chart-note")
            sentence = note.inner_text().strip()
            assert sentence
            assert chart.get_attribute("role") == "figure"
            assert chart.get_attribute("aria-label").startswith("Chart")
            described = chart.get_attribute("aria-describedby")
            assert described and note.get_attribute("id") == described
            # what a screen reader reads for the chart is the sentence people see under it
            said = visit.page.evaluate(
                "id => document.getElementById(id).textContent.trim()", described)
            assert said == sentence
            checked += 1
    visit.close()
    assert checked >= 2


# -- keyboard only ------------------------------------------------------------------------------


def type_in(page, text: str) -> None:
    """Type like a person, with a pause after the last key: ipywidgets holds back a field's
    changes while the kernel is busy, and a button press made at machine speed overtakes them."""
    page.keyboard.type(text, delay=20)
    page.wait_for_timeout(400)


def press(page, key: str, wait_for: str) -> None:
    page.keyboard.press(key)
    page.get_by_text(wait_for, exact=True).first.wait_for(timeout=WAIT)


def test_the_whole_loop_with_the_keyboard_alone(fresh, browser):
    visit = Visit(browser, fresh, LAPTOP)
    visit.open()
    page = visit.page

    tab_to(page, STEP["communities"])
    press(page, "Enter", "Add a community")
    tab_to(page, "e.g. Harbour Choir", "communities-community_form")
    type_in(page, "Harbour Choir")
    tab_to(page, "Save", "communities-community_form")
    press(page, "Space", "Saved Harbour Choir.")

    assert tab_to(page, "Name", "communities-person_form")["tag"] == "input"
    type_in(page, "Ana")
    tab_to(page, "Communities", "communities-person_form")
    page.keyboard.press("ArrowDown")  # the first (and only) community
    tab_to(page, "Save", "communities-person_form")
    press(page, "Enter", "Saved Ana.")

    tab_to(page, STEP["plan"], back=True)
    page.keyboard.press("Enter")
    first = tab_to(page, "Give ideas", "plan-form")  # one stop: the list's first card
    page.keyboard.press("ArrowDown")  # the second card, chosen as the keys move
    second = focused(page)
    assert second["group"] == "Give ideas" and second["name"] != first["name"], second
    assert page.evaluate("() => document.activeElement.checked")
    page.keyboard.press("Tab")  # out of the list at once, not through its other cards
    assert focused(page)["name"] == "Use this idea", focused(page)
    page.keyboard.press("Space")
    tab_to(page, "When", "plan-form")
    type_in(page, "after rehearsal on Thursday")
    tab_to(page, "Save", "plan-form")
    page.keyboard.press("Enter")
    visit.part("plan", "form").get_by_text("Saved the resolution", exact=False).wait_for(
        timeout=WAIT)

    tab_to(page, STEP["log"], back=True)
    page.keyboard.press("Enter")
    tab_to(page, "Visit", "log-form")  # a kind of give: one of a row of buttons
    page.keyboard.press("Space")
    tab_to(page, "More details", "log-form")  # a folded section
    page.keyboard.press("Enter")
    tab_to(page, "Note", "log-form")
    type_in(page, "took soup to Ana")
    tab_to(page, "Log it", "log-form")
    press(page, "Enter", "Saved a give (visit) in Harbour Choir.")

    tab_to(page, STEP["progress"], back=True)
    page.keyboard.press("Enter")
    stand = visit.part("progress", "stand")
    visit.page.wait_for_function(
        "el => /Gives logged in \\d+\\s+1\\b/.test(el.innerText)", arg=stand.element_handle(),
        timeout=WAIT)

    tab_to(page, STEP["reflect"], back=True)
    page.keyboard.press("Enter")
    tab_to(page, "Your answer", "reflect-form")
    type_in(page, "I gave most at the choir")
    tab_to(page, "Save", "reflect-form")
    press(page, "Space", "Saved your answer.")
    visit.close()

    with Store(fresh.db, readonly=True) as store:
        (community,) = store.records(Community)
        (person,) = store.records(Person)
        (resolution,) = store.records(Resolution)
        (give,) = store.records(LogEntry)
        (reflection,) = store.records(Reflection)
    assert community.name == "Harbour Choir"
    assert person.name == "Ana" and person.communities == (community.id,)
    assert resolution.cue == "after rehearsal on Thursday" and resolution.give
    assert resolution.community_id == community.id
    assert (give.kind, give.note, give.community_id) == ("visit", "took soup to Ana",
                                                         community.id)
    assert reflection.answer == "I gave most at the choir"


# -- the focus in sight -------------------------------------------------------------------------


@pytest.mark.parametrize("name, part, shot", [
    ("e.g. Harbour Choir", "communities-community_form", "focus-field"),
    ("Save", "communities-community_form", "focus-button"),
    ("Kind", "communities-community_form", "focus-choice"),
    (STEP["plan"], None, "focus-step"),
])
def test_the_focused_control_is_ringed(fresh, browser, name, part, shot):
    visit = Visit(browser, fresh, LAPTOP)
    visit.open()
    visit.step(STEP["communities"])
    visit.page.keyboard.press("Shift+Tab")  # the focus starts at the step's own button
    now = tab_to(visit.page, name, part)
    assert now["outline"] not in ("", "0px") or now["shadow"], now
    box = visit.page.evaluate(
        "() => { const r = document.activeElement.getBoundingClientRect();"
        " return {x: r.x, y: r.y, width: r.width, height: r.height}; }")
    SHOTS.mkdir(exist_ok=True)
    visit.page.screenshot(path=str(SHOTS / f"app-{shot}.png"), clip={
        "x": max(0, box["x"] - 12), "y": max(0, box["y"] - 12),
        "width": box["width"] + 24, "height": box["height"] + 24})
    visit.close()
