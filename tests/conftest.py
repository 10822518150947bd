"""Fixtures shared by the whole test suite."""

from __future__ import annotations

import datetime as dt

import pytest

from workbook import model
from workbook.store import Store

TODAY = dt.date(2026, 11, 26)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path_factory):
    """Never touch a real user's workbook, and pin the clock."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("WORKBOOK_DB", str(home / "workbook.sqlite"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setattr(model, "today", lambda: TODAY)


@pytest.fixture
def today() -> dt.date:
    """The pinned date every test runs on."""
    return TODAY


@pytest.fixture
def store(tmp_path):
    """An empty workbook in a temporary file."""
    with Store(tmp_path / "workbook.sqlite") as s:
        yield s
