"""A browser tab on the app, as the browser tests and screenshot scripts drive it."""

from __future__ import annotations

import re
import warnings

from apprunner import ROOT
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from workbook.app import STEPS

SHOTS = ROOT / "screenshots"
READY = "/voila/static/favicon.ico"
LOCAL = re.compile(r"^(https?|wss?)://127\.0\.0\.1:\d+/|^(data|blob|about):")
WAIT = 60_000  # ms: a kernel on a busy two-core machine can take its time
# The entries of a list of cards (workbook.forms.cards): one label per entry, its whole text
CARDS = ".wb-cards .widget-radio-box label"


class Visit:
    """A browser tab on the app that notes every request leaving 127.0.0.1 and every dialog."""

    def __init__(self, browser, base, size):
        self.base, self.size = base, size
        self.page = browser.new_page(viewport=size)
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.chart_before = ""  # the progress chart's SVG before the first give
        self.page.on("request", self._request)
        self.page.on("websocket", lambda ws: self._request(ws))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def _request(self, request) -> None:
        if not LOCAL.match(request.url):
            self.outside.append(request.url)

    def open(self) -> None:
        """Open "/" with the token and wait until the workbook is open and the steps answer."""
        at = getattr(self.base, "at", None)  # a room's address is a plain string, signed in to
        self.page.goto(at("/") if at else self.base + "/", timeout=WAIT)
        self.page.wait_for_url("**/voila/render/app.ipynb", timeout=WAIT)
        self.page.locator(".wb-nav").get_by_role("button", name="Step 1, Communities").wait_for(
            timeout=WAIT)
        self.page.locator(".wb-nav button:not([disabled])").first.wait_for(timeout=WAIT)
        self.page.locator(".wb-step-start").wait_for(timeout=WAIT)

    def step(self, label: str):
        """Go to a step by its button and return the step's section of the page.

        A step that has not shown after `WAIT` is waited for once more (pressed again if its
        button is not the pressed one), with a warning that says what the page showed, so a
        slow or lost step in a long run leaves its evidence; a second miss fails.
        """
        step = next(s for s in STEPS if s.label == label)
        button = self.page.locator(".wb-nav").get_by_role("button", name=label, exact=True)
        button.click()
        section = self.page.locator(f".wb-step-{step.key}")
        heading = section.get_by_text(step.heading, exact=True).first
        try:
            heading.wait_for(timeout=WAIT)
        except PlaywrightTimeout:
            seen = self.diagnose(step.key, button)
            warnings.warn(f"{label} had not shown after {WAIT // 1000} s: {seen}", stacklevel=2)
            if not seen["pressed"]:
                button.click()
            try:
                heading.wait_for(timeout=WAIT)
            except PlaywrightTimeout:
                raise AssertionError(
                    f"{label} never showed: {self.diagnose(step.key, button)}") from None
        self.assert_safe()
        return section

    def diagnose(self, key: str, button) -> dict:
        """What the page shows when a step does not: for a failure's message."""
        SHOTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"failed-step-{key}.png"))
        return {
            "pressed": "mod-active" in (button.get_attribute("class") or ""),
            "lost banner": self.page.locator("#wb-lost:not([hidden])").count() > 0,
            "page text": self.page.locator(".wb-app").first.inner_text()[:600],
        }

    def assert_safe(self) -> None:
        assert self.page.evaluate("() => window.__pwned") is None
        assert self.dialogs == []
        assert self.outside == [], self.outside

    def part(self, step: str, name: str):
        return self.page.locator(f".wb-{step}-{name}")

    def shot(self, name: str) -> None:
        """A screenshot of the whole step (Voila scrolls inside the page, so grow the window)."""
        SHOTS.mkdir(exist_ok=True)
        height = self.page.evaluate(
            "() => (document.getElementById('rendered_cells') || document.body).scrollHeight")
        self.page.set_viewport_size({"width": self.size["width"],
                                     "height": max(self.size["height"], height + 20)})
        self.page.screenshot(path=str(SHOTS / f"app-{name}.png"))
        self.page.set_viewport_size(self.size)

    def close(self) -> None:
        self.assert_safe()
        self.page.close()


def text(locator) -> str:
    """What an element shows (list widgets show spaces as no-break spaces)."""
    return locator.inner_text().replace("\xa0", " ")


def error_below(field, words: str, page) -> None:
    """A message is shown, and right under the field it belongs to."""
    message = page.get_by_text(words, exact=True)
    message.wait_for(timeout=WAIT)
    box, under = field.bounding_box(), message.bounding_box()
    assert 0 <= under["y"] - (box["y"] + box["height"]) < 40, (box, under)
    assert abs(under["x"] - box["x"]) < 30, (box, under)
