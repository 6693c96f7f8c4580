"""R4: a read-only database file or folder, as an unprivileged user (uid 65534).

Passes when the app opens read-only with a reason for the banner (or refuses clearly), a save
is refused with a clear message, and the file is unchanged."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from kfor_desk.services.opening import open_checked
from kfor_desk.store.errors import ReadOnlyDatabase
from tests.factories import make_request
from tests.reliability.helpers import (
    files_in,
    give_to_nobody,
    new_files,
    nobody_dir,
    run_forked,
)


def _open_and_try_to_save(db: str) -> dict[str, object]:
    res = open_checked(db, "Capt Reader")
    out: dict[str, object] = {"reason": res.readonly_reason, "records": 0, "refusal": ""}
    try:
        n, r = res.desk.repo.all_records()
        out["records"] = len(n) + len(r)
        try:
            res.desk.register(make_request())
        except ReadOnlyDatabase as exc:
            out["refusal"] = str(exc)
    finally:
        res.close()
    return out


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_read_only_file(fresh_db: Path, tmp_path: Path) -> None:
    folder = nobody_dir(tmp_path, "data")
    db = folder / "desk.db"
    db.write_bytes(fresh_db.read_bytes())
    give_to_nobody(db)
    os.chmod(db, 0o400)
    before = _digest(db)
    out = run_forked(_open_and_try_to_save, str(db), as_nobody=True)
    assert "read-only" in str(out["reason"]) and "file" in str(out["reason"])
    assert out["records"] == 6
    assert "read-only" in str(out["refusal"]) and "nothing can be saved" in str(out["refusal"])
    assert _digest(db) == before
    assert new_files(folder, {"desk.db"}) == set()  # no backup, no lock, nothing in a -wal


def test_read_only_folder(fresh_db: Path, tmp_path: Path) -> None:
    folder = nobody_dir(tmp_path, "data", writable=False)
    db = folder / "desk.db"
    db.write_bytes(fresh_db.read_bytes())
    give_to_nobody(db)  # the file is writable, its folder is not (no -wal/-shm possible)
    before = _digest(db)
    out = run_forked(_open_and_try_to_save, str(db), as_nobody=True)
    assert "folder is read-only" in str(out["reason"])
    assert out["records"] == 6
    assert out["refusal"]
    assert _digest(db) == before
    assert set(files_in(folder)) == {"desk.db"}  # not even a -shm: SQLite reads it immutable
