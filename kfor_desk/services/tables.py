"""Exchange files for staff cells: CSV (UTF-8 with BOM), XLSX and ICS, each carrying the marking.

- CSV: every field quoted, a ``marking`` column first on every row (a spreadsheet or a script
  keeps it through sorting and filtering), ``yes``/``no`` for flags. No cell can become a formula
  whatever separator the reader splits on: a text starting with ``= + - @``, a tab or a carriage
  return gets a leading ``'``, and so does every part of it that follows a ``, ; | tab`` or line
  break (see :func:`safe_csv_cell`).
- XLSX: the marking in a first row and in the print header and footer, readable headers with a
  filter, column widths, print titles, landscape fitted to the page width. Formula-looking text
  gets a leading ``'`` and is stored as text.
- ICS: granted → ``CONFIRMED``, undecided → ``TENTATIVE``, denied / withdrawn / cancelled →
  ``CANCELLED``; ``SEQUENCE`` (the record's version) and ``LAST-MODIFIED`` (its last audited
  change) so a calendar replaces an amended event; the marking opens every description and the
  calendar's own description (``X-WR-CALDESC``), and EXERCISE prefixes every summary of a
  training desk.

Every file is written atomically. This module does not read or write JSON (``exchange``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from kfor_desk.domain.enums import Band, NotificationStatus, RequestStatus
from kfor_desk.domain.records import ConsentRequest, ExerciseNotification, Location, Record
from kfor_desk.domain.timefmt import format_dtg, format_iso
from kfor_desk.style import PAPER

from .desk import Desk
from .files import OutputError, write_atomic
from .marking import Marking, marking_of

COLUMNS = ("register_no", "kind", "received_at", "received_dtg", "title", "unit",
           "type_or_purpose", "status", "start", "end", "decision_due", "locations",
           "abl_distance_km", "band", "side", "live_fire_or_weapons", "air_assets", "notes")
HEADERS = {
    "register_no": "Register no.", "kind": "Register", "received_at": "Received (UTC)",
    "received_dtg": "Received (DTG)", "title": "Exercise / request", "unit": "Unit",
    "type_or_purpose": "Type / purpose", "status": "Status", "start": "Start (UTC)",
    "end": "End (UTC)", "decision_due": "Decision due (UTC)",
    "locations": "Locations (position as given)", "abl_distance_km": "ABL distance (km)",
    "band": "ABL band", "side": "Side of the ABL", "live_fire_or_weapons":
    "Live fire (SAF) / weapons (KSF)", "air_assets": "Air assets", "notes": "Notes"}
WIDTHS = {"register_no": 15, "kind": 9, "received_at": 17, "received_dtg": 14, "title": 34,
          "unit": 24, "type_or_purpose": 20, "status": 22, "start": 17, "end": 17,
          "decision_due": 17, "locations": 44, "abl_distance_km": 10, "band": 24, "side": 12,
          "live_fire_or_weapons": 12, "air_assets": 18, "notes": 40}
DATE_COLUMNS = ("received_at", "start", "end", "decision_due")
BAND_NAMES = {Band.NOTIFY: "≤ 1 km notification line", Band.GROUND: "≤ 5 km ground band",
              Band.AIR: "≤ 25 km air band", Band.BEYOND: "> 25 km"}
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
# a dangerous character at the start of a cell or of anything a reader could split off
_CSV_DANGER = re.compile(r"(^|[,;|\t\r\n])(?=[=+\-@\t\r])")


def safe_cell(value: Any) -> Any:
    """Neutralise a spreadsheet formula in a whole cell (XLSX: a cell is never split)."""
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def safe_csv_cell(value: Any) -> Any:
    """Neutralise formulas in a CSV text cell whatever separator the reader uses: ``'`` before
    a dangerous character at the start and after every ``, ; | tab`` or line break."""
    if not isinstance(value, str):
        return value
    return _CSV_DANGER.sub(lambda m: m.group(1) + "'", value)


def band_name(band: Band) -> str:
    return BAND_NAMES.get(band, band.label)


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _position(loc: Location) -> str:
    return loc.position or f"{loc.lat:.5f}, {loc.lon:.5f}"


def _nearest(r: Record) -> Any:
    return min((loc.abl for loc in r.locations if loc.abl), default=None,
               key=lambda a: a.distance_km)


def _row(r: Record) -> dict[str, Any]:
    nearest = _nearest(r)
    common = {
        "register_no": r.register_no, "received_at": format_iso(r.received_at),
        "received_dtg": format_dtg(r.received_at), "status": r.status.label,
        "start": format_iso(r.start), "end": format_iso(r.end),
        "locations": "; ".join(f"{loc.name} ({_position(loc)})" for loc in r.locations),
        "abl_distance_km": round(nearest.distance_km, 2) if nearest else None,
        "band": band_name(nearest.band) if nearest else "",
        "side": nearest.side.label if nearest else "", "air_assets": r.air_assets or "",
        "notes": r.notes,
    }
    if isinstance(r, ExerciseNotification):
        return common | {"kind": "SAF", "title": r.name, "unit": r.units,
                         "type_or_purpose": r.exercise_type.label,
                         "decision_due": "", "live_fire_or_weapons": _yes_no(r.live_fire)}
    assert isinstance(r, ConsentRequest)
    return common | {"kind": "KSF", "title": r.title, "unit": r.requesting_unit,
                     "type_or_purpose": r.purpose.label,
                     "decision_due": format_iso(r.decision_due),
                     "live_fire_or_weapons": _yes_no(r.weapons_carried)}


def _records(desk: Desk) -> list[Record]:
    n, r = desk.records()
    return [*n, *r]


def to_csv(records: list[Record], marking: Marking | None = None) -> bytes:
    mark = (marking or Marking("NATO UNCLASSIFIED")).one_line
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=("marking", *COLUMNS), lineterminator="\r\n",
                       quoting=csv.QUOTE_ALL)
    w.writeheader()
    for rec in records:
        w.writerow({"marking": safe_csv_cell(mark)}
                   | {k: safe_csv_cell(v) for k, v in _row(rec).items()})
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(records: list[Record], marking: Marking | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    mark = marking or Marking("NATO UNCLASSIFIED")
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "KFOR Desk"
    last = get_column_letter(len(COLUMNS))
    ws.append([safe_cell(mark.one_line)])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(bold=True, color=_argb(PAPER.alert) if mark.training else "000000")
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([HEADERS[k] for k in COLUMNS])
    head_fill = PatternFill("solid", fgColor=_argb(PAPER.heading))
    for cell in ws[2]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for rec in records:
        row = _row(rec)
        out: list[Any] = []
        for k in COLUMNS:
            v = row[k]
            if k in DATE_COLUMNS and v:
                v = datetime.fromisoformat(v.replace("Z", "+00:00")).replace(tzinfo=None)
            out.append(safe_cell(v))
        ws.append(out)
        for c in ws[ws.max_row]:
            if isinstance(c.value, datetime):
                c.number_format = "yyyy-mm-dd hh:mm\"Z\""
            c.alignment = Alignment(vertical="top")
    for i, k in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = WIDTHS[k]
    ws.freeze_panes = "B3"
    ws.auto_filter.ref = f"A2:{last}{max(ws.max_row, 2)}"
    ws.print_title_rows = "1:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    text = _header_text(mark.one_line)
    ws.oddHeader.center.text = text
    ws.oddHeader.center.font = "DejaVu Sans,Bold"
    ws.oddFooter.center.text = text
    ws.oddFooter.right.text = "Page &P of &N"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _argb(colour: str) -> str:
    return colour.lstrip("#").upper()


def _header_text(text: str) -> str:
    """Text for an XLSX header/footer: ``&`` starts a code there, so it is doubled."""
    return text.replace("&", "&&")


# two tables: the statuses are StrEnums, and "received" of one equals "received" of the other
KSF_ICS_STATUS = {
    RequestStatus.GRANTED: "CONFIRMED", RequestStatus.GRANTED_WITH_CONDITIONS: "CONFIRMED",
    RequestStatus.RECEIVED: "TENTATIVE", RequestStatus.UNDER_REVIEW: "TENTATIVE",
    RequestStatus.RECOMMENDED: "TENTATIVE", RequestStatus.DENIED: "CANCELLED",
    RequestStatus.WITHDRAWN: "CANCELLED",
}
SAF_ICS_STATUS = {
    NotificationStatus.RECEIVED: "CONFIRMED", NotificationStatus.ACKNOWLEDGED: "CONFIRMED",
    NotificationStatus.DISSEMINATED: "CONFIRMED", NotificationStatus.CANCELLED: "CANCELLED",
}


def ics_status(rec: Record) -> str:
    """A notified SAF exercise takes place unless cancelled; a KSF activity only when granted."""
    if isinstance(rec, ConsentRequest):
        return KSF_ICS_STATUS[rec.status]
    return SAF_ICS_STATUS[rec.status]


def _mgrs(loc: Location) -> str:
    try:
        from kfor_desk.domain.geo import format_mgrs, to_mgrs

        return format_mgrs(to_mgrs(loc.lat, loc.lon, 5))
    except (ImportError, ValueError):
        return f"{loc.lat:.5f}, {loc.lon:.5f}"


def _description(rec: Record, marking: Marking) -> str:
    lines = [*marking.lines, "",
             f"{rec.register_no} · {rec.kind.label} · status: {rec.status.label}"]
    if isinstance(rec, ConsentRequest):
        lines.append(f"Requesting unit: {rec.requesting_unit} · {rec.purpose.label}")
        lines.append(f"Decision due: {format_dtg(rec.decision_due)}")
    else:
        lines.append(f"Units: {rec.units} · {rec.exercise_type.label}"
                     + (" · LIVE FIRE" if rec.live_fire else ""))
    lines.append(f"Period: {format_dtg(rec.start)} – {format_dtg(rec.end)}")
    for loc in rec.locations:
        abl = (f" · ABL {loc.abl.distance_km:.2f} km, {band_name(loc.abl.band)}, "
               f"{loc.abl.side.label}" if loc.abl else "")
        lines.append(f"Place: {loc.name} · MGRS {_mgrs(loc)}{abl}")
    return "\n".join(lines)


def _ics_text(value: str) -> Any:
    """A TEXT value escaped per RFC 5545 3.3.11 (icalendar's own escaping turns a literal
    ``\\N`` in a place name into a line break; this keeps it text)."""
    from icalendar import vText

    class _Text(vText):
        def to_ical(self) -> bytes:
            s = str(self).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            return s.replace("\r\n", "\\n").replace("\r", "\\n").replace(
                "\n", "\\n").encode("utf-8")

    return _Text(value)


def to_ics(records: list[Record], marking: Marking | None = None,
           modified: dict[str, datetime] | None = None) -> bytes:
    """``modified`` gives each register number its last audited change (``LAST-MODIFIED``);
    the received time stands in for a record without one."""
    from icalendar import Calendar, Event

    mark = marking or Marking("NATO UNCLASSIFIED")
    cal = Calendar()
    cal.add("prodid", "-//KFOR Desk//kfor-desk//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "KFOR Desk" + (" EXERCISE" if mark.training else ""))
    cal.add("x-wr-caldesc", _ics_text(mark.one_line), encode=False)
    cal.add("x-kfor-classification", _ics_text(mark.classification), encode=False)
    for rec in records:
        regno = rec.register_no or ""
        last = (modified or {}).get(regno) or rec.received_at
        ev = Event()
        ev.add("uid", f"{regno}@kfor-desk")
        prefix = "EXERCISE · " if mark.training else ""
        ev.add("summary", _ics_text(f"{prefix}{regno} {rec.title}"), encode=False)
        ev.add("dtstart", rec.start)
        ev.add("dtend", rec.end)
        ev.add("dtstamp", last)
        ev.add("last-modified", last)
        ev.add("sequence", max(int(rec.version or 1) - 1, 0))
        ev.add("location", _ics_text("; ".join(loc.name for loc in rec.locations)),
               encode=False)
        ev.add("description", _ics_text(_description(rec, mark)), encode=False)
        ev.add("status", ics_status(rec))
        ev.add("categories", [rec.kind.value])
        cal.add_component(ev)
    return bytes(cal.to_ical())


def _last_changes(desk: Desk) -> dict[str, datetime]:
    out: dict[str, datetime] = {}
    for e in desk.repo.audit_since(None):
        if e.register_no and e.entity != "conflict":
            out[e.register_no] = max(out.get(e.register_no, e.at), e.at)
    return out


WRITERS: dict[str, Callable[..., bytes]] = {
    ".csv": to_csv, ".xlsx": to_xlsx, ".ics": to_ics}


def export(desk: Desk, path: str | Path, classification: str | None = None) -> int:
    """Write every record to ``path`` (.csv, .xlsx or .ics) with the desk's marking, or
    ``classification`` instead of its classification; returns the number of records."""
    suffix = Path(path).suffix.lower()
    writer = WRITERS[suffix]
    records = _records(desk)
    marking = marking_of(desk.settings(), desk.is_training(), classification)
    try:  # openpyxl spools to temporary files: the disk may be full
        data = (to_ics(records, marking, _last_changes(desk)) if suffix == ".ics"
                else writer(records, marking))
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}; any earlier file there "
                          "was left as it was") from None
    except Exception as exc:  # lxml reports a full disk as its own SerialisationError
        if type(exc).__name__ != "SerialisationError":
            raise
        raise OutputError(f"cannot write {path}: the disk is full or the file too large "
                          f"({exc}); any earlier file there was left as it was") from None
    write_atomic(path, data)
    return len(records)
