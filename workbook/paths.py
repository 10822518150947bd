"""Where the workbook file lives: --db, else WORKBOOK_DB, else the user's data folder."""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start-up
if TYPE_CHECKING:
    from pathlib import Path

APP_NAME = "networking-workbook"
ENV_VAR = "WORKBOOK_DB"
ROOM_DIR = "/srv/networking-workbook-room"  # a workshop room's folder on its server


def workbook_path(db: str | os.PathLike | None = None) -> Path:
    """The workbook file to use.

    Parameters
    ----------
    db
        An explicit path (the ``--db`` option); wins over everything else.

    Returns
    -------
    Path
        ``db`` if given, else ``$WORKBOOK_DB`` if set and not empty, else
        ``user_data_dir("networking-workbook")/workbook.sqlite``.
    """
    from pathlib import Path  # not at import: the command line's --help needs none of it

    if db:
        return Path(db).expanduser()
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs  # only when neither --db nor $WORKBOOK_DB says where

    return Path(platformdirs.user_data_dir(APP_NAME)) / "workbook.sqlite"
