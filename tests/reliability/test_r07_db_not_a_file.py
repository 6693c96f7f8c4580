"""R7: ``--db`` naming a folder or a device is refused by every command (issue 13): the
folder and its documents are left where they are, ``/dev/null`` stays a device."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kfor_desk.cli import main
from kfor_desk.services.backup import BackupError
from kfor_desk.services.backups import make_backup
from kfor_desk.services.restoring import restore

COMMANDS = [["restore", "{backup}"], ["import", "{json}"], ["init"], ["demo"], ["verify"],
            ["backup"], ["export", "{out}"], ["brief", "daily", "{pdf}"],
            ["conflicts"], ["copy", "{copy}"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize("where", ["folder", "device"])
def test_every_command_refuses_a_db_that_is_not_a_file(
        fresh_db: Path, tmp_path: Path, command: list[str], where: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    backup = make_backup(fresh_db, "manual").path
    (tmp_path / "in.json").write_text('{"format": "kfor-desk/1"}', encoding="utf-8")
    if where == "folder":
        target = tmp_path / "Documents"
        target.mkdir()
        (target / "report.odt").write_bytes(b"the officer's own document")
    else:
        target = Path("/dev/null")
    fill = {"backup": str(backup), "json": str(tmp_path / "in.json"),
            "out": str(tmp_path / "out.json"), "pdf": str(tmp_path / "b.pdf"),
            "copy": str(tmp_path / "copy.db")}
    args = [a.format(**fill) for a in command]
    assert main(["--db", str(target), *args]) == 1
    err = capsys.readouterr().err
    assert "not a database file" in err and "Traceback" not in err
    if where == "folder":
        assert sorted(p.name for p in target.iterdir()) == ["report.odt"]
    else:
        assert stat.S_ISCHR(os.stat(target).st_mode)
    assert not any((tmp_path / n).exists() for n in ("out.json", "copy.db", "b.pdf"))


def test_restore_itself_refuses_a_folder(fresh_db: Path, tmp_path: Path) -> None:
    backup = make_backup(fresh_db, "manual").path
    folder = tmp_path / "Documents"
    folder.mkdir()
    with pytest.raises(BackupError, match="replaces only a database file"):
        restore(backup, folder)
    assert folder.is_dir() and not any(folder.iterdir())
