"""Where the database is (one rule for the window and the command line), and the command
line's open and create.

The default database: ``--db`` if given, else ``$KFOR_DESK_DB``, else ``kfor-desk.db`` in the
user data folder (:func:`default_db_location`). The window also reopens the database it had
open last (:func:`~kfor_desk.services.startup.start_place`); ``scripts/bootstrap.sh app``
creates the default as a training database.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
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
    """``--db`` if given, else ``$KFOR_DESK_DB``, else the file in the user data folder.

    A path that exists but is not a regular file (a folder, a device, a pipe) is refused with
    :class:`~kfor_desk.store.errors.NotADatabase`: no command opens, replaces or creates
    anything there."""
    where = arg or os.environ.get(ENV_DB) or default_db_location()
    refuse_non_file(where)
    return where


def refuse_non_file(where: str | os.PathLike[str]) -> None:
    """Raise ``NotADatabase`` when ``where`` is a path to something other than a file."""
    raw = os.fspath(where)
    if "://" in raw:
        return
    path = Path(raw).expanduser()
    if path.exists() and not path.is_file():
        from kfor_desk.store.errors import NotADatabase

        what = "a folder" if path.is_dir() else "not a regular file (a device or a pipe)"
        raise NotADatabase(f"{path} is {what}, not a database file; nothing was opened, "
                           "replaced or created — give the path of a database file")


@dataclass(frozen=True, slots=True)
class StartPlace:
    """Where the window starts: ``location``; ``first_start``: it is the default place,
    chosen by nobody (offer new / open / training when nothing is there);
    ``training_location``: where a training database goes when the operator asks for one."""

    location: str
    first_start: bool
    training_location: str


def start_place(explicit: str | None, last: str | None) -> StartPlace:
    """``explicit`` (``--db``), else ``$KFOR_DESK_DB``, else ``last`` (the database the window
    had open last time), else the default database — the same file the command line uses, so
    a training database made at first start is the one ``kfor-desk verify`` finds."""
    given = explicit or os.environ.get(ENV_DB) or ""
    default = default_db_location()
    location = given or last or default
    return StartPlace(location, not given and not last, default)


def last_officer(location: str) -> Operator | None:
    """The officer who made the newest audit entry of the database file at ``location``: the
    one to offer when the window asks who is on shift and has no officer of its own (fresh
    settings). Read-only: nothing is created, upgraded or written. ``None`` for a server
    (never reached for an offer), a missing or unreadable file, an empty trail, or an entry
    made under this OS login only (nobody was named)."""
    import getpass

    from kfor_desk.store.db import open_database, resolve_target
    from kfor_desk.store.repository import Repository

    try:
        target = resolve_target(location)
        if target.path is None or not target.path.is_file():
            return None
        db = open_database(target, readonly=True, migrate=False)
    except Exception:  # damaged, foreign, newer, locked out: no offer (opening will say why)
        return None
    try:
        text = Repository(db).last_operator()
    except Exception:
        return None
    finally:
        db.close()
    try:
        login = getpass.getuser()
    except Exception:  # no login name (some containers)
        login = ""
    if not text or not text.strip() or text.strip() == login:
        return None
    return Operator.from_display(text)


def open_desk(location: str, operator: Operator | str | None = None, *,
              readonly: bool = False) -> Desk:
    """The command line's open: the opening sequence with the :data:`~.opening.COMMAND` plan
    (the file must exist; a schema upgrade runs after a verified backup)."""
    # the store (SQLAlchemy) loads with the first database, not with the data folder's name
    from .location import resolve_location
    from .opening import COMMAND, open_location

    return open_location(resolve_location(location, readonly=readonly), operator, COMMAND).desk


def create_desk(location: str, operator: Operator | str | None = None, *,
                training: bool = False) -> Desk:
    from kfor_desk.store.db import create_database

    op = operator or default_operator()
    opname = op.display if isinstance(op, Operator) else op
    db = create_database(location, training=training, created_by=opname)
    from .witness import attach

    attach(db, created=True)  # the key and the desk's head log start with the desk
    return Desk(db, op)


def grant_desk(location: str, role: str) -> None:
    """On a server, as the owner: give ``role`` a workstation's rights (see
    :mod:`kfor_desk.store.server`)."""
    from kfor_desk.store.db import open_database
    from kfor_desk.store.server import grant_desk_role

    db = open_database(location, migrate=False)
    try:
        grant_desk_role(db, role)
    finally:
        db.close()
