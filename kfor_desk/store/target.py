"""Where the database is: a SQLite file path or a PostgreSQL server's URL, as a :class:`Target`.

:func:`resolve_target` reads a path or an address (a mistyped server address is refused with
the form to write it in; an in-memory SQLite database is refused: it cannot hold records).
This module does not connect to, open, create or check anything: it only names the place
(``engine`` connects, ``db`` opens and creates).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from .errors import DatabaseMissing
from .pg import bad_url, server_url

__all__ = ["Target", "resolve_target"]


@dataclass(frozen=True, slots=True)
class Target:
    """Where the database is: a SQLite file path, or a SQLAlchemy URL for a server."""

    url: str
    path: Path | None

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    @property
    def is_server(self) -> bool:
        return self.path is None

    def __str__(self) -> str:
        if self.path is not None:
            return str(self.path)
        return make_url(self.url).set(drivername="postgresql").render_as_string()


def resolve_target(path_or_url: str | os.PathLike[str] | Target) -> Target:
    """The target for a path or URL (a :class:`Target` is returned as it is)."""
    if isinstance(path_or_url, Target):
        return path_or_url
    raw = os.fspath(path_or_url)
    if "://" in raw:
        try:
            url = make_url(raw)
        except Exception:
            raise bad_url(raw, "cannot read the address") from None
        if url.get_backend_name() in ("postgresql", "postgres"):
            return Target(server_url(raw, url), None)
        if url.get_backend_name() == "sqlite":
            if not url.database or url.database == ":memory:":
                raise DatabaseMissing("an in-memory database cannot hold official records")
            return Target(raw, Path(url.database).expanduser().resolve())
        raise bad_url(raw, f"'{url.get_backend_name()}' is not a database KFOR Desk can use")
    return Target("", Path(raw).expanduser().resolve())
