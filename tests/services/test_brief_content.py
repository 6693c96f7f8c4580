"""What the briefs say, from a real database read back from the real PDF: a reopened conflict,
the decision state of an overdue request, the handover's bulk summary and sign-off."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from pypdf import PdfReader

from kfor_desk.services.briefs import write_daily_brief, write_handover, write_record_sheet
from kfor_desk.services.conflicts import mark_deconflicted
from kfor_desk.services.desk import Desk
from tests.factories import NOW, make_request
from tests.services.test_conflicts_service import near, pair


def _text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text() or "" for p in
                             PdfReader(io.BytesIO(path.read_bytes())).pages).split())


def test_a_reopened_conflict_says_so_and_why(desk: Desk, tmp_path: Path) -> None:
    saf, ksf = pair(desk)
    a, b = saf.register_no or "", ksf.register_no or ""
    mark_deconflicted(desk, a, b, "KSF start moved to 1800Z by phone")
    out = tmp_path / "before.pdf"
    write_daily_brief(desk, out, NOW)
    before = _text(out)
    assert "REOPENED" not in before and "Deconflicted" in before
    desk.clock = lambda: NOW + timedelta(minutes=30)
    desk.amend(ksf, replace(ksf, locations=(near(3.5),)), "moved by the KSF")
    write_daily_brief(desk, out, NOW + timedelta(hours=1))
    after = _text(out)
    assert "REOPENED" in after
    assert "deconflicted 261700ZNOV26 by Capt Test (Duty Officer), then reopened" in after
    assert f"{b} Amended 261730ZNOV26 by Capt Test (Duty Officer) (Locations)" in after
    assert "Earlier note: KSF start moved to 1800Z by phone" in after


def test_an_overdue_undecided_request_never_reads_completed(desk: Desk, tmp_path: Path) -> None:
    r = desk.register(make_request(received_at=NOW - timedelta(days=5),
                                   start=NOW - timedelta(days=3), end=NOW - timedelta(days=2),
                                   decision_due=NOW - timedelta(days=4))).record
    out = tmp_path / "sheet.pdf"
    write_record_sheet(desk, r.register_no or "", out, NOW)
    text = _text(out)
    assert "UNDECIDED — decision OVERDUE since 221700ZNOV26" in text
    assert "the requested period has passed without a decision" in text
    assert "Period passed, never decided" in text and "Completed" not in text
    # history in words and DTGs, with a map of the record's place
    assert "Registered" in text and "Decision due: ∅ → 221700ZNOV26" in text
    assert "© OpenStreetMap contributors" in text


def test_handover_summarises_bulk_changes_and_has_sign_off(tmp_path: Path) -> None:
    from kfor_desk.services.demo import create_demo

    desk = create_demo(str(tmp_path / "d.db"), 400, now=NOW)
    try:
        out = tmp_path / "h.pdf"
        write_handover(desk, out, NOW - timedelta(hours=1), NOW)
        text = _text(out)
        pages = len(PdfReader(str(out)).pages)
    finally:
        desk.close()
    assert "Created (demo) 400 records" in text
    assert text.count("Created (demo)") == 1  # not one row per record
    assert "HANDOVER SIGN-OFF" in text
    assert "Outgoing duty officer" in text and "Incoming duty officer" in text
    assert pages < 40


def test_annex_a_gives_the_place_of_a_flagged_record_the_brief_does_not_list(
        tmp_path: Path) -> None:
    from kfor_desk.services.briefs import daily_brief_data
    from kfor_desk.services.demo import create_demo

    desk = create_demo(str(tmp_path / "d.db"), 300, now=NOW)
    try:
        data = daily_brief_data(desk, NOW)
        out = tmp_path / "daily.pdf"
        write_daily_brief(desk, out, NOW)
        text = _text(out)
    finally:
        desk.close()
    listed = {r.register_no for r in data.map_records}
    routine = {f.register_no for f in data.flags or ()
               if f.flag not in ("notify_line", "wrong_side", "overdue", "live_fire_ground_band")}
    unlisted = sorted(routine - listed)
    assert unlisted  # e.g. a decided request still near the line
    annex = text[text.index("Annex A: routine attention flags"):]
    by_regno = {r.register_no: r for r in data.flagged_records}
    for regno in unlisted:
        rec = by_regno[regno]
        if rec.locations:
            assert f"{regno} {rec.locations[0].name[:6]}" in annex, regno
