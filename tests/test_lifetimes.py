"""Pages and stores over time: a page built again replaces the old one, a refresh makes no
widget, a save refreshes only what shows it, the store works from any thread, and reading a
workbook never changes it."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
import threading

import pytest
from apprunner import ROOT
from ipywidgets.widgets.widget import _instances

from workbook import pages
from workbook.model import Community, LogEntry
from workbook.store import SCHEMA_VERSION, Store

BUILDERS = (pages.start_page, pages.communities_page, pages.plan_page, pages.log_page,
            pages.progress_page, pages.reflect_page)
FIXTURES = ROOT / "tests" / "fixtures"


def live_widgets() -> int:
    """Widget models alive in this process (each one a model in the browser too)."""
    return len(_instances)


@pytest.fixture
def session(tmp_path, demo_one_year):
    s = pages.open_session(demo_one_year.copy(tmp_path, "w.sqlite"))
    yield s
    s.close()


@pytest.mark.parametrize("build", BUILDERS, ids=lambda b: b.__name__)
def test_a_page_built_again_twenty_times_leaves_nothing_behind(session, build):
    build(session)
    widgets_after_one, listeners = live_widgets(), len(session._listeners)
    for _ in range(20):
        page = build(session)
    assert len(session._listeners) == listeners
    assert live_widgets() == widgets_after_one
    assert session.pages[page_key(page)] is page


def page_key(page) -> str:
    return next(k for k, p in page.session.pages.items() if p is page)


def test_a_refresh_makes_no_widget(session):
    for build in BUILDERS:
        build(session)
    session.changed()  # the charts draw once
    before = live_widgets()
    for _ in range(5):
        session.changed()
    assert live_widgets() == before


def test_a_save_refreshes_only_the_pages_that_show_it(session, monkeypatch):
    built = {build.__name__: build(session) for build in BUILDERS}
    refreshed = []
    for name, page in built.items():
        real = page._refresh_data
        monkeypatch.setattr(page, "_refresh_data",
                            lambda real=real, name=name: (refreshed.append(name), real()))
    form = built["log_page"].parts["form"]
    form.save_button.click()
    assert form.status.text.startswith("Saved")
    assert sorted(refreshed) == ["log_page", "progress_page", "reflect_page", "start_page"]
    refreshed.clear()
    built["progress_page"].shown = False
    built["reflect_page"].shown = False
    form.save_button.click()
    assert sorted(refreshed) == ["log_page", "start_page"]  # the others only note it
    built["progress_page"].shown = True
    assert refreshed[-1] == "progress_page"


def test_frames_are_read_once_per_change_and_shared(session, monkeypatch):
    for build in BUILDERS:
        build(session)
    reads = []
    real = session.store.frame
    monkeypatch.setattr(session.store, "frame", lambda name: (reads.append(name), real(name))[1])
    session.store.add(Community(name="Rowing club"))
    session.changed({"communities"})
    assert reads.count("communities") == 1 and "log" not in reads


def test_the_store_works_from_whatever_thread_runs_a_callback(tmp_path):
    store = Store(tmp_path / "w.sqlite")
    cid = store.add(Community(name="Choir"))
    problems = []

    def give(n: int) -> None:
        try:
            for _ in range(n):
                store.add(LogEntry(date="2026-11-01", community_id=cid))
                store.frame("log")
        except Exception as e:  # noqa: BLE001 (the test reports whatever went wrong)
            problems.append(repr(e))

    threads = [threading.Thread(target=give, args=(25,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert problems == []
    assert store.counts()["log"] == 100
    done = []
    threading.Thread(target=lambda: (done.append(store.close()))).start()


def test_the_demo_switch_works_both_ways_from_another_thread(session):
    page = pages.start_page(session)
    thread = threading.Thread(target=page.parts["demo_button"].click)
    thread.start()
    thread.join()
    assert session.is_demo
    thread = threading.Thread(target=page.parts["home_button"].click)
    thread.start()
    thread.join()
    assert not session.is_demo and page.parts["error"].text == ""
    assert page.parts["path"].text == f"Your workbook: {session.home.name}"
    assert page.parts["full_path"].text.endswith(str(session.home))


# -- read means read ------------------------------------------------------------------------------


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workbook", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


@pytest.fixture
def old_file(tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURES / "workbook-v1.sqlite", path)
    return path


def test_info_reports_an_old_schema_as_old_and_changes_nothing(old_file):
    before = digest(old_file)
    done = run("info", "--db", str(old_file))
    assert done.returncode == 0, done.stderr
    assert f"Schema version  1 (older than this program's {SCHEMA_VERSION}" in done.stdout
    assert digest(old_file) == before
    assert sorted(p.name for p in old_file.parent.iterdir()) == ["old.sqlite"]


@pytest.mark.parametrize("args", [
    ["check"], ["export", "--out", "{tmp}/b.json"], ["export", "--format", "xlsx",
                                                    "--out", "{tmp}/b.xlsx"],
    ["charts", "--out", "{tmp}/charts"], ["review"],
    ["handouts", "plan", "--out", "{tmp}/p.pdf"],
])
def test_every_reading_command_leaves_the_file_as_it_was(old_file, tmp_path, args):
    before = digest(old_file)
    out = tmp_path / "out"
    out.mkdir()
    done = run(*[a.replace("{tmp}", str(out)) for a in args], "--db", str(old_file))
    assert done.returncode == 0, done.stdout + done.stderr
    assert digest(old_file) == before  # not upgraded, not switched to WAL
    assert sorted(p.name for p in old_file.parent.iterdir()) == ["old.sqlite", "out"]
    con = sqlite3.connect(old_file)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 1
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    con.close()


def test_a_read_only_store_refuses_to_write_and_a_writer_still_upgrades(old_file):
    with Store(old_file, readonly=True) as store:
        assert (store.file_version, store.schema_version) == (1, SCHEMA_VERSION)
        assert store.counts()["communities"] == 2
        with pytest.raises(Exception, match="reading only"):
            store.add(Community(name="x"))
    with Store(old_file) as store:
        assert store.file_version == 1 and store.schema_version == SCHEMA_VERSION
    with Store(old_file, readonly=True) as store:
        assert store.file_version == SCHEMA_VERSION
