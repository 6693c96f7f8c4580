"""Where a desk lives, resolved once into one frozen value.

:func:`resolve_location` turns what the operator gave (``--db``, ``$KFOR_DESK_DB``, a picked
file, a server URL) into a :class:`DeskLocation`: the store's :class:`~kfor_desk.store.db.Target`
(a SQLite file path, or a server URL), whether it is to be opened read-only, where its backups
go and where its instance-lock file lies. Everything after that — the opening sequence of
:mod:`kfor_desk.services.opening`, backups, restore, the checks — takes this value and never
resolves the path again.

This module opens nothing, checks nothing on disk and decides nothing about what is allowed;
the SQLAlchemy store loads only when a location is resolved, not when this module is imported.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kfor_desk.store.db import Target


@dataclass(frozen=True, slots=True)
class DeskLocation:
    """One database location, resolved: what it is, how it is opened, where its files lie.

    ``backup_folder`` and ``lock_file`` are ``None`` for a database server (its administrator
    backs it up; the server keeps its own locks)."""

    target: Target
    readonly: bool = False
    backup_folder: Path | None = None
    lock_file: Path | None = None

    @property
    def path(self) -> Path | None:
        """The SQLite file, or ``None`` for a server."""
        return self.target.path

    @property
    def is_sqlite(self) -> bool:
        return self.target.path is not None

    def as_readonly(self, readonly: bool = True) -> DeskLocation:
        return replace(self, readonly=readonly)

    def __str__(self) -> str:
        return str(self.target)


def resolve_location(where: str | os.PathLike[str] | Target | DeskLocation, *,
                     readonly: bool = False, backup_folder: Path | None = None) -> DeskLocation:
    """Resolve ``where`` once (a :class:`DeskLocation` comes back as it is, with ``readonly``
    and ``backup_folder`` applied when given). Raises
    :class:`~kfor_desk.store.errors.DatabaseMissing` for an in-memory URL."""
    if isinstance(where, DeskLocation):
        loc = where.as_readonly(readonly) if readonly and not where.readonly else where
        return replace(loc, backup_folder=backup_folder) if backup_folder is not None \
            and loc.is_sqlite else loc
    from kfor_desk.store.db import resolve_target

    from .backup import default_backup_dir
    from .instance import lock_path

    target = resolve_target(where)
    if target.path is None:
        return DeskLocation(target, readonly)
    return DeskLocation(target, readonly, backup_folder or default_backup_dir(target.path),
                        lock_path(target.path))


__all__ = ["DeskLocation", "resolve_location"]
