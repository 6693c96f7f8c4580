"""The schema's version: the shipped Alembic revisions, a database's revision, and upgrading it.

- The shipped revisions (:data:`MIGRATIONS_DIR`) are read from their files' literal
  assignments (:func:`known_revisions`, :func:`head_revisions`): Alembic itself is imported
  only when a migration really runs.
- :func:`upgrade` runs every pending migration in ONE write transaction, after the caller's
  backup: it lands whole or not at all.

This module does not open or create a database (``db`` does, and decides when to upgrade) and
does not make the backup (the caller's hook does).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import DatabaseError, OperationalError

from .database import Database
from .errors import MigrationFailed

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _alembic_config() -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def _revision_graph() -> dict[str, tuple[str, ...]]:
    """Each shipped revision and the revisions it follows, read from the revision files'
    literal ``revision`` / ``down_revision`` assignments. Opening a database only needs these
    ids; importing Alembic (about 0.15 s) waits until a migration really runs. A test checks
    this against Alembic's own reading."""
    import ast

    graph: dict[str, tuple[str, ...]] = {}
    for file in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        values: dict[str, object] = {}
        for node in ast.parse(file.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                    and isinstance(node.targets[0], ast.Name) \
                    and node.targets[0].id in ("revision", "down_revision"):
                values[node.targets[0].id] = ast.literal_eval(node.value)
        rev = values.get("revision")
        if not isinstance(rev, str):
            continue
        down = values.get("down_revision")
        parents = (down,) if isinstance(down, str) else tuple(down or ())  # type: ignore[arg-type]
        graph[rev] = tuple(str(d) for d in parents)
    return graph


@cache
def known_revisions() -> frozenset[str]:
    return frozenset(_revision_graph())


@cache
def head_revisions() -> tuple[str, ...]:
    graph = _revision_graph()
    followed = {d for downs in graph.values() for d in downs}
    return tuple(sorted(r for r in graph if r not in followed))


def schema_state(db: Database) -> tuple[str | None, tuple[str, ...]]:
    """(current revision or None, head revisions of this version)."""
    with db.read() as conn:
        if db.target.is_sqlite:
            has = conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).first() is not None
        else:
            from sqlalchemy import inspect

            has = bool(inspect(conn).has_table("alembic_version"))
        if not has:
            return None, head_revisions()
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return (row[0] if row else None), head_revisions()


def upgrade(db: Database, backup: Callable[[], Path | None] | None,
            fail_after: str | None = None) -> None:
    """Run every pending migration in ONE transaction: it lands whole or not at all.

    ``fail_after`` (tests only) raises after that revision's step, inside the transaction.
    """
    from alembic import command

    if backup is not None:
        backup()
    cfg = _alembic_config()
    try:
        with db.write() as conn:
            cfg.attributes["connection"] = conn
            cfg.attributes["fail_after"] = fail_after
            command.upgrade(cfg, "head")
    except (OperationalError, DatabaseError) as exc:
        raise MigrationFailed(f"the schema upgrade of {db.target} failed and was rolled back; "
                              f"the database is as it was ({exc.orig})") from exc

