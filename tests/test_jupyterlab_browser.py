"""The guided notebooks in a real JupyterLab, as a person working alone meets them: a JupyterLab
server on a demo workbook, a notebook opened in Debian's Chromium, Run > Run All Cells, and the
forms and charts drawn with nothing fetched from outside 127.0.0.1.

The server runs with a home, settings and caches of its own in a temporary folder, on copies of
the notebooks, so neither the user's settings nor the repository are touched. Without Chromium
the tests are skipped, except under CI.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import sys

import pytest
from apprunner import LAPTOP, ROOT, free_port, require_browser, serve
from shared import BREAKOUT as HOSTILE

from workbook import clock
from workbook.demo import write_demo
from workbook.model import Community, LogEntry, Person, Resolution
from workbook.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOKS = ("01-map-your-communities.ipynb", "04-see-your-progress.ipynb")
SHOTS = ROOT / "screenshots"
LOCAL = re.compile(r"^(https?|wss?)://127\.0\.0\.1:\d+/|^(data|blob|about):")
WAIT = 90_000  # ms: a kernel and a notebook's widgets on a busy two-core machine
# The status bar tells the kernel's state from the session itself. The toolbar's execution
# indicator says "idle" before any kernel is known, and Run All Cells then runs nothing.
IDLE = re.compile(r"\| Idle$")
CHART = ".jp-OutputArea-output svg:has(.role-mark)"
# The user settings of the server's own home: no news or update checks, which would ask a
# question in a notification and fetch from the internet.
SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
}


def _demo_with_a_hostile_name(path) -> None:
    """The demo persona, plus a community whose name is markup, with a person, plan and give."""
    today = clock.today()  # pinned by pyproject.toml; JupyterLab's kernels inherit the pin
    with Store(path) as store:
        write_demo(store, today=today)
        community = store.add(Community(name=HOSTILE, kind="hobby", activity=3))
        store.add(Person(name=f"Ana {HOSTILE}", circle=15, communities=(community,)))
        plan = store.add(Resolution(cue="the rehearsal ends", give="share the sheet music",
                                    community_id=community, times=2, per="month",
                                    start=today.replace(month=1, day=1)))
        store.add(LogEntry(date=today, community_id=community, minutes=10, note=HOSTILE,
                           resolution_id=plan))


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab on copies of two notebooks and a demo workbook, isolated in a temp folder."""
    require_browser()
    folder = tmp_path_factory.mktemp("jupyterlab")
    db = folder / "workbook.sqlite"
    _demo_with_a_hostile_name(db)
    work = folder / "notebooks"
    work.mkdir()
    for name in NOTEBOOKS:
        shutil.copy(ROOT / "notebooks" / name, work / name)
    home = folder / "home"
    env = {
        "WORKBOOK_DB": str(db),
        "HOME": str(home),
        "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
        "JUPYTER_DATA_DIR": str(home / "jupyter-data"),
        "JUPYTER_RUNTIME_DIR": str(home / "jupyter-runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "lab-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "lab-workspaces"),
        "IPYTHONDIR": str(home / ".ipython"),
        "XDG_CACHE_HOME": str(home / ".cache"),  # the chart bundle is made afresh there
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
    }
    for name, values in SETTINGS.items():
        path = home / "lab-settings" / name
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(values))
    token = secrets.token_hex(24)
    port = free_port()
    args = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}",
        "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={work}", "--ServerApp.open_browser=False",
        "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",  # the default one asks PyPI about extensions
    ]
    if os.geteuid() == 0:
        args.append("--allow-root")  # containers often run as root; Jupyter refuses without it
    with serve(args, port, env=env, log=folder / "server.log",
               ready_path=f"/api/status?token={token}") as base:
        base.token = token
        yield base


