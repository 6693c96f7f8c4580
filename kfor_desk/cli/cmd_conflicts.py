"""``kfor-desk conflicts [--as-of WHEN] [--json]``: conflicts and attention flags.

``WHEN`` is a DTG (``261700ZNOV26``) or an ISO time with zone; default now. With ``--json``
one object is printed (``kfor-desk/1``)::

    {"conflicts": [{"a": REGISTER_NO, "b": REGISTER_NO, "distance_km": …,
                    "overlap_start": …, "overlap_end": …, "status": "open"|"deconflicted"}],
     "flags": [{"register_no": …, "flag": NAME, "detail": …}]}

Every current conflict is listed with its status (open ones first in the plain text); flags
are ordered most severe first.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import Any

from kfor_desk.domain.conflicts import ConflictStatus, TrackedConflict
from kfor_desk.domain.timefmt import TimeError, format_dtg, format_iso, parse_when
from kfor_desk.services.conflicts import ConflictReport, conflict_report

from .common import desk_from_args


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "conflicts", help="open conflicts and attention flags",
        description="Pairwise conflicts (periods meeting and locations within the desk's "
                    "distance) and single-activity attention flags, as of a time.")
    p.add_argument("--as-of", metavar="WHEN", type=_when, default=None,
                   help="a DTG (261700ZNOV26) or ISO time (2026-11-26T17:00Z); default now")
    p.add_argument("--json", action="store_true", help="one JSON object (kfor-desk/1)")
    p.set_defaults(func=run_conflicts)


def _when(text: str) -> datetime:
    try:
        return parse_when(text)
    except TimeError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def report_document(report: ConflictReport) -> dict[str, Any]:
    """The ``conflicts --json`` object."""
    return {
        "conflicts": [
            {
                "a": t.conflict.a,
                "b": t.conflict.b,
                "distance_km": round(t.conflict.distance_km, 3),
                "overlap_start": format_iso(t.conflict.overlap_start),
                "overlap_end": format_iso(t.conflict.overlap_end),
                "status": t.status.value,
            }
            for t in report.conflicts
        ],
        "flags": [
            {"register_no": f.register_no, "flag": f.flag.value, "detail": f.detail}
            for f in report.flags
        ],
    }


def _conflict_line(t: TrackedConflict) -> str:
    c = t.conflict
    window = "overlap" if c.overlapping else "gap"
    status = t.status.value.upper() + (" (reopened: a record changed)" if t.reopened else "")
    return (f"  {c.a} / {c.b}  {c.distance_km:.1f} km  {window} {format_dtg(c.overlap_start)}"
            f" – {format_dtg(c.overlap_end)}  {status}\n"
            f"      '{c.location_a.name}' ↔ '{c.location_b.name}'")


def _human(report: ConflictReport) -> str:
    n_open = len(report.open_conflicts)
    n_done = len(report.conflicts) - n_open
    s = report.settings
    lines = [f"As of {format_dtg(report.as_of)} (distance {s.distance_km:g} km, margin "
             f"{s.margin.total_seconds() / 3600:g} h)",
             f"Conflicts: {n_open} open, {n_done} deconflicted"]
    ordered = sorted(report.conflicts, key=lambda t: t.status is not ConflictStatus.OPEN)
    lines += [_conflict_line(t) for t in ordered]
    lines.append(f"Attention flags: {len(report.flags)}")
    lines += [f"  {f.register_no}  {f.flag.value}: {f.detail}" for f in report.flags]
    return "\n".join(lines)


def run_conflicts(args: argparse.Namespace) -> int:
    desk = desk_from_args(args, readonly=True)
    try:
        report = conflict_report(desk, args.as_of)
    finally:
        desk.close()
    if args.json:
        print(json.dumps(report_document(report), ensure_ascii=False))
    else:
        print(_human(report))
    return 0
