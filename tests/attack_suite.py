"""The attack suite: what a stranger, a hostile page, a hostile file or a crash can do to the app
and the workbook, tried against the real parts, counted and printed.

Run: ``.venv/bin/python tests/attack_suite.py [--quick]`` (``tests/test_attack_suite.py`` runs it
quick). Each line says what was tried, how often, and how often it got through; the exit status
is 1 when anything got through. Parts:

- paths: file and folder names a browser could ask the app's server for, spelled in many ways,
  aimed at the workbook, a secret beside it, the notebooks' source and system files;
- reach: forged ``Host`` and ``Origin`` headers, and requests without the token;
- code: HTTP requests and kernel messages that would run code or open a terminal;
- frames: websocket frames that declare more than they hold, timed against a bystander's request;
- markup: names and notes that would run as markup, shown in every step of the app in Chromium;
- widgets: values no form offers, set on the app's own widgets as a websocket message would;
- files: workbook files changed by another program (triggers, views, tables, indexes);
- print: text that would be markup to the typesetter, in a printed plan;
- kills: writers killed with SIGKILL in the middle of saving.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import random
import secrets
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))

from apprunner import ROOT, app_command, chromium, free_port, serve  # noqa: E402
from shared import HOSTILE  # noqa: E402

READY = "/voila/static/favicon.ico"
PAGE = "/voila/render/app.ipynb"


@dataclass
class Result:
    """One part of the suite: how many attempts, how many got through, and what that means."""

    part: str
    tried: int
    through: int
    what: str
    examples: tuple[str, ...] = ()

    def line(self) -> str:
        return f"{self.part:<8} {self.tried:>6} tried {self.through:>4} through  {self.what}"


# -- the server --------------------------------------------------------------------------------

def status_and_body(port: int, path: str, headers: dict[str, str] | None = None,
                    method: str = "GET", body: bytes = b"") -> tuple[int, bytes]:
    """One raw request, the path sent exactly as given (no client tidies it up)."""
    headers = {"Host": f"127.0.0.1:{port}", "Connection": "close", **(headers or {}),
               "Content-Length": str(len(body))}
    head = [f"{method} {path} HTTP/1.1", *(f"{k}: {v}" for k, v in headers.items()), "", ""]
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        s.sendall("\r\n".join(head).encode("latin-1") + body)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    first, _, rest = data.partition(b"\r\n")
    try:
        return int(first.split()[1]), rest.partition(b"\r\n\r\n")[2]
    except (IndexError, ValueError):
        return 0, data


def traversal_paths(folder: Path, quick: bool) -> list[str]:
    """Paths that reach for files outside what the app serves, in many spellings."""
    targets = [str(folder / "workbook.sqlite"), str(folder / "secret.txt"), "/etc/passwd",
               str(ROOT / "notebooks" / "app.ipynb"), str(ROOT / "pyproject.toml")]
    ups = ["../", "..%2f", "%2e%2e/", "%2e%2e%2f", "..%5c", "%252e%252e%252f", "....//", "..;/",
           "%c0%ae%c0%ae/", "..\\"]
    prefixes = ["/voila/files/", "/voila/static/", "/voila/templates/", "/static/", "/files/",
                "/api/contents/", "/voila/render/", "/voila/tree/", "/nbextensions/",
                "/voila/api/shutdown/", "/voila/query/", "/lab/extensions/"]
    if quick:
        ups, prefixes = ups[:4], prefixes[:6]
    paths = []
    for prefix, up, target in itertools.product(prefixes, ups, targets):
        paths.append(prefix + up * 12 + target.lstrip("/").replace("/", up[-1] if up[-1] in "/\\"
                                                                   else "/"))
    for prefix, target in itertools.product(prefixes, targets):
        paths.append(prefix + target)  # absolute
        paths.append(prefix + "/" + target)
        paths.append(prefix + target.replace("/", "%2f"))
    return paths


def paths_part(base, folder: Path, quick: bool) -> Result:
    secret = f"SECRET-{secrets.token_hex(8)}"
    (folder / "secret.txt").write_text(secret)
    markers = [secret.encode(), b"SQLite format 3", b"root:x:0:0", b'"nbformat"',
               b"[project]"]
    tried = through = 0
    examples = []
    for path in traversal_paths(folder, quick):
        for query in ("?token=" + base.token, ""):
            tried += 1
            _status, body = status_and_body(base.port, path + query)
            if any(m in body for m in markers):
                through += 1
                examples.append(path)
    return Result("paths", tried, through, "file paths outside the app; a leak is a secret, "
                  "the workbook, a system file or a notebook's source in the answer",
                  tuple(examples[:5]))


def reach_part(base, quick: bool) -> Result:
    hosts = ["evil.example", f"evil.example:{base.port}", "127.0.0.1.nip.io",
             f"localhost.evil.example:{base.port}", "127.1", "0.0.0.0", "[::1]", "",
             f"127.0.0.1:{base.port}@evil.example", "LOCALHOST.", "127.0.0.2"]
    origins = ["http://evil.example", "null", f"http://127.0.0.1.nip.io:{base.port}",
               "https://127.0.0.1", f"http://localhost.evil.example:{base.port}"]
    paths = [PAGE, "/", "/api/kernels", READY, "/voila/api/shutdown/x"]
    if quick:
        hosts, paths = hosts[:6], paths[:3]
    tried = through = 0
    examples = []
    token = "?token=" + base.token
    for host, path in itertools.product(hosts, paths):
        tried += 1
        status, _ = status_and_body(base.port, path + token, {"Host": host})
        if status < 400:
            through += 1
            examples.append(f"Host {host!r} {path} -> {status}")
    for origin, path in itertools.product(origins, paths):
        tried += 1
        status, _ = status_and_body(base.port, path + token, {"Origin": origin},
                                    method="POST" if "api" in path else "GET")
        if status < 400:
            through += 1
            examples.append(f"Origin {origin!r} {path} -> {status}")
    control = status_and_body(base.port, READY + token)[0]
    if control != 200:  # the right host and token must get in, or nothing above means a thing
        raise RuntimeError(f"the app refused its own address: {control}")
    for path in (PAGE, "/api/kernels", "/voila/render/01_map_communities.ipynb",
                 "/api/kernels?token=", f"/api/kernels?token={base.token[:-1]}"):
        tried += 1
        status, body = status_and_body(base.port, path)
        if status < 300:
            through += 1
            examples.append(f"no token {path} -> {status}")
    return Result("reach", tried, through, "forged Host or Origin, or no token; through is "
                  "any answer below 400 (below 300 without the token)", tuple(examples[:5]))


def code_part(base, folder: Path, quick: bool) -> Result:
    import websocket
    from test_app_limits import channels, kernel_of, message

    marker = folder / "ran"
    run = f"open({str(marker)!r}, 'a').write('x')"
    http = [("POST", "/api/kernels", b'{"name": "python3"}'),
            ("POST", "/api/sessions", b'{"path": "x.ipynb", "type": "notebook"}'),
            ("PUT", "/api/contents/evil.py", b'{"type": "file", "format": "text", "content": "x"}'),
            ("POST", "/api/terminals", b""), ("GET", "/terminals/websocket/1", b""),
            ("GET", "/lab", b""), ("GET", "/tree", b""), ("GET", "/notebooks/app.ipynb", b""),
            ("POST", "/api/contents", b'{"type": "notebook"}'),
            ("PATCH", "/api/contents/app.ipynb", b'{"path": "evil.ipynb"}'),
            ("DELETE", "/api/contents/app.ipynb", b""), ("POST", "/api/shutdown", b"")]
    tried = through = 0
    examples = []
    token = "?token=" + base.token
    for method, path, body in http:
        tried += 1
        status, _ = status_and_body(base.port, path + token,
                                    {"Content-Type": "application/json"}, method, body)
        if status < 400:
            through += 1
            examples.append(f"{method} {path} -> {status}")
    kernel = kernel_of(base)
    ws = channels(base, kernel)
    try:
        shell = [("execute_request", {"code": run, "silent": False, "store_history": False,
                                      "user_expressions": {}, "allow_stdin": False}),
                 ("execute_request", {"code": f"__import__('os').system('touch {marker}')"}),
                 ("inspect_request", {"code": run, "cursor_pos": 3, "detail_level": 1}),
                 ("complete_request", {"code": run, "cursor_pos": 3}),
                 ("is_complete_request", {"code": run}),
                 ("history_request", {"output": True, "raw": True, "hist_access_type": "tail",
                                      "n": 10}),
                 ("debug_request", {"command": "evaluate", "arguments": {"expression": run}}),
                 ("comm_open", {"comm_id": uuid.uuid4().hex, "target_name": run, "data": {}}),
                 ("comm_open", {"comm_id": uuid.uuid4().hex, "target_name": "jupyter.widget",
                                "data": {"state": {"_model_name": run,
                                                   "_model_module": "os"}}}),
                 ("comm_msg", {"comm_id": "nope", "data": {"method": "custom",
                                                           "content": {"code": run}}})]
        if quick:
            shell = shell[:6] + shell[7:]
        for kind, content in shell:
            tried += 1
            ws.send(message(kind, content))
        ws.send(message("kernel_info_request", {}))  # the socket must work: its reply is seen
        ws.settimeout(0.5)
        answered = False
        end = time.monotonic() + 10
        while time.monotonic() < end:
            with contextlib.suppress(websocket.WebSocketTimeoutException):
                answered |= '"kernel_info_reply"' in str(ws.recv())
        if not answered:
            raise RuntimeError("the page's kernel never answered: the code part proves nothing")
    finally:
        ws.close()
    if marker.exists():
        through += 1
        examples.append("a kernel message ran code")
    return Result("code", tried, through, "requests and kernel messages that would run code, "
                  "open a terminal or change the notebooks", tuple(examples[:5]))


def frames_part(base, quick: bool) -> Result:
    from test_app_limits import channels, fetch, kernel_of

    from workbook.voila_guard import V1

    kernel = kernel_of(base)
    counts = [2**60, 2**63 - 1, 2**32, 10**9] if not quick else [2**60, 2**32]
    tried = through = 0
    slowest = 0.0
    examples = []
    for protocol, count in itertools.product((V1, None), counts):
        crafted = channels(base, kernel, protocol)
        try:
            head = (count.to_bytes(8, "little") if protocol
                    else struct.pack("!i", min(count, 2**31 - 1)))
            crafted.send_binary(head + bytes(64))
            tried += 1
            began = time.monotonic()
            status, _ = fetch(base.at(READY), timeout=5)
            seconds = time.monotonic() - began
            slowest = max(slowest, seconds)
            if status != 200 or seconds >= 1:
                through += 1
                examples.append(f"{protocol} count {count}: {seconds:.2f} s")
        finally:
            crafted.close()
    return Result("frames", tried, through, f"frames declaring huge counts; through is a "
                  f"bystander's request waiting 1 s or more (slowest {slowest:.3f} s)",
                  tuple(examples))


# -- the page in a browser ---------------------------------------------------------------------

MARKUP = (*HOSTILE,
          "<svg onload=window.__pwned=1>", "<iframe srcdoc='<script>parent.__pwned=1</script>'>",
          "<a href=javascript:window.__pwned=1>x</a>", "{{constructor.constructor('window."
          "__pwned=1')()}}", "${window.__pwned=1}", "<details open ontoggle=window.__pwned=1>",
          "<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=1>",
          "\u202e<img src=x onerror=window.__pwned=1>", "<style>*{display:none}</style>",
          "<input autofocus onfocus=window.__pwned=1>", "'-alert(1)-'", "<b>bold</b>")


def markup_part(folder: Path, quick: bool) -> Result:
    from apprunner import LAPTOP, PHONE
    from appvisit import Visit

    from workbook.app import STEPS
    from workbook.model import Community, HelpReceived, LogEntry, Person, Reflection
    from workbook.store import Store

    payloads = MARKUP[:8] if quick else MARKUP
    db = folder / "markup.sqlite"
    with Store(db) as s:
        for text in payloads:
            c = s.add(Community(name=text, kind="hobby", notes=text))
            p = s.add(Person(name=text, circle=15, notes=text, communities=(c,)))
            s.add(LogEntry(date=_today(), community_id=c, kind="advice", minutes=5, note=text,
                           person_id=p))
            s.add(HelpReceived(date=_today(), note=text, person_id=p))
            s.add(Reflection(prompt_id="map-notice-absence", answer=text, date=_today()))
    port = free_port()
    shown = through = 0
    examples = []
    with serve(app_command(port, db), port, ready_path=READY) as base, chromium() as browser:
        for size in (LAPTOP,) if quick else (LAPTOP, PHONE):
            visit = Visit(browser, base, size)
            try:
                visit.open()
                for step in STEPS:
                    visit.page.locator(".wb-nav").get_by_role(
                        "button", name=step.label, exact=True).click()
                    visit.page.locator(f".wb-step-{step.key}").get_by_text(
                        step.heading, exact=True).first.wait_for(timeout=60_000)
                    visit.page.wait_for_timeout(500)
                    shown += len(payloads)
                    ran = visit.page.evaluate("() => window.__pwned")
                    if ran is not None or visit.dialogs:
                        through += 1
                        examples.append(f"{step.label} at {size['width']} px")
            finally:
                visit.page.close()
    return Result("markup", shown, through, f"{len(payloads)} payloads as names and notes, "
                  "counted once per step and size shown; through is a payload that ran or "
                  "opened a dialog", tuple(examples))


def _today():
    from workbook import clock

    return clock.today()


# -- in this process ---------------------------------------------------------------------------

WILD = [None, -1, 0, 10**12, -(10**12), 2**63, 1.5, float("nan"), float("inf"), "", " ",
        "x" * 100_000, "2026-13-45", "9999-12-31", "1800-01-01", [], {}, True, "<img src=x>",
        "\x00", "\ud800",
        # values a form would take, so that some saves go through and are checked too
        "Ana", "Harbour Choir", 3, 15, 30, "2026-11-30", "month"]


def widgets_part(folder: Path, quick: bool) -> Result:
    """Every input widget of every step gets values no form offers, through ``set_state`` (what
    a websocket message does), and then every button is pressed; the workbook must stay valid."""
    import ipywidgets as W

    from workbook import app as app_module
    from workbook.store import Store

    db = folder / "widgets.sqlite"
    rng = random.Random(2026)
    tried = 0
    with Store(db):
        pass
    shell = app_module.build_app(db)
    for step in app_module.STEPS:
        with contextlib.suppress(Exception):
            shell.show(step.key)
    from ipywidgets.widgets.widget import _instances  # every live widget, as the kernel has them

    inputs = [w for w in _instances.values()
              if isinstance(w, W.ValueWidget) and not isinstance(w, W.Output)]
    buttons = [w for w in _instances.values() if isinstance(w, W.Button)]
    rounds = 2 if quick else 6
    for _ in range(rounds):
        for widget in inputs:
            value = rng.choice(WILD)
            tried += 1
            with contextlib.suppress(Exception):
                widget.set_state({"value": value})
        for button in buttons:
            if "delete" in (button.description or "").lower():
                continue
            with contextlib.suppress(Exception):
                button.click()
    with Store(db, readonly=True) as s:
        problems = s.check()
        stored = sum(v for k, v in s.counts().items() if k != "memberships")
        from workbook import backup

        try:  # every record must read back as a valid backup would
            backup.load(backup.dump(s))
        except Exception as e:  # noqa: BLE001 - any failure here is what the part counts
            problems.append(str(e))
    return Result("widgets", tried, len(problems), f"values set on {len(inputs)} input "
                  f"widgets, then {len(buttons)} buttons pressed ({stored} records stored); "
                  "through is a problem in the workbook afterwards", tuple(problems[:5]))


def files_part(folder: Path, quick: bool) -> Result:
    from shared import write_demo_file
    from test_hostile_file import CHANGES

    from workbook.cli import main

    demo = write_demo_file(folder / "files", years=1)
    tried = through = 0
    examples = []
    for name, (statement, _said) in CHANGES.items():
        copy = folder / "files" / f"changed-{tried}.sqlite"
        copy.write_bytes(demo.path.read_bytes())
        con = sqlite3.connect(copy, isolation_level=None)
        con.execute(statement)
        con.close()
        for command in (["info"], ["check"], ["export", "--format", "json", "--out",
                                             str(copy) + ".json"]):
            tried += 1
            with contextlib.redirect_stdout(None), contextlib.redirect_stderr(None):
                code = main(["--db", str(copy), *command])
            if code == 0 and command != ["info"]:
                through += 1
                examples.append(f"{name}: {command[0]}")
    return Result("files", tried, through, "workbook files changed by another program, opened "
                  "by info, check and export; through is a command that went on as if healthy",
                  tuple(examples[:5]))


def print_part(folder: Path, quick: bool) -> Result:
    from workbook.cli import main
    from workbook.model import Community, Resolution
    from workbook.store import Store

    payloads = ["#set page(fill: red)", "#import \"/etc/passwd\"", "#read(\"/etc/passwd\")",
                "$x^2$", "*bold* _it_", "\\", "#{panic()}", "// comment", "@label", "<label>",
                "#eval(\"1+1\")", "`raw`", "= Heading", "#pagebreak()", "]#[", "\u2028x\u2029",
                "🎉" * 150, "שלום", "#sys.inputs"]
    if quick:
        payloads = payloads[:8]
    tried = through = printed = 0
    examples = []
    for n, text in enumerate(payloads):
        db = folder / f"print-{n}.sqlite"
        with Store(db) as s:
            c = s.add(Community(name=text[:200], kind="hobby"))
            s.add(Resolution(cue=text[:300], give=text[:300], community_id=c, times=1,
                             per="month", start=_today()))
        pdf = folder / f"plan-{n}.pdf"
        tried += 1
        with contextlib.redirect_stdout(None), contextlib.redirect_stderr(None):
            code = main(["--db", str(db), "handouts", "plan", "--out", str(pdf)])
        shown = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                               text=True).stdout if code == 0 else ""
        printed += code == 0
        words = [w for w in text.replace("\u2028", " ").replace("\u2029", " ").split()
                 if len(w) > 1 and "🎉" not in w][:2]
        if code != 0 or any(w not in shown.replace("\n", " ") for w in words):
            through += 1
            examples.append(repr(text[:30]))
    return Result("print", tried, through, "typesetter markup as a community, cue and give "
                  f"in a printed plan ({printed} printed); through is a plan not printed or "
                  "the text not shown as typed", tuple(examples[:5]))


def kills_part(folder: Path, quick: bool) -> Result:
    from test_crash import _write_until_killed

    from workbook.store import Store

    rng = random.Random(20261202)
    kills = lost = confirmed_total = 0
    for n in range(2 if quick else 6):
        db = folder / f"killed-{n}.sqlite"
        confirmed: list[int] = []
        for k in range(5 if quick else 9):
            confirmed += _write_until_killed(db, rng, seed=n * 100 + k)
            kills += 1
        with Store(db) as s:
            have = set(s.frame("log").id)
            lost += len(set(confirmed) - have) + len(s.check())
        confirmed_total += len(confirmed)
    return Result("kills", kills, lost, f"SIGKILL while saving ({confirmed_total} saves "
                  "confirmed); through is a confirmed save lost or a problem in the file")


# -- all of it ---------------------------------------------------------------------------------

def run(quick: bool = False, parts: tuple[str, ...] | None = None) -> list[Result]:
    """Run the suite (or some of its parts) and return one result per part."""
    results: list[Result] = []
    wanted = set(parts or ("paths", "reach", "code", "frames", "markup", "widgets", "files",
                           "print", "kills"))
    with tempfile.TemporaryDirectory(prefix="wb-attack-") as tmp:
        folder = Path(tmp)
        if wanted & {"paths", "reach", "code", "frames"}:
            port = free_port()
            with serve(app_command(port, folder / "workbook.sqlite"), port,
                       ready_path=READY) as base:
                base.port = port
                if "paths" in wanted:
                    results.append(paths_part(base, folder, quick))
                if "reach" in wanted:
                    results.append(reach_part(base, quick))
                if "code" in wanted:
                    results.append(code_part(base, folder, quick))
                if "frames" in wanted:
                    results.append(frames_part(base, quick))
        for name, part in (("markup", markup_part), ("widgets", widgets_part),
                           ("files", files_part), ("print", print_part),
                           ("kills", kills_part)):
            if name in wanted:
                results.append(part(folder, quick))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer attempts of each kind")
    parser.add_argument("parts", nargs="*", help="only these parts")
    args = parser.parse_args()
    began = time.perf_counter()
    results = run(args.quick, tuple(args.parts) or None)
    for r in results:
        print(r.line())
        for example in r.examples:
            print(f"{'':17}{example}")
    print(f"{sum(r.tried for r in results)} attempts, {sum(r.through for r in results)} "
          f"through, in {time.perf_counter() - began:.0f} s")
    return 1 if any(r.through for r in results) else 0


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    sys.exit(main())
