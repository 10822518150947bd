"""The README's pictures of the web app, taken from the demo workbook.

Run: ``.venv/bin/python tests/benchmarks/readme_screenshots.py [--out data/screenshots]``. It writes
the demo persona with ``workbook demo`` into a temporary folder, starts the app with
``workbook app`` on a free port, opens it in Debian's Chromium, and saves one window-sized PNG per
picture (laptop 1280x860, phone 390x844). It prints each file with its size and fails when a
picture is over 300 KB or when the page asked anything of another computer. Not collected by
pytest.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/apprunner.py: the shared server and browser helpers

from apprunner import LAPTOP, PHONE, ROOT, app_command, chromium, free_port, serve  # noqa: E402

from workbook.app import STEPS  # noqa: E402

LIMIT = 300 * 1024
WAIT = 90_000
# (file, window, step label, text to scroll to; None keeps the top of the step)
PICTURES = (
    ("app-start-laptop.png", LAPTOP, "Start", None),
    ("app-communities-laptop.png", LAPTOP, "Step 1, Communities", "Your map"),
    ("app-progress-laptop.png", LAPTOP, "Step 4, Progress", "Your charts"),
    # every step on a phone, from the top of the step
    ("app-start-phone.png", PHONE, "Start", None),
    ("app-communities-phone.png", PHONE, "Step 1, Communities", None),
    ("app-plan-phone.png", PHONE, "Step 2, Plan", None),
    ("app-plan-ideas-phone.png", PHONE, "Step 2, Plan", "Find a give idea"),
    ("app-log-phone.png", PHONE, "Step 3, Log", None),
    ("app-progress-phone.png", PHONE, "Step 4, Progress", "Your charts"),
    ("app-reflect-phone.png", PHONE, "Step 5, Reflect", None),
)


def take(browser, base: str, out: Path) -> list[str]:
    """Save the pictures; return what went wrong."""
    problems = []
    outside = []
    pages = {}
    for file, size, label, anchor in PICTURES:
        key = "laptop" if size is LAPTOP else "phone"
        if key not in pages:
            page = browser.new_page(viewport=size)
            page.on("request", lambda r: outside.append(r.url)
                    if not r.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:",
                                             "blob:")) else None)
            page.goto(base.at("/"), timeout=WAIT)
            page.locator(".wb-nav button:not([disabled])").first.wait_for(timeout=WAIT)
            pages[key] = page
        page = pages[key]
        step = next(s for s in STEPS if s.label == label)
        page.locator(".wb-nav").get_by_role("button", name=label, exact=True).click()
        section = page.locator(f".wb-step-{step.key}")
        section.get_by_text(step.heading, exact=True).first.wait_for(timeout=WAIT)
        page.wait_for_timeout(2500)  # charts draw after the step shows
        if anchor:
            section.get_by_text(anchor, exact=True).first.scroll_into_view_if_needed()
            page.evaluate("""(text) => {
                const el = [...document.querySelectorAll('.wb-app *')].find(
                    (e) => e.childElementCount === 0 && e.textContent.trim() === text);
                const cells = document.getElementById('rendered_cells');
                if (el && cells) cells.scrollTop += el.getBoundingClientRect().top - 90;
            }""", anchor)
        else:
            page.evaluate("() => { const c = document.getElementById('rendered_cells');"
                          " if (c) c.scrollTop = 0; }")
        page.wait_for_timeout(500)
        path = out / file
        page.screenshot(path=str(path))
        kib = path.stat().st_size / 1024
        print(f"{path}  {kib:.0f} KB")
        if path.stat().st_size > LIMIT:
            problems.append(f"{file} is {kib:.0f} KB, over {LIMIT // 1024} KB")
    for page in pages.values():
        if page.evaluate("() => window.__pwned") is not None:
            problems.append("page content ran as a script")
        page.close()
    if outside:
        problems.append(f"requests left this computer: {outside}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "screenshots",
                        help="folder for the PNG files (default data/screenshots)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="my-workbook-") as tmp:
        db = Path(tmp) / "workbook.sqlite"
        subprocess.run([sys.executable, "-m", "workbook", "demo", "--db", str(db)], check=True,
                       stdout=subprocess.DEVNULL)
        port = free_port()
        with serve(app_command(port, db), port, log=Path(tmp) / "server.log",
                   ready_path="/voila/static/favicon.ico") as base, chromium() as browser:
            problems = take(browser, base, args.out)
    for problem in problems:
        print("FAILED:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
