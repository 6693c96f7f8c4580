"""The failures the window and the CLI show, named for them.

The UI and the CLI import error classes from here, never from ``kfor_desk.store``: the store's
errors are re-exported so that the upper floors do not reach past the services. This module
defines no behaviour of its own and decides nothing about how an error is shown.
"""

from __future__ import annotations

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

__all__ = [
    "CheckStopped",
    "ConcurrentEdit",
    "DatabaseExists",
    "DatabaseInUse",
    "DatabaseLocked",
    "DatabaseMissing",
    "DiskFull",
    "DuplicateRegisterNo",
    "IntegrityFailure",
    "MigrationFailed",
    "NewerSchema",
    "NotADatabase",
    "NotFound",
    "ReadOnlyDatabase",
    "ServerUnreachable",
    "StoreError",
    "UnsafeLocation",
]
