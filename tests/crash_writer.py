"""Write gives into a workbook, one transaction at a time: the child process of the crash and
concurrency tests.

Usage: python tests/crash_writer.py DB [--count N] [--tag TEXT] [--seed S] [--barrier]

Prints each saved id on its own line, only after the write that saved it has returned, so every
printed id must be in the workbook even if the process is killed a moment later.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbook.model import Community, LogEntry  # noqa: E402
from workbook.store import Store  # noqa: E402

# In the past for the real clock and for the date the tests pin.
GIVE_DATE = dt.date(2020, 1, 1)
NOTE_TAILS = ("", "🎶 choir", "שלום", "</script><img src=x onerror=alert(1)>", "é" * 700)


def main(argv: list[str] | None = None) -> int:
    """Open the workbook and write gives until --count is reached or the process is killed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--count", type=int, default=None, help="stop after this many gives")
    parser.add_argument("--tag", default="writer", help="start of every note")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--barrier", action="store_true",
                        help="print 'ready' and wait for 'go' on stdin before opening")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    if args.barrier:
        print("ready", flush=True)
        if sys.stdin.readline().strip() != "go":
            return 2
    with Store(args.db) as store:
        communities = store.frame("communities").id.tolist()
        community = communities[0] if communities else store.add(Community("Harbour Choir"))
        print("open", flush=True)
        written = 0
        while args.count is None or written < args.count:
            size = 1 if args.count is not None or rng.random() < 0.8 else rng.randint(2, 4)
            entries = [
                LogEntry(GIVE_DATE, community, kind=rng.choice(("advice", "link", "visit")),
                         minutes=rng.randint(0, 90),
                         note=f"{args.tag} #{written + k} {rng.choice(NOTE_TAILS)}")
                for k in range(size)
            ]
            ids = [store.add(entries[0])] if size == 1 else store.add_many(entries)
            # Printed only now: the commit has returned.
            print("\n".join(map(str, ids)), flush=True)
            written += size
    return 0


if __name__ == "__main__":
    sys.exit(main())
