"""The store's failures: ``StoreError`` (a :class:`~kfor_desk.domain.errors.UserError`: its
message says what to do); anything else is a bug. SQLite failures are sorted into these by
their error code in :mod:`kfor_desk.store.sqlite_errors`."""

from __future__ import annotations

from kfor_desk.domain.errors import UserError


class StoreError(UserError):
    """A problem the operator can act on; ``str()`` is one clear sentence."""


class CheckStopped(Exception):
    """A check was asked to stop before it finished (the app is closing): it found nothing,
    good or bad, and nothing may be concluded from it."""


class DatabaseMissing(StoreError):
    pass


class ServerUnreachable(DatabaseMissing):
    """The database server cannot be reached (down, wrong address, network cut)."""


class DatabaseExists(StoreError):
    pass


class NotADatabase(StoreError):
    pass


class DatabaseLocked(StoreError):
    pass


class NewerSchema(StoreError):
    pass


class MigrationFailed(StoreError):
    pass


class ReadOnlyDatabase(StoreError):
    pass


class IntegrityFailure(StoreError):
    pass


class DiskFull(StoreError):
    """The disk (or the database's size limit) is full; the transaction was rolled back."""


class DatabaseInUse(StoreError):
    """Another KFOR Desk instance has the database open. ``command``: the command-line
    command that holds it (``"kfor-desk import"``), None for a window or one not known."""

    def __init__(self, message: str, command: str | None = None) -> None:
        super().__init__(message)
        self.command = command


class UnsafeLocation(StoreError):
    """The database is on a network or cloud-synced folder, where SQLite's locking fails."""


class NotFound(StoreError):
    pass


class ConcurrentEdit(StoreError):
    """Someone else saved the record since it was loaded; nothing was overwritten."""

    def __init__(self, register_no: str, expected: int, current: int) -> None:
        self.register_no = register_no
        self.expected = expected
        self.current = current
        super().__init__(
            f"{register_no} was changed by someone else (version {current}, you edited version "
            f"{expected}); your changes were not saved — reload the record and apply them again."
        )


class DuplicateRegisterNo(StoreError):
    pass
