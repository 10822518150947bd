"""A large workbook's backup: written in pieces, read back whole, refused up front when it cannot
be."""

from __future__ import annotations

import filecmp
import os
import resource
import subprocess
import sys

import pytest
from shared import grow_log, write_demo_file

from workbook import backup
from workbook.backup import BackupError
from workbook.store import Store

CLI = [sys.executable, "-m", "workbook"]


def _run(*args, limit_bytes: int | None = None) -> subprocess.CompletedProcess:
    def limited():  # the child's own address-space limit, as `prlimit --as` sets it
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))

    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=600,
                          preexec_fn=limited if limit_bytes else None)


def test_pieces_make_the_same_text_as_dump(tmp_path):
    demo = write_demo_file(tmp_path, years=2)
    with Store(demo.path) as s:
        text = backup.dump(s)
        with s.snapshot():
            parts = list(backup.pieces(s))
        written = backup.write(s, tmp_path / "b.json")
    assert len(parts) > 3  # the log comes in pieces, not as one string
    assert "".join(parts) == text
    assert written.read_text(encoding="utf-8") == text


def test_a_backup_over_the_limit_is_not_written_and_the_old_file_stays(tmp_path):
    demo = write_demo_file(tmp_path, years=1)
    out = tmp_path / "b.json"
    out.write_bytes(b"an older backup")
    with Store(demo.path) as s, pytest.raises(BackupError, match="larger than 10,000 bytes"):
        backup.write(s, out, limit=10_000)
    assert out.read_bytes() == b"an older backup"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".b.json")] == []


def test_a_backup_too_large_for_the_memory_left_is_refused_before_reading(tmp_path):
    big = tmp_path / "big.json"
    with open(big, "wb") as f:  # sparse: only its size is looked at before the refusal
        f.truncate(600 * 1024 * 1024)
    demo = write_demo_file(tmp_path, years=1)
    before = demo.path.read_bytes()
    result = _run("--db", str(demo.path), "import", "--replace", str(big),
                  limit_bytes=2 * 1024**3)
    assert result.returncode == 1, result.stderr
    assert "needs about 5.7 GB of memory" in result.stderr
    assert "Nothing was changed" in result.stderr
    assert "Traceback" not in result.stderr
    assert demo.path.read_bytes() == before


@pytest.mark.slow
def test_a_100_mb_workbook_round_trips(tmp_path):
    demo = write_demo_file(tmp_path, years=30)
    gives = grow_log(demo.path, 100 * 1024 * 1024)
    first, copy, again = tmp_path / "first.json", tmp_path / "copy.sqlite", tmp_path / "again.json"

    exported = _run("--db", str(demo.path), "export", "--format", "json", "--out", str(first))
    assert exported.returncode == 0, exported.stderr
    assert first.stat().st_size > 64 * 1024 * 1024  # past the limit backups used to have

    imported = _run("--db", str(copy), "import", str(first))
    assert imported.returncode == 0, imported.stderr
    assert f"Log entries    {gives:,}" in imported.stdout
    assert os.stat(copy).st_size > 90 * 1024 * 1024

    again_run = _run("--db", str(copy), "export", "--format", "json", "--out", str(again))
    assert again_run.returncode == 0, again_run.stderr
    assert filecmp.cmp(first, again, shallow=False)
