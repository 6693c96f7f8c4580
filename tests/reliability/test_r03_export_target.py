"""R3: a full or unwritable target for exports (JSON, CSV, XLSX, ICS).

Passes when the user gets a clear :class:`OutputError`, the earlier file under the final name is
intact and no partial file is left: (e) and (f). Read-only folders are tested as uid 65534
(root ignores permissions); a full disk through ``RLIMIT_FSIZE`` (EFBIG) and ``/dev/full``."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kfor_desk.services.exchange import export_json
from kfor_desk.services.files import OutputError
from kfor_desk.services.session import open_desk
from kfor_desk.services.tables import export
from tests.reliability.helpers import give_to_nobody, nobody_dir, run_forked

SUFFIXES = (".json", ".csv", ".xlsx", ".ics")


def _export(db: str, out: str, fsize: int | None = None) -> str:
    desk = open_desk(db, "Capt Export", readonly=True)
    try:
        desk.repo.all_records()  # the database is open and read; now the disk fills up
        if fsize is not None:
            import resource
            import signal

            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
        if out.endswith(".json") or not Path(out).suffix:
            export_json(desk, out)
        else:
            export(desk, out)
    except OutputError as exc:
        return str(exc)
    finally:
        desk.db.close()
    return ""


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_full_disk_keeps_the_earlier_file(fresh_db: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / "out" / f"registers{suffix}"
    out.parent.mkdir()
    out.write_bytes(b"EARLIER EXPORT")
    message = run_forked(_export, str(fresh_db), str(out), 300)
    assert "cannot write" in message and "left as it was" in message
    assert out.read_bytes() == b"EARLIER EXPORT"
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no partial file


def test_dev_full_is_refused_and_left_alone(fresh_db: Path) -> None:
    before = os.stat("/dev/full")
    assert stat.S_ISCHR(before.st_mode)
    message = _export(str(fresh_db), "/dev/full")
    assert "not a regular file" in message
    after = os.stat("/dev/full")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino
    assert not [p for p in Path("/dev").iterdir() if p.name.startswith(".full.")]


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_read_only_folder_as_unprivileged_user(fresh_db: Path, tmp_path: Path,
                                               suffix: str) -> None:
    data = nobody_dir(tmp_path, "data")
    db = data / "desk.db"
    db.write_bytes(fresh_db.read_bytes())
    give_to_nobody(db)
    target_dir = nobody_dir(tmp_path, "exports", writable=False)  # root's, 0755
    out = target_dir / f"registers{suffix}"
    out.write_bytes(b"EARLIER")
    os.chmod(out, 0o644)
    message = run_forked(_export, str(db), str(out), as_nobody=True)
    assert "cannot write" in message and "Permission denied" in message
    assert out.read_bytes() == b"EARLIER"
    assert [p.name for p in target_dir.iterdir()] == [out.name]


def test_missing_folder_is_a_clear_error(fresh_db: Path, tmp_path: Path) -> None:
    message = _export(str(fresh_db), str(tmp_path / "no such folder" / "x.csv"))
    assert "does not exist" in message
