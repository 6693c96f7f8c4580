"""R12: fuzzed input (text, lengths, Unicode, control characters, markup, coordinates, counts,
exchange documents, positions, DTGs).

Passes when valid input round-trips byte-exactly through the database, the JSON export and the
CSV table; invalid input gets field messages; no other exception escapes (nothing reaches Qt)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kfor_desk.domain.exchange import FORMAT, record_to_dict
from kfor_desk.domain.geo.position import parse_position
from kfor_desk.domain.records import Location
from kfor_desk.domain.timefmt import TimeError, format_dtg, parse_dtg, parse_when
from kfor_desk.domain.validation import Problem, RuleError
from kfor_desk.services.desk import Desk
from kfor_desk.services.exchange import export_document, parse_document, read_document
from kfor_desk.services.geo import position_tuple
from kfor_desk.services.tables import safe_csv_cell, to_csv
from tests.factories import make_notification, make_request
from tests.reliability.helpers import form

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
TEXT = st.text(st.characters(codec="utf-8"), max_size=260) | st.sampled_from([
    "<b>bold</b> &amp; <font size=40>", "Вежба „Јастребац“", "Zvečan ć đ ž ë ç", "=1+2",
    "line\nbreak", "tab\there", "\x00nul", "\u202eRTL", "a" * 201, " ", ""])


def _problems_are_field_messages(problems: tuple[Problem, ...] | list[Problem]) -> None:
    assert problems
    for p in problems:
        assert isinstance(p.field, str) and p.field and isinstance(p.message, str) and p.message


@FUZZ
@given(name=TEXT, units=TEXT, notes=TEXT, personnel=st.none() | st.integers(-5, 200_000),
       lat=st.floats(allow_nan=True, allow_infinity=True), lon=st.floats(41.5, 43.5),
       radius=st.none() | st.integers(-10, 200_000))
def test_record_input_is_saved_exactly_or_refused_at_its_field(
        desk: Desk, name: str, units: str, notes: str, personnel: int | None, lat: float,
        lon: float, radius: int | None) -> None:
    loc = Location(name="range", lat=lat, lon=lon, radius_m=radius)
    rec = make_notification(name=name, units=units, notes=notes, personnel=personnel,
                            locations=(loc,))
    try:
        saved = desk.register(rec).record
    except RuleError as exc:
        _problems_are_field_messages(exc.problems)
        return
    again = desk.repo.get(saved.register_no or "")
    assert form(again) == form(saved)
    assert (again.name, again.units, again.notes) == (name, units, notes)  # byte-exact
    doc = json.loads(json.dumps(export_document(desk), ensure_ascii=False))
    records, problems = parse_document(doc)
    assert not problems
    back = {r.register_no: r for r in records}[saved.register_no]
    assert record_to_dict(replace(back, locations=())) == record_to_dict(
        replace(again, locations=()))
    rows = list(csv.DictReader(io.StringIO(to_csv([again]).decode("utf-8-sig"))))
    assert rows[0]["title"] == safe_csv_cell(name).replace("\r\n", "\n").replace("\r", "\n") or \
        "\r" in name


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
                    lambda kids: st.lists(kids, max_size=4)
                    | st.dictionaries(TEXT, kids, max_size=5), max_leaves=25)
FIELDS = ["register_no", "received_at", "name", "start", "end", "locations", "status",
          "personnel", "channel", "exercise_type", "decision", "municipalities", "purpose"]


@FUZZ
@given(doc=JSON, items=st.lists(st.dictionaries(st.sampled_from(FIELDS), JSON, max_size=8),
                                max_size=3))
def test_exchange_documents_never_raise(doc: Any, items: list[dict[str, Any]]) -> None:
    for candidate in (doc, {"format": FORMAT, "exercise_notifications": items,
                            "consent_requests": items}):
        _records, problems = parse_document(candidate)
        if problems:
            _problems_are_field_messages(problems)


@FUZZ
@given(raw=st.binary(max_size=400))
def test_exchange_files_of_any_bytes(tmp_path_factory: pytest.TempPathFactory,
                                     raw: bytes) -> None:
    path: Path = tmp_path_factory.mktemp("f") / "in.json"
    path.write_bytes(raw)
    try:
        doc = read_document(path)
    except ValueError as exc:
        assert str(exc)
        return
    parse_document(doc)


POSITION = TEXT | st.builds(lambda a, b: f"{a}, {b}", st.floats(-100, 100), st.floats(-200, 200)) \
    | st.builds(lambda z, d: f"34T {z} {d}", TEXT, st.integers(0, 10**10)) \
    | st.sampled_from(["42°54'30\"N 20°40'E", "34TDN 12345 67890", "34T DN 1 2", "N 42.9 E 20.6"])


@FUZZ
@given(text=POSITION)
def test_positions_parse_or_explain(text: str) -> None:
    try:
        lat, lon, unc = position_tuple(text)
    except ValueError as exc:
        assert str(exc)
        return
    assert -90 <= lat <= 90 and -180 <= lon <= 180 and unc >= 0
    assert parse_position(text).lat == lat


@FUZZ
@given(text=TEXT | st.from_regex(r"\d{6}Z[A-Za-z]{3}\d{2}", fullmatch=True))
def test_times_parse_or_explain(text: str) -> None:
    try:
        t = parse_when(text)
    except TimeError as exc:
        assert str(exc)
        return
    assert t.tzinfo is not None and t.utcoffset() == timedelta(0)


@FUZZ
@given(t=st.datetimes(datetime(2000, 1, 1), datetime(2099, 12, 31), timezones=st.just(UTC)))
def test_dtg_round_trips(t: datetime) -> None:
    assert parse_dtg(format_dtg(t)) == t.replace(second=0, microsecond=0)


@FUZZ
@given(description=TEXT, poc=TEXT)
def test_request_text_is_saved_exactly_or_refused(desk: Desk, description: str,
                                                   poc: str) -> None:
    try:
        saved = desk.register(make_request(description=description,
                                           point_of_contact=poc)).record
    except RuleError as exc:
        _problems_are_field_messages(exc.problems)
        return
    again = desk.repo.get(saved.register_no or "")
    assert (again.description, again.point_of_contact) == (description, poc)
