"""axe-core on every step of the app, at a laptop's and a phone's size, with the demo workbook and
with hostile names: how many violations of each impact, and which rules.

Run it from the project's folder: ``PYTHONPATH=$PWD .venv/bin/python tests/axe_report.py`` (the
app's kernels then import this folder's package). Prints figures; the test that holds them at
zero serious or critical is ``tests/test_app_accessibility.py``.
"""

from __future__ import annotations

import collections
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from accessibility import violations  # noqa: E402
from apprunner import LAPTOP, PHONE, app_command, chromium, free_port, serve  # noqa: E402
from appvisit import READY, Visit  # noqa: E402
from shared import write_demo_file, write_hostile_file  # noqa: E402

from workbook.app import STEPS  # noqa: E402


def run() -> dict:
    """(workbook, size, step) -> violations."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        folder = Path(tmp)
        files = {"demo": write_demo_file(folder, years=1).path,
                 "hostile": write_hostile_file(folder)}
        for name, db in files.items():
            port = free_port()
            with serve(app_command(port, db), port, ready_path=READY) as base:
                for size_name, size in (("laptop", LAPTOP), ("phone", PHONE)):
                    visit = Visit(browser, base, size)
                    visit.open()
                    for step in STEPS:
                        visit.step(step.label)
                        visit.page.wait_for_timeout(800)  # charts draw after the step shows
                        out[name, size_name, step.key] = violations(visit.page)
                    visit.page.close()
    return out


def main() -> None:
    found = run()
    impacts = collections.Counter()
    rules = collections.Counter()
    for (name, size, step), items in found.items():
        line = ", ".join(f"{v['id']} ({v['impact']}, {v['count']})" for v in items) or "none"
        print(f"{name:8} {size:7} {step:12} {line}")
        for v in items:
            impacts[v["impact"]] += 1
            rules[v["id"], v["impact"]] += v["count"]
    print("\nviolations (rule x page) by impact:", dict(impacts))
    print("elements by rule:")
    for (rule, impact), n in rules.most_common():
        print(f"  {rule:32} {impact:9} {n}")


if __name__ == "__main__":
    main()
