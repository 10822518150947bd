"""Without Chromium the browser tests are skipped, except under CI, where they fail."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
# One test of each browser file is enough: the decision is made before a server or browser starts.
BROWSER_TESTS = [("test_app_browser.py", "reload"), ("test_jupyterlab_browser.py", "progress")]


def _run_browser_test(file: str, name: str, ci: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["CHROMIUM"] = str(HERE / "no-such-chromium")
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs",
         str(HERE / file), "-k", name],
        capture_output=True, text=True, env=env, cwd=HERE.parent, timeout=300,
    )


@pytest.mark.parametrize("file, name", BROWSER_TESTS)
def test_browser_tests_are_skipped_with_a_reason_without_chromium(file, name):
    done = _run_browser_test(file, name, ci=None)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 skipped" in done.stdout and "no Chromium found" in done.stdout


@pytest.mark.parametrize("file, name", BROWSER_TESTS)
def test_browser_tests_fail_under_ci_without_chromium(file, name):
    done = _run_browser_test(file, name, ci="true")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "must run under CI" in done.stdout
