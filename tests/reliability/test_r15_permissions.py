"""R15: files 0600 and folders 0700 for the database, backups, exports and side files; every
audit row names operator, workstation and UTC time. (PDF banners: the reports' tests.)"""

from __future__ import annotations

import re
import stat
from dataclasses import replace
from pathlib import Path

from kfor_desk.services.backups import list_backups
from kfor_desk.services.exchange import export_json
from kfor_desk.services.opening import open_checked
from kfor_desk.services.tables import export
from tests.factories import make_request
from tests.reliability.helpers import audit_rows


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_files_0600_folders_0700(fresh_db: Path, tmp_path: Path) -> None:
    res = open_checked(fresh_db, "Capt Perm")
    lock = Path(str(fresh_db) + ".lock")
    try:
        assert _mode(lock) == 0o600
        rec = res.desk.register(make_request()).record
        res.desk.amend(rec, replace(rec, personnel=3))
        res.backup_now()
        out = tmp_path / "exports"
        out.mkdir(mode=0o700)
        export_json(res.desk, out / "all.json")
        for suffix in (".csv", ".xlsx", ".ics"):
            export(res.desk, out / f"all{suffix}")
    finally:
        res.close()
    folder = fresh_db.parent / "backups"
    assert _mode(folder) == 0o700
    backups = list_backups(fresh_db)
    assert {b.reason for b in backups} >= {"start", "manual", "exit"}
    files = [fresh_db, *[b.path for b in backups], *(tmp_path / "exports").iterdir()]
    files += [p for p in fresh_db.parent.iterdir() if p.name.endswith(("-wal", "-shm"))]
    bad = {str(p): oct(_mode(p)) for p in files if _mode(p) & 0o077}
    assert bad == {}


def test_every_audit_row_names_operator_workstation_and_utc_time(fresh_db: Path) -> None:
    res = open_checked(fresh_db, "Capt Audit")
    try:
        rec = res.desk.register(make_request()).record
        res.desk.amend(rec, replace(rec, notes="x"))
    finally:
        res.close(backup=False)
    rows = audit_rows(fresh_db)
    assert len(rows) >= 8
    for seq, at, operator, workstation, *_ in rows:
        assert operator.strip() and workstation.strip(), seq
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", at), at
