"""Deconfliction engine: thresholds by construction, flags, marks, engine == brute force."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Geod

from kfor_desk.domain.conflicts import (
    Conflict,
    ConflictMark,
    ConflictStatus,
    DeconflictionSettings,
    FlagName,
    apply_marks,
    attention_flags,
    brute_force_conflicts,
    conflicts_with,
    find_conflicts,
    flags_for,
    mark_conflict,
    participates,
    register_sort_key,
)
from kfor_desk.domain.enums import (
    Band,
    ExerciseType,
    NotificationStatus,
    Purpose,
    RequestStatus,
    Side,
)
from kfor_desk.domain.records import (
    AblRelation,
    ConsentRequest,
    Decision,
    ExerciseNotification,
    Location,
    Record,
)

GEOD = Geod(ellps="WGS84")
BASE = (42.90, 20.80)  # lat, lon: near the ABL north of Mitrovica
T0 = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)
AS_OF = datetime(2026, 11, 26, 17, 0, tzinfo=UTC)
H = timedelta(hours=1)
MIN = timedelta(minutes=1)


def at(distance_km: float, azimuth: float = 90.0, base: tuple[float, float] = BASE,
       name: str = "place", radius_m: int | None = None,
       abl: AblRelation | None = None) -> Location:
    """A location ``distance_km`` from ``base`` along ``azimuth`` (degrees), geodesically."""
    lon, lat, _ = GEOD.fwd(base[1], base[0], azimuth, distance_km * 1000.0)
    return Location(name=name, lat=lat, lon=lon, radius_m=radius_m, abl=abl)


def centre(**kw: object) -> Location:
    return at(0.0, **kw)  # type: ignore[arg-type]


def saf(no: int, *locs: Location, start: datetime = T0, end: datetime | None = None,
        **kw: object) -> ExerciseNotification:
    fields: dict[str, object] = {
        "name": f"Exercise {no}", "received_at": AS_OF - 2 * H, "start": start,
        "end": end or start + 10 * H, "locations": tuple(locs) or (centre(),),
        "register_no": f"SAF-2026-{no:04d}", "status": NotificationStatus.ACKNOWLEDGED,
        "acknowledged_at": AS_OF - H,
    }
    fields.update(kw)
    return ExerciseNotification(**fields)  # type: ignore[arg-type]


def ksf(no: int, *locs: Location, start: datetime = T0, end: datetime | None = None,
        **kw: object) -> ConsentRequest:
    fields: dict[str, object] = {
        "requesting_unit": "KSF Civil Protection", "received_at": AS_OF - 2 * H,
        "start": start, "end": end or start + 10 * H,
        "decision_due": AS_OF + timedelta(days=5), "locations": tuple(locs) or (centre(),),
        "register_no": f"KSF-2026-{no:04d}",
    }
    fields.update(kw)
    return ConsentRequest(**fields)  # type: ignore[arg-type]


def both(records: list[Record], s: DeconflictionSettings | None = None,
         as_of: datetime = AS_OF) -> list[Conflict]:
    """Engine result, checked against brute force on every scenario."""
    found = find_conflicts(records, as_of, s)
    assert found == brute_force_conflicts(records, as_of, s)
    return found


def pairs(found: list[Conflict]) -> set[tuple[str, str]]:
    return {c.key for c in found}


# ------------------------------------------------------------------ distance
@pytest.mark.parametrize(("km", "expected"), [(9.9, True), (10.1, False), (0.0, True)])
def test_distance_threshold(km: float, expected: bool) -> None:
    found = both([saf(1, centre()), ksf(1, at(km))])
    assert bool(found) is expected
    if expected:
        assert found[0].distance_km == pytest.approx(km, abs=1e-6)


@pytest.mark.parametrize(("km", "expected"), [(4.9, True), (5.1, False)])
def test_configured_distance(km: float, expected: bool) -> None:
    s = DeconflictionSettings(distance_km=5.0)
    assert bool(both([saf(1), ksf(1, at(km))], s)) is expected


@pytest.mark.parametrize(("radius_a", "radius_b", "expected"),
                         [(None, None, False), (1500, None, True), (None, 1500, True),
                          (700, 700, True), (600, 300, False)])
def test_radius_makes_the_difference(radius_a: int | None, radius_b: int | None,
                                     expected: bool) -> None:
    # centres 11 km apart: only radii totalling more than 1 km bring the edges within 10 km
    found = both([saf(1, centre(radius_m=radius_a)), ksf(1, at(11.0, radius_m=radius_b))])
    assert bool(found) is expected
    if expected:
        total = ((radius_a or 0) + (radius_b or 0)) / 1000
        assert found[0].distance_km == pytest.approx(11.0 - total, abs=1e-6)


def test_distance_floored_at_zero_when_areas_overlap() -> None:
    found = both([saf(1, centre(radius_m=3000)), ksf(1, at(2.0, radius_m=3000))])
    assert found[0].distance_km == 0.0


def test_two_locations_only_the_second_near() -> None:
    far = at(40.0, azimuth=0.0, name="far")
    near = at(6.0, azimuth=180.0, name="near")
    found = both([saf(1, far, near), ksf(1, centre(name="village"))])
    assert len(found) == 1
    c = found[0]
    assert c.location_a.name == "near" and c.location_b.name == "village"
    assert c.distance_km == pytest.approx(6.0, abs=1e-6)


def test_minimum_over_all_location_pairs() -> None:
    a = saf(1, at(8.0, 0.0, name="a8"), at(3.0, 0.0, name="a3"))
    b = ksf(1, at(5.0, 180.0, name="b5"), at(2.0, 180.0, name="b2"))
    c = both([a, b])[0]
    assert (c.location_a.name, c.location_b.name) == ("a3", "b2")
    assert c.distance_km == pytest.approx(5.0, abs=1e-6)


# ------------------------------------------------------------------ time
def test_touching_periods_conflict() -> None:
    a = saf(1, start=T0, end=T0 + 5 * H)
    b = ksf(1, at(3.0), start=T0 + 5 * H, end=T0 + 8 * H)
    c = both([a, b])[0]
    assert c.overlapping and c.overlap_start == c.overlap_end == T0 + 5 * H


def test_one_minute_gap_does_not_conflict() -> None:
    a = saf(1, start=T0, end=T0 + 5 * H)
    b = ksf(1, at(3.0), start=T0 + 5 * H + MIN, end=T0 + 8 * H)
    assert both([a, b]) == []


def test_overlap_window_is_the_common_part() -> None:
    a = saf(1, start=T0, end=T0 + 10 * H)
    b = ksf(1, at(3.0), start=T0 + 4 * H, end=T0 + 20 * H)
    c = both([a, b])[0]
    assert (c.overlap_start, c.overlap_end, c.overlapping) == (T0 + 4 * H, T0 + 10 * H, True)


@pytest.mark.parametrize(("gap", "expected"), [(2 * H, True), (2 * H + MIN, False)])
def test_margin(gap: timedelta, expected: bool) -> None:
    s = DeconflictionSettings(margin=2 * H)
    a = saf(1, start=T0, end=T0 + 5 * H)
    b = ksf(1, at(3.0), start=T0 + 5 * H + gap, end=T0 + 9 * H + gap)
    found = both([a, b], s)
    assert bool(found) is expected
    if expected:  # a near miss: the window is the gap
        c = found[0]
        assert not c.overlapping
        assert (c.overlap_start, c.overlap_end) == (T0 + 5 * H, T0 + 5 * H + gap)


# ------------------------------------------------------------------ who takes part
def test_cancelled_notification_excluded() -> None:
    a = saf(1, status=NotificationStatus.CANCELLED, cancelled_at=AS_OF, cancel_reason="x")
    assert both([a, ksf(1, at(3.0))]) == []


@pytest.mark.parametrize("status", [RequestStatus.DENIED, RequestStatus.WITHDRAWN])
def test_denied_or_withdrawn_request_excluded(status: RequestStatus) -> None:
    assert both([saf(1), ksf(1, at(3.0), status=status)]) == []


@pytest.mark.parametrize("status", [RequestStatus.GRANTED, RequestStatus.UNDER_REVIEW,
                                    RequestStatus.GRANTED_WITH_CONDITIONS])
def test_open_or_granted_request_takes_part(status: RequestStatus) -> None:
    decision = Decision("COMKFOR", AS_OF, conditions="escort") if status.is_decided else None
    assert len(both([saf(1), ksf(1, at(3.0), status=status, decision=decision)])) == 1


def test_ended_before_as_of_excluded_but_ending_at_as_of_takes_part() -> None:
    a = saf(1, start=AS_OF - 10 * H, end=AS_OF - MIN)
    b = ksf(1, at(3.0), start=AS_OF - 10 * H, end=AS_OF + H)
    assert both([a, b]) == []
    a2 = dataclasses.replace(a, end=AS_OF)
    assert len(both([a2, b])) == 1


def test_only_cross_register_pairs_by_default() -> None:
    records: list[Record] = [saf(1), saf(2, at(1.0)), ksf(1, at(30.0)), ksf(2, at(31.0))]
    assert both(records) == []
    found = both(records, DeconflictionSettings(same_register=True))
    assert pairs(found) == {("SAF-2026-0001", "SAF-2026-0002"),
                            ("KSF-2026-0001", "KSF-2026-0002")}


def test_record_without_locations_is_ignored() -> None:
    a = dataclasses.replace(saf(1), locations=())
    assert both([a, ksf(1)]) == []


# ------------------------------------------------------------------ order and identity
def test_stable_order_saf_before_ksf_then_number() -> None:
    records: list[Record] = [ksf(3, at(1.0)), saf(12), saf(2, at(2.0)), ksf(1, at(0.5))]
    found = both(records)
    assert pairs(found) == {("SAF-2026-0002", "KSF-2026-0001"), ("SAF-2026-0002", "KSF-2026-0003"),
                            ("SAF-2026-0012", "KSF-2026-0001"), ("SAF-2026-0012", "KSF-2026-0003")}
    assert register_sort_key("SAF-2026-0012") > register_sort_key("SAF-2026-0002")
    assert register_sort_key("KSF-2025-9999") > register_sort_key("SAF-2026-0001")


def test_results_ordered_by_overlap_start() -> None:
    late = saf(1, start=T0 + 48 * H)
    early = saf(2, at(30.0, 0.0), start=T0)
    k_late = ksf(1, at(1.0), start=T0 + 48 * H)
    k_early = ksf(2, at(31.0, 0.0), start=T0)
    found = both([late, early, k_late, k_early])
    assert [c.a for c in found] == ["SAF-2026-0002", "SAF-2026-0001"]


def test_fingerprint_changes_with_time_or_place_only() -> None:
    a, b = saf(1), ksf(1, at(3.0))
    base = both([a, b])[0].fingerprint
    assert both([dataclasses.replace(a, notes="changed"), b])[0].fingerprint == base
    assert both([dataclasses.replace(a, end=a.end + MIN), b])[0].fingerprint != base
    assert both([a, ksf(1, at(3.1))])[0].fingerprint != base
    assert both([a, ksf(1, at(3.0, radius_m=10))])[0].fingerprint != base


def test_far_away_positions_fall_back_exactly() -> None:
    # far outside UTM zone 34: the spatial cut switches off and the answer stays exact
    west = (40.7, -74.0)
    records: list[Record] = [saf(1, centre(base=west)), ksf(1, at(9.0, base=west)),
                             saf(2), ksf(2, at(12.0))]
    assert pairs(both(records)) == {("SAF-2026-0001", "KSF-2026-0001")}


def test_conflicts_with_candidate() -> None:
    others: list[Record] = [saf(1), saf(2, at(50.0)), ksf(7, at(1.0))]
    cand = ksf(7, at(2.0))  # the amended KSF-2026-0007: its saved self is skipped
    found = conflicts_with(cand, others, AS_OF)
    assert [(c.a, c.b) for c in found] == [("SAF-2026-0001", "KSF-2026-0007")]
    assert found[0].distance_km == pytest.approx(2.0, abs=1e-6)
    new = dataclasses.replace(cand, register_no=None)
    assert [(c.a, c.b) for c in conflicts_with(new, others, AS_OF)] == [
        ("SAF-2026-0001", "KSF (new)")]


def test_settings_validated() -> None:
    with pytest.raises(ValueError):
        DeconflictionSettings(distance_km=-1)
    with pytest.raises(ValueError):
        DeconflictionSettings(margin=-H)


# ------------------------------------------------------------------ flags
def abl(km: float, side: Side = Side.SERBIA) -> AblRelation:
    band = (Band.NOTIFY if km <= 1 else Band.GROUND if km <= 5 else
            Band.AIR if km <= 25 else Band.BEYOND)
    return AblRelation(km, side, band)


def names(rec: Record, as_of: datetime = AS_OF) -> set[str]:
    return {f.flag.value for f in flags_for(rec, as_of)}


@pytest.mark.parametrize(("km", "radius", "expected"), [
    (0.9, None, {"notify_line"}), (1.0, None, {"notify_line"}), (1.1, None, {"ground_band"}),
    (5.0, None, {"ground_band"}), (5.1, None, set()), (2.0, 1500, {"notify_line"}),
    (6.0, 1500, {"ground_band"}),
])
def test_saf_band_flags(km: float, radius: int | None, expected: set[str]) -> None:
    assert names(saf(1, centre(abl=abl(km), radius_m=radius))) == expected


@pytest.mark.parametrize(("km", "expected"), [(24.9, True), (25.1, False)])
def test_air_band(km: float, expected: bool) -> None:
    rec = saf(1, centre(abl=abl(km)), air_assets="2 x Mi-17")
    assert ("air_band" in names(rec)) is expected
    by_type = saf(1, centre(abl=abl(km)), exercise_type=ExerciseType.AIR_ACTIVITY)
    assert ("air_band" in names(by_type)) is expected
    assert "air_band" not in names(saf(1, centre(abl=abl(km))))


@pytest.mark.parametrize(("km", "expected"), [(4.9, True), (5.1, False)])
def test_live_fire_ground_band(km: float, expected: bool) -> None:
    assert ("live_fire_ground_band" in names(saf(1, centre(abl=abl(km)), live_fire=True))) \
        is expected
    typed = saf(1, centre(abl=abl(km)), exercise_type=ExerciseType.LIVE_FIRING)
    assert ("live_fire_ground_band" in names(typed)) is expected
    assert "live_fire_ground_band" not in names(saf(1, centre(abl=abl(km))))


def test_wrong_side() -> None:
    rec = saf(1, centre(abl=abl(30.0)), at(5.0, name="odd", abl=abl(12.0, Side.KOSOVO)))
    flags = flags_for(rec, AS_OF)
    assert [f.flag for f in flags] == [FlagName.WRONG_SIDE]
    assert "'odd'" in flags[0].detail
    assert names(saf(1, centre(abl=abl(12.0, Side.OTHER)))) == set()


def test_no_abl_flags_without_abl_relation() -> None:
    assert names(saf(1, centre(), live_fire=True, air_assets="UAV")) == set()
    assert names(ksf(1, centre())) == set()


@pytest.mark.parametrize(("km", "expected"), [(4.9, True), (5.1, False)])
def test_ksf_near_abl(km: float, expected: bool) -> None:
    rec = ksf(1, centre(abl=abl(km, Side.KOSOVO)))
    assert ("ksf_near_abl" in names(rec)) is expected


def test_ksf_air() -> None:
    assert "ksf_air" in names(ksf(1, air_assets="1 x UAV"))
    assert "ksf_air" in names(ksf(1, purpose=Purpose.UAV_FLIGHT))
    assert "ksf_air" not in names(ksf(1))


@pytest.mark.parametrize(("due", "status", "expected"), [
    (AS_OF + 24 * H, RequestStatus.RECEIVED, {"due_soon"}),
    (AS_OF + 24 * H + MIN, RequestStatus.RECEIVED, set()),
    (AS_OF + MIN, RequestStatus.RECOMMENDED, {"due_soon"}),
    (AS_OF, RequestStatus.UNDER_REVIEW, {"overdue"}),
    (AS_OF - 3 * H, RequestStatus.RECEIVED, {"overdue"}),
    (AS_OF - 3 * H, RequestStatus.GRANTED, set()),
    (AS_OF + H, RequestStatus.GRANTED, set()),
])
def test_due_soon_and_overdue(due: datetime, status: RequestStatus, expected: set[str]) -> None:
    decision = Decision("COMKFOR", AS_OF - H) if status.is_decided else None
    assert names(ksf(1, decision_due=due, status=status, decision=decision)) == expected


@pytest.mark.parametrize(("received", "status", "expected"), [
    (AS_OF - 24 * H, NotificationStatus.RECEIVED, True),
    (AS_OF - 24 * H + MIN, NotificationStatus.RECEIVED, False),
    (AS_OF - 48 * H, NotificationStatus.ACKNOWLEDGED, False),
    (AS_OF - 48 * H, NotificationStatus.DISSEMINATED, False),
])
def test_unacknowledged(received: datetime, status: NotificationStatus, expected: bool) -> None:
    rec = saf(1, received_at=received, status=status)
    assert ("unacknowledged" in names(rec)) is expected


def test_no_flags_for_records_not_taking_part() -> None:
    cancelled = saf(1, centre(abl=abl(0.2)), status=NotificationStatus.CANCELLED)
    ended = saf(2, centre(abl=abl(0.2)), start=AS_OF - 5 * H, end=AS_OF - H)
    withdrawn = ksf(1, centre(abl=abl(0.2)), status=RequestStatus.WITHDRAWN,
                    decision_due=AS_OF - H)
    assert attention_flags([cancelled, ended, withdrawn], AS_OF) == []
    assert not participates(ended, AS_OF)


def test_ended_records_keep_only_their_paperwork_flags() -> None:
    ended_saf = saf(3, centre(abl=abl(0.2)), start=AS_OF - 30 * H, end=AS_OF - H,
                    received_at=AS_OF - 60 * H, status=NotificationStatus.RECEIVED,
                    acknowledged_at=None)
    ended_ksf = ksf(4, centre(abl=abl(0.5)), start=AS_OF - 30 * H, end=AS_OF - H,
                    received_at=AS_OF - 60 * H, decision_due=AS_OF - 40 * H)
    assert names(ended_saf) == {"unacknowledged"}
    assert names(ended_ksf) == {"overdue"}


def test_flags_ordered_by_severity_then_register() -> None:
    records: list[Record] = [
        ksf(2, decision_due=AS_OF + H),
        saf(3, centre(abl=abl(3.0))),
        ksf(1, decision_due=AS_OF - H),
        saf(2, centre(abl=abl(0.5))),
        saf(1, centre(abl=abl(0.4))),
    ]
    got = [(f.flag.value, f.register_no) for f in attention_flags(records, AS_OF)]
    assert got == [
        ("notify_line", "SAF-2026-0001"), ("notify_line", "SAF-2026-0002"),
        ("overdue", "KSF-2026-0001"), ("ground_band", "SAF-2026-0003"),
        ("due_soon", "KSF-2026-0002"),
    ]
    assert FlagName.NOTIFY_LINE.severity == 0
    assert all(f.detail.endswith(".") for f in attention_flags(records, AS_OF))


def test_flag_names_are_the_interchange_names() -> None:
    assert {f.value for f in FlagName} == {
        "notify_line", "ground_band", "air_band", "live_fire_ground_band", "wrong_side",
        "ksf_near_abl", "ksf_air", "due_soon", "overdue", "unacknowledged"}


# ------------------------------------------------------------------ marks
def test_deconflict_amend_reopen_cycle() -> None:
    a, b = saf(1), ksf(1, at(3.0))
    conflict = both([a, b])[0]
    assert [t.status for t in apply_marks([conflict], [])] == [ConflictStatus.OPEN]

    mark = mark_conflict(conflict, ConflictStatus.DECONFLICTED, "KSF moved start to 1800Z",
                         "Maj. Duty", AS_OF)
    tracked = apply_marks(both([a, b]), [mark])[0]
    assert tracked.status is ConflictStatus.DECONFLICTED and not tracked.reopened

    # a change elsewhere than time or place keeps it deconflicted
    same = apply_marks(both([dataclasses.replace(b, notes="x"), a]), [mark])[0]
    assert same.status is ConflictStatus.DECONFLICTED

    # the KSF activity is moved by 500 m: still conflicting, so it reopens
    moved = both([a, ksf(1, at(3.5))])
    tracked = apply_marks(moved, [mark])[0]
    assert tracked.status is ConflictStatus.OPEN and tracked.reopened

    # deconflicted again, then reopened by hand: the latest mark wins
    again = mark_conflict(moved[0], ConflictStatus.DECONFLICTED, "patrol", "Capt. B",
                          AS_OF + H)
    assert apply_marks(moved, [mark, again])[0].status is ConflictStatus.DECONFLICTED
    reopen = mark_conflict(moved[0], ConflictStatus.OPEN, "", "Capt. B", AS_OF + 2 * H)
    assert apply_marks(moved, [again, reopen, mark])[0].status is ConflictStatus.OPEN

    # moved out of range: no conflict, nothing to show
    assert both([a, ksf(1, at(20.0))]) == []


def test_mark_needs_note_and_operator() -> None:
    c = both([saf(1), ksf(1, at(3.0))])[0]
    with pytest.raises(ValueError):
        mark_conflict(c, ConflictStatus.DECONFLICTED, "  ", "Maj. Duty", AS_OF)
    with pytest.raises(ValueError):
        mark_conflict(c, ConflictStatus.DECONFLICTED, "done", " ", AS_OF)


def test_mark_for_another_pair_does_not_apply() -> None:
    c = both([saf(1), ksf(1, at(3.0))])[0]
    other = ConflictMark("SAF-2026-0001", "KSF-2026-0002", ConflictStatus.DECONFLICTED, "n",
                         "Maj", AS_OF, c.fingerprint)
    assert apply_marks([c], [other])[0].status is ConflictStatus.OPEN


# ------------------------------------------------------------------ property: engine == brute
_minutes = st.integers(min_value=0, max_value=6 * 24 * 60)


KOSOVO_ANCHORS = [(42.90, 20.80), (42.95, 20.95), (43.20, 20.60)]
# east of the zone (larger scale factor) and far outside it (the spatial cut switches off)
WIDE_ANCHORS = [*KOSOVO_ANCHORS, (44.0, 27.5), (41.0, 38.0)]


@st.composite
def activity(draw: st.DrawFn, no: int, anchors: list[tuple[float, float]]) -> Record:
    n_locs = draw(st.integers(min_value=0, max_value=3))
    locs = []
    for k in range(n_locs):
        # clustered around a few centres so that near-threshold pairs are common
        anchor = draw(st.sampled_from(anchors))
        dist = draw(st.floats(min_value=0.0, max_value=25.0, allow_nan=False))
        az = draw(st.floats(min_value=-180.0, max_value=180.0, allow_nan=False))
        radius = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=5000)))
        locs.append(at(dist, az, base=anchor, name=f"l{k}", radius_m=radius))
    start = AS_OF - 24 * H + draw(_minutes) * MIN
    end = start + draw(st.integers(min_value=1, max_value=3 * 24 * 60)) * MIN
    is_saf = draw(st.booleans())
    rec: Record
    if is_saf:
        rec = saf(no, start=start, end=end, status=draw(st.sampled_from(list(NotificationStatus))))
    else:
        rec = ksf(no, start=start, end=end, status=draw(st.sampled_from(list(RequestStatus))))
    return dataclasses.replace(rec, locations=tuple(locs))


@st.composite
def scenario(draw: st.DrawFn) -> tuple[list[Record], DeconflictionSettings]:
    n = draw(st.integers(min_value=0, max_value=25))
    anchors = draw(st.sampled_from([KOSOVO_ANCHORS, KOSOVO_ANCHORS, WIDE_ANCHORS]))
    records = [draw(activity(no + 1, anchors)) for no in range(n)]
    s = DeconflictionSettings(
        distance_km=draw(st.sampled_from([0.0, 1.0, 5.0, 10.0, 17.5])),
        margin=draw(st.sampled_from([timedelta(0), MIN, 2 * H, 24 * H])),
        same_register=draw(st.booleans()),
    )
    return records, s


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario())
def test_engine_equals_brute_force(case: tuple[list[Record], DeconflictionSettings]) -> None:
    records, s = case
    assert find_conflicts(records, AS_OF, s) == brute_force_conflicts(records, AS_OF, s)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario())
def test_conflicts_with_equals_the_whole_run(
        case: tuple[list[Record], DeconflictionSettings]) -> None:
    records, s = case
    everything = find_conflicts(records, AS_OF, s)
    for rec in records:
        label = rec.register_no or ""
        assert conflicts_with(rec, records, AS_OF, s) == [c for c in everything
                                                          if label in c.key]
