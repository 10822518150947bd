"""How long all charts take to build for one year of the demo against ten years, and their sizes.

    .venv/bin/python tests/benchmarks/bench_charts.py [--repeat 5]

"Build" is ``all_charts`` plus ``to_dict`` (Altair builds and validates the spec there), from
DataFrames already read; reading the workbook is timed on its own line. The target is a ratio of
at most 2.0 between ten years and one, no spec over 200 KB and none over 5,000 rows.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from workbook import charts, clock
from workbook.demo import write_demo
from workbook.store import FRAME_NAMES, Store

TODAY = clock.today()  # WORKBOOK_TODAY=... runs the benchmark on another day
MAX_KB = 200


def rows(spec: dict) -> int:
    """Data rows a spec carries (Altair puts them all in ``datasets``)."""
    return sum(len(v) for v in spec.get("datasets", {}).values())


def measure(frames, repeat: int) -> tuple[list[float], dict[str, dict]]:
    """Build times of all charts (seconds, one per run) and each chart's spec."""
    times, built = [], {}
    for _ in range(repeat):
        started = time.perf_counter()
        built = {name: figure.to_dict()
                 for name, figure in charts.all_charts(frames, TODAY).items()}
        times.append(time.perf_counter() - started)
    return times, built


def one_chart_times(frames) -> dict[str, float]:
    """Build time of each chart alone (seconds)."""
    out = {}
    for name in charts.CHART_NAMES:
        started = time.perf_counter()
        charts.chart(name, frames, TODAY).to_dict()
        out[name] = time.perf_counter() - started
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per size (median kept)")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-charts-") as tmp:
        for years in (1, 10):
            with Store(Path(tmp) / f"demo{years}.sqlite") as store:
                write_demo(store, years=years, today=TODAY)
                started = time.perf_counter()
                frames = {name: store.frame(name) for name in FRAME_NAMES}
                read = time.perf_counter() - started
            measure(frames, 1)  # warm-up: imports, schema loading, caches
            times, built = measure(frames, args.repeat)
            results[years] = (frames, read, statistics.median(times), built)

    print(f"{'':24}{'1 year':>18}{'10 years':>18}")
    print(f"{'log entries':24}{len(results[1][0]['log']):>18,}{len(results[10][0]['log']):>18,}")
    print(f"{'read workbook (s)':24}{results[1][1]:>18.3f}{results[10][1]:>18.3f}")
    print(f"{'build all charts (s)':24}{results[1][2]:>18.3f}{results[10][2]:>18.3f}")
    ratio = results[10][2] / results[1][2]
    print(f"ratio 10 years / 1 year: {ratio:.2f} (target <= 2.0)")
    print()
    print(f"{'chart':24}{'KB':>8}{'rows':>8}{'KB':>10}{'rows':>8}{'ms (10 y)':>12}")
    alone = one_chart_times(results[10][0])
    worst_kb, worst_rows = 0.0, 0
    for name in charts.CHART_NAMES:
        line = f"{name:24}"
        for years in (1, 10):
            spec = results[years][3][name]
            kb, n = len(json.dumps(spec)) / 1024, rows(spec)
            worst_kb, worst_rows = max(worst_kb, kb), max(worst_rows, n)
            line += f"{kb:>8.1f}{n:>8}" if years == 1 else f"{kb:>10.1f}{n:>8}"
        print(line + f"{alone[name] * 1000:>12.0f}")
    ok = ratio <= 2.0 and worst_kb <= MAX_KB and worst_rows <= charts.MAX_ROWS
    print(f"\nlargest spec {worst_kb:.1f} KB, most rows {worst_rows}: "
          f"{'within' if ok else 'OUTSIDE'} the targets")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
