"""Deconfliction use cases on a real temporary SQLite file."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from pyproj import Geod

from kfor_desk.domain.conflicts import ConflictStatus, FlagName
from kfor_desk.domain.records import ConsentRequest, ExerciseNotification, Location
from kfor_desk.domain.validation import RuleError
from kfor_desk.domain.workflow import Action
from kfor_desk.services.conflicts import (
    conflict_report,
    current_conflict,
    latest_mark,
    mark_deconflicted,
    mark_history,
    preview,
    reopen,
)
from kfor_desk.services.desk import Desk
from kfor_desk.services.settings import DeskSettings
from kfor_desk.services.verify import verify
from tests.factories import NOW, make_notification, make_request

GEOD = Geod(ellps="WGS84")
SAF_AT = (43.2858, 20.6136)  # range near Raška, Serbian side


def near(km: float, name: str = "village") -> Location:
    lon, lat, _ = GEOD.fwd(SAF_AT[1], SAF_AT[0], 180.0, km * 1000.0)
    return Location(name=name, lat=lat, lon=lon)


def pair(desk: Desk, km: float = 3.0) -> tuple[ExerciseNotification, ConsentRequest]:
    saf = desk.register(make_notification(
        locations=(Location(name="range", lat=SAF_AT[0], lon=SAF_AT[1]),))).record
    ksf = desk.register(make_request(start=NOW + timedelta(days=1, hours=6),
                                     end=NOW + timedelta(days=1, hours=14),
                                     locations=(near(km),))).record
    assert isinstance(saf, ExerciseNotification) and isinstance(ksf, ConsentRequest)
    return saf, ksf


def test_report_lists_the_conflict_open_and_the_flags(desk: Desk) -> None:
    saf, ksf = pair(desk)
    report = conflict_report(desk)
    assert report.as_of == NOW
    [t] = report.conflicts
    assert t.status is ConflictStatus.OPEN and not t.reopened
    assert (t.conflict.a, t.conflict.b) == (saf.register_no, ksf.register_no)
    assert t.conflict.distance_km == pytest.approx(3.0, abs=1e-6)
    assert (t.conflict.overlap_start, t.conflict.overlap_end) == (ksf.start, ksf.end)
    # the request is due in 20 h: due soon; nothing else is near enough the ABL to flag
    assert (ksf.register_no, FlagName.DUE_SOON) in {(f.register_no, f.flag)
                                                    for f in report.flags}
    assert report.open_conflicts == report.conflicts
    assert report.involving(ksf.register_no or "") == report.conflicts


def test_as_of_after_the_end_shows_nothing(desk: Desk) -> None:
    pair(desk)
    assert conflict_report(desk, NOW + timedelta(days=3)).conflicts == ()


def test_desk_settings_apply(desk: Desk) -> None:
    pair(desk, km=3.0)
    desk.save_settings(DeskSettings(conflict_distance_km=2.5))
    assert conflict_report(desk).conflicts == ()
    desk.save_settings(DeskSettings(conflict_distance_km=3.5))
    assert len(conflict_report(desk).conflicts) == 1


def test_deconflict_amend_reopen_cycle(desk: Desk) -> None:
    saf, ksf = pair(desk)
    a, b = saf.register_no or "", ksf.register_no or ""
    saved = mark_deconflicted(desk, b, a, "KSF start moved to 1800Z by phone with KSF J3")
    assert saved.previous is ConflictStatus.OPEN and saved.mark.key == (a, b)
    assert saved.mark.marked_by == desk.operator.display and saved.mark.marked_at == NOW
    [t] = conflict_report(desk).conflicts
    assert t.status is ConflictStatus.DECONFLICTED and t.mark == saved.mark

    # audited in both records' histories, and the trail still verifies
    for regno, other in ((a, b), (b, a)):
        entry = desk.repo.history(regno)[-1]
        assert (entry.entity, entry.action) == ("conflict", "deconflict")
        assert entry.reason.startswith("KSF start moved")
        assert ("conflict_with", None, other) in entry.changes
    assert verify(desk.repo).ok

    # a change that is neither time nor place keeps it deconflicted
    ksf2 = desk.amend(ksf, replace(ksf, notes="POC changed")).record
    assert conflict_report(desk).conflicts[0].status is ConflictStatus.DECONFLICTED

    # moved 500 m: still in conflict, so it reopens by itself
    ksf3 = desk.amend(ksf2, replace(ksf2, locations=(near(3.5),))).record
    [t] = conflict_report(desk).conflicts
    assert t.status is ConflictStatus.OPEN and t.reopened

    # deconflicted again, then reopened by hand: the latest mark counts
    mark_deconflicted(desk, a, b, "Parallel KFOR patrol planned")
    assert conflict_report(desk).conflicts[0].status is ConflictStatus.DECONFLICTED
    reopen(desk, a, b, "SAF extended the exercise")
    assert conflict_report(desk).conflicts[0].status is ConflictStatus.OPEN
    assert [m.status for m in mark_history(desk, b, a)] == [
        ConflictStatus.DECONFLICTED, ConflictStatus.DECONFLICTED, ConflictStatus.OPEN]
    last = latest_mark(desk, a, b)
    assert last is not None and last.note == "SAF extended the exercise"

    # moved out of range: no conflict, and nothing to mark
    desk.amend(ksf3, replace(ksf3, locations=(near(20.0),)))
    assert conflict_report(desk).conflicts == ()
    assert current_conflict(desk, a, b) is None
    with pytest.raises(RuleError, match="do not conflict"):
        mark_deconflicted(desk, a, b, "nothing")
    assert verify(desk.repo).ok


def test_marking_refusals(desk: Desk) -> None:
    saf, ksf = pair(desk)
    a, b = saf.register_no or "", ksf.register_no or ""
    with pytest.raises(RuleError, match="note is required"):
        mark_deconflicted(desk, a, b, "   ")
    with pytest.raises(RuleError, match="already open"):
        reopen(desk, a, b)
    mark_deconflicted(desk, a, b, "done")
    with pytest.raises(RuleError, match="already deconflicted"):
        mark_deconflicted(desk, a, b, "again")
    with pytest.raises(RuleError, match="itself"):
        mark_deconflicted(desk, a, a, "x")
    with pytest.raises(RuleError, match="not a register number"):
        mark_deconflicted(desk, a, "KSF-17", "x")


def test_withdrawn_request_leaves_the_report(desk: Desk) -> None:
    _, ksf = pair(desk)
    desk.act(ksf, Action.WITHDRAW, reason="KSF cancelled the activity")
    report = conflict_report(desk)
    assert report.conflicts == () and report.flags_of(ksf.register_no or "") == ()


def test_preview_of_a_new_and_of_an_amended_record(desk: Desk) -> None:
    saf, ksf = pair(desk, km=30.0)
    assert conflict_report(desk).conflicts == ()
    new = make_request(start=NOW + timedelta(days=1), end=NOW + timedelta(days=1, hours=4),
                       locations=(near(1.0, "bridge"),), air_assets="1 x UAV")
    pv = preview(desk, new)
    assert [(c.a, c.b) for c in pv.conflicts] == [(saf.register_no, "KSF (new)")]
    assert FlagName.KSF_AIR in {f.flag for f in pv.flags} and not pv.clear
    assert pv.record.locations[0].abl is not None  # ABL computed as on save

    moved = replace(ksf, locations=(near(2.0),))
    pv = preview(desk, moved)
    assert [(c.a, c.b) for c in pv.conflicts] == [(saf.register_no, ksf.register_no)]
    # nothing was saved
    assert conflict_report(desk).conflicts == ()
    with pytest.raises(RuleError):
        preview(desk, replace(new, end=new.start - timedelta(hours=1)))
