"""CSV, XLSX and ICS exports read back from the real files (csv, openpyxl, icalendar)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from kfor_desk.cli import main
from kfor_desk.domain.records import Location
from kfor_desk.domain.workflow import Action
from kfor_desk.services.desk import Desk
from kfor_desk.services.tables import export, safe_csv_cell, to_csv
from tests.factories import NOW, make_notification, make_request

DANGER = ("=", "+", "-", "@", "\t", "\r")


def _events(path: Path) -> dict[str, object]:
    cal = Calendar.from_ical(path.read_bytes())
    return {str(e["uid"]).split("@")[0]: e for e in cal.walk("VEVENT")}


def _decide(desk: Desk, rec: object, outcome: str) -> object:
    r = desk.act(rec, Action.START_REVIEW).record  # type: ignore[arg-type]
    r = desk.act(r, Action.RECOMMEND, recommendation="grant").record
    return desk.act(r, Action.DECIDE, outcome=outcome, authority="COMKFOR",
                    conditions="daylight only" if outcome == "granted_with_conditions" else "",
                    rationale="too close" if outcome == "denied" else "").record


def test_calendar_status_follows_the_decision(desk: Desk, tmp_path: Path) -> None:
    granted = _decide(desk, desk.register(make_request()).record, "granted")
    cond = _decide(desk, desk.register(make_request()).record, "granted_with_conditions")
    denied = _decide(desk, desk.register(make_request()).record, "denied")
    pending = desk.register(make_request()).record
    review = desk.act(desk.register(make_request()).record, Action.START_REVIEW).record
    withdrawn = desk.act(desk.register(make_request()).record, Action.WITHDRAW,
                     reason="postponed").record
    saf = desk.register(make_notification()).record
    cancelled = desk.act(desk.register(make_notification()).record, Action.CANCEL,
                     reason="called off").record
    out = tmp_path / "cal.ics"
    export(desk, out)
    ev = _events(out)
    expected = {granted: "CONFIRMED", cond: "CONFIRMED", denied: "CANCELLED",
                pending: "TENTATIVE", review: "TENTATIVE", withdrawn: "CANCELLED",
                saf: "CONFIRMED", cancelled: "CANCELLED"}
    for rec, status in expected.items():
        assert str(ev[rec.register_no]["status"]) == status, rec.register_no  # type: ignore[attr-defined]


def test_calendar_updates_an_amended_record(desk: Desk, tmp_path: Path) -> None:
    rec = desk.register(make_request(locations=(Location(
        name=r"Zupče\NBrnjak, \n; x", lat=42.917, lon=20.683),))).record
    first = tmp_path / "a.ics"
    export(desk, first)
    desk.clock = lambda: NOW + timedelta(hours=2)
    amended = desk.amend(rec, replace(rec, description="moved a day later",
                                      start=rec.start + timedelta(days=1),
                                      end=rec.end + timedelta(days=1)), "KSF asked").record
    second = tmp_path / "b.ics"
    export(desk, second)
    a, b = _events(first)[rec.register_no], _events(second)[rec.register_no]  # type: ignore[index]
    assert a["uid"] == b["uid"]
    assert int(b["sequence"]) > int(a["sequence"])
    assert b["last-modified"].dt == NOW + timedelta(hours=2)
    assert b["last-modified"].dt > a["last-modified"].dt
    assert b["dtstart"].dt == amended.start
    # a backslash-N in a place name is text, not a line break
    assert str(b["location"]) == r"Zupče\NBrnjak, \n; x"
    desc = str(b["description"])
    assert rec.register_no in desc and r"Zupče\NBrnjak" in desc
    assert "MGRS 34T" in desc and "ABL" in desc and "status: Received" in desc
    assert desc.splitlines()[0] == "NATO UNCLASSIFIED"


def test_every_export_carries_the_marking(desk: Desk, tmp_path: Path,
                                          db_path: Path) -> None:
    desk.register(make_notification())
    desk.register(make_request())
    desk.db.close()
    marking = "NATO RESTRICTED RELEASABLE TO KFOR & <PARTNERS>"
    for suffix in (".json", ".csv", ".xlsx", ".ics"):
        out = tmp_path / f"x{suffix}"
        assert main(["--db", str(db_path), "export", str(out),
                     "--classification", marking]) == 0
    doc = json.loads((tmp_path / "x.json").read_text("utf-8"))
    assert doc["classification"] == marking and doc["releasability"] == "RELEASABLE TO KFOR"
    assert doc["exercise"] is False
    rows = list(csv.DictReader(io.StringIO((tmp_path / "x.csv").read_text("utf-8-sig"))))
    assert {r["marking"] for r in rows} == {f"{marking} · RELEASABLE TO KFOR"}
    ws = load_workbook(tmp_path / "x.xlsx").active
    assert ws is not None
    assert ws["A1"].value == f"{marking} · RELEASABLE TO KFOR"
    assert marking.replace("&", "&&") in ws.oddHeader.center.text
    assert marking.replace("&", "&&") in ws.oddFooter.center.text
    cal = Calendar.from_ical((tmp_path / "x.ics").read_bytes())
    assert str(cal["x-wr-caldesc"]).startswith(marking)
    for ev in cal.walk("VEVENT"):
        assert str(ev["description"]).startswith(marking)
    assert main(["--db", str(db_path), "export", str(tmp_path / "y.csv"),
                 "--classification", "  "]) != 0


def test_training_desk_marks_every_export_exercise(tmp_path: Path) -> None:
    from kfor_desk.services.demo import create_demo

    db = tmp_path / "demo.db"
    create_demo(str(db), 12, now=NOW).close()
    for suffix in (".json", ".csv", ".xlsx", ".ics"):
        assert main(["--db", str(db), "export", str(tmp_path / f"d{suffix}")]) == 0
    assert json.loads((tmp_path / "d.json").read_text("utf-8"))["exercise"] is True
    assert "EXERCISE EXERCISE EXERCISE" in (tmp_path / "d.csv").read_text("utf-8-sig")
    ws = load_workbook(tmp_path / "d.xlsx").active
    assert ws is not None and "EXERCISE" in str(ws["A1"].value)
    for ev in Calendar.from_ical((tmp_path / "d.ics").read_bytes()).walk("VEVENT"):
        assert str(ev["summary"]).startswith("EXERCISE")
        assert "EXERCISE EXERCISE EXERCISE" in str(ev["description"])


@pytest.mark.parametrize("separator", [",", ";", "\t", "|"])
def test_no_csv_cell_becomes_a_formula_whatever_the_separator(
        desk: Desk, tmp_path: Path, separator: str) -> None:
    saved = desk.register(make_notification(name="ok;=1+1;@SUM(1;1)", units="a,+cmd|-x @y",
                                            notes="line\n=2+2\n-3")).record
    # the domain refuses tabs and carriage returns; the writer must cope with them anyway
    raw = replace(saved, register_no="SAF-2026-0002", notes="\t=1\r\n@2\r-3")
    text = to_csv([saved, raw]).decode("utf-8-sig")
    # a reader that splits on the separator and ignores quotes and line breaks
    for line in text.replace("\r", "\n").split("\n"):
        for cell in line.split(separator):
            cell = cell.strip('"')
            assert not cell.startswith(DANGER), (separator, cell)
    # a reader that honours the quotes gets the whole cell back, neutralised only where needed
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["title"] == "ok;'=1+1;'@SUM(1;1)"
    assert safe_csv_cell("plain text, no danger") == "plain text, no danger"


def test_spreadsheet_columns_read_cleanly(desk: Desk, tmp_path: Path) -> None:
    desk.register(make_notification(live_fire=True))
    desk.register(make_request(weapons_carried=False))
    rows = list(csv.DictReader(io.StringIO(_csv(desk, tmp_path))))
    assert {r["live_fire_or_weapons"] for r in rows} == {"yes", "no"}
    assert any((r["band"].startswith("≤") and "band" in r["band"]) or r["band"] == "> 25 km"
               for r in rows)
    out = tmp_path / "x.xlsx"
    export(desk, out)
    ws = load_workbook(out).active
    assert ws is not None
    assert ws["A2"].value == "Register no." and ws.auto_filter.ref.startswith("A2:")
    assert ws.print_title_rows == "$1:$2"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.column_dimensions["A"].width >= 14 and ws.column_dimensions["C"].width >= 16
    assert ws["C3"].is_date


def _csv(desk: Desk, tmp_path: Path) -> str:
    out = tmp_path / "t.csv"
    export(desk, out)
    return out.read_text("utf-8-sig")
