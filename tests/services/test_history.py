"""History in words: labels, DTGs and readable values for real audit entries of a real database
(the helper the detail pane and the record sheet use)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from kfor_desk.domain.conflicts import ConflictStatus
from kfor_desk.services.conflicts import conflict_report, mark_deconflicted
from kfor_desk.services.demo import create_demo
from kfor_desk.services.desk import Desk
from kfor_desk.services.history import (
    action_label,
    field_label,
    readable_history,
    readable_value,
)
from tests.factories import NOW

ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
CODE = re.compile(r"\[\d+\]|_|^[a-z]")  # stored keys: locations[0].position, under_review


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    desk = create_demo(str(tmp_path_factory.mktemp("h") / "d.db"), 40, now=NOW)
    desk.clock = lambda: NOW
    yield desk
    desk.close()


def test_no_stored_key_iso_time_or_coded_value_is_shown(demo: Desk) -> None:
    notes, reqs = demo.records()
    seen = 0
    for rec in [*notes, *reqs]:
        for e in readable_history(demo.history(rec.register_no or "")):
            assert not CODE.search(e.action), e.action
            for c in e.changes:
                seen += 1
                assert not CODE.search(c.label), c.label
                for v in (c.before, c.after):
                    assert not ISO.search(v), (c.field, v)
                    assert v not in ("under_review", "granted_with_conditions", "liaison_meeting",
                                     "True", "False", ""), (c.field, v)
                    assert v != "None" or c.field == "patrols", (c.field, v)  # its label
    assert seen > 500


def test_newest_first_with_dtg_and_local_time(demo: Desk) -> None:
    notes, _ = demo.records()
    acted = next(n for n in notes if n.status.value == "disseminated")
    entries = readable_history(demo.history(acted.register_no or ""))
    assert [e.action for e in entries][-1] == "Registered"
    assert entries[0].action == "Disseminated"
    assert [e.seq for e in entries] == sorted((e.seq for e in entries), reverse=True)
    assert re.fullmatch(r"\d{6}Z[A-Z]{3}\d\d", entries[0].when)
    assert entries[0].when_local.startswith(entries[0].when + " (")
    status = next(c for c in entries[0].changes if c.field == "status")
    assert (status.label, status.before, status.after) == ("Status", "Acknowledged",
                                                           "Disseminated")


@pytest.mark.parametrize(("field", "label"), [
    ("locations[0].position", "Location 1 · position"),
    ("locations[2].radius_m", "Location 3 · radius"),
    ("municipalities[1]", "Municipality 2"),
    ("decision.communicated_via", "Communicated via"),
    ("review_started_at", "Review started"),
    ("fingerprint", "Checked record versions"),
    ("something_new", "Something new"),
])
def test_field_labels(field: str, label: str) -> None:
    assert field_label(field) == label


def test_values() -> None:
    assert readable_value("status", "under_review") == "Under review"
    assert readable_value("status", "open", "conflict") == "Open"
    assert readable_value("start", "2026-11-26T17:00:00Z") == "261700ZNOV26 (26 Nov 18:00 CET)"
    assert readable_value("locations[0].position", "34TDN9113753405") == "34T DN 91137 53405"
    assert readable_value("locations[0].position", "42.89, 20.87") == "42.89, 20.87"
    assert readable_value("locations[0].radius_m", 500) == "500 m"
    assert readable_value("live_fire", True) == "yes"
    assert readable_value("notes", None) == readable_value("notes", "") == "—"
    assert readable_value("fingerprint", "ab12cd34ef56" * 5) == "#ab12cd34"
    assert action_label("start_review") == "Review started"
    assert action_label("deconflict") == "Marked deconflicted"


def test_a_conflict_mark_reads_as_words(demo: Desk) -> None:
    report = conflict_report(demo, NOW)
    open_ = [t for t in report.conflicts if t.status is ConflictStatus.OPEN]
    if not open_:
        pytest.skip("the demo data has no open conflict at NOW")
    c = open_[0].conflict
    mark_deconflicted(demo, c.a, c.b, "Moved by 2 h after a call with the LO.")
    entries = readable_history(demo.history(c.a))
    mark = entries[0]
    assert mark.action == "Marked deconflicted"
    assert mark.reason.startswith("Moved by 2 h")
    rows = {ch.label: (ch.before, ch.after) for ch in mark.changes}
    assert rows["Conflict with"] == ("—", c.b)
    assert rows["Conflict status"] == ("Open", "Deconflicted")
    assert rows["Checked record versions"][1].startswith("#")
