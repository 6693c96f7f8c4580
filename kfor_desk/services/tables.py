"""Exchange files for staff cells: CSV (UTF-8 with BOM), XLSX and ICS.

Text cells that a spreadsheet would run as a formula (starting with ``= + - @`` or a tab or
carriage return) get a leading ``'``. Every file is written atomically.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from kfor_desk.domain.records import ConsentRequest, ExerciseNotification, Record
from kfor_desk.domain.timefmt import format_dtg, format_iso

from .desk import Desk
from .files import OutputError, write_atomic

COLUMNS = ("register_no", "kind", "received_at", "received_dtg", "title", "unit",
           "type_or_purpose", "status", "start", "end", "decision_due", "locations",
           "abl_distance_km", "band", "side", "live_fire_or_weapons", "air_assets", "notes")
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells."""
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def _row(r: Record) -> dict[str, Any]:
    nearest = min((loc.abl for loc in r.locations if loc.abl), default=None,
                  key=lambda a: a.distance_km)
    common = {
        "register_no": r.register_no, "received_at": format_iso(r.received_at),
        "received_dtg": format_dtg(r.received_at), "status": r.status.value,
        "start": format_iso(r.start), "end": format_iso(r.end),
        "locations": "; ".join(f"{loc.name} ({loc.position or f'{loc.lat:.5f}, {loc.lon:.5f}'})"
                               for loc in r.locations),
        "abl_distance_km": round(nearest.distance_km, 2) if nearest else None,
        "band": nearest.band.value if nearest else "", "side": nearest.side.value if nearest
        else "", "air_assets": r.air_assets or "", "notes": r.notes,
    }
    if isinstance(r, ExerciseNotification):
        return common | {"kind": "SAF", "title": r.name, "unit": r.units,
                         "type_or_purpose": r.exercise_type.value,
                         "decision_due": "", "live_fire_or_weapons": r.live_fire}
    assert isinstance(r, ConsentRequest)
    return common | {"kind": "KSF", "title": r.title, "unit": r.requesting_unit,
                     "type_or_purpose": r.purpose.value,
                     "decision_due": format_iso(r.decision_due),
                     "live_fire_or_weapons": r.weapons_carried}


def _records(desk: Desk) -> list[Record]:
    n, r = desk.repo.all_records()
    return [*n, *r]


def to_csv(records: list[Record]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\r\n")
    w.writeheader()
    for rec in records:
        w.writerow({k: safe_cell(v) for k, v in _row(rec).items()})
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(records: list[Record]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "KFOR Desk"
    ws.append(list(COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for rec in records:
        row = _row(rec)
        out: list[Any] = []
        for k in COLUMNS:
            v = row[k]
            if k in ("received_at", "start", "end", "decision_due") and v:
                v = datetime.fromisoformat(v.replace("Z", "+00:00")).replace(tzinfo=None)
            out.append(safe_cell(v))
        ws.append(out)
        for c in ws[ws.max_row]:
            if isinstance(c.value, datetime):
                c.number_format = "yyyy-mm-dd hh:mm\"Z\""
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_ics(records: list[Record]) -> bytes:
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//KFOR Desk//kfor-desk//EN")
    cal.add("version", "2.0")
    for rec in records:
        ev = Event()
        ev.add("uid", f"{rec.register_no}@kfor-desk")
        ev.add("summary", f"{rec.register_no} {rec.title}")
        ev.add("dtstart", rec.start)
        ev.add("dtend", rec.end)
        ev.add("dtstamp", rec.received_at)
        ev.add("location", "; ".join(loc.name for loc in rec.locations))
        ev.add("status", "CANCELLED" if not rec.is_open else "CONFIRMED")
        cal.add_component(ev)
    return bytes(cal.to_ical())


WRITERS: dict[str, Callable[[list[Record]], bytes]] = {
    ".csv": to_csv, ".xlsx": to_xlsx, ".ics": to_ics}


def export(desk: Desk, path: str | Path) -> int:
    writer = WRITERS[Path(path).suffix.lower()]
    records = _records(desk)
    try:
        data = writer(records)  # openpyxl spools to temporary files: the disk may be full
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}; any earlier file there "
                          "was left as it was") from None
    write_atomic(path, data)
    return len(records)
