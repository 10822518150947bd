"""One person's workbook in one SQLite file: open, migrate, write records, read DataFrames.

All of it importable from here: ``database`` holds the ``Store``, ``schema`` the migrations, the
tables and the frames' types, ``files`` the checks of a file's kind and header and its owner-only
access, ``shape`` the check that its tables and indexes are the workbook's own (and no trigger
or view), ``identity`` the check that the file written is still the one at its path, ``rules``
what every write must keep, ``removal`` what a delete takes along and its undo, ``bulk`` the
writing of a whole workbook at once, and ``health`` the health check.
"""

from ..model import StaleRecordError
from .database import BUSY_SECONDS, MIN_DAY, Store, open_store
from .files import SQLITE_MAGIC, NotAWorkbookError, NotSavedError, check_file
from .identity import FileGoneError
from .removal import Deleted, Link
from .rules import link_problem
from .schema import APPLICATION_ID, FRAME_NAMES, MIGRATIONS, SCHEMA_VERSION

__all__ = [
    "APPLICATION_ID", "BUSY_SECONDS", "FRAME_NAMES", "MIGRATIONS", "MIN_DAY", "SCHEMA_VERSION",
    "SQLITE_MAGIC", "Deleted", "FileGoneError", "Link", "NotAWorkbookError", "NotSavedError",
    "StaleRecordError", "Store", "check_file",
    "link_problem", "open_store",
]
