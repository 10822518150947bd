"""The web app in a real browser, as a new user meets it: started with ``workbook app``, driven
through Debian's Chromium by Playwright, checked on the page and in the workbook file.

One server and one browser serve the whole module; the tests run in order and build on each
other, like one person's first visit. Without Chromium they are skipped, except under CI.
"""

from __future__ import annotations

import re

import pytest
from apprunner import LAPTOP, PHONE, app_command, free_port, require_browser, serve
from appvisit import CARDS, READY, WAIT, Visit, error_below, text
from shared import IMG, SCRIPT

from workbook import clock, server
from workbook.app import STEPS
from workbook.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TODAY = clock.today()  # pinned by pyproject.toml; the server and its kernels inherit it
COMMUNITY = f"Harbour Choir {IMG}"
PERSON = f"Ana {SCRIPT}"
CUE = f"after rehearsal on Thursday {IMG}"
NOTE = f"lent my {SCRIPT} songbook 🎶 שלום"
HELP = f"a lift to the station {IMG}"
ANSWER = f"{SCRIPT} I gave most at the choir {IMG}"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The app, started exactly as a user starts it, on a new workbook."""
    require_browser()
    folder = tmp_path_factory.mktemp("browser-app")
    db = folder / "workbook.sqlite"
    port = free_port()
    with serve(app_command(port, db), port, log=folder / "server.log",
               env={server.CULL_VAR: "30"}, ready_path=READY) as base:
        base.db = db
        yield base


@pytest.fixture(scope="module")
def visit(browser, app):
    """The new user's tab, kept open across the tests that build on each other."""
    tab = Visit(browser, app, LAPTOP)
    yield tab
    tab.close()


def counts(app) -> dict[str, int]:
    with Store(app.db) as store:
        return store.counts()


# -- the first visit ----------------------------------------------------------------------------


def test_the_address_opens_the_app_with_its_header_and_steps(visit, app):
    visit.open()
    header = visit.page.locator(".wb-header")
    assert "Networking Workbook" in text(header)
    assert "workbook.sqlite" in text(header)
    labels = visit.page.locator(".wb-nav button").all_inner_texts()
    assert [label.strip() for label in labels] == [s.label for s in STEPS]
    start = visit.page.locator(".wb-step-start")
    assert "Where you stand" in start.inner_text()
    # The file by its name; its folder and the ways to open another wait under Details.
    assert "Your workbook: workbook.sqlite" in text(start)
    assert str(app.db.parent) not in text(start) and "--db" not in text(start)
    start.get_by_text("Details", exact=True).click()
    visit.part("start", "full_path").wait_for(timeout=WAIT)
    assert str(app.db) in text(start) and "--db PATH" in text(start)
    start.get_by_text("Details", exact=True).click()
    links = visit.page.locator(".wb-guided a")
    assert links.count() == 6
    assert links.first.get_attribute("href") == "00-start-here.ipynb"
    visit.shot("start-laptop")
    visit.assert_safe()


def test_a_community_with_an_empty_name_is_refused_next_to_the_field(visit, app):
    visit.step("Step 1, Communities")
    form = visit.part("communities", "community_form")
    form.get_by_role("button", name="Save").click()
    error_below(form.get_by_placeholder("e.g. Harbour Choir"), "Name must not be empty.",
                visit.page)
    assert counts(app)["communities"] == 0


def test_add_a_community_and_a_person(visit, app):
    section = visit.step("Step 1, Communities")
    form = visit.part("communities", "community_form")
    form.get_by_placeholder("e.g. Harbour Choir").fill(COMMUNITY)
    form.get_by_placeholder("e.g. alto, volunteer, member").fill(SCRIPT)
    form.get_by_placeholder("anything you want to remember").fill(IMG)
    form.get_by_role("button", name="Save").click()
    form.get_by_text(f"Saved {COMMUNITY}.", exact=True).wait_for(timeout=WAIT)
    listed = visit.part("communities", "community_list").locator(CARDS)
    assert text(listed.first).startswith(COMMUNITY)

    person = visit.part("communities", "person_form")
    person.get_by_placeholder("a first name, nickname or initials").fill(PERSON)
    person.locator("select[multiple]").select_option(index=0)
    person.get_by_placeholder("how you know them, what they care about").fill(IMG)
    person.get_by_role("button", name="Save").click()
    person.get_by_text(f"Saved {PERSON}.", exact=True).wait_for(timeout=WAIT)
    people = visit.part("communities", "person_list").locator(CARDS)
    assert text(people.first).startswith(PERSON)
    assert counts(app)["communities"] == 1 and counts(app)["people"] == 1
    assert COMMUNITY in text(section)
    visit.shot("communities-laptop")
    visit.assert_safe()


