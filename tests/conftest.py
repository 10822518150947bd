"""Fixtures shared by the whole test suite."""

from __future__ import annotations

import datetime as dt

import pytest
from shared import HOSTILE, DemoFile, write_demo_file

from workbook import clock
from workbook.store import Store

# pyproject.toml pins WORKBOOK_TODAY for the whole run (pytest-env sets it before this file is
# imported), so the test process, every server and kernel a test starts, and every module
# fixture all see one date. Without the pin nothing here could be trusted: stop at once.
TODAY = clock.pinned()
if TODAY is None:
    pytest.exit(f"{clock.ENV_VAR} is not pinned: the pytest-env plugin (pip install "
                "'.[test]') reads it from pyproject.toml", returncode=4)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path_factory):
    """Never touch a real user's workbook."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("WORKBOOK_DB", str(home / "workbook.sqlite"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium for one module's browser tests (skipped without one, except in CI)."""
    from apprunner import chromium, require_browser

    require_browser()
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def demo_app(demo_one_year, tmp_path_factory, request):
    """The app served on a copy of the demo's year, for one module's browser tests; its
    ``db`` is the copy."""
    from apprunner import app_command, free_port, require_browser, serve
    from appvisit import READY

    from workbook import server

    require_browser()
    folder = tmp_path_factory.mktemp(f"{request.module.__name__}-app")
    db = demo_one_year.copy(folder)
    port = free_port()
    with serve(app_command(port, db), port, log=folder / "server.log",
               env={server.CULL_VAR: "30"}, ready_path=READY) as base:
        base.db = db
        yield base


@pytest.fixture
def today() -> dt.date:
    """The pinned date every test runs on."""
    return TODAY


@pytest.fixture
def store(tmp_path):
    """An empty workbook in a temporary file."""
    with Store(tmp_path / "workbook.sqlite") as s:
        yield s


@pytest.fixture(scope="session")
def demo_one_year(tmp_path_factory) -> DemoFile:
    """The demo persona's year, written once for the run: read it, or change a copy."""
    return write_demo_file(tmp_path_factory.mktemp("demo-one-year"), years=1)


@pytest.fixture(scope="session")
def demo_ten_years(tmp_path_factory) -> DemoFile:
    """Ten years of the demo persona (the stress fixture), written once for the run."""
    return write_demo_file(tmp_path_factory.mktemp("demo-ten-years"), years=10)


@pytest.fixture
def hostile_texts() -> tuple[str, ...]:
    """Text that must stay text wherever it goes (`shared.HOSTILE`)."""
    return HOSTILE
