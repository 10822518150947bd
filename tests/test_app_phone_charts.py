"""Charts drawn for the window they are in, in a real browser: one column and larger type on a
phone, and drawn again when the window crosses the phone's width."""

from __future__ import annotations

import pytest
from apprunner import LAPTOP, PHONE
from appvisit import SHOTS, WAIT, Visit

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# The SVG's width once Vega has drawn the chart whose title begins with ``title``; else 0.
DRAWN_WIDTH = """([panel, title]) => {
  const svg = panel.querySelector("svg.marks");
  const titled = svg && [...svg.querySelectorAll(".role-title-text")].some(
    (t) => t.textContent.trim().startsWith(title));
  return titled && svg.querySelector(".role-mark") ? Number(svg.getAttribute("width")) : 0;
}"""
# The views of the Progress step's chart panel, by button, with the start of each one's title
VIEWS = {"Plan": "Your resolutions", "Balance": "Where your gives went",
         "Visibility": "Your visibility"}


@pytest.fixture(scope="module")
def app(demo_app):
    """The app on a copy of the demo's year (its resolutions have run for months)."""
    return demo_app


def chart_width(tab: Visit, view: str, test: str) -> float:
    """The width of the Progress step's chart ``view`` once it is drawn and ``test(width)`` (a
    JavaScript function) holds."""
    panel = tab.part("progress", "charts")
    panel.get_by_role("button", name=view, exact=True).click()
    arg = [panel.element_handle(), VIEWS[view]]
    tab.page.wait_for_function(
        f"(arg) => {{ const w = ({DRAWN_WIDTH})(arg); return w > 0 && ({test})(w); }}",
        arg=arg, timeout=WAIT)
    return tab.page.evaluate(DRAWN_WIDTH, arg)


def test_a_phone_gets_charts_drawn_for_it_and_a_laptop_keeps_its_own(browser, app):
    tab = Visit(browser, app, LAPTOP)
    tab.open()
    tab.step("Step 4, Progress")
    wide = {view: chart_width(tab, view, "(w) => true") for view in VIEWS}
    assert all(width > 450 for width in wide.values()), wide  # two plan panels a row, and so on

    tab.page.set_viewport_size(PHONE)  # the window narrows past the phone's width
    narrow = {view: chart_width(tab, view, "(w) => w <= 360") for view in VIEWS}
    assert all(width <= 360 for width in narrow.values()), narrow
    SHOTS.mkdir(exist_ok=True)
    tab.part("progress", "charts").screenshot(path=str(SHOTS / "app-progress-charts-phone.png"))

    tab.page.set_viewport_size(LAPTOP)  # and widens again
    assert chart_width(tab, "Plan", "(w) => w > 450") == wide["Plan"]  # as it was
    tab.assert_safe()
    tab.close()


def test_a_page_opened_on_a_phone_draws_for_the_phone_from_the_start(browser, app):
    tab = Visit(browser, app, PHONE)
    tab.open()
    tab.step("Step 4, Progress")
    # the first drawing may be for a laptop, before the page has said it is a phone
    assert chart_width(tab, "Plan", "(w) => w <= 360") <= 360
    tab.close()
