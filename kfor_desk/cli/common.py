"""Helpers shared by the sub-commands: opening the database from ``--db``."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kfor_desk.services.desk import Desk, default_operator
from kfor_desk.services.instance import InstanceLock
from kfor_desk.services.session import open_desk, resolve_db


def operator_of(args: argparse.Namespace) -> str:
    return getattr(args, "operator", None) or default_operator()


def desk_from_args(args: argparse.Namespace, readonly: bool = False) -> Desk:
    """Open the existing database named by ``--db`` / ``$KFOR_DESK_DB`` / the default."""
    return open_desk(resolve_db(args.db), operator_of(args), readonly=readonly)


@contextmanager
def writer_lock(location: str, command: str) -> Iterator[InstanceLock | None]:
    """The instance lock for a command that writes a SQLite desk (``import``, ``init``,
    ``demo``, ``copy`` to a file; ``restore`` takes it itself): while a window or another
    command holds it, refused with who holds it, and nothing is changed. Leftovers of a
    restore killed half-way are cleaned up once the lock is held. ``command`` (``"import"``)
    is how another instance refused meanwhile names this one. Yields the held lock (``None``
    for a server: it keeps its own locks)."""
    from kfor_desk.services.backups import clean_leftovers
    from kfor_desk.services.errors import DatabaseInUse

    from . import CliError

    if "://" in location:
        yield None
        return
    path = Path(location).expanduser().absolute()
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    try:
        lock = InstanceLock.acquire(path, f"kfor-desk {command}")
    except DatabaseInUse as exc:
        raise CliError(f"{exc}; nothing was changed") from None
    except OSError as exc:
        raise CliError(f"cannot take the lock beside {path} ({exc.strerror or exc}); nothing "
                       "was changed") from None
    try:
        clean_leftovers(path)
        yield lock
    finally:
        lock.release()
