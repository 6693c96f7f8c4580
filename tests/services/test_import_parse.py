"""An import reads each record once, ABL relations included: the same records as parsing
then relating them afterwards (``with_abl_many``)."""

from __future__ import annotations

from datetime import UTC, datetime

from kfor_desk.domain.exchange import FORMAT, notification_to_dict, request_to_dict
from kfor_desk.domain.records import ExerciseNotification
from kfor_desk.services.demo import generate
from kfor_desk.services.exchange import parse_document
from kfor_desk.services.geo import with_abl_many


def _document() -> dict[str, object]:
    recs = [r for r, _ in generate(60, datetime(2026, 11, 26, 17, tzinfo=UTC))]
    notes = [notification_to_dict(r) for r in recs if isinstance(r, ExerciseNotification)]
    reqs = [request_to_dict(r) for r in recs if not isinstance(r, ExerciseNotification)]
    # every position form: MGRS and degrees text from the demo, plus numbers, repeated places
    notes[0]["locations"].append({"name": "numbers", "position": {"lat": 42.9, "lon": 20.87}})
    notes[1]["locations"] = notes[0]["locations"]
    return {"format": FORMAT, "exercise_notifications": notes, "consent_requests": reqs}


def test_relations_computed_for_the_file_are_those_computed_afterwards() -> None:
    doc = _document()
    plain, problems = parse_document(doc)
    assert problems == []
    related, problems = parse_document(doc, with_abl=True)
    assert problems == []
    assert related == with_abl_many(plain)
    assert all(loc.abl is not None for r in related for loc in r.locations)
    assert all(loc.abl is None for r in plain for loc in r.locations)


def test_a_bad_position_is_still_reported_at_its_place() -> None:
    doc = _document()
    doc["exercise_notifications"][2]["locations"][0]["position"] = "34TZZ99"  # type: ignore[index]
    doc["consent_requests"][0]["locations"][0]["position"] = {"lat": 95, "lon": 20}  # type: ignore[index]
    _records, problems = parse_document(doc, with_abl=True)
    places = {p.field for p in problems}
    assert "exercise_notifications[2].locations[0].position" in places
    assert any(p.startswith("consent_requests[0].locations[0]") for p in places)
