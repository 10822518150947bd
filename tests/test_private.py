"""A workbook holds private notes about people: its file is its owner's alone, in every mode."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from workbook.model import Community
from workbook.store import Store

ROOT = Path(__file__).resolve().parents[1]


def mode(path: Path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


def test_a_new_workbook_is_its_owners_alone_with_its_journal_files(tmp_path):
    db = tmp_path / "new folder" / "workbook.sqlite"
    with Store(db) as store:
        store.add(Community(name="Choir"))
        # while it is open, SQLite's -wal and -shm files sit beside it with the file's mode
        assert [mode(p) for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm"))] == ["0o600"] * 3
    assert mode(db.parent) == "0o700"
    assert mode(db) == "0o600"


def test_a_folder_that_was_there_is_left_as_it_was(tmp_path):
    tmp_path.chmod(0o755)
    Store(tmp_path / "workbook.sqlite").close()
    assert mode(tmp_path) == "0o755"
    assert mode(tmp_path / "workbook.sqlite") == "0o600"


def test_a_workbook_an_older_version_left_readable_is_made_private_when_written(tmp_path):
    db = tmp_path / "workbook.sqlite"
    with Store(db) as store:
        store.add(Community(name="Choir"))
    db.chmod(0o644)
    with Store(db, readonly=True) as store:  # a reader changes nothing, not even this
        assert store.counts()["communities"] == 1
    assert mode(db) == "0o644"
    Store(db).close()
    assert mode(db) == "0o600"


def test_every_command_that_makes_a_workbook_makes_it_private(tmp_path):
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    env.pop("WORKBOOK_DB", None)
    done = subprocess.run([sys.executable, "-m", "workbook", "demo"], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    db = tmp_path / "data" / "networking-workbook" / "workbook.sqlite"
    assert (mode(db.parent), mode(db)) == ("0o700", "0o600")
    backup = tmp_path / "backup.json"
    done = subprocess.run([sys.executable, "-m", "workbook", "export", "--out", str(backup)],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert mode(backup) == "0o600"
    restored = tmp_path / "other" / "restored.sqlite"
    done = subprocess.run([sys.executable, "-m", "workbook", "import", "--db", str(restored),
                           str(backup)], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert (mode(restored.parent), mode(restored)) == ("0o700", "0o600")


def _workbook(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "workbook", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=60)


def test_a_pipe_a_device_or_a_link_to_nothing_is_refused_at_once(tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    link = tmp_path / "link.sqlite"
    link.symlink_to(tmp_path / "elsewhere" / "target.sqlite")
    for db, words in ((pipe, "is a pipe, a socket or a device"), (Path("/dev/null"), "device"),
                      (link, "which is not there")):
        done = _workbook("--db", str(db), "info")  # would hang on the pipe without the check
        assert done.returncode == 1, done
        assert words in done.stderr and "Traceback" not in done.stderr
        done = _workbook("--db", str(db), "demo")
        assert done.returncode == 1 and words in done.stderr
    assert not (tmp_path / "elsewhere").exists()  # the link's target was not created


def test_import_refuses_a_pipe_or_a_folder_instead_of_waiting(tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    for source in (pipe, tmp_path):
        done = _workbook("--db", str(tmp_path / "w.sqlite"), "import", str(source))
        assert done.returncode == 1, done
        assert "is not a backup file" in done.stderr and "Traceback" not in done.stderr
