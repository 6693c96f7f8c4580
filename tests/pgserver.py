"""The PostgreSQL server the tests run against: ``$KFOR_DESK_TEST_PG`` (a URL of a
maintenance database on a throwaway cluster, e.g. ``postgresql://postgres@127.0.0.1:PORT/postgres``;
``bash scripts/bootstrap.sh test`` and ``.ci/run`` start one and set it). Each test gets a fresh
database on it, dropped afterwards. Not for real data: databases named ``kt_*`` are dropped."""

from __future__ import annotations

import itertools
import os
import uuid

import pytest

ENV = "KFOR_DESK_TEST_PG"
_names = itertools.count(1)


def server_url() -> str | None:
    return os.environ.get(ENV) or None


def require_server() -> str:
    """The server's URL; without one: skipped outside CI, FAILED under ``CI=true``."""
    url = server_url()
    if url:
        return url
    why = (f"no PostgreSQL server given (set {ENV}, or run 'bash scripts/bootstrap.sh test', "
           "which starts one)")
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI=true but {why}: the PostgreSQL half of the suite must run in CI")
    pytest.skip(why)


def _admin() -> object:
    import psycopg

    from kfor_desk.store.db import resolve_target

    base = resolve_target(require_server()).url.replace("postgresql+psycopg://", "postgresql://")
    return psycopg.connect(base, autocommit=True)


def fresh_database() -> str:
    """A new, empty database on the test server; returns its URL."""
    from sqlalchemy.engine import make_url

    name = f"kt_{os.getpid()}_{next(_names)}_{uuid.uuid4().hex[:6]}"
    with _admin() as conn:  # type: ignore[attr-defined]
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(require_server()).set(database=name)
    return url.render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    assert name and name.startswith("kt_")
    with _admin() as conn:  # type: ignore[attr-defined]
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def socket_dir() -> str | None:
    """The cluster's socket folder when it was started by ``scripts/pg_cluster.sh`` here."""
    return os.environ.get("KFOR_DESK_TEST_PG_SOCKET") or None


def ensure_password_role() -> None:
    """The role ``scripts/pg_cluster.sh`` makes give a password over TCP (password 'right')."""
    with _admin() as conn:  # type: ignore[attr-defined]
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = 'kfor_pwcheck'").fetchone():
            conn.execute("CREATE ROLE kfor_pwcheck LOGIN PASSWORD 'right'")
