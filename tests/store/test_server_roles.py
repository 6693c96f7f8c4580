"""The server keeps the trail append-only: the desk role's UPDATE, DELETE and TRUNCATE of
audit entries are refused by the server itself, while it works normally at the desk."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace

import psycopg
import pytest
from sqlalchemy.engine import make_url

from kfor_desk.cli import main
from kfor_desk.services.session import create_desk, open_desk
from kfor_desk.services.verify import verify
from tests import pgserver
from tests.factories import make_notification


@pytest.fixture
def owner_and_desk_role() -> Iterator[tuple[str, str]]:
    owner_url = pgserver.fresh_database()
    role = f"kt_desk_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(owner_url.replace("+psycopg", ""), autocommit=True) as c:
        c.execute(f"CREATE ROLE {role} LOGIN")
    desk_url = make_url(owner_url).set(username=role).render_as_string(hide_password=False)
    try:
        yield owner_url, desk_url
    finally:
        pgserver.drop_database(owner_url)
        with psycopg.connect(pgserver.require_server(), autocommit=True) as c:
            c.execute(f"DROP ROLE IF EXISTS {role}")


def test_desk_role_works_but_cannot_change_the_trail(owner_and_desk_role: tuple[str, str]
                                                     ) -> None:
    owner_url, desk_url = owner_and_desk_role
    create_desk(owner_url, "Owner").close()
    role = make_url(desk_url).username or ""
    assert main(["--db", owner_url, "grant-desk", role]) == 0
    with open_desk(desk_url, "Capt Desk") as desk:  # the workstation's everyday work
        n = desk.register(make_notification()).record
        desk.amend(n, replace(n, personnel=10), reason="corrected")
        assert verify(desk.repo).ok
    raw = make_url(desk_url).set(drivername="postgresql").render_as_string(hide_password=False)
    for sql in ("UPDATE audit SET operator = 'x' WHERE seq = 1", "DELETE FROM audit",
                "TRUNCATE audit", "ALTER TABLE audit DISABLE TRIGGER audit_no_change",
                "DROP TABLE audit"):
        with psycopg.connect(raw) as c, pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute(sql)
    # the owner is refused UPDATE and DELETE too, by the trigger
    owner_raw = owner_url.replace("+psycopg", "")
    for sql in ("UPDATE audit SET operator = 'x' WHERE seq = 1", "DELETE FROM audit"):
        with psycopg.connect(owner_raw) as c, pytest.raises(psycopg.errors.RaiseException,
                                                            match="append-only"):
            c.execute(sql)
    with open_desk(desk_url, "Capt Desk") as desk:
        assert verify(desk.repo).ok and len(desk.history(n.register_no or "")) == 2


def test_grant_on_sqlite_is_refused_with_a_sentence(tmp_path: object,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = f"{tmp_path}/desk.db"
    assert main(["--db", path, "init"]) == 0
    assert main(["--db", path, "grant-desk", "someone"]) == 1
    assert "roles exist only on a database server" in capsys.readouterr().err
