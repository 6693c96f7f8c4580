"""The command line on a real PostgreSQL server: ``--db postgresql://…`` for every command,
and one sentence (exit 1, no traceback) for a mistyped address, a refused password, a server
that is down or a database that is not there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from kfor_desk.cli import main
from tests import pgserver


@pytest.fixture
def server_db() -> object:
    url = pgserver.fresh_database()
    yield url
    pgserver.drop_database(url)


def _records(path: Path) -> dict[str, object]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {k: doc[k] for k in ("exercise_notifications", "consent_requests")}


def test_every_command_on_the_server(server_db: str, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    sqlite = tmp_path / "a.db"
    assert main(["--db", str(sqlite), "demo", "--records", "25"]) == 0
    assert main(["--db", str(sqlite), "export", str(tmp_path / "1.json")]) == 0
    assert main(["--db", server_db, "init"]) == 0
    assert main(["--db", server_db, "import", str(tmp_path / "1.json")]) == 0
    assert main(["--db", server_db, "import", str(tmp_path / "1.json")]) == 0  # skips all
    assert main(["--db", server_db, "export", str(tmp_path / "2.json")]) == 0
    assert _records(tmp_path / "1.json") == _records(tmp_path / "2.json")
    capsys.readouterr()
    assert main(["--db", server_db, "verify"]) == 0
    assert "ok: 25 records, 25 audit entries" in capsys.readouterr().out
    assert main(["--db", server_db, "conflicts", "--json"]) == 0
    assert main(["--db", server_db, "brief", "daily", str(tmp_path / "d.pdf")]) == 0
    assert (tmp_path / "d.pdf").read_bytes().startswith(b"%PDF")
    # init again: refused, nothing touched
    assert main(["--db", server_db, "init"]) == 1
    assert "already holds a KFOR Desk database" in capsys.readouterr().err


def test_socket_form_of_the_address(server_db: str) -> None:
    url = make_url(server_db)
    sock_dir = pgserver.socket_dir()
    if sock_dir is None:
        pytest.skip("the test server has no socket folder known to the tests")
    socket_url = f"postgresql://{url.username}@:{url.port}/{url.database}?host={sock_dir}"
    assert main(["--db", socket_url, "init"]) == 0
    assert main(["--db", socket_url, "verify"]) == 0


@pytest.mark.parametrize(("address", "sentence"), [
    ("postgresql://postgres@127.0.0.1:1/kfor", "cannot reach the database server"),
    ("postgresql://postgres@127.0.0.1:PORT/kt_no_such_database", "has no database named"),
    ("postgresql://no_such_role@127.0.0.1:PORT/postgres", "does not know the user"),
    ("postgresql://kfor_pwcheck:wrong@127.0.0.1:PORT/postgres", "refused the user name or"),
    ("postgresql+psycopg2://postgres@127.0.0.1/kfor", "is not supported"),
    ("postgresql://postgres@127.0.0.1:PORT/", "no database name"),
    ("postgresql://postgres@127.0.0.1:notaport/kfor", "cannot read the address"),
    ("mysql://a@b/c", "is not a database KFOR Desk can use"),
])
@pytest.mark.parametrize("command", [["verify"], ["init"], ["conflicts"]])
def test_bad_address_is_one_sentence(address: str, sentence: str, command: list[str],
                                     capsys: pytest.CaptureFixture[str]) -> None:
    port = str(make_url(pgserver.require_server()).port or 5432)
    pgserver.ensure_password_role()
    assert main(["--db", address.replace("PORT", port), *command]) == 1
    err = capsys.readouterr().err.strip()
    assert sentence in err and len(err.splitlines()) == 1 and "Traceback" not in err
    assert ":wrong@" not in err  # the password is never printed
