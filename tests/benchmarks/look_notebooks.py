"""Screenshots of every guided notebook as Voila renders it, to look at them with your own eyes.

Run: ``.venv/bin/python tests/benchmarks/look_notebooks.py [--hostile] [--plain] [NAME ...]``.
It writes a demo workbook to a temporary folder (with ``--hostile``, plus entries whose text is
markup that must show as text; any browser dialog the page opens is reported) and starts Voila on
127.0.0.1 with WORKBOOK_DB pointing to it: from the repository, so its ``voila.json`` applies, or
with ``--plain`` from the temporary folder, with Voila's own template. It opens each notebook in
Debian's chromium through Playwright, waits until every chart is drawn, saves full-page PNGs
(1280x900 viewport) and 1000-pixel slices into /tmp/nb-shots/, shoots each view of a page with
chart buttons ("Show: Plan | Calendar | ..."), presses each "Take it with you" button and saves
the file through the browser's own download (printing its size and build time), and stops the
server it started. Not collected by pytest.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/apprunner.py: the shared server and browser helpers

from apprunner import ROOT, chromium, free_port, serve  # noqa: E402

from workbook.server import voila_command, voila_environment  # noqa: E402

NOTEBOOKS = ROOT / "notebooks"
OUT = Path("/tmp/nb-shots")
SLICE = 1000


HOSTILE = ("<img src=x onerror=alert(1)>", "</script><script>alert(2)</script>",
           "שלום עולם 🎶", "مرحبا بالعالم")


def demo_workbook(folder: Path, hostile: bool = False) -> Path:
    """Write the demo persona (and, if asked, entries with hostile text) into ``folder``."""
    from workbook import clock, model
    from workbook.demo import write_demo
    from workbook.store import Store

    path = folder / "workbook.sqlite"
    with Store(path) as store:
        write_demo(store)
        if hostile:
            ids = [store.add(model.Community(name=text, notes=text)) for text in HOSTILE]
            for text in HOSTILE:
                store.add(model.Person(name=text, communities=tuple(ids[:2]), notes=text))
                store.add(model.LogEntry(date=clock.today(), community_id=ids[0], note=text))
                store.add(model.Reflection(prompt_id="map-bridges", answer=text))
                store.add(model.Resolution(cue=text, give=text, community_id=ids[1]))
    return path


def wait_for_charts(page, seconds: float = 60) -> int:
    """Wait until every chart widget on the page has drawn its SVG; return how many there are."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        widgets = page.locator(".vega-embed").count()
        drawn = page.locator(".vega-embed svg.marks").count()
        if drawn >= widgets:
            return drawn
        page.wait_for_timeout(300)
    raise TimeoutError(f"charts not drawn in {seconds} s")


def shoot_views(page, stem: str) -> None:
    """Press each chart button ("Show: ...") and shoot the chart with its sentence."""
    buttons = page.locator(".widget-hbox").filter(has_text="Show:").locator(
        ".widget-toggle-buttons button")
    for i in range(buttons.count()):
        button = buttons.nth(i)
        label = button.inner_text().strip().lower()
        before = time.monotonic()
        button.click()
        page.wait_for_timeout(400)
        wait_for_charts(page)
        page.wait_for_timeout(800)
        panel = page.locator(".widget-vbox").filter(has=buttons.first).last
        panel.screenshot(path=str(OUT / f"{stem}-view-{label}.png"))
        print(f"  view {label}: drawn in {time.monotonic() - before:.1f} s")


def take_downloads(page) -> None:
    """Press each download button, then its link, and save what the browser downloads."""
    from workbook.downloads import DOWNLOADS

    for item in DOWNLOADS:
        filename = item.filename
        button = page.get_by_role("button", name=item.label)
        if button.count() == 0:
            continue
        before = time.monotonic()
        button.click()
        link = page.locator(f'a[download="{filename}"]')
        link.wait_for(timeout=60_000)
        built = time.monotonic() - before
        with page.expect_download() as download:
            link.click()
        target = OUT / filename
        download.value.save_as(str(target))
        print(f"  {filename}: built and linked in {built:.1f} s, saved {target.stat().st_size:,} "
              f"bytes, link text {link.inner_text()!r}")
    if page.locator("a[download]").count():
        box = page.get_by_role("button", name=DOWNLOADS[0].label).locator("xpath=../..")
        box.screenshot(path=str(OUT / "downloads.png"))


def main(names: list[str]) -> int:
    hostile = "--hostile" in names
    plain = "--plain" in names
    names = [n for n in names if n not in ("--hostile", "--plain")]
    OUT.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="nb-look-"))
    db = demo_workbook(folder, hostile)
    dialogs: list[str] = []
    port = free_port()
    notebooks = sorted(NOTEBOOKS.glob("*.ipynb"))
    if names:
        notebooks = [nb for nb in notebooks if any(n in nb.stem for n in names)]
    if plain:  # Voila's own template and settings: no voila.json in the temporary folder
        command = [sys.executable, "-m", "voila", "--no-browser", f"--port={port}",
                   "--Voila.ip=127.0.0.1", str(NOTEBOOKS)]
        env = {"WORKBOOK_DB": str(db)}
    else:  # exactly as `workbook app` serves them
        command, env = voila_command(port, open_browser=False), voila_environment(db)
    with serve(command, port, env=env, log=OUT / "voila.log", cwd=folder if plain else ROOT) \
            as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for nb in notebooks:
            start = time.monotonic()
            page.goto(base.at(f"/voila/render/{nb.name}"), timeout=90_000)
            try:
                page.wait_for_selector(".widget-vbox", timeout=60_000)
            except Exception:
                page.screenshot(path=str(OUT / f"{nb.stem}-failed.png"), full_page=True)
                raise
            charts = wait_for_charts(page)
            page.wait_for_timeout(1500)  # let layouts settle after the last widget arrives
            # Voila scrolls inside #rendered_cells, so a full-page shot would stop at the
            # viewport: grow the viewport to the content instead, then shrink it back.
            height = page.evaluate(
                "() => (document.getElementById('rendered_cells') || document.body)"
                ".scrollHeight"
            )
            page.set_viewport_size({"width": 1280, "height": max(900, height + 40)})
            stem = f"{nb.stem}-hostile" if hostile else nb.stem
            shot = OUT / f"{stem}.png"
            page.screenshot(path=str(shot), full_page=True)
            # Slices at full size, because a long page shrinks too much to judge details.
            for old in OUT.glob(f"{stem}-part*.png"):
                old.unlink()
            for number, top in enumerate(range(0, height, SLICE), start=1):
                page.screenshot(path=str(OUT / f"{stem}-part{number}.png"),
                                clip={"x": 0, "y": top, "width": 1280,
                                      "height": min(SLICE, height + 40 - top)})
            page.set_viewport_size({"width": 1280, "height": 900})
            errors = page.locator(
                ".jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']"
            )
            print(f"{nb.name}: {time.monotonic() - start:.1f} s, {shot}, charts: {charts}, "
                  f"stderr outputs: {errors.count()}, dialogs so far: {len(dialogs)}")
            shoot_views(page, stem)
            take_downloads(page)
    print("browser dialogs opened by page content:", dialogs or "none")
    return 1 if dialogs else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