def test_turn_a_give_idea_into_a_resolution(visit, app):
    visit.step("Step 2, Plan")
    form = visit.part("plan", "form")
    form.locator(CARDS).first.click()
    form.get_by_role("button", name="Use this idea").click()
    give = form.get_by_placeholder("e.g. send one member a useful link")
    visit.page.wait_for_function(
        "el => el.value.length > 0", arg=give.element_handle(), timeout=WAIT)
    idea = give.input_value()
    give.fill(f"{idea} {SCRIPT}")
    form.get_by_placeholder("e.g. after choir rehearsal on Thursday").fill(CUE)
    form.get_by_role("button", name="Save").click()
    resolutions = visit.part("plan", "list").locator(CARDS)
    resolutions.first.wait_for(state="attached", timeout=WAIT)
    assert CUE in text(resolutions.first)
    with Store(app.db) as store:
        saved = store.frame("resolutions").iloc[0]
    assert saved["cue"] == CUE and saved["give"] == f"{idea} {SCRIPT}"
    visit.shot("plan-laptop")
    visit.assert_safe()


def drawn_chart(visit):
    """The progress step's calendar of gives once Vega has drawn its marks (SVG, offline)."""
    panel = visit.part("progress", "charts")
    panel.get_by_role("button", name="Calendar", exact=True).click()
    panel.get_by_text("Your gives in", exact=False).first.wait_for(timeout=WAIT)
    svg = panel.locator("svg.marks").first
    svg.locator(".role-mark").first.wait_for(state="attached", timeout=WAIT)
    return svg


def test_progress_before_the_first_give(visit):
    section = visit.step("Step 4, Progress")
    stand = visit.part("progress", "stand")
    year = TODAY.year
    assert re.search(rf"Gives logged in {year}\s+0\b", text(stand))
    assert section.is_visible()
    visit.chart_before = drawn_chart(visit).inner_html()


def test_a_give_in_the_future_is_refused_next_to_the_date(visit, app):
    visit.step("Step 3, Log")
    form = visit.part("log", "form")
    date = form.locator("input[type=date]")
    date.fill("2099-01-01")
    form.get_by_role("button", name="Log it").click()
    error_below(date, "Date cannot be in the future.", visit.page)
    assert counts(app)["log"] == 0


def test_log_a_give_and_help_that_came_back(visit, app):
    visit.step("Step 3, Log")
    form = visit.part("log", "form")
    form.locator("input[type=date]").fill(TODAY.isoformat())
    form.get_by_text("More details").click()
    form.get_by_placeholder("what you did, in a few words").fill(NOTE)
    form.get_by_role("button", name="Log it").click()
    recent = visit.part("log", "list").locator(CARDS)
    recent.first.wait_for(state="attached", timeout=WAIT)
    shown = text(recent.first)  # long entries are shortened in the list
    assert NOTE[:30] in shown and COMMUNITY in shown

    helped = visit.part("log", "help_form")
    helped.get_by_placeholder("who helped, and how").fill(HELP)
    helped.get_by_role("button", name="Save").click()
    noted = visit.part("log", "help_list").locator(CARDS)
    noted.first.wait_for(state="attached", timeout=WAIT)
    assert HELP in text(noted.first)
    assert counts(app)["log"] == 1 and counts(app)["help"] == 1
    visit.shot("log-laptop")
    visit.assert_safe()


