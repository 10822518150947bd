"""How long the spreadsheet (.xlsx) and the CSV zip take to build at 30 years of gives.

Run: ``.venv/bin/python tests/benchmarks/bench_export.py [--rounds 5] [--years 30]``. Not a test:
it prints the medians of the rounds and each file's size, with the demo persona written by
`workbook.demo.write_demo`, for comparing one version of the exports with another.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from workbook import clock, exports
from workbook.demo import write_demo
from workbook.store import Store


def timed(build, rounds: int) -> tuple[float, int]:
    """The median seconds of ``rounds`` builds, and the size of the file built."""
    took, size = [], 0
    for _ in range(rounds):
        start = time.perf_counter()
        size = len(build())
        took.append(time.perf_counter() - start)
    return statistics.median(took), size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--years", type=int, default=30)
    args = parser.parse_args()
    today = clock.today()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.sqlite"
        with Store(db) as store:
            write_demo(store, years=args.years)
        with Store(db, readonly=True) as store:
            counts = store.counts()
            print(f"{args.years} years of gives: {counts['log']:,} gives, "
                  f"{sum(counts.values()):,} rows in all")
            for label, build in (("xlsx", exports.xlsx_bytes), ("csv zip", exports.csv_zip_bytes)):
                seconds, size = timed(lambda build=build: build(store, today), args.rounds)
                print(f"{label:<10}{seconds:8.3f} s   {size / 1e6:6.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
