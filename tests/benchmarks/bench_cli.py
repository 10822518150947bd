"""How quick the command line is: start-up against ``python -c pass``, and the JSON backup's
export and import at 30 years of gives against pandas doing the same work.

Run: ``.venv/bin/python tests/benchmarks/bench_cli.py [--rounds 5] [--years 30]``. Not a test: it
prints what it measured and the ratios against the targets, in one run.

- Start-up: ``workbook --help`` and ``workbook --version`` as new processes, against
  ``python -c pass`` (five times the rounds, taking turns).
- Export: `workbook.backup.dump` of the demo workbook, against pandas reading every table with
  ``read_sql`` and writing it with ``to_json``.
- Import: `workbook.backup.read` and `workbook.backup.restore` into a new workbook (every value
  checked, every link checked), against pandas loading the same file with ``json`` and writing
  each list into a new SQLite file of the same tables with ``to_sql``.

Export and import run in this process (interpreter start and imports left out of both sides).
Medians of the rounds. Targets (the issue): start-up at most 3x, export and import at most 2x.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from workbook import backup
from workbook.demo import write_demo
from workbook.store import Store
from workbook.store.schema import _TABLES

TABLES = [table for table, _cols in _TABLES.values()]


def timed(run, rounds: int) -> float:
    took = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        took.append(time.perf_counter() - start)
    return statistics.median(took)


def start_up(rounds: int) -> dict[str, float]:
    """Medians of new processes, the three commands taking turns so that drift hits each alike.

    Bytecode is written and used, as after ``pip install`` (which compiles the package).
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    commands = {"python -c pass": ["-c", "pass"],
                "workbook --help": ["-m", "workbook", "--help"],
                "workbook --version": ["-m", "workbook", "--version"]}
    took: dict[str, list[float]] = {label: [] for label in commands}
    for turn in range(rounds * 5 + 1):
        for label, args in commands.items():
            start = time.perf_counter()
            subprocess.run([sys.executable, *args], check=True, stdout=subprocess.DEVNULL,
                           env=env)
            if turn:  # the first turn writes the bytecode
                took[label].append(time.perf_counter() - start)
    return {label: statistics.median(values) for label, values in took.items()}


def pandas_export(db: Path) -> str:
    with sqlite3.connect(db) as con:
        frames = {t: pd.read_sql(f"SELECT * FROM {t}", con) for t in [*TABLES, "membership"]}
    return json.dumps({t: json.loads(f.to_json(orient="records")) for t, f in frames.items()})


def pandas_import(text: str, empty: Path, target: Path) -> None:
    doc = json.loads(text)
    target.unlink(missing_ok=True)
    target.write_bytes(empty.read_bytes())  # the same tables, empty
    con = sqlite3.connect(target)
    with con:
        for name, (_cls, _noun) in backup.SECTIONS.items():
            rows = doc[name]
            frame = pd.DataFrame(rows)
            if name == "people":
                links = [(p["id"], c) for p in rows for c in p["communities"]]
                frame = frame.drop(columns="communities")
                pd.DataFrame(links, columns=["person_id", "community_id"]).to_sql(
                    "membership", con, if_exists="append", index=False)
            if "weekdays" in frame:
                frame["weekdays"] = frame["weekdays"].map(",".join)
            table = _TABLES[_cls][0]
            frame.to_sql(table, con, if_exists="append", index=False)
    con.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--years", type=int, default=30)
    args = parser.parse_args()
    ratios = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db, empty = folder / "demo.sqlite", folder / "empty.sqlite"
        Store(empty).close()
        with Store(db) as store:
            write_demo(store, years=args.years)
            counts = store.counts()
        print(f"{args.years} years of gives: {counts['log']:,} gives, "
              f"{sum(counts.values()):,} rows in all")

        times = start_up(args.rounds)
        for label, took in times.items():
            print(f"{label:<32}{took:8.3f} s")
        ratios["--help / python -c pass"] = (times["workbook --help"] / times["python -c pass"], 3)
        ratios["--version / python -c pass"] = (
            times["workbook --version"] / times["python -c pass"], 3)

        with Store(db, readonly=True) as store:
            ours = timed(lambda: backup.dump(store), args.rounds)
            text = backup.dump(store)
        theirs = timed(lambda: pandas_export(db), args.rounds)
        print(f"{'export: workbook':<32}{ours:8.3f} s   ({len(text) / 1e6:.1f} MB)")
        print(f"{'export: pandas read_sql, to_json':<32}{theirs:8.3f} s")
        ratios["export / pandas"] = (ours / theirs, 2)

        backup_file = folder / "backup.json"
        backup_file.write_text(text, encoding="utf-8")
        restored = folder / "restored.sqlite"

        def ours_import():
            restored.unlink(missing_ok=True)
            with Store(restored) as store:
                backup.restore(store, backup.read(backup_file))

        ours = timed(ours_import, args.rounds)
        theirs = timed(lambda: pandas_import(text, empty, folder / "pandas.sqlite"), args.rounds)
        with Store(restored, readonly=True) as store:
            assert store.counts() == counts and store.check() == []
        print(f"{'import: workbook':<32}{ours:8.3f} s")
        print(f"{'import: pandas json, to_sql':<32}{theirs:8.3f} s")
        ratios["import / pandas"] = (ours / theirs, 2)

    print(f"\n{'ratio':<32}measured  target")
    for label, (value, target) in ratios.items():
        mark = "ok" if value <= target else "OVER"
        print(f"{label:<32}{value:7.2f}x  {target:>4}x  {mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
