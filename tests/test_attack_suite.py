"""The attack suite, quick: every part tries something, and nothing gets through."""

from __future__ import annotations

import pytest
from apprunner import require_browser
from attack_suite import run

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_nothing_gets_through():
    require_browser()
    results = run(quick=True)
    assert [r.part for r in results] == ["paths", "reach", "code", "frames", "markup",
                                         "widgets", "files", "print", "kills"]
    for r in results:
        assert r.tried > 0, r.part
        assert r.through == 0, (r.part, r.examples)
