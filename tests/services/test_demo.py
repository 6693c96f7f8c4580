"""The training database is believable: every status, overdue requests, the 1 km line,
real conflicts, both languages' letters — and it is marked EXERCISE."""

from __future__ import annotations

from pathlib import Path

from kfor_desk.domain.enums import Band, NotificationStatus, RequestStatus, Side
from kfor_desk.services.conflicts import conflict_report
from kfor_desk.services.demo import create_demo
from kfor_desk.services.verify import verify
from tests.factories import NOW


def test_demo_database_is_believable(tmp_path: Path) -> None:
    desk = create_demo(str(tmp_path / "demo.db"), 120, now=NOW)
    try:
        notes, reqs = desk.repo.all_records()
        assert desk.is_training()
        assert {n.status for n in notes} == set(NotificationStatus)
        assert {r.status for r in reqs} == set(RequestStatus)
        assert any(r.is_overdue(NOW) for r in reqs)
        saf_locs = [loc for n in notes for loc in n.locations]
        assert all(loc.abl is not None and loc.abl.side is Side.SERBIA for loc in saf_locs)
        assert any(loc.abl is not None and loc.abl.band is Band.NOTIFY for loc in saf_locs)
        ksf_locs = [loc for r in reqs for loc in r.locations]
        assert all(loc.abl is not None and loc.abl.side is Side.KOSOVO for loc in ksf_locs)
        text = " ".join([*(n.name + n.units + n.liaison_contact for n in notes),
                         *(loc.name for loc in saf_locs + ksf_locs),
                         *(r.point_of_contact + r.description for r in reqs)]).lower()
        for letter in "čćđšžëç":
            assert letter in text, letter
        assert any("\u0400" <= c <= "\u04ff" for c in text)  # Serbian Cyrillic
        assert conflict_report(desk, NOW).open_conflicts
        assert len(desk.repo.history(notes[0].register_no or "")) >= 1
        assert verify(desk.repo).ok
    finally:
        desk.db.close()
