"""axe-core, from npm (tests/axe), run on a page of the app in Chromium: the violations it finds,
by rule and impact."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).with_name("axe") / "node_modules" / "axe-core" / "axe.min.js"
SEVERE = ("serious", "critical")


def available() -> bool:
    """Whether axe-core is installed (``npm ci --prefix tests/axe``; make test does it)."""
    return AXE.is_file()


def violations(page) -> list[dict]:
    """Every rule the page breaks now: ``{"id", "impact", "help", "targets"}``."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => {
        const result = await window.axe.run(document, {resultTypes: ["violations"]});
        return result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.map(n => n.target.join(" ")).slice(0, 5),
            count: v.nodes.length}));
    }""")
    return found


def severe(found: list[dict]) -> list[dict]:
    """The serious and critical ones."""
    return [v for v in found if v["impact"] in SEVERE]