def test_progress_shows_the_give(visit):
    section = visit.step("Step 4, Progress")
    stand = visit.part("progress", "stand")
    year = TODAY.year
    visit.page.wait_for_function(
        "([el, re]) => new RegExp(re).test(el.innerText)",
        arg=[stand.element_handle(), rf"Gives logged in {year}\s+1\b"], timeout=WAIT)
    assert COMMUNITY in text(visit.part("progress", "by_community"))
    # The calendar is drawn again with the give in it: its marks are not what they were.
    svg = drawn_chart(visit)
    # Vega may draw a new <svg> in place of the old one: look it up afresh each time.
    visit.page.wait_for_function(
        "(before) => { const svg = document.querySelector('.wb-progress-charts svg.marks');"
        " return svg !== null && svg.innerHTML !== before; }",
        arg=visit.chart_before, timeout=WAIT)
    assert svg.locator("text").count() > 0  # names and titles are SVG text, not HTML
    assert section.is_visible()
    visit.shot("progress-laptop")
    visit.assert_safe()


@pytest.mark.parametrize("button, filename, start", [
    # 26 November: the plan and the reminders are for the coming year
    (f"My plan for {TODAY.year + 1} (PDF)", "my-plan.pdf", b"%PDF"),
    (f"Reminders for {TODAY.year + 1} (.ics)", "my-reminders.ics", b"BEGIN:VCALENDAR"),
])
def test_take_the_plan_and_reminders_home(visit, button, filename, start, tmp_path):
    visit.step("Step 4, Progress")
    take_away = visit.part("progress", "downloads")
    take_away.get_by_role("button", name=button).click()
    link = take_away.get_by_role("link", name=re.compile(rf"Download {re.escape(filename)}"))
    link.wait_for(timeout=WAIT)
    # The server hands the file out; the page never carried its bytes.
    assert link.get_attribute("href").startswith("/voila/templates/networking-workbook/static/"
                                                 "files/")
    with visit.page.expect_download(timeout=WAIT) as download:
        link.click()
    assert download.value.suggested_filename == filename
    saved = tmp_path / filename
    download.value.save_as(saved)
    data = saved.read_bytes()
    assert data.startswith(start)
    if filename.endswith(".pdf"):
        from pypdf import PdfReader

        words = "".join(page.extract_text() for page in PdfReader(saved).pages)
        assert "Harbour Choir" in words and "<img src=x" in words  # the name, as plain text
    else:
        assert b"BEGIN:VEVENT" in data  # the resolution made on the Plan step
    visit.assert_safe()


def test_answer_a_reflection(visit, app):
    visit.step("Step 5, Reflect")
    form = visit.part("reflect", "form")
    form.get_by_placeholder("write freely; only you see this").fill(ANSWER)
    form.get_by_role("button", name="Save").click()
    form.get_by_text("Saved your answer.").wait_for(timeout=WAIT)
    answers = visit.part("reflect", "answers")
    answers.get_by_text(ANSWER, exact=True).wait_for(timeout=WAIT)
    assert counts(app)["reflections"] == 1
    visit.shot("reflect-laptop")
    visit.assert_safe()


# -- coming back -----------------------------------------------------------------------------------


def test_after_a_reload_everything_is_still_there(visit, app):
    """The reload gets the kernel that waited in the pool since before anything was saved."""
    used = app.output().count("Using pre-heated kernel")
    visit.page.reload(timeout=WAIT)
    visit.page.locator(".wb-nav button:not([disabled])").first.wait_for(timeout=WAIT)
    assert app.output().count("Using pre-heated kernel") == used + 1
    stand = visit.part("start", "stand")
    year = TODAY.year
    expected = {"Communities": 1, "People": 1, "Active resolutions": 1,
                f"Gives logged in {year}": 1, "Times help came back": 1,
                "Reflections written": 1}
    for what, number in expected.items():
        visit.page.wait_for_function(
            "([el, re]) => new RegExp(re).test(el.innerText)",
            arg=[stand.element_handle(), rf"{re.escape(what)}\s+{number}\b"], timeout=WAIT)
    visit.step("Step 1, Communities")
    assert text(visit.part("communities", "person_list").locator(CARDS).first) \
        .startswith(PERSON)
    visit.step("Step 5, Reflect")
    visit.part("reflect", "answers").get_by_text(ANSWER, exact=True).wait_for(timeout=WAIT)
    with Store(app.db) as store:
        assert store.counts() == {"communities": 1, "people": 1, "memberships": 1,
                                  "resolutions": 1, "log": 1, "help": 1, "reflections": 1,
                                  "pauses": 0}
        assert store.frame("communities")["name"].tolist() == [COMMUNITY]
        assert store.frame("people")["name"].tolist() == [PERSON]
        assert store.frame("log")["note"].tolist() == [NOTE]
        assert store.frame("reflections")["answer"].tolist() == [ANSWER]
        assert store.check() == []
    visit.assert_safe()


