"""Without Chromium the browser tests are skipped, except under CI, where they fail."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _run_browser_tests(ci: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["CHROMIUM"] = str(HERE / "no-such-chromium")
    if ci is not None:
        env["CI"] = ci
    # One test is enough: the decision is made before any server or browser starts.
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs",
         str(HERE / "test_app_browser.py"), "-k", "reload"],
        capture_output=True, text=True, env=env, cwd=HERE.parent, timeout=300,
    )


def test_browser_tests_are_skipped_with_a_reason_without_chromium():
    done = _run_browser_tests(ci=None)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "skipped" in done.stdout and "no Chromium found" in done.stdout


def test_browser_tests_fail_under_ci_without_chromium():
    done = _run_browser_tests(ci="true")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "must run under CI" in done.stdout
