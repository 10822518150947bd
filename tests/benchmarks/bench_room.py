"""How many participants a room on this server holds: sign-in times and memory per participant.

Run as root: ``.venv/bin/python tests/benchmarks/bench_room.py [--participants 5 10]``. Not a
test (pytest does not collect it). For each size it starts a real room (`workbook room serve` on
127.0.0.1), signs that many new participants in at once through Chromium, each until their app
shows its first step, then opens the Progress step (a chart) in every tab, and prints:

- sign-in time per participant (from pressing "Sign in" to a working app), median and longest;
- memory per participant (PSS: shared pages split between the processes sharing them) summed
  over every process running as that participant, after sign-in and after the chart step;
- memory of the room itself (hub, proxy, culler, room page).

Accounts it makes are removed afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import secrets
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/roomrunner.py and apprunner.py

import roomrunner  # noqa: E402
from apprunner import CHROMIUM_FLAGS, LAPTOP, chromium_path  # noqa: E402


def pss_mib(pid: int) -> float:
    """A process's proportional set size in MiB (0 when it is gone)."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0.0
    match = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
    return int(match.group(1)) / 1024 if match else 0.0


def processes() -> list[tuple[int, int]]:
    """Every (pid, uid) on the machine."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            uid = int(re.search(r"^Uid:\s+(\d+)", status, re.M).group(1))
            found.append((int(entry.name), uid))
    return found


def memory_by_user(names: list[str]) -> dict[str, float]:
    import pwd

    uids = {pwd.getpwnam(n).pw_uid: n for n in names}
    totals = dict.fromkeys(names, 0.0)
    for pid, uid in processes():
        if uid in uids:
            totals[uids[uid]] += pss_mib(pid)
    return totals


def room_memory(hub_pid: int) -> float:
    """PSS of the hub's own processes: the hub, proxy and services (root's, in its group)."""
    import os

    total = 0.0
    for pid, uid in processes():
        try:
            if uid == 0 and os.getpgid(pid) == hub_pid:
                total += pss_mib(pid)
        except OSError:
            continue
    return total


async def sign_in(browser, base: str, name: str) -> tuple[object, float]:
    context = await browser.new_context(viewport=LAPTOP)
    page = await context.new_page()
    await page.goto(base + "/hub/login", timeout=roomrunner.SIGN_IN_WAIT)
    start = time.monotonic()
    await page.locator("#username_input").fill(name)
    await page.locator("#password_input").fill(roomrunner.PASSWORD)
    await page.locator("#login_submit").click()
    await page.wait_for_url(re.compile(rf"/user/{name}/voila/render/app\.ipynb\??$"),
                            timeout=roomrunner.SIGN_IN_WAIT)
    await page.locator(".wb-step-start").wait_for(timeout=roomrunner.SIGN_IN_WAIT)
    return page, time.monotonic() - start


async def open_progress(page) -> None:
    await page.locator(".wb-nav").get_by_role("button", name="Step 4, Progress", exact=True).click()
    await page.locator(".wb-step-progress svg").first.wait_for(timeout=roomrunner.SIGN_IN_WAIT)


async def measure(size: int) -> dict:
    from playwright.async_api import async_playwright

    tag = secrets.token_hex(2)
    names = [f"wbc{tag}-{i:02d}" for i in range(size)]
    with roomrunner.running_room([], names) as room:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=chromium_path(),
                                               args=CHROMIUM_FLAGS, headless=True)
            try:
                signed = await asyncio.gather(*(sign_in(browser, room["base"], n)
                                                for n in names))
                await asyncio.sleep(5)  # the kernels settle after their first render
                after_sign_in = memory_by_user(names)
                await asyncio.gather(*(open_progress(page) for page, _ in signed))
                await asyncio.sleep(5)
                after_chart = memory_by_user(names)
                hub = room_memory(room["pid"])
            finally:
                await browser.close()
    times = [seconds for _, seconds in signed]
    return {"size": size, "times": times, "sign_in": after_sign_in, "chart": after_chart,
            "hub": hub}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, nargs="+", default=[5, 10])
    args = parser.parse_args()
    if problem := roomrunner.missing():
        print(f"Cannot run a room here: {problem}.")
        return 1
    print("participants | sign-in s (median / longest) | MiB each after sign-in "
          "(mean / max) | after a chart step (mean / max) | room itself MiB")
    for size in args.participants:
        r = asyncio.run(measure(size))
        s, c = list(r["sign_in"].values()), list(r["chart"].values())
        print(f"{size:12d} | {statistics.median(r['times']):6.1f} / {max(r['times']):6.1f} | "
              f"{statistics.mean(s):6.0f} / {max(s):6.0f} | "
              f"{statistics.mean(c):6.0f} / {max(c):6.0f} | {r['hub']:6.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
