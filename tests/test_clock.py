"""One clock for every process: WORKBOOK_TODAY pins the date of the CLI, the app and kernels."""

from __future__ import annotations

import ast
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from apprunner import ROOT, free_port
from nbclient import NotebookClient

from workbook import app as webapp
from workbook import clock
from workbook.store import Store

BAD = "WORKBOOK_TODAY must be a date like 2027-01-06, not 'yesterday'"
PACKAGE = ROOT / "workbook"


def run(*args: str, today: str | None) -> subprocess.CompletedProcess:
    """``python -m workbook ...`` as a real process, with WORKBOOK_TODAY set or removed."""
    env = {k: v for k, v in os.environ.items() if k != clock.ENV_VAR}
    if today is not None:
        env[clock.ENV_VAR] = today
    return subprocess.run([sys.executable, "-m", "workbook", *args], capture_output=True,
                          text=True, env=env, timeout=120, cwd=ROOT)


def test_the_test_run_is_pinned(today):
    assert os.environ[clock.ENV_VAR] == today.isoformat()
    assert clock.today() == today


def test_without_the_variable_the_computer_decides(monkeypatch):
    monkeypatch.delenv(clock.ENV_VAR)
    assert clock.pinned() is None and clock.today() == dt.date.today()
    monkeypatch.setenv(clock.ENV_VAR, "  ")
    assert clock.pinned() is None


@pytest.mark.parametrize("text, day", [("2027-01-06", dt.date(2027, 1, 6)),
                                       (" 2028-02-29\n", dt.date(2028, 2, 29)),
                                       ("2026-12-31", dt.date(2026, 12, 31))])
def test_a_date_pins_today(monkeypatch, text, day):
    monkeypatch.setenv(clock.ENV_VAR, text)
    assert clock.today() == day


def test_a_held_today_stays_for_the_work_and_this_thread_only(monkeypatch, today):
    import threading

    seen = []
    with clock.held() as held:
        assert held == today
        monkeypatch.setenv(clock.ENV_VAR, "2027-01-01")  # midnight passes during the work
        assert clock.today() == today
        worker = threading.Thread(target=lambda: seen.append(clock.today()))
        worker.start()
        worker.join()
        with clock.held() as inner:
            assert inner == today
        assert clock.today() == today
    assert seen == [dt.date(2027, 1, 1)]  # another thread reads the date afresh
    assert clock.today() == dt.date(2027, 1, 1)
    monkeypatch.setenv(clock.ENV_VAR, "yesterday")
    with pytest.raises(clock.ClockError), clock.held():
        pass


@pytest.mark.parametrize("text", ["yesterday", "2027-02-30", "2027-02-29", "20270106",
                                  "2027-1-6", "06/01/2027", "2027-W01-3", "2027-01-06T10:00"])
def test_anything_else_is_refused_in_one_sentence(monkeypatch, text):
    monkeypatch.setenv(clock.ENV_VAR, text)
    with pytest.raises(clock.ClockError) as caught:
        clock.today()
    assert str(caught.value) == f"WORKBOOK_TODAY must be a date like 2027-01-06, not {text!r}"
    assert caught.value._render_traceback_() == [f"ClockError: {caught.value}"]


@pytest.mark.parametrize("args", [["info"], ["check"], ["handouts", "blank", "--out", "x.pdf"],
                                  ["app", "--no-browser", "--port", "0"]])
def test_every_command_stops_on_a_malformed_date(tmp_path, args):
    if args[0] == "app":
        args = ["app", "--no-browser", "--port", str(free_port())]
    done = run(*args, "--db", str(tmp_path / "w.sqlite"), today="yesterday")
    assert (done.returncode, done.stdout, done.stderr) == (1, "", f"workbook: error: {BAD}\n")
    assert not (tmp_path / "w.sqlite").exists() and not (ROOT / "x.pdf").exists()


def test_the_demo_ends_on_the_pinned_day_and_the_check_agrees(tmp_path):
    db = tmp_path / "demo.sqlite"
    done = run("demo", "--db", str(db), today="2027-01-06")
    assert done.returncode == 0, done.stderr
    with Store(db) as store:
        last = max(store.frame(name)["date"].max() for name in ("log", "help", "reflections"))
    assert last.date() == dt.date(2027, 1, 6)
    done = run("check", "--db", str(db), today="2027-01-06")
    assert (done.returncode, done.stdout) == (0, "ok\n"), done.stderr
    # Checked on the test run's own date, the same file holds gives from the future.
    done = run("check", "--db", str(db), today=os.environ[clock.ENV_VAR])
    assert done.returncode == 1 and "Date cannot be in the future" in done.stdout


def test_the_app_says_the_sentence_instead_of_starting(tmp_path, monkeypatch):
    monkeypatch.setenv(clock.ENV_VAR, "yesterday")
    built = webapp.build_app(tmp_path / "w.sqlite")
    assert built.session is None and built.nav.disabled
    assert built.error.text == BAD
    assert not (tmp_path / "w.sqlite").exists()


def _run_notebook(tmp_path, today: str) -> list[dict]:
    """Run the start notebook in a real kernel on ``today``; the outputs of each code cell."""
    nb = nbformat.read(ROOT / "notebooks" / "00-start-here.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(
        "from workbook import clock\nprint(clock.today().isoformat())"))
    env = {**os.environ, clock.ENV_VAR: today, "WORKBOOK_DB": str(tmp_path / "w.sqlite")}
    client = NotebookClient(nb, timeout=120, allow_errors=True, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute(env=env)
    return [cell.outputs for cell in nb.cells if cell.cell_type == "code"]


@pytest.mark.slow
def test_a_notebook_kernel_runs_on_the_pinned_day_or_shows_the_sentence(tmp_path):
    outputs = _run_notebook(tmp_path, "2027-01-06")
    assert outputs[-1][0]["text"] == "2027-01-06\n"
    outputs = _run_notebook(tmp_path, "yesterday")
    error = outputs[0][0]
    assert error["output_type"] == "error" and error["traceback"] == [f"ClockError: {BAD}"]


# -- nothing else in the package reads the computer's clock ------------------------------------
READERS = {("date", "today"), ("datetime", "today"), ("datetime", "now"), ("datetime", "utcnow"),
           ("Timestamp", "now"), ("Timestamp", "today"), ("time", "localtime"),
           ("time", "time"), ("time", "gmtime")}


def _clock_readers(path: Path) -> list[str]:
    """``date.today``, ``datetime.now``, ``Timestamp("now")`` and the like in one file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name | ast.Attribute):
            owner = node.value.attr if isinstance(node.value, ast.Attribute) else node.value.id
            if (owner, node.attr) in READERS:
                found.append(f"{path.name}:{node.lineno} {owner}.{node.attr}")
        elif isinstance(node, ast.Constant) and node.value in ("today", "now"):
            found.append(f"{path.name}:{node.lineno} {node.value!r}")
    return found


def test_only_the_clock_reads_the_date():
    found = [hit for path in sorted(PACKAGE.rglob("*.py")) if path.name != "clock.py"
             for hit in _clock_readers(path)]
    assert found == []


def test_the_check_finds_what_it_looks_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import datetime as dt\nimport pandas as pd\nimport time\n"
                      "a = dt.date.today()\nb = dt.datetime.now()\nc = pd.Timestamp('now')\n"
                      "d = time.time()\ne = time.monotonic()\n")
    assert _clock_readers(sample) == ["sample.py:4 date.today", "sample.py:5 datetime.now",
                                      "sample.py:6 'now'", "sample.py:7 time.time"]
