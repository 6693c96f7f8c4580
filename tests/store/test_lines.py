"""The registers' first read (issue 17): one line per record straight from the tables, the same
line the whole record makes (:func:`kfor_desk.domain.lines.line_of`), on SQLite and PostgreSQL;
and the lines with the whole records of one moment."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from kfor_desk.domain.enums import Band, NotificationStatus, Purpose, RequestStatus, Side
from kfor_desk.domain.lines import NotificationLine, RequestLine, line_of
from kfor_desk.domain.records import AblRelation, Decision, Location
from kfor_desk.domain.search import haystack
from kfor_desk.services.desk import Desk
from kfor_desk.store.lines import read_lines_and_records, register_lines
from tests.factories import NOW, make_notification, make_request


def _loc(name: str, km: float | None, band: Band = Band.GROUND) -> Location:
    abl = AblRelation(km, Side.SERBIA, band) if km is not None else None
    return Location(name=name, lat=43.0, lon=20.8, position="43.0, 20.8", abl=abl)


def _fill(desk: Desk) -> None:
    """Records of every shape a line reads: several locations (the nearest one not first, two
    at the same distance, some without a distance), none, decided and communicated, multi-line
    and empty descriptions, an amendment, a bulk import (its stored search text)."""
    repo, actor = desk.repo, desk.actor
    repo.create(make_notification(name="Several places", locations=(
        _loc("far", 12.0, Band.AIR), _loc("unknown", None), _loc("near", 0.5, Band.NOTIFY),
        _loc("as near", 0.5, Band.GROUND))), actor, at=NOW)
    repo.create(make_notification(name="No distance", locations=(
        _loc("first", None), _loc("second", None))), actor, at=NOW)
    repo.create(make_notification(name="Nowhere", locations=(),
                                  status=NotificationStatus.CANCELLED), actor, at=NOW)
    repo.create(make_request(description="First line\nsecond line", locations=(
        _loc("one", 30.0, Band.BEYOND),)), actor, at=NOW)
    repo.create(make_request(description="", purpose=Purpose.UAV_FLIGHT), actor, at=NOW)
    repo.create(make_request(status=RequestStatus.GRANTED, decision=Decision(
        "COMKFOR", NOW)), actor, at=NOW)  # decided, not yet told to the KSF
    repo.create(make_request(status=RequestStatus.DENIED, decision=Decision(
        "COMKFOR", NOW, communicated_at=NOW, communicated_via="phone")), actor, at=NOW)
    repo.create(make_request(description="x" * 300), actor, at=NOW)
    repo.bulk_create([make_notification(name=f"Imported {i}") for i in range(3)]
                     + [make_request(description=f"Imported {i}") for i in range(2)],
                     actor, "import", at=NOW)
    old = repo.get("SAF-2026-0001")
    repo.update(old, replace(old, name="Several places, amended",
                             end=old.end + timedelta(hours=5)), actor, at=NOW)


def test_the_first_read_gives_each_record_the_line_of_its_whole_record(desk: Desk) -> None:
    _fill(desk)
    notes, reqs = desk.records()
    n_lines, r_lines = register_lines(desk.db)
    # the search text read is the record's haystack (also where a bulk import stored it
    # without the register number it gave)
    assert n_lines == [line_of(n, haystack(n)) for n in notes]
    assert r_lines == [line_of(r, haystack(r)) for r in reqs]
    assert all(isinstance(line, NotificationLine) for line in n_lines)
    assert all(isinstance(line, RequestLine) for line in r_lines)
    first = n_lines[0]
    assert (first.register_no, first.version, first.name) == (
        "SAF-2026-0001", 2, "Several places, amended")
    # the nearest to the ABL, the first of two at the same distance, out of four
    assert (first.place, first.abl_km, first.band, first.n_locations) == (
        "near", 0.5, Band.NOTIFY, 4)
    assert (n_lines[1].place, n_lines[1].abl_km, n_lines[1].band) == ("first", None, None)
    assert (n_lines[2].place, n_lines[2].n_locations) == (None, 0)
    assert [(r.title, r.described, r.awaiting_communication) for r in r_lines[:4]] == [
        ("First line", True, False), ("UAV flight", False, False),
        (reqs[2].title, True, True), (reqs[3].title, True, False)]
    assert len(r_lines[4].title) == 120
    imported = n_lines[-1]
    assert imported.search_text is not None
    assert imported.search_text.startswith(imported.register_no.casefold() + "\n")


def test_the_lines_and_the_whole_records_are_of_one_moment(desk: Desk) -> None:
    _fill(desk)
    n_lines, r_lines, notes, reqs = read_lines_and_records(desk.db)
    assert (notes, reqs) == tuple(desk.records())
    assert (n_lines, r_lines) == register_lines(desk.db)
    assert [(line.register_no, line.version) for line in n_lines + r_lines] == [
        (r.register_no, r.version) for r in [*notes, *reqs]]


def test_an_empty_desk_has_no_lines(desk: Desk) -> None:
    assert register_lines(desk.db) == ([], [])
