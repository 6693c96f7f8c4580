"""R7: a missing or mistyped database path: a clear error and no file created.

(Store-level cases are in ``tests/store/test_store.py``; these go through the window's open,
the CLI's backup and restore.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from kfor_desk.cli import main
from kfor_desk.services.opening import open_checked
from kfor_desk.store.errors import DatabaseMissing


@pytest.mark.parametrize("name", ["desk.bd", "typo/desk.db", "Desk.db", "  "])
def test_window_open_of_a_mistyped_path_creates_nothing(fresh_db: Path, name: str) -> None:
    folder = fresh_db.parent
    before = sorted(p.name for p in folder.iterdir())
    with pytest.raises(DatabaseMissing, match="nothing was created"):
        open_checked(str(folder / name) if name.strip() else name, "Capt Test")
    assert sorted(p.name for p in folder.iterdir()) == before


@pytest.mark.parametrize("command", [["backup"], ["backup", "x.db"], ["verify"]])
def test_cli_with_a_mistyped_path_creates_nothing(tmp_path: Path, command: list[str],
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    cwd = tmp_path / "work"
    cwd.mkdir()
    assert main(["--db", str(cwd / "desk.bd"), *command]) == 1
    err = capsys.readouterr().err
    assert "no database" in err or "nothing was created" in err
    assert list(cwd.iterdir()) == []
