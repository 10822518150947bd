"""Vendor the Zero to JupyterHub chart's values schema, licence and default values.

    python room/k8s/schema/refresh.py GIT_DIR TAG

GIT_DIR is a clone of jupyterhub/zero-to-jupyterhub-k8s (a bare one will do) and TAG a
release tag of the chart. The chart ships ``values.schema.json`` made from its
``jupyterhub/values.schema.yaml`` by ``tools/generate-json-schema.py``: the YAML with every
``description`` key dropped from each schema level (not from configuration keys that happen to
be named so). This does the same, so the file here matches the published one byte for byte.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent


def _show(git_dir: str, tag: str, path: str) -> str:
    return subprocess.run(["git", "-C", git_dir, "show", f"{tag}:{path}"], check=True,
                          capture_output=True, text=True, encoding="utf-8").stdout


def strip_descriptions(schema: dict) -> None:
    """Drop documentation keys in place, level by level through ``properties``."""
    schema.pop("description", None)
    for value in schema.get("properties", {}).values():
        if isinstance(value, dict):
            strip_descriptions(value)


def main(git_dir: str, tag: str) -> None:
    schema = yaml.safe_load(_show(git_dir, tag, "jupyterhub/values.schema.yaml"))
    strip_descriptions(schema)
    # json.dump's default separators, as the chart's own generator writes it
    (HERE / "values.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    (HERE / "LICENSE").write_text(_show(git_dir, tag, "LICENSE"), encoding="utf-8")
    (HERE / "chart-values.yaml").write_text(_show(git_dir, tag, "jupyterhub/values.yaml"),
                                            encoding="utf-8")
    commit = subprocess.run(["git", "-C", git_dir, "rev-list", "-n", "1", tag], check=True,
                            capture_output=True, text=True).stdout.strip()
    print(f"chart {tag}, commit {commit}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
