"""Look at every chart in a real browser, offline, the way a person using the Voila app sees it.

Voila serves a small notebook that shows each chart of the demo workbook through
``workbook.chartview.chart_widget``; Debian's Chromium, driven by Playwright, waits for the SVG
marks, saves a screenshot of each chart, and checks that a community named like an HTML attack
is drawn as text (in the chart and in its tooltip) and never runs.

    .venv/bin/python tests/benchmarks/look_charts.py [--years 1] [--out /tmp]

Screenshots: OUT/charts-<name>.png and OUT/charts-page.png. Exit code 1 when a check fails.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

import nbformat

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/apprunner.py: the shared server and browser helpers

from apprunner import chromium, free_port, serve  # noqa: E402

from workbook import clock  # noqa: E402
from workbook.charts import CHART_NAMES  # noqa: E402
from workbook.demo import write_demo  # noqa: E402
from workbook.model import Community, LogEntry, Person  # noqa: E402
from workbook.store import Store  # noqa: E402

HOSTILE = "</script><img src=x onerror=window.__pwned=1>"
SETUP = """\
from workbook import charts, clock
from workbook.chartview import chart_widget
from workbook.store import Store

with Store(os.environ["WORKBOOK_DB"]) as store:
    frames = {name: store.frame(name) for name in
              ("communities", "people", "memberships", "resolutions", "log", "help")}
figures = charts.all_charts(frames, clock.today())
"""


def make_workbook(path: Path, years: int, today) -> None:
    """The demo persona, plus a community and a person whose names are HTML attacks."""
    with Store(path) as store:
        write_demo(store, years=years, today=today)
        cid = max(store.frame("communities")["id"]) + 1
        store.add_many([
            Community(name=HOSTILE, kind="online", activity=3, id=cid),
            Person(name=f"<b>bold</b> {HOSTILE}", circle=5, communities=(cid, 1)),
            *[LogEntry(date=today, community_id=cid, kind="link", minutes=5,
                       note=HOSTILE) for _ in range(3)],
        ])


def make_notebook(path: Path) -> None:
    """A notebook of one setup cell and one cell per chart."""
    cells = [nbformat.v4.new_code_cell(SETUP)]
    cells += [nbformat.v4.new_code_cell(f'chart_widget(figures["{name}"])') for name in CHART_NAMES]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)


def look(base: str, out: Path) -> list[str]:
    """Open the page, wait for the charts, take screenshots; return the failed checks."""
    problems: list[str] = []
    outside: list[str] = []
    received = [0]
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("request", lambda r: outside.append(r.url)
                if urlparse(r.url).hostname not in ("127.0.0.1", "localhost", None)
                and not r.url.startswith(("data:", "blob:")) else None)
        page.on("websocket", lambda ws: ws.on(
            "framereceived", lambda payload: received.__setitem__(0, received[0] + len(payload))))
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        started = time.perf_counter()
        page.goto(base + "/", wait_until="domcontentloaded")
        page.wait_for_function(
            f"document.querySelectorAll('.vega-embed svg.marks').length >= {len(CHART_NAMES)}",
            timeout=180_000)
        ready = time.perf_counter() - started
        page.wait_for_timeout(800)  # let the last layout settle before the pictures
        embeds = page.locator(".vega-embed")
        for i, name in enumerate(CHART_NAMES):
            # Voila scrolls inside the page, so a chart taller than the window needs a taller one.
            box = embeds.nth(i).bounding_box() or {"height": 0}
            page.set_viewport_size({"width": 1280, "height": max(900, int(box["height"]) + 100)})
            embeds.nth(i).scroll_into_view_if_needed()
            embeds.nth(i).screenshot(path=str(out / f"charts-{name}.png"))
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=str(out / "charts-page.png"), full_page=True)

        texts = page.evaluate("""() => Array.from(document.querySelectorAll('.vega-embed text'))
                                        .map(t => t.textContent)""")
        shown = [t for t in texts if t.startswith("</script><img")]
        if not shown:
            problems.append("the hostile community name is not drawn as text in any chart")
        if page.evaluate("document.querySelectorAll('img[src=\"x\"]').length"):
            problems.append("an <img src=x> element was created from a name")

        target = page.locator('.vega-embed path[aria-label*="onerror"]').first
        tooltip = ""
        if target.count():
            target.scroll_into_view_if_needed()
            target.hover(force=True)
            page.wait_for_timeout(500)
            tooltip = page.evaluate(
                "(document.getElementById('vg-tooltip-element') || {}).innerHTML || ''")
            if "&lt;/script&gt;" not in tooltip or "<img" in tooltip:
                problems.append(f"the tooltip did not escape the name: {tooltip[:200]!r}")
        else:
            problems.append("no mark carries the hostile name in its description")
        if page.evaluate("typeof window.__pwned") != "undefined":
            problems.append("window.__pwned was set: a name ran as code")
        report = {
            "page ready (s)": round(ready, 1),
            "charts drawn": page.locator(".vega-embed svg.marks").count(),
            "hostile labels drawn as text": len(shown),
            "tooltip with the hostile name": tooltip[:120],
            "websocket bytes received (MB)": round(received[0] / 1e6, 2),
            "requests to other hosts": sorted(set(outside)),
            "page errors": errors,
        }
        print(json.dumps(report, indent=1, ensure_ascii=False))
        if errors:
            problems.append(f"JavaScript errors: {errors}")
        if any(part in url for url in outside for part in ("vega", "esm.sh", "anywidget")):
            problems.append("a chart library was requested from the internet")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=1, help="years of demo history")
    parser.add_argument("--out", type=Path, default=Path("/tmp"), help="folder for screenshots")
    args = parser.parse_args()
    today = clock.today()
    with tempfile.TemporaryDirectory(prefix="look-charts-") as tmp:
        tmp = Path(tmp)
        make_workbook(tmp / "workbook.sqlite", args.years, today)
        make_notebook(tmp / "charts.ipynb")
        port = free_port()
        command = [sys.executable, "-m", "voila", str(tmp / "charts.ipynb"), "--no-browser",
                   f"--port={port}", "--Voila.ip=127.0.0.1"]
        env = {"WORKBOOK_DB": str(tmp / "workbook.sqlite"),
               "WORKBOOK_TODAY": today.isoformat()}  # the kernel draws on the same day
        # A static file answers as soon as the server listens, without starting a kernel.
        with serve(command, port, env=env, log=tmp / "voila.log",
                   ready_path="/voila/static/favicon.ico") as base:
            problems = look(base, args.out)
    for problem in problems:
        print("FAILED:", problem)
    print("screenshots:", ", ".join(str(args.out / f"charts-{n}.png") for n in CHART_NAMES))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
