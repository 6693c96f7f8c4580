"""What the daily brief lists where, read back from the real PDF: a KSF request or SAF activity
briefed as a critical item is not repeated in its table (and the item shows what the row
did), and every open conflict is in the grouped conflict list with its distance and
overlap."""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import timedelta

from pypdf import PdfReader

from kfor_desk.reports import render_daily_brief
from kfor_desk.reports.conflict_list import groups
from kfor_desk.reports.fmt import km
from kfor_desk.reports.model import ConflictItem
from kfor_desk.reports.template import dtg
from tests.reports import brief_factory as f


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() or "" for p in
                             PdfReader(io.BytesIO(pdf)).pages).split())


def test_a_request_briefed_as_a_critical_item_is_not_repeated_in_the_ksf_table() -> None:
    base = f.daily()
    later = f.ksf(150, due_h=100, start_h=110)  # due after 72 h: not a critical item
    data = dataclasses.replace(base, ksf_requests=(*base.ksf_requests, later),
                               map_records=(*base.map_records, later))
    text = _text(render_daily_brief(data))
    start = text.index("Critical items (")
    critical = text[start:text.index("SAF activities active", start)]
    ksf_section = text[text.index("Open KSF consent requests"):text.index("Decisions since")]
    for r in base.ksf_requests:
        regno = r.register_no or ""
        assert regno in critical
        assert regno not in ksf_section
        # what the table showed is on the critical item: received DTG, municipalities
        item = critical[critical.index(regno):]
        assert f"received {dtg(r.received_at)}" in item
    assert f"The {len(base.ksf_requests)} overdue or due within 72 h are briefed" in ksf_section
    assert (later.register_no or "") in ksf_section
    assert (later.register_no or "") not in critical
    assert "Zubin Potok" in critical and "Uklanjanje NUS-a" in critical


def test_an_activity_at_the_line_is_briefed_in_full_and_not_repeated_in_the_saf_table() -> None:
    base = f.daily()
    at_line = base.saf_activities[0]  # the factory flags it within 1 km of the ABL
    text = _text(render_daily_brief(base))
    start = text.index("Critical items (")
    saf_start = text.index("SAF activities active", start)
    critical = text[start:saf_start]
    saf_section = text[saf_start:text.index("Open KSF consent requests")]
    regno = at_line.register_no or ""
    item = critical[critical.index(f"{regno} SAF"):]
    assert "within 1 km of the ABL" in item[:200]
    assert f"received {dtg(at_line.received_at)}" in item
    assert at_line.exercise_type.label in item[:300]
    assert regno not in saf_section
    assert "The 1 within 1 km of the ABL" in saf_section
    for r in base.saf_activities[1:]:
        assert (r.register_no or "") in saf_section


def test_every_open_conflict_is_in_the_grouped_list_with_distance_and_overlap() -> None:
    base = f.daily(n_saf=30, n_ksf=5)
    safs, ksfs = base.saf_activities, base.ksf_requests
    conflicts = tuple(
        ConflictItem(s.register_no or "", k.register_no or "", 0.3 + i * 0.7,
                     f.AS_OF + timedelta(hours=i % 9), f.AS_OF + timedelta(hours=20 + i % 7))
        for i, (s, k) in enumerate((s, k) for s in safs for k in ksfs[: 1 + safs.index(s) % 3]))
    noted = dataclasses.replace(conflicts[0], note="KSF start moved by phone")
    conflicts = (noted, *conflicts[1:])
    text = _text(render_daily_brief(dataclasses.replace(base, conflicts=conflicts)))
    section = text[text.index("Conflicts ("):text.index("Attention flags (")]
    assert f"OPEN ({len(conflicts) - 1})" in section and "with a note (1)" in section
    assert "KSF start moved by phone" in section
    assert "…" not in section
    plain = sorted(conflicts[1:], key=lambda c: (c.overlap_start, c.a, c.b))
    for key, mine in groups(plain):
        block = section[section.index(f"{key} {len(mine)} conflict"):]
        for c in mine:
            other = c.b if c.a == key else c.a
            entry = f"{other} {km(c.distance_km)} km {dtg(c.overlap_start)} – {dtg(c.overlap_end)}"
            assert re.sub(r"\s+", " ", entry) in block, entry
