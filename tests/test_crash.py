"""A program killed in the middle of writing never damages the workbook or loses a saved give."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbook.store import SCHEMA_VERSION, Store

pytestmark = pytest.mark.slow

WRITER = Path(__file__).with_name("crash_writer.py")
OLD_WORKBOOK = Path(__file__).parent / "fixtures" / "workbook-v1.sqlite"
SEED = 20261126
FILES = 6
KILLS_PER_FILE = 9  # the same file is killed again and again, so damage would pile up
STARTUP_SHARE = 0.2  # kills aimed at start-up: import, open, creation, recovery


def _write_until_killed(db: Path, rng: random.Random, seed: int) -> list[int]:
    """Start a writer, SIGKILL it at a random moment, return the ids it confirmed."""
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), str(db), "--seed", str(seed)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        if rng.random() < STARTUP_SHARE:
            time.sleep(rng.uniform(0.15, 0.6))
        else:
            first = proc.stdout.readline()  # "open": the workbook is open, writing begins
            assert first == "open\n", f"writer did not start: {first!r} {proc.stderr.read()}"
            time.sleep(rng.uniform(0.0, 0.04))
        alive = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert alive, f"the writer stopped by itself (exit {proc.returncode}): {err}"
    assert proc.returncode == -signal.SIGKILL
    return [int(line) for line in out.splitlines() if line.isdigit()]


def test_killed_writers_leave_a_sound_workbook(tmp_path, record_property):
    rng = random.Random(SEED)
    started = time.perf_counter()
    kills = confirmed_total = rows_total = 0
    for n in range(FILES):
        db = tmp_path / f"workbook-{n}.sqlite"
        if n % 2:  # the first writer migrates an old workbook, and may die doing it
            shutil.copyfile(OLD_WORKBOOK, db)
        confirmed: list[int] = []
        for k in range(KILLS_PER_FILE):
            confirmed += _write_until_killed(db, rng, seed=n * 100 + k)
            kills += 1
        assert len(confirmed) == len(set(confirmed)), "an id was handed out twice"
        with Store(db) as store:
            assert store.check() == []
            log = store.frame("log")
            missing = set(confirmed) - set(log.id)
            assert not missing, f"{len(missing)} confirmed gives were lost: {sorted(missing)[:10]}"
            assert store.schema_version == SCHEMA_VERSION
            written = log.set_index("id").loc[confirmed, "note"]
            assert written.str.startswith("writer #").all()
            assert store.counts()["communities"] == (2 if n % 2 else 1)
        assert not db.with_name(db.name + "-wal").exists()
        confirmed_total += len(confirmed)
        rows_total += len(log)
    seconds = time.perf_counter() - started
    assert kills >= 50
    assert confirmed_total > kills  # most kills land while gives are being written
    summary = (f"{kills} kills over {FILES} files (half migrated from version 1), "
               f"{confirmed_total} confirmed ids all present "
               f"({rows_total} rows saved), {seconds:.1f} s")
    record_property("crash_summary", summary)
    print(summary)