def test_the_page_cannot_make_the_kernel_run_code(visit, app, tmp_path):
    """Voila passes widget messages on, and drops every request to execute code."""
    marker = tmp_path / "ran.txt"
    received = visit.page.evaluate(
        """async (marker) => {
          const config = JSON.parse(document.getElementById('jupyter-config-data').textContent);
          const url = `ws://${location.host}${config.baseUrl}api/kernels/${config.kernelId}`
                      + `/channels?session_id=probe-${Date.now()}`;
          const ws = new WebSocket(url);
          await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = fail; });
          const types = [];
          ws.onmessage = (event) => {
            try { types.push(JSON.parse(event.data).msg_type); } catch (e) { types.push('?'); }
          };
          const message = (type, content) => JSON.stringify({
            channel: 'shell', content, metadata: {}, parent_header: {}, buffers: [],
            header: {msg_id: `${type}-${Math.random()}`, msg_type: type, username: 'probe',
                     session: 'probe', date: new Date().toISOString(), version: '5.3'}});
          ws.send(message('execute_request', {
            code: `open(${JSON.stringify(marker)}, 'w').write('ran')`, silent: false,
            store_history: false, user_expressions: {}, allow_stdin: false,
            stop_on_error: true}));
          ws.send(message('kernel_info_request', {}));
          const deadline = Date.now() + 20000;
          while (!types.includes('kernel_info_reply') && Date.now() < deadline) {
            await new Promise((ok) => setTimeout(ok, 100));
          }
          await new Promise((ok) => setTimeout(ok, 2000));
          ws.close();
          return types;
        }""",
        str(marker),
    )
    assert "kernel_info_reply" in received  # the channel works ...
    assert "execute_reply" not in received and "execute_result" not in received
    assert not marker.exists()  # ... and the code never ran
    assert 'Received message of type "execute_request", which is not allowed' in app.output()
    visit.assert_safe()


def test_every_step_fits_a_laptop_and_a_phone(browser, app):
    """Nothing needs the page to scroll sideways, and every field and button is inside the
    window, or inside a row that scrolls sideways within it (the steps on a phone, a chart)."""
    for name, size in (("laptop", LAPTOP), ("phone", PHONE)):
        tab = Visit(browser, app, size)
        tab.open()
        for step in STEPS:
            tab.step(step.label)
            overflow = tab.page.evaluate("""() => {
                const cells = document.getElementById('rendered_cells');
                const wide = [document.documentElement, cells].filter(
                    (el) => el && el.scrollWidth > el.clientWidth + 1);
                const off = (box) => box.left < 0 || box.right > window.innerWidth + 1;
                const scroller = (el) => {
                    for (let up = el.parentElement; up && up !== cells; up = up.parentElement) {
                        const x = getComputedStyle(up).overflowX;
                        if ((x === 'auto' || x === 'scroll') && up.scrollWidth > up.clientWidth)
                            return up;
                    }
                    return null;
                };
                const outside = [...document.querySelectorAll(
                        '.wb-app input, .wb-app select, .wb-app textarea, .wb-app button')]
                    .filter((el) => el.offsetParent !== null)
                    .filter((el) => {
                        const row = scroller(el);  // reached by scrolling the row, if it fits
                        return off((row || el).getBoundingClientRect());
                    });
                return [wide.length, outside.length];
            }""")
            assert overflow == [0, 0], (name, step.label, overflow)
            tab.shot(f"{step.key}-{name}")
        tab.close()


def test_the_app_raised_nothing_on_the_server(app):
    """Every step and every save went through without an exception in the kernels."""
    assert "/workbook/" not in app.output(), app.output()[-3000:]
