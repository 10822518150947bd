"""The file checks: refuse a path that is no workbook file (from its kind, or from its header
alone), and keep a workbook file for its owner only."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from ..model import WorkbookError
from .schema import APPLICATION_ID, SCHEMA_VERSION

SQLITE_MAGIC = b"SQLite format 3\x00"


class NotAWorkbookError(WorkbookError):
    """The file exists but is not a workbook this version can open."""


class NotSavedError(WorkbookError):
    """A write failed for a reason outside the workbook: a full disk, a read-only file."""


# SQLite's primary result codes for a write the file system would not take.
_NOT_WRITABLE = {
    "SQLITE_FULL": "the disk is full",
    "SQLITE_READONLY": "the workbook file is read-only",
    "SQLITE_IOERR": "the disk reported an error",
    "SQLITE_CANTOPEN": "the workbook file cannot be opened for writing",
}


def write_refused(error: Exception, path: Path) -> Exception:
    """A failed write, told plainly when the disk or file system refused it; else as it was."""
    name = (getattr(error, "sqlite_errorname", "") or "").split("_")[:2]
    reason = _NOT_WRITABLE.get("_".join(name))
    if reason is None:
        return error
    return NotSavedError(f"Nothing was saved: {reason} ({path}). Free some space or make the "
                         "file writable, then save again; everything saved before is kept.")


def _header(path: Path) -> bytes:
    with open(path, "rb") as f:
        return f.read(100)


def check_file(path: Path) -> None:
    """Refuse a file that is plainly not a workbook, reading only its header.

    The connection checks the rest (see ``Store._configure``).
    """
    try:
        head = _header(path)
    except OSError as e:
        raise NotAWorkbookError(f"Cannot read {path}: {e.strerror or e}.") from None
    if not head:
        return  # an empty file becomes a new workbook
    if not head.startswith(SQLITE_MAGIC) or len(head) < 100:
        raise NotAWorkbookError(f"{path} is not a workbook file (it is not an SQLite database).")
    app_id = int.from_bytes(head[68:72], "big")
    if app_id == 0 and _may_be_unsettled(path, head):
        # A workbook that another program holds open, or whose creation was interrupted, keeps
        # its identity in the -wal file until a checkpoint; the connection reads it from there.
        return
    _check_ids(path, app_id, int.from_bytes(head[60:64], "big"))


def _may_be_unsettled(path: Path, head: bytes) -> bool:
    """True when the header may be older than the file's content (WAL mode or a journal beside)."""
    wal_mode = head[18] == 2
    return wal_mode or any(
        path.with_name(path.name + suffix).exists() for suffix in ("-wal", "-journal")
    )


def _check_ids(path: Path, app_id: int, version: int) -> None:
    if app_id != APPLICATION_ID:
        raise NotAWorkbookError(
            f"{path} is an SQLite database from another program, not a workbook."
        )
    if version > SCHEMA_VERSION:
        raise NotAWorkbookError(
            f"{path} was written by a newer version of the workbook (schema {version}; "
            f"this version reads up to {SCHEMA_VERSION}). Please update the program."
        )


def _refuse_special(path: Path) -> None:
    """Refuse, before any read, a path that would hang or write where nobody meant to.

    A pipe would block the first read for ever, a device is no file to keep, and a link to
    nothing would create its target, wherever it points.
    """
    if path.is_symlink() and not path.exists():
        raise NotAWorkbookError(f"{path} is a link to {os.readlink(path)}, which is not there: "
                                "give the workbook file itself, or remove the link.")
    try:
        kind = path.stat().st_mode
    except OSError:
        return  # not there (a new workbook) or not readable: opening it says which
    if not (stat.S_ISREG(kind) or stat.S_ISDIR(kind)):
        raise NotAWorkbookError(f"{path} is not a workbook file: it is a pipe, a socket or a "
                                "device, not a file on disk.")


def _create_private(path: Path) -> None:
    """An empty workbook file only its owner can read, in a folder made for it only their own.

    SQLite gives the -wal and -shm files beside it the file's own permissions. A folder that
    already exists is left as it is: it may be the person's own working folder.
    """
    folder = path.parent
    if not folder.exists():
        folder.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass  # another program created it a moment ago: it is opened as theirs


def _keep_private(path: Path) -> None:
    """Take group and others' access from a workbook of this person's made by an older version."""
    if not hasattr(os, "getuid"):
        return  # Windows: a file's access is its folder's, not these bits
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            info = name.stat()
            if info.st_uid == os.getuid() and info.st_mode & 0o077:
                os.chmod(name, info.st_mode & 0o700)
        except OSError:
            continue  # not there, or not ours to change: SQLite says what it cannot open
