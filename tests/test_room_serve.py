"""What `workbook room serve` prepares before the hub starts: folders, modes, groups, settings."""

from __future__ import annotations

import argparse
import grp
import json
import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest

from workbook import cli, room_serve, server
from workbook.errors import WorkbookError


@pytest.fixture
def groups():
    """The room's groups; those this test made are removed after."""
    before = {g.gr_name for g in grp.getgrall()}
    yield
    for name in (room_serve.PARTICIPANTS, room_serve.FACILITATORS):
        if name not in before:
            subprocess.run(["groupdel", name], capture_output=True)


@pytest.mark.skipif(os.geteuid() != 0, reason="making the room's groups needs root")
def test_the_room_folder_keeps_the_hub_private_and_the_shared_folder_unlistable(tmp_path,
                                                                                 groups):
    root = tmp_path / "room"
    python = Path("/usr/bin/python3")  # one that every account can run
    env = room_serve.prepare_room(root, [], python)
    folders = room_serve.room_folders(root)
    assert stat.S_IMODE(root.stat().st_mode) == 0o711
    assert stat.S_IMODE(folders["state"].stat().st_mode) == 0o700
    shared = folders["shared"].stat()
    assert stat.S_IMODE(shared.st_mode) == 0o3773  # others add files, cannot list; setgid
    assert shared.st_gid == grp.getgrnam(room_serve.FACILITATORS).gr_gid
    assert env["WORKBOOK_ROOM_DIR"] == str(folders["shared"])
    assert env["WORKBOOK_ROOM_NOTEBOOKS"] == str(server.NOTEBOOKS)

    settings = json.loads((folders["config"] / "jupyter_server_config.json").read_text())
    assert settings["ServerApp"]["jpserver_extensions"] == {"voila": True}
    culling = settings["MappingKernelManager"]
    assert 0 < culling["cull_idle_timeout"] <= 3600 and culling["cull_connected"] is False
    assert settings["ServerApp"]["tornado_settings"]["mathjax_url"] == "null"
    voila = json.loads((folders["config"] / "voila.json").read_text())
    ours = json.loads(server.VOILA_CONFIG.read_text())["VoilaConfiguration"]
    assert voila["VoilaConfiguration"] == ours  # the app's own template and what it hides
    bundle = next(folders["data"].rglob(env["WORKBOOK_ROOM_CHART_FILE"]))
    assert stat.S_IMODE(bundle.stat().st_mode) == 0o644 and bundle.stat().st_size > 100_000

    again = room_serve.prepare_room(root, [], python)  # a second start finds everything in place
    assert again == env


def test_a_checkout_other_accounts_cannot_enter_is_refused():
    outer = Path(tempfile.mkdtemp(dir="/tmp"))
    outer.chmod(0o755)
    closed = outer / "closed"
    (closed / "inside").mkdir(parents=True)
    closed.chmod(0o700)
    assert room_serve._readable_by_others(closed / "inside") == closed
    closed.chmod(0o755)
    assert room_serve._readable_by_others(closed / "inside") is None
    shutil.rmtree(outer)
    with pytest.raises(WorkbookError, match="cannot reach"):
        room_serve.prepare_room(Path(tempfile.gettempdir()) / "never-made", [],
                                Path("/root/.no-python"))


def test_a_missing_proxy_says_how_to_install_it(tmp_path):
    with pytest.raises(WorkbookError, match="npm ci"):
        room_serve.find_proxy(str(tmp_path / "no-such-proxy"))


def test_the_command_line_names_every_room_option():
    args = cli.build_parser().parse_args(
        ["room", "serve", "--dir", "/tmp/r", "--facilitator", "fay", "--facilitator", "sam",
         "--ip", "127.0.0.1", "--port", "8010"])
    assert isinstance(args, argparse.Namespace)
    assert args.facilitator == ["fay", "sam"] and args.port == 8010 and args.idle == 3600
    assert args.run is cli.cmd_room_serve


def test_the_hub_settings_file_ships_with_the_package():
    assert room_serve.CONFIG_FILE.exists()
    text = room_serve.CONFIG_FILE.read_text()
    for needed in ("FirstUseAuthenticator", "LocalAuthenticator", "HOME_MODE=0700",
                   "/voila/render/app.ipynb", "jupyterhub_idle_culler",
                   "access:services!service=room"):
        assert needed in text, needed


def test_a_name_of_the_server_s_own_accounts_cannot_sign_in(tmp_path, monkeypatch):
    """root, daemons and the server's users are never a participant's name."""
    import runpy

    from traitlets.config import Config

    for name in ("STATE", "DIR", "CONFIG", "DATA", "NOTEBOOKS"):
        monkeypatch.setenv(f"WORKBOOK_ROOM_{name}", str(tmp_path))
    monkeypatch.setenv("WORKBOOK_ROOM_CHART_FILE", "chart.js")
    config = Config()
    settings = runpy.run_path(str(room_serve.CONFIG_FILE), {"get_config": lambda: config})
    allowed = settings["RoomAuthenticator"].check_allowed
    for taken in ("root", "daemon", "nobody"):
        assert not allowed(None, taken)
    for bad in ("Ana", "a", "ana smith", "../ana", "ana;rm", "x" * 40):
        assert not allowed(None, bad)
    assert allowed(None, "ana-2")  # a new name: its account is made at first sign-in
    assert config.Authenticator.admin_users == set()
    assert config.Spawner.default_url == "/voila/render/app.ipynb"
