"""The project's own files agree with each other and keep the layers apart."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _requirement(text: str) -> tuple[str, str]:
    match = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", text)
    name, spec = match.group(1), match.group(2)
    return name.lower().replace("_", "-"), spec.replace(" ", "")


def _pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        reqs += extra
    return dict(_requirement(r) for r in reqs)


def _environment_requirements() -> dict[str, str]:
    found = {}
    text = (ROOT / "environment.yml").read_text()
    for line in text[text.index("dependencies:"):].splitlines():
        item = re.match(r"^\s+- (?!pip:)(.+)$", line)
        if not item or item.group(1).startswith("-e"):
            continue
        name, spec = _requirement(item.group(1))
        if name not in {"python", "pip"}:
            found[name] = spec
    return found


def test_environment_yml_names_the_same_dependencies_as_pyproject():
    assert _environment_requirements() == _pyproject_requirements()


def test_environment_yml_installs_the_package_itself():
    assert "- -e ." in (ROOT / "environment.yml").read_text()


def test_console_script_points_at_cli_main():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["name"] == "networking-workbook"
    assert project["scripts"]["workbook"] == "workbook.cli:main"


UI_MODULES = ("ipywidgets", "IPython", "altair", "anywidget", "voila")
CORE_MODULES = ("model", "store", "analytics", "content", "demo", "paths", "backup", "atomic")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_domain_core_imports_no_user_interface():
    checked = 0
    for name in CORE_MODULES:
        path = ROOT / "workbook" / f"{name}.py"
        if path.exists():
            checked += 1
            assert not _imports(path) & set(UI_MODULES), f"{path.name} imports a UI library"
    assert checked >= 3


def test_readme_opens_with_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    first_part = readme[: readme.index("\n## ")]
    assert "make app" in first_part and "make test" in first_part
