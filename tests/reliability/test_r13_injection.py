"""R13: spreadsheet formula injection and unsafe file names.

Passes when every dangerous text cell is prefixed with ``'`` in CSV and XLSX (and is text, not
a formula, in XLSX), and nothing is written outside its folder."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kfor_desk.services.backups import make_backup
from kfor_desk.services.desk import Desk
from kfor_desk.services.tables import export, to_csv, to_xlsx
from tests.factories import make_notification

PAYLOADS = ["=HYPERLINK(\"http://x\",\"click\")", "+1+cmd|' /C calc'!A0", "-2+3",
            "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1", "\r=1", "=cmd|'/c notepad'!A1"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_csv_and_xlsx_cells_are_neutralised(desk: Desk, payload: str) -> None:
    rec = desk.register(make_notification(name="ok", units="3. brigada",
                                          notes=payload.replace("\r", " "))).record
    bad_title = payload.replace("\t", " ").replace("\r", " ") if payload[0] in "\t\r" \
        else payload
    rec2 = desk.register(make_notification(name=bad_title[:200])).record
    rows = list(csv.DictReader(io.StringIO(to_csv([rec, rec2]).decode("utf-8-sig"))))
    for row in rows:
        for value in row.values():
            assert not (value or "").startswith(("=", "+", "-", "@", "\t", "\r")), value
    wb = load_workbook(io.BytesIO(to_xlsx([rec, rec2])))
    ws = wb.active
    assert ws is not None
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.value
            if isinstance(cell.value, str):
                assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_csv_has_a_bom_and_keeps_the_text(desk: Desk) -> None:
    desk.register(make_notification(name="=1+1 Вежба"))
    data = to_csv([*desk.repo.notifications()])
    assert data.startswith(b"\xef\xbb\xbf")
    assert "'=1+1 Вежба" in data.decode("utf-8-sig")


@pytest.mark.parametrize("reason", ["../../../etc/cron.d/x", "/abs/path", "..", "a/../../b",
                                    "nul\x00byte", "con"])
def test_backup_names_stay_in_the_backup_folder(desk: Desk, db_path: Path, reason: str) -> None:
    info = make_backup(db_path, reason)
    folder = db_path.parent / "backups"
    assert info.path.parent == folder and info.path.resolve().is_relative_to(folder.resolve())
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["backups", "desk.db",
                                                                "desk.db-shm", "desk.db-wal"]


@pytest.mark.parametrize("name", ["../escape.csv", "sub/../../escape.csv"])
def test_export_paths_with_dot_dot_go_where_the_user_pointed_and_only_there(
        desk: Desk, tmp_path: Path, name: str) -> None:
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    (inner / "sub").mkdir()
    target = (inner / name).resolve()
    export(desk, inner / name)
    assert target.is_file()
    strays = [p for p in tmp_path.rglob("*") if (p.is_file() and p.suffix == ".part")
              or p.name.startswith(".escape")]
    assert strays == []
