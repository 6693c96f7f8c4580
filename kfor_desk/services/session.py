"""Where the database is, and opening or creating it with the backup-before-upgrade rule."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

from .desk import Desk, Operator, default_operator

ENV_DB = "KFOR_DESK_DB"
APP_NAME = "kfor-desk"


def data_dir() -> Path:
    """The user's data folder (portable mode: a ``data`` folder beside the executable)."""
    from kfor_desk.portable import portable_root

    root = portable_root()
    path = root / "data" if root else user_data_path(APP_NAME, appauthor=False)
    return path


def default_db_location() -> str:
    return str(data_dir() / "kfor-desk.db")


def resolve_db(arg: str | None) -> str:
    """``--db`` if given, else ``$KFOR_DESK_DB``, else the file in the user data folder."""
    return arg or os.environ.get(ENV_DB) or default_db_location()


def open_desk(location: str, operator: Operator | str | None = None, *,
              readonly: bool = False) -> Desk:
    # the store (SQLAlchemy) loads with the first database, not with the data folder's name
    from kfor_desk.store.db import open_database

    from .backup import pre_migration_backup

    db = open_database(location, readonly=readonly, backup=pre_migration_backup)
    return Desk(db, operator or default_operator())


def create_desk(location: str, operator: Operator | str | None = None, *,
                training: bool = False) -> Desk:
    from kfor_desk.store.db import create_database

    op = operator or default_operator()
    opname = op.display if isinstance(op, Operator) else op
    db = create_database(location, training=training, created_by=opname)
    from .witness import attach

    attach(db, created=True)  # the key and the desk's head log start with the desk
    return Desk(db, op)
