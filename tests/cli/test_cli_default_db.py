"""One default database for the window and the command line, ``--db`` before or after the
command, and the command line's errors through the one taxonomy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kfor_desk.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_db_is_accepted_after_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                          ) -> None:
    db = tmp_path / "after.db"
    assert main(["demo", "--records", "5", "--db", str(db)]) == 0
    assert main(["verify", "--db", str(db)]) == 0
    assert "ok: 5 records" in capsys.readouterr().out
    assert main(["brief", "daily", str(tmp_path / "d.pdf"), "--db", str(db)]) == 0
    # given after the command, it wins over the one before it
    assert main(["--db", str(tmp_path / "nowhere.db"), "verify", "--db", str(db)]) == 0
    assert main(["verify", "--db", str(tmp_path / "nowhere.db")]) == 1
    assert "there is no database at" in capsys.readouterr().err


def test_the_window_default_is_the_command_line_default(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """``kfor-desk demo`` with no --db makes the default file (what ``bootstrap.sh app`` runs),
    ``kfor-desk verify`` finds it, and the window starts on that same file."""
    from kfor_desk.services.session import ENV_DB, start_place

    monkeypatch.delenv(ENV_DB, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert main(["demo", "--records", "3"]) == 0
    made = capsys.readouterr().out.split("training database ", 1)[1].split(" with")[0]
    assert Path(made).is_file() and Path(made).name == "kfor-desk.db"
    assert main(["verify"]) == 0
    window = start_place(None, None)
    assert window.location == made and window.training_location == made


def test_bootstrap_app_creates_the_default_database() -> None:
    script = (ROOT / "scripts" / "bootstrap.sh").read_text(encoding="utf-8")
    app = script[script.rindex('if [ "$MODE" = app ]'):]
    app = app[:app.index("\nfi\n")]
    assert "training.db" not in app and "--db" not in app  # the default, not a file of its own
    assert "demo --records" in app


def test_restore_into_a_server_database_is_refused_in_one_line(tmp_path: Path) -> None:
    res = subprocess.run([sys.executable, "-m", "kfor_desk", "restore", str(tmp_path / "b.db"),
                          "--db", "postgresql+psycopg://desk@db.invalid/kfor"], capture_output=True,
                         text=True, env={**os.environ}, timeout=120)
    assert res.returncode == 1 and "administrator" in res.stderr
    assert "Traceback" not in res.stderr and res.stderr.count("\n") == 1


def test_a_bug_is_not_dressed_as_a_user_error() -> None:
    from kfor_desk.cli.errors import describe_user_error
    from kfor_desk.services.errors import BackupError, RuleError

    assert describe_user_error(KeyError("x")) is None
    assert describe_user_error(BackupError("the backup failed")) == "the backup failed"
    from kfor_desk.domain.validation import Problem

    assert describe_user_error(RuleError([Problem("a", "A is needed.")])) == \
        "refused: a: A is needed."
    assert "permission was refused" in (describe_user_error(
        PermissionError(13, "Permission denied", "/x/out.pdf")) or "")
