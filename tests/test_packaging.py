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


UI_MODULES = ("ipywidgets", "IPython", "traitlets", "altair", "anywidget", "voila")
# A core package's sub-modules are core too (see _core_modules).
CORE_MODULES = ("model", "store", "analytics", "content", "demo", "paths", "backup",
                "backup_format", "backup_read", "atomic", "clock", "errors", "season", "review",
                "follow", "listen", "room_share")
UI_LAYERS = ("workbook.pages", "workbook.forms", "workbook.charts", "workbook.app")
PRESENTER = "workbook.pages.presenter"


def _module_file(name: str) -> Path | None:
    """The file of a module of this project ('workbook.pages' -> workbook/pages/__init__.py)."""
    base = ROOT.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _imports(name: str) -> set[str]:
    """The modules that module ``name`` imports, relative imports resolved to full names."""
    path = _module_file(name)
    # The package a relative import starts from: a package's own name, or a module's parent.
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            module = node.module
            if node.level:
                # Each dot after the first goes one package up: ".." in workbook.pages is workbook.
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            for alias in node.names:
                # "from . import x" imports the module x; "from .x import y" a name from x.
                sub = f"{module}.{alias.name}"
                found.add(sub if _module_file(sub) else module)
    return found


def _reached(name: str) -> set[str]:
    """Every module that ``name`` imports, directly or through the project's own modules."""
    seen, todo = set(), [name]
    while todo:
        for module in _imports(todo.pop()) - seen:
            seen.add(module)
            if _module_file(module):
                todo.append(module)
    return seen


def _within(modules: set[str], roots) -> set[str]:
    return {m for m in modules if any(m == r or m.startswith(f"{r}.") for r in roots)}


def _sub_modules(name: str) -> list[str]:
    """The modules inside package ``name``, at any depth (none for a plain module)."""
    path = _module_file(name)
    if path is None or path.name != "__init__.py":
        return []
    found = []
    for file in sorted(path.parent.rglob("*.py")):
        parts = file.relative_to(path.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts:
            found.append(".".join((name, *parts)))
    return found


def _core_modules() -> list[str]:
    """Every core module by its full name, each sub-module of a core package included."""
    found = []
    for name in CORE_MODULES:
        assert _module_file(f"workbook.{name}"), f"workbook.{name} is gone: update CORE_MODULES"
        found += [f"workbook.{name}", *_sub_modules(f"workbook.{name}")]
    return found


def test_relative_imports_are_resolved_to_module_names():
    assert {"workbook.analytics", "workbook.model"} <= _imports(PRESENTER)
    assert {"workbook.pages.session", "workbook.pages.presenter", "workbook.model"} \
        <= _imports("workbook.pages")
    assert "workbook.store" in _imports("workbook.pages.session")  # from ..store import Store
    assert "workbook.forms" in _reached("workbook.pages.plan")  # from ..forms import ...
    assert "ipywidgets" in _reached("workbook.pages.plan")  # not imported there: via the forms


def test_a_core_package_brings_every_module_inside_it():
    core = _core_modules()
    assert {"workbook.analytics", "workbook.analytics.scores", "workbook.store.database",
            "workbook.demo.world", "workbook.model"} <= set(core)
    assert _sub_modules("workbook.model") == []
    # Found on disk, so a sub-module that its package never imports is checked all the same.
    on_disk = {f"workbook.store.{p.stem}" for p in (ROOT / "workbook" / "store").glob("*.py")}
    assert on_disk - {"workbook.store.__init__"} <= set(core)


def test_domain_core_imports_no_user_interface():
    for name in _core_modules():
        reached = _reached(name)
        assert not _within(reached, UI_MODULES), f"{name} imports a UI library"
        assert not _within(reached, UI_LAYERS), f"{name} imports a page, form or chart"


def test_the_presenter_imports_no_user_interface():
    assert not _within(_reached(PRESENTER), UI_MODULES), "the presenter imports a UI library"


def test_forms_never_touch_the_store():
    forms = sorted((ROOT / "workbook" / "forms").glob("*.py"))
    assert len(forms) >= 5
    for path in forms:
        name = "workbook.forms" + ("" if path.stem == "__init__" else f".{path.stem}")
        assert not _within(_reached(name), ["workbook.store"]), f"{name} imports the store"


def _bound_names(path: Path) -> set[str]:
    """The names a module binds at its top level, leaving out ``from . import x`` (a module)."""
    found = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            found.add(node.name)
        elif isinstance(node, ast.Assign):
            found |= {target.id for target in node.targets if isinstance(target, ast.Name)}
        elif isinstance(node, ast.ImportFrom) and not (node.level and node.module is None):
            found |= {alias.asname or alias.name for alias in node.names}
    return found


def test_no_module_is_hidden_by_a_name_its_package_exports():
    # "from .balance import balance" would make workbook.analytics.balance the function, and
    # a dotted path such as "workbook.analytics.balance.x" (monkeypatch, mock) would not resolve.
    for init in sorted((ROOT / "workbook").rglob("__init__.py")):
        modules = {p.stem for p in init.parent.glob("*.py")} | {
            p.parent.name for p in init.parent.glob("*/__init__.py")}
        hidden = modules & _bound_names(init)
        assert not hidden, f"{init.relative_to(ROOT)} binds names of its modules: {hidden}"


def test_readme_opens_with_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    first_part = readme[: readme.index("\n## ")]
    assert "make app" in first_part and "make test" in first_part
