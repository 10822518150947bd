"""Write a file so that a reader sees the old content or the new, never half of it."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path


def atomic_write(path: str | os.PathLike, data: bytes | str | Iterable[bytes],
                 mode: int | None = None) -> Path:
    """Replace ``path`` with ``data`` in one step.

    The data goes to a temporary file in the same folder, is flushed to disk, and then takes the
    place of ``path`` with ``os.replace``: a crash or a full disk leaves the old file untouched.

    Parameters
    ----------
    path
        The file to write; its folder must exist.
    data
        Bytes, or text that is written as UTF-8 (newlines kept as given), or pieces of bytes
        written one after another (an error while making them leaves the old file).
    mode
        The permissions the file gets, set before it takes its place (so no reader ever sees
        it with others); by default an existing file keeps its own.

    Returns
    -------
    Path
        The path written.

    Notes
    -----
    Without ``mode``, an existing file keeps its permissions and a new file is readable by its
    owner only, because workbook files hold private notes about people.
    """
    path = Path(path)
    if not path.parent.is_dir():  # say which folder is missing, not which temporary file
        raise FileNotFoundError(errno.ENOENT, "No such folder", str(path.parent))
    if isinstance(data, str):
        data = data.encode("utf-8")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            if isinstance(data, bytes | bytearray):
                f.write(data)
            else:
                for piece in data:
                    f.write(piece)
            f.flush()
            os.fsync(f.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        else:
            with contextlib.suppress(FileNotFoundError):
                os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_folder(path.parent)
    return path


@contextlib.contextmanager
def kept_only_on_success(path: Path) -> Iterator[None]:
    """Remove the workbook file (and folders) this command created if the command fails."""
    if path.exists():
        yield
        return
    created = []
    folder = path.parent
    while not folder.exists():
        created.append(folder)
        folder = folder.parent
    try:
        yield
    except BaseException:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(f"{path}{suffix}")
        for folder in created:  # innermost first
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # Windows cannot open a folder; its rename is durable enough
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
