"""A browser tab on the app, as the browser tests and screenshot scripts drive it."""

from __future__ import annotations

import re

from apprunner import ROOT

from workbook.app import STEPS

SHOTS = ROOT / "screenshots"
READY = "/voila/static/favicon.ico"
LOCAL = re.compile(r"^(https?|wss?)://127\.0\.0\.1:\d+/|^(data|blob|about):")
WAIT = 60_000  # ms: a kernel on a busy two-core machine can take its time


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
        self.page.locator(".wb-nav").get_by_role("button", name="1 Communities").wait_for(
            timeout=WAIT)
        self.page.locator(".wb-nav button:not([disabled])").first.wait_for(timeout=WAIT)
        self.page.locator(".wb-step-start").wait_for(timeout=WAIT)

    def step(self, label: str):
        """Go to a step by its button and return the step's section of the page."""
        step = next(s for s in STEPS if s.label == label)
        self.page.locator(".wb-nav").get_by_role("button", name=label, exact=True).click()
        section = self.page.locator(f".wb-step-{step.key}")
        section.get_by_text(step.heading, exact=True).first.wait_for(timeout=WAIT)
        self.assert_safe()
        return section

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
