"""The one error taxonomy, as the window and the command line see it.

Every failure the operator can act on is a :class:`UserError` (defined on the lowest floor,
:mod:`kfor_desk.domain.errors`); :func:`is_user_error` and :func:`user_message` are the one
check the window, its background tasks and the command line use to tell the operator's problem
(a warning with its sentence) from a bug ("unexpected", traceback in the log). The services'
own failures are defined here — :class:`BackupError`, :class:`OutputError`,
:class:`OpenRefused` — and the store's and the domain's are re-exported, so that the upper
floors never import ``kfor_desk.store``.

Light to import (no SQLAlchemy): the window loads it before any database is open. This module
decides nothing about how an error is shown.
"""

from __future__ import annotations

from pathlib import Path

from kfor_desk.domain.errors import (
    InputError,
    ShouldStop,
    Stopped,
    UserError,
    check_stop,
    file_problem,
    is_user_error,
    user_message,
)
from kfor_desk.domain.geo.position import PositionError
from kfor_desk.domain.timefmt import TimeError
from kfor_desk.domain.validation import RuleError
from kfor_desk.store.errors import (
    CheckStopped,
    ConcurrentEdit,
    DatabaseExists,
    DatabaseInUse,
    DatabaseLocked,
    DatabaseMissing,
    DiskFull,
    DuplicateRegisterNo,
    IntegrityFailure,
    MigrationFailed,
    NewerSchema,
    NotADatabase,
    NotFound,
    ReadOnlyDatabase,
    ServerUnreachable,
    StoreError,
    UnsafeLocation,
)


class BackupError(UserError):
    """A backup or restore that did not happen; the message says why and what was kept."""


class OutputError(UserError):
    """A file could not be written; the message says why and that nothing was replaced."""


class OpenRefused(StoreError):
    """The file cannot be opened at all (not a database, or damaged beyond reading)."""

    def __init__(self, message: str, newest_backup: Path | None) -> None:
        self.newest_backup = newest_backup
        offer = (f" The newest good backup is {newest_backup}: restore it with "
                 f"'kfor-desk restore {newest_backup}'." if newest_backup else
                 " No good backup was found beside it.")
        super().__init__(message + offer)


__all__ = [
    "BackupError",
    "CheckStopped",
    "ConcurrentEdit",
    "DatabaseExists",
    "DatabaseInUse",
    "DatabaseLocked",
    "DatabaseMissing",
    "DiskFull",
    "DuplicateRegisterNo",
    "InputError",
    "IntegrityFailure",
    "MigrationFailed",
    "NewerSchema",
    "NotADatabase",
    "NotFound",
    "OpenRefused",
    "OutputError",
    "PositionError",
    "ReadOnlyDatabase",
    "RuleError",
    "ServerUnreachable",
    "ShouldStop",
    "Stopped",
    "StoreError",
    "TimeError",
    "UnsafeLocation",
    "UserError",
    "check_stop",
    "file_problem",
    "is_user_error",
    "user_message",
]
