"""What a large backup costs: the time and peak memory of ``workbook export`` and
``workbook import`` for the 30-year demo (about 10 MB) and for that workbook grown to 100 MB, each
command a new process, with each peak memory as a multiple of the backup file's size.

Run: ``.venv/bin/python tests/benchmarks/bench_backup.py [--sizes 10 100]``. Not a test: it prints
what it measured, in one run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from shared import grow_log, write_demo_file  # noqa: E402

CLI = [sys.executable, "-m", "workbook"]


def measured(*args: str) -> tuple[float, int]:
    """Seconds and peak resident bytes of one CLI command in its own process."""
    began = time.perf_counter()
    child = subprocess.Popen([*CLI, *args], stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - began
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed")
    return seconds, usage.ru_maxrss * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100],
                        help="workbook sizes in MB (the 30-year demo is about 10)")
    args = parser.parse_args()
    os.environ.setdefault("WORKBOOK_TODAY", "2026-12-01")
    print(f"{'workbook':>10} {'backup':>10} {'export s':>9} {'export peak':>12} "
          f"{'import s':>9} {'import peak':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        for mb in args.sizes:
            folder = Path(tmp) / str(mb)
            folder.mkdir()
            demo = write_demo_file(folder, years=30)
            grow_log(demo.path, mb * 1024 * 1024)
            out, copy = folder / "backup.json", folder / "copy.sqlite"
            export_s, export_peak = measured("--db", str(demo.path), "export", "--format",
                                             "json", "--out", str(out))
            import_s, import_peak = measured("--db", str(copy), "import", str(out))
            size = out.stat().st_size
            print(f"{demo.path.stat().st_size / 1e6:8.1f}MB {size / 1e6:8.1f}MB "
                  f"{export_s:9.1f} {export_peak / 1e6:7.0f}MB {export_peak / size:3.1f}x "
                  f"{import_s:9.1f} {import_peak / 1e6:7.0f}MB {import_peak / size:3.1f}x")


if __name__ == "__main__":
    main()