class LabTab:
    """A browser tab on JupyterLab that notes requests leaving 127.0.0.1, errors and dialogs."""

    def __init__(self, browser, lab):
        self.lab = lab
        self.page = browser.new_page(viewport=LAPTOP)
        self.outside: list[str] = []
        self.page_errors: list[str] = []  # uncaught exceptions
        self.console_errors: list[str] = []
        self.dialogs: list[str] = []  # alert() and friends: only a script let loose would ask
        self.lab_dialogs: list[str] = []  # Lab's own questions, answered as a person would
        self.page.on("request", self._request)
        self.page.on("websocket", self._request)
        self.page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        self.page.on("console",
                     lambda m: m.type == "error" and self.console_errors.append(m.text))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def _request(self, request) -> None:
        if not LOCAL.match(request.url):
            self.outside.append(request.url)

    def open(self, notebook: str) -> None:
        """Open a notebook in a fresh workspace and wait until its kernel is idle."""
        # ?reset: a workspace left by another test would open its notebooks too
        self.page.goto(f"{self.lab}/lab/tree/{notebook}?reset&token={self.lab.token}",
                       timeout=WAIT)
        dialog = self.page.locator(".jp-Dialog")
        self.idle.or_(dialog).first.wait_for(timeout=WAIT)
        if dialog.count():
            # The only question Lab may ask here is which kernel to use: take the default.
            self.lab_dialogs.append(dialog.inner_text())
            dialog.locator(".jp-mod-accept").click()
            self.idle.wait_for(timeout=WAIT)

    @property
    def idle(self):
        """The status bar's kernel item once the kernel is connected and idle."""
        return self.page.locator(".jp-StatusBar-TextItem", has_text=IDLE)

    def run_all(self) -> None:
        """Run > Run All Cells, as a person does, and wait until every code cell has run."""
        self.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Run$")).click()
        self.page.locator(".lm-Menu-itemLabel", has_text=re.compile("^Run All Cells$")).click()
        self.page.wait_for_function(
            """() => {
                const prompts = [...document.querySelectorAll(
                    '.jp-CodeCell .jp-InputArea-prompt')].map(p => p.textContent.trim());
                return prompts.length > 0 && prompts.every(p => /^\\[\\d+\\]:$/.test(p));
            }""", timeout=WAIT)
        self.idle.wait_for(timeout=WAIT)
        failed = self.page.locator("[data-mime-type='application/vnd.jupyter.error']")
        assert failed.count() == 0, failed.all_inner_texts()

    def chart(self):
        """The first chart drawn in an output, once Vega has drawn its marks."""
        svg = self.page.locator(CHART).first
        svg.wait_for(timeout=WAIT)
        svg.scroll_into_view_if_needed()
        return svg

    def outputs_text(self) -> str:
        """Everything the outputs show as text (list widgets show spaces as no-break spaces)."""
        return "\n".join(self.page.locator(".jp-OutputArea-output").all_inner_texts()).replace(
            "\xa0", " ")

    def assert_safe(self) -> None:
        assert self.page.evaluate("() => window.__pwned") is None
        assert self.page.locator("img[src='x']").count() == 0
        assert self.outside == [], self.outside
        assert self.dialogs == [], self.dialogs
        assert "Error loading script" not in self.page.locator("body").inner_text()
        assert self.page_errors == [], self.page_errors
        chart_errors = [e for e in self.console_errors
                        if re.search(r"vega|altair|anywidget|widget", e, re.I)]
        assert chart_errors == [], chart_errors

    def shot(self, name: str) -> None:
        """Save what the window shows (Lab scrolls inside the notebook, not the page)."""
        SHOTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"))


@pytest.fixture
def tab(browser, lab):
    tab = LabTab(browser, lab)
    yield tab
    tab.page.close()


def test_progress_notebook_draws_its_charts_offline(tab):
    tab.open("04-see-your-progress.ipynb")
    tab.run_all()
    svg = tab.chart()
    drawn = svg.text_content()
    assert "Harbour Street Library" in drawn and "Family" in drawn  # the plan chart's panels
    # The resolution in the community named as markup: its (shortened) title drawn as text
    assert "</script><img src=x onerror=" in drawn
    assert svg.locator(".role-mark").count() > 5
    shown = tab.outputs_text()
    assert "Where you stand" in shown and "Harbour Voices choir" in shown
    assert HOSTILE in shown  # in the tables, as text
    tab.shot("lab-04")
    tab.assert_safe()


def test_map_notebook_draws_the_map_and_the_forms_offline(tab):
    tab.open("01-map-your-communities.ipynb")
    tab.run_all()
    svg = tab.chart()
    drawn = svg.text_content()
    assert "Family" in drawn and "Me" in drawn
    assert "</script><img" in drawn  # the map wraps and shortens long names
    assert svg.locator(".role-mark").count() > 5
    outputs = tab.page.locator(".jp-OutputArea-output")
    assert outputs.get_by_text("Name", exact=True).first.is_visible()
    assert outputs.get_by_role("button", name="Save").first.is_visible()
    shown = tab.outputs_text()
    assert "Harbour Voices choir" in shown
    assert HOSTILE in shown  # in the list of communities, as text
    tab.shot("lab-01")
    tab.assert_safe()
