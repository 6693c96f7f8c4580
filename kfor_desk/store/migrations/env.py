"""Alembic environment: runs inside the caller's write transaction (see ``db.upgrade``), so all
pending revisions land together or not at all."""

from __future__ import annotations

from typing import Any

from alembic import context

from kfor_desk.store.models import Base

config = context.config


class InjectedFailure(RuntimeError):
    """Raised by tests to prove a failed migration leaves the database as it was."""


def _on_apply(ctx: Any, step: Any, heads: Any, run_args: Any) -> None:
    fail_after = config.attributes.get("fail_after")
    if fail_after and step.up_revision_id == fail_after:
        raise InjectedFailure(f"injected failure after {fail_after}")


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # `alembic` command line during development
        from sqlalchemy import create_engine

        url = config.get_main_option("sqlalchemy.url") or "sqlite:///dev-migrations.db"
        with create_engine(url).connect() as conn:
            context.configure(connection=conn, target_metadata=Base.metadata,
                              render_as_batch=True)
            with context.begin_transaction():
                context.run_migrations()
        return
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=True, transactional_ddl=True,
                      on_version_apply=_on_apply)
    with context.begin_transaction():
        context.run_migrations()


run()
