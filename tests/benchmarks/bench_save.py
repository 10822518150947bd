"""What one "Log it" costs, in a real browser, with 1, 10 and 30 years of gives in the workbook.

Run: ``.venv/bin/python tests/benchmarks/bench_save.py [--rounds 7] [--years 1 10 30]``. Not a
test: it prints what it measured and the ratios against the targets, in one run.

For each size it writes the demo workbook, serves the app with its own Voila command and
settings beside a bare notebook (one button and a label), opens the app's Log step in Debian's
Chromium, and times a press of "Log it" until the new give shows in "Recent gives" (each give
carries its own note, so every save is told apart) and the form is reset, as it is when it
says "Saved". The same server times a click on the bare
button until its label changes. Medians of the rounds; ratios against the 1-year save and
against the bare round trip. It also counts the SQL statements of one save, in-process.

Targets (the issue): 30 years at most 1.3x the 1-year save, and at most 5x a bare round trip.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/apprunner.py: the shared server and browser helpers

from apprunner import LAPTOP, chromium, free_port, serve  # noqa: E402

from workbook import server  # noqa: E402
from workbook.demo import write_demo  # noqa: E402
from workbook.store import Store  # noqa: E402

WAIT = 120_000


def prepare(folder: Path, years: int) -> Path:
    shutil.copy(server.APP_NOTEBOOK, folder / "app.ipynb")
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python",
                                  "name": "python3"}}
    nb.cells = [nbformat.v4.new_code_cell(
        "import ipywidgets as widgets\n"
        "button, label = widgets.Button(description='Press me'), widgets.Label('0')\n"
        "button.on_click(lambda b: setattr(label, 'value', str(int(label.value) + 1)))\n"
        "widgets.HBox([button, label])")]
    nbformat.write(nb, folder / "bare.ipynb")
    db = folder / "workbook.sqlite"
    with Store(db) as store:
        write_demo(store, years=years)
    return db


def statements_per_save(db: Path) -> int:
    """SQL statements one "Log it" runs, with every step of the app built (in this process)."""
    from workbook.app import STEP_KEYS, App

    app = App(db)
    app.open_workbook()
    for key in STEP_KEYS:
        app.show(key)
    app.show("log")
    form = app.built["log"].parts["form"]
    form.save_button.click()  # the first save warms caches
    seen = []
    app.session.store._con.set_trace_callback(seen.append)
    form.save_button.click()
    app.session.store._con.set_trace_callback(None)
    app.session.close()
    return len(seen)


def measure(years: int, rounds: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix=f"bench-save-{years}-"))
    try:
        db = prepare(folder, years)
        statements = statements_per_save(db)
        port = free_port()
        command = server.voila_command(port, False, notebooks=folder)
        with serve(command, port, env=server.voila_environment(db), log=folder / "voila.log",
                   ready_path="/voila/static/favicon.ico") as base, chromium() as browser:
            page = browser.new_page(viewport=LAPTOP)
            page.goto(base.at("/voila/render/app.ipynb"), timeout=WAIT)
            page.locator(".wb-nav button:not([disabled])").first.wait_for(timeout=WAIT)
            page.locator(".wb-nav").get_by_role("button", name="Step 3, Log", exact=True).click()
            form = page.locator(".wb-log-form")
            form.get_by_text("More details").click()
            note = form.get_by_placeholder("what you did, in a few words")
            note.wait_for(timeout=WAIT)
            saves = []
            for i in range(rounds + 1):
                note.fill(f"bench-{years}y-{i}")  # no spaces: a list shows them as no-break
                page.wait_for_timeout(300)  # the note reaches the kernel before the press
                begin = time.perf_counter()
                form.get_by_role("button", name="Log it").click()
                # the list is drawn again when it changes: look it up each time
                try:
                    page.wait_for_function(
                        "text => [...document.querySelectorAll('.wb-log-list select option')]"
                        ".some((o) => o.text.includes(text))",
                        arg=f"bench-{years}y-{i}", timeout=WAIT)
                except Exception:
                    page.screenshot(path=str(HERE / f"bench-save-failed-{years}.png"),
                                    full_page=True)
                    print(f"round {i}: the give did not show; see bench-save-failed-{years}.png")
                    raise
                note.wait_for(state="hidden", timeout=WAIT)  # the form is reset: "Saved"
                if i:  # the first save warms the kernel
                    saves.append(time.perf_counter() - begin)
                form.get_by_text("More details").click()  # a save folds the details away
            bare = browser.new_page(viewport=LAPTOP)
            bare.goto(base.at("/voila/render/bare.ipynb"), timeout=WAIT)
            button = bare.get_by_role("button", name="Press me")
            button.wait_for(timeout=WAIT)
            clicks = []
            for i in range(rounds + 1):
                begin = time.perf_counter()
                button.click()
                bare.get_by_text(str(i + 1), exact=True).wait_for(timeout=WAIT)
                if i:
                    clicks.append(time.perf_counter() - begin)
        with Store(db, readonly=True) as store:
            gives = store.counts()["log"]
        return {"years": years, "gives": gives, "save": statistics.median(saves),
                "bare": statistics.median(clicks), "statements": statements}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--years", type=int, nargs="+", default=[1, 10, 30])
    args = parser.parse_args()
    results = [measure(y, args.rounds) for y in args.years]
    first = results[0]
    print(f"{'years':>5} {'gives':>8} {'Log it -> shown (s)':>20} {'bare click (s)':>15} "
          f"{'vs 1 year':>10} {'vs bare':>8} {'SQL per save':>13}")
    for r in results:
        print(f"{r['years']:>5} {r['gives']:>8,} {r['save']:>20.3f} {r['bare']:>15.3f} "
              f"{r['save'] / first['save']:>10.2f} {r['save'] / r['bare']:>8.2f} "
              f"{r['statements']:>13}")
    last = results[-1]
    print(f"targets: {last['years']} years / 1 year <= 1.3: "
          f"{'ok' if last['save'] / first['save'] <= 1.3 else 'MISSED'}; "
          f"save / bare click <= 5: {'ok' if last['save'] / last['bare'] <= 5 else 'MISSED'}")


if __name__ == "__main__":
    main()
