"""``kfor-desk conflicts [--as-of WHEN] [--json]`` on real database files."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from pyproj import Geod

from kfor_desk.cli import main
from kfor_desk.domain.records import Location
from kfor_desk.services.conflicts import mark_deconflicted
from kfor_desk.services.session import open_desk
from tests.factories import NOW, make_notification, make_request

GEOD = Geod(ellps="WGS84")
SAF_AT = (43.2858, 20.6136)


def near(km: float) -> Location:
    lon, lat, _ = GEOD.fwd(SAF_AT[1], SAF_AT[0], 180.0, km * 1000.0)
    return Location(name="village", lat=lat, lon=lon)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "desk.db"
    assert main(["--db", str(path), "init"]) == 0
    desk = open_desk(str(path), "Capt Test")
    try:
        desk.clock = lambda: NOW
        desk.register(make_notification(
            locations=(Location(name="range", lat=SAF_AT[0], lon=SAF_AT[1]),)))
        desk.register(make_request(start=NOW + timedelta(days=1, hours=6),
                                   end=NOW + timedelta(days=1, hours=14),
                                   locations=(near(3.0),)))
        desk.register(make_request(start=NOW + timedelta(days=1, hours=6),
                                   end=NOW + timedelta(days=1, hours=14),
                                   decision_due=NOW - timedelta(hours=2),
                                   locations=(near(9.0),)))
    finally:
        desk.db.close()
    return path


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, list[dict[str, object]]]:
    capsys.readouterr()
    assert main([*args, "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    doc: dict[str, list[dict[str, object]]] = json.loads(out)
    return doc


def test_json_is_the_interchange_shape(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "--db", str(db), "conflicts", "--as-of", "261700ZNOV26")
    assert set(doc) == {"conflicts", "flags"}
    assert doc["conflicts"] == [
        {"a": "SAF-2026-0001", "b": "KSF-2026-0001", "distance_km": 3.0,
         "overlap_start": "2026-11-27T23:00:00Z", "overlap_end": "2026-11-28T07:00:00Z",
         "status": "open"},
        {"a": "SAF-2026-0001", "b": "KSF-2026-0002", "distance_km": 9.0,
         "overlap_start": "2026-11-27T23:00:00Z", "overlap_end": "2026-11-28T07:00:00Z",
         "status": "open"},
    ]
    flags = {(f["register_no"], f["flag"]) for f in doc["flags"]}
    assert ("KSF-2026-0002", "overdue") in flags and ("KSF-2026-0001", "due_soon") in flags
    assert all(set(f) == {"register_no", "flag", "detail"} and f["detail"] for f in doc["flags"])
    # most severe first
    assert doc["flags"][0]["flag"] != "due_soon"


def test_deconflicted_status_and_as_of(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    desk = open_desk(str(db), "Maj Duty")
    try:
        desk.clock = lambda: NOW
        mark_deconflicted(desk, "SAF-2026-0001", "KSF-2026-0001", "KFOR patrol at the bridge")
    finally:
        desk.db.close()
    doc = run_json(capsys, "--db", str(db), "conflicts", "--as-of", "2026-11-26T17:00Z")
    assert [c["status"] for c in doc["conflicts"]] == ["deconflicted", "open"]
    # after both activities ended: no conflict and no place-based flag, only the open
    # paperwork (a decision still overdue, a notification never acknowledged)
    later = run_json(capsys, "--db", str(db), "conflicts", "--as-of", "011200ZDEC26")
    assert later["conflicts"] == []
    assert {f["flag"] for f in later["flags"]} <= {"overdue", "unacknowledged", "due_soon"}


def test_plain_text(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(db), "conflicts", "--as-of", "261700ZNOV26"]) == 0
    out = capsys.readouterr().out
    assert "Conflicts: 2 open, 0 deconflicted" in out
    assert "SAF-2026-0001 / KSF-2026-0001  3.0 km" in out
    assert "overdue" in out


def test_bad_when_is_a_usage_error(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(db), "conflicts", "--as-of", "yesterday"])
    assert exc.value.code == 2
    assert "DTG" in capsys.readouterr().err


def test_missing_database_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.db"
    assert main(["--db", str(missing), "conflicts"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("kfor-desk: ") and err.count("\n") == 1 and "Traceback" not in err
    assert not missing.exists()
