"""The package as people install it: a wheel built from this checkout serves the app from any
folder, with the app notebook, the guided notebooks and the Voila settings inside it."""

from __future__ import annotations

import site
import subprocess
import sys
import urllib.request
import venv
import zipfile
from pathlib import Path

import pytest
from apprunner import ROOT, free_port, serve

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q",
                    "-w", str(out)], check=True, capture_output=True, timeout=300)
    [built] = out.glob("networking_workbook-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """A new virtual environment holding the wheel, outside the checkout.

    The dependencies come from this run's own environment (a path file), so that nothing is
    downloaded; the package itself is only the wheel's, never the checkout's. Their data files
    (Voila's own page templates) stay in that environment's ``share/jupyter``: the server is
    told where with JUPYTER_PATH, as pip would have put them beside the wheel.
    """
    home = tmp_path_factory.mktemp("installed")
    env_dir = home / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    target = subprocess.run([str(python), "-c", "import site; print(site.getsitepackages()[0])"],
                            capture_output=True, text=True, check=True).stdout.strip()
    site_dir = Path(target)
    (site_dir / "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "-q", str(wheel)],
                   check=True, capture_output=True, timeout=300)
    assert site_dir.is_dir()
    return env_dir


def test_the_wheel_carries_the_app_and_its_settings(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("workbook/notebooks/app.ipynb", "workbook/notebooks/00-start-here.ipynb",
                   "workbook/notebooks/05-reflect-and-review.ipynb", "workbook/voila.json",
                   "workbook/data/give_ideas.toml",
                   "workbook/jupyter/nbconvert/templates/networking-workbook/index.html.j2"):
        assert needed in names, needed
    assert not any(name.startswith(("tests/", "notebooks/")) for name in names)


def test_the_installed_package_is_not_the_checkout(installed, tmp_path):
    where = subprocess.run(
        [str(installed / "bin" / "python"), "-c",
         "import workbook.server as s; print(s.NOTEBOOKS); print(s.VOILA_CONFIG)"],
        capture_output=True, text=True, cwd=tmp_path, check=True).stdout.split()
    assert all(str(installed) in path and str(ROOT) not in path for path in where), where


def test_workbook_app_from_the_wheel_serves_the_app_from_any_folder(installed, tmp_path):
    port = free_port()
    command = [str(installed / "bin" / "workbook"), "app", "--no-browser", "--port", str(port),
               "--db", str(tmp_path / "w.sqlite")]
    shared = Path(sys.prefix) / "share" / "jupyter"
    with serve(command, port, log=tmp_path / "server.log", cwd=tmp_path,
               env={"JUPYTER_PATH": str(shared)},
               ready_path="/voila/static/favicon.ico") as base:
        with urllib.request.urlopen(base.at("/"), timeout=120) as response:
            landing = response.read().decode()
        assert 'content="0; url=/voila/render/app.ipynb"' in landing  # our template's landing
        with urllib.request.urlopen(base.at("/voila/render/app.ipynb"), timeout=120) as response:
            page = response.read().decode()
        assert "<title>Networking Workbook</title>" in page
        assert "application/vnd.jupyter.widget-view+json" in page  # the app's widget
        with urllib.request.urlopen(base.at("/voila/render/03-log-your-gives.ipynb"),
                                    timeout=120) as guided:
            assert guided.status == 200
        assert "Traceback" not in base.output()
