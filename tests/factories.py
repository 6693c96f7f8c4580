"""Record factories for tests: believable values, overridable per field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kfor_desk.domain.records import ConsentRequest, ExerciseNotification, Location

NOW = datetime(2026, 11, 26, 17, 0, tzinfo=UTC)


def make_notification(**kw: object) -> ExerciseNotification:
    base: dict[str, object] = {
        "name": "Vežba „Ibar“ 26", "received_at": NOW - timedelta(hours=3),
        "start": NOW + timedelta(days=1), "end": NOW + timedelta(days=2),
        "locations": (Location(name="range near Raška", lat=43.2858, lon=20.6136,
                            position="43.2858, 20.6136", radius_m=1000),),
        "units": "3. brigada KoV", "personnel": 120, "live_fire": True,
    }
    base.update(kw)
    return ExerciseNotification(**base)  # type: ignore[arg-type]


def make_request(**kw: object) -> ConsentRequest:
    base: dict[str, object] = {
        "requesting_unit": "KSF Civil Protection Regiment", "received_at": NOW - timedelta(hours=5),
        "start": NOW + timedelta(days=2), "end": NOW + timedelta(days=2, hours=8),
        "decision_due": NOW + timedelta(hours=20),
        "locations": (Location(name="Zubin Potok", lat=42.9170, lon=20.6830),),
        "description": "Disposal of UXO near Zupče/Zupç", "point_of_contact": "Maj. Dritë Çeku",
    }
    base.update(kw)
    return ConsentRequest(**base)  # type: ignore[arg-type]
