"""The ``workbook`` command: happy paths, one-line errors, and files it must not touch."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from workbook import backup, cli, server
from workbook.cli import main
from workbook.model import Community, LogEntry, Person
from workbook.server import voila_command
from workbook.store import SCHEMA_VERSION, Store

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """``python -m workbook ...`` as a real process."""
    return subprocess.run(
        [sys.executable, "-m", "workbook", *args], capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, **(env or {})}, timeout=120,
    )


def one_error_line(err: str) -> str:
    assert err.startswith("workbook: error: "), err
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


@pytest.fixture
def db(tmp_path) -> Path:
    """A closed workbook with two communities, a person and two gives."""
    path = tmp_path / "mine.sqlite"
    with Store(path) as s:
        choir = s.add(Community(name="Choir 🎶", kind="hobby"))
        pantry = s.add(Community(name="<b>Food pantry</b>", kind="volunteering"))
        ana = s.add(Person(name="Ana", circle=15, communities=(choir, pantry)))
        s.add(LogEntry(date="2026-11-01", community_id=choir, person_id=ana, note="lift"))
        s.add(LogEntry(date="2026-11-02", community_id=pantry, kind="time", minutes=90))
    return path


# -- info, check, export, import -----------------------------------------------------------------
def test_info_shows_path_version_and_counts(db, capsys):
    assert main(["info", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split(None, 1) == ["Workbook", str(db)]
    assert lines[1].split() == ["Schema", "version", str(SCHEMA_VERSION)]
    assert lines[2].startswith("Size") and lines[3] == ""
    counts = dict(line.rsplit(None, 1) for line in lines[4:])
    assert {k.strip(): v for k, v in counts.items()} == {
        "Communities": "2", "People": "1", "Memberships": "2", "Resolutions": "0",
        "Log entries": "2", "Help received": "0", "Reflections": "0", "Pauses": "0",
    }
    # aligned: every value starts in the same column
    assert len({line.index(line.split()[-1]) for line in lines[4:]}) == 1


def test_db_option_before_the_command_and_from_the_environment(db, capsys, monkeypatch):
    assert main(["--db", str(db), "info"]) == 0
    assert str(db) in capsys.readouterr().out
    monkeypatch.setenv("WORKBOOK_DB", str(db))
    assert main(["info"]) == 0
    assert re.search(r"^Log entries +2$", capsys.readouterr().out, re.M)


def test_info_does_not_create_a_workbook(tmp_path, capsys):
    path = tmp_path / "nothing" / "here.sqlite"
    assert main(["info", "--db", str(path)]) == 0
    assert "not created yet" in capsys.readouterr().out
    assert not path.parent.exists()


def test_check_ok_and_problems(db, capsys):
    assert main(["check", "--db", str(db)]) == 0
    assert capsys.readouterr().out == "ok\n"
    con = sqlite3.connect(db)  # a value no form would accept, written behind the model's back
    con.execute("UPDATE log_entry SET date = '2099-01-01' WHERE id = 1")
    con.commit()
    con.close()
    assert main(["check", "--db", str(db)]) == 1
    assert capsys.readouterr().out == "log_entry row 1: Date cannot be in the future.\n"


def test_reading_commands_need_an_existing_workbook(tmp_path, capsys):
    path = tmp_path / "missing.sqlite"
    for command in (["check"], ["export"], ["charts", "--out", str(tmp_path / "c")],
                    ["handouts", "plan", "--out", str(tmp_path / "p.pdf")]):
        status = main([*command, "--db", str(path)])
        err = one_error_line(capsys.readouterr().err)
        if status == 1:  # a part not installed yet may be reported first
            assert "no workbook at" in err or "not available" in err
        assert status == 1
    assert not path.exists()


def test_export_json_to_screen_and_file_are_the_same(db, tmp_path, capsys):
    assert main(["export", "--db", str(db)]) == 0
    shown = capsys.readouterr().out
    out = tmp_path / "backup.json"
    assert main(["export", "--format", "json", "--out", str(out), "--db", str(db)]) == 0
    assert capsys.readouterr().out == f"{out}\n"
    assert out.read_text(encoding="utf-8") == shown
    assert json.loads(shown)["communities"][1]["name"] == "<b>Food pantry</b>"


def test_import_then_export_in_real_processes(db, tmp_path):
    out = tmp_path / "backup.json"
    first = run("export", "--db", str(db), "--out", str(out))
    assert first.returncode == 0, first.stderr
    copy = tmp_path / "copy.sqlite"
    second = run("import", str(out), "--db", str(copy))
    assert second.returncode == 0, second.stderr
    assert "Imported 5 records" in second.stdout
    assert run("export", "--db", str(copy)).stdout == out.read_text(encoding="utf-8")


def test_export_in_a_format_that_is_not_installed(db, tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "workbook.exports", None)  # as if the module were missing
    assert main(["export", "--format", "csv", "--out", str(tmp_path / "x.csv"),
                 "--db", str(db)]) == 1
    assert "The csv format is not available" in one_error_line(capsys.readouterr().err)
    assert main(["export", "--format", "xlsx", "--db", str(db)]) == 2
    assert "needs --out" in one_error_line(capsys.readouterr().err)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ics", "graphml"])
def test_export_other_formats(db, tmp_path, capsys, fmt):
    out = tmp_path / f"mine.{fmt}"
    assert main(["export", "--format", fmt, "--out", str(out), "--db", str(db)]) == 0
    assert capsys.readouterr().out.strip()
    assert out.exists()


# -- demo, charts, handouts, app ----------------------------------------------------------------
def test_demo_then_info_and_replace(tmp_path, capsys):
    path = tmp_path / "demo.sqlite"
    assert main(["demo", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Wrote the demo workbook" in out and " s." in out
    assert main(["check", "--db", str(path)]) == 0
    capsys.readouterr()
    assert main(["info", "--db", str(path)]) == 0
    info = capsys.readouterr().out
    assert int(info.split("Communities")[1].split()[0]) >= 3
    with Store(path) as s:
        once = backup.dump(s)

    assert main(["demo", "--db", str(path)]) == 1
    assert "--replace" in one_error_line(capsys.readouterr().err)
    assert main(["demo", "--db", str(path), "--replace"]) == 0
    with Store(path) as s:
        assert backup.dump(s) == once  # same seed, same demo
    assert main(["demo", "--db", str(path), "--replace", "--years", "2", "--seed", "7"]) == 0
    with Store(path) as s:
        assert backup.dump(s) != once


def test_demo_options_are_checked(tmp_path, capsys):
    path = tmp_path / "demo.sqlite"
    assert main(["demo", "--years", "0", "--db", str(path)]) == 2
    assert "years must be a number from 1 to 50" in one_error_line(capsys.readouterr().err)
    assert main(["demo", "--seed", "x", "--db", str(path)]) == 2
    assert not path.exists()


def test_charts_writes_files(db, tmp_path, capsys):
    out = tmp_path / "charts"
    assert main(["charts", "--out", str(out), "--format", "json", "--db", str(db)]) == 0
    printed = capsys.readouterr().out.split()
    assert len(printed) == 6 and all(Path(p).exists() for p in printed)
    for path in map(Path, printed):
        spec = json.loads(path.read_text())
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")


def test_charts_default_to_vega_lite_json(db, tmp_path, capsys):
    out = tmp_path / "charts"
    assert main(["charts", "--out", str(out), "--db", str(db)]) == 0
    assert sorted(p.suffix for p in out.iterdir()) == [".json"] * 6


def test_handouts_plan_and_plans_from_a_folder(db, tmp_path, capsys):
    plan = tmp_path / "plan.pdf"
    assert main(["handouts", "plan", "--out", str(plan), "--db", str(db)]) == 0
    assert plan.read_bytes().startswith(b"%PDF")
    folder, out = tmp_path / "room", tmp_path / "plans"
    folder.mkdir()
    (folder / "ana.sqlite").write_bytes(db.read_bytes())
    assert main(["handouts", "plan", "--from-dir", str(folder), "--out-dir", str(out)]) == 0
    assert [p.name for p in out.iterdir()] == ["ana-plan.pdf"]


def test_handouts_blank(tmp_path, capsys):
    out = tmp_path / "blank.pdf"
    assert main(["handouts", "blank", "--out", str(out), "--paper", "letter"]) == 0
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("args", [
    ["handouts"],
    ["handouts", "plan"],
    ["handouts", "plan", "--from-dir", "x"],
    ["handouts", "plan", "--out", "a.pdf", "--out-dir", "o"],
    ["handouts", "plan", "--from-dir", "x", "--out-dir", "o", "--year", "2027"],
    ["handouts", "blank"],
    ["handouts", "blank", "--out", "a.pdf", "--paper", "a3"],
    ["handouts", "blank", "--out", "a.pdf", "--ideas", "--facilitator"],
])
def test_handouts_usage_errors(args, capsys):
    assert main(args) == 2
    one_error_line(capsys.readouterr().err)


def test_voila_command_serves_only_this_computer():
    command = voila_command(9123, open_browser=False)
    assert command[:3] == [sys.executable, "-m", "workbook.voila_guard"]
    assert Path(command[3]) == server.NOTEBOOKS and server.APP_NOTEBOOK.name == "app.ipynb"
    assert "--Voila.ip=127.0.0.1" in command and "--port=9123" in command
    assert "--no-browser" in command
    assert "--no-browser" not in voila_command(8866, open_browser=True)


def test_app_port_errors(capsys, monkeypatch):
    assert main(["app", "--port", "70000"]) == 2
    assert "port must be a number" in one_error_line(capsys.readouterr().err)
    monkeypatch.setenv("PORT", "web")
    assert main(["app", "--no-browser"]) == 2
    assert "$PORT" in one_error_line(capsys.readouterr().err)


def test_app_without_its_notebook(capsys, monkeypatch, tmp_path):
    from workbook import server

    monkeypatch.setattr(server, "APP_NOTEBOOK", tmp_path / "gone.ipynb")
    assert main(["app", "--no-browser", "--port", "9"]) == 1
    assert "app notebook is missing" in one_error_line(capsys.readouterr().err)


def test_optional_parts_fail_cleanly():
    with pytest.raises(cli.WorkbookError, match="Magic is not available"):
        cli._optional("no_such_part", "anything", "Magic")
    with pytest.raises(cli.WorkbookError, match="not available"):
        cli._optional("backup", "no_such_function", "Magic")


# -- the command line itself ------------------------------------------------------------------
def test_help_in_a_real_process():
    done = run("--help")
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.startswith("usage: workbook")
    for command in ("info", "demo", "export", "import", "check", "charts", "handouts", "app"):
        assert command in done.stdout


def test_help_and_version_in_process(capsys):
    assert main(["export", "--help"]) == 0
    assert "--format" in capsys.readouterr().out
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("workbook 0.")


@pytest.mark.parametrize("args, status, words", [
    ([], 2, "choose a command"),
    (["fly"], 2, "invalid choice: 'fly'"),
    (["info", "--colour"], 2, "unrecognized arguments: --colour"),
    (["export", "--format", "pdf"], 2, "invalid choice: 'pdf'"),
    (["import"], 2, "required: FILE"),
    (["import", "/no/such/backup.json"], 1, "No such file or directory: /no/such/backup.json"),
])
def test_errors_are_one_line(args, status, words, capsys):
    assert main(args) == status
    assert words in one_error_line(capsys.readouterr().err)


def test_errors_in_a_real_process_have_no_traceback(tmp_path):
    folder = tmp_path / "folder.sqlite"
    folder.mkdir()
    done = run("info", "--db", str(folder))
    assert done.returncode == 1 and done.stdout == ""
    assert "is a folder" in one_error_line(done.stderr)
    done = run("import", str(tmp_path))
    assert done.returncode == 1
    assert "is not a backup file" in one_error_line(done.stderr)
    done = run("demo", "--years", "many")
    assert done.returncode == 2
    one_error_line(done.stderr)


def test_messages_cannot_break_the_line():
    assert cli._one_line("a\nb\x1b[31mc\r\n") == "a b\\x1b[31mc"


# -- files that are not ours stay exactly as they were ------------------------------------------
def _random_bytes(path: Path) -> None:
    path.write_bytes(os.urandom(4096))


def _other_sqlite(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, title TEXT)")
    con.execute("INSERT INTO photos (title) VALUES ('beach')")
    con.commit()
    con.close()


def _newer_workbook(path: Path) -> None:
    with Store(path):
        pass
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.close()


def _text_file(path: Path) -> None:
    path.write_text("SQLite format 3 is what this line pretends to be\n")


@pytest.mark.parametrize("make, words", [
    (_random_bytes, "not a workbook file"),
    (_other_sqlite, "from another program"),
    (_newer_workbook, "newer version of the workbook"),
    (_text_file, "not a workbook file"),
])
def test_foreign_files_are_refused_and_untouched(make, words, tmp_path, db, capsys):
    foreign = tmp_path / "foreign.sqlite"
    make(foreign)
    before = foreign.read_bytes()
    good = tmp_path / "good.json"
    assert main(["export", "--db", str(db), "--out", str(good)]) == 0
    capsys.readouterr()
    for command in (["info"], ["check"], ["export"], ["import", str(good)],
                    ["import", str(good), "--replace"]):
        assert main([*command, "--db", str(foreign)]) == 1, command
        assert words in one_error_line(capsys.readouterr().err)
        assert foreign.read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["foreign.sqlite", "good.json",
                                                              "mine.sqlite"]


def test_foreign_file_in_a_real_process(tmp_path):
    foreign = tmp_path / "photos.db"
    _other_sqlite(foreign)
    before = foreign.read_bytes()
    done = run("info", env={"WORKBOOK_DB": str(foreign)})
    assert done.returncode == 1
    assert "from another program" in one_error_line(done.stderr)
    assert foreign.read_bytes() == before
