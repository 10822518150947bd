"""Run the guided notebooks (``pytest --nbval-lax notebooks/``) against a demo workbook.

Every notebook opens the workbook named by WORKBOOK_DB. It is set here, before any kernel starts,
to a temporary file holding the demo persona, so the run never touches a real workbook.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from workbook.paths import ENV_VAR
from workbook.store import Store

_saved: dict[str, str | None] = {}


def pytest_configure(config):
    """Write the demo into a temporary workbook and point WORKBOOK_DB at it."""
    from workbook.demo import write_demo

    folder = Path(tempfile.mkdtemp(prefix="workbook-notebooks-"))
    path = folder / "workbook.sqlite"
    with Store(path) as store:
        write_demo(store)
    _saved["folder"] = str(folder)
    _saved["env"] = os.environ.get(ENV_VAR)
    os.environ[ENV_VAR] = str(path)


def pytest_unconfigure(config):
    """Put WORKBOOK_DB back and remove the temporary workbook."""
    if "folder" not in _saved:
        return
    if _saved["env"] is None:
        os.environ.pop(ENV_VAR, None)
    else:
        os.environ[ENV_VAR] = _saved["env"]
    shutil.rmtree(_saved.pop("folder"), ignore_errors=True)
