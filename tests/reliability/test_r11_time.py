"""R11: time zone changes, DST edges, naive datetimes, end before start.

Passes when stored UTC is the same whatever the workstation's zone, naive times are rejected
with a field message, and an end before the start gets a clear field error."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kfor_desk.domain.timefmt import TimeError, format_local, parse_iso, parse_when
from kfor_desk.domain.validation import RuleError
from kfor_desk.services.desk import Desk
from kfor_desk.store.types import UTCDateTime
from tests.factories import make_notification, make_request

ROOT = Path(__file__).resolve().parents[2]
# the DST edges of Europe/Belgrade in 2026, and the same instants as DTGs
EDGES = {"290059ZMAR26": "2026-03-29T00:59:00.000000Z", "290100ZMAR26":
         "2026-03-29T01:00:00.000000Z", "250059ZOCT26": "2026-10-25T00:59:00.000000Z",
         "250100ZOCT26": "2026-10-25T01:00:00.000000Z"}

CHILD = """
import json, sys
from datetime import timedelta
from kfor_desk.domain.timefmt import parse_when
from kfor_desk.services.exchange import export_document
from kfor_desk.services.session import create_desk, open_desk
from tests.factories import make_notification
db, mode = sys.argv[1], sys.argv[2]
if mode == "write":
    desk = create_desk(db, "Capt Zone")
    for dtg in EDGES_LIST:
        t = parse_when(dtg)
        desk.clock = lambda t=t: t
        desk.register(make_notification(name=dtg, received_at=t - timedelta(hours=1), start=t,
                                        end=t + timedelta(hours=2)))
else:
    desk = open_desk(db, "Capt Zone", readonly=True)
doc = export_document(desk)
doc.pop("exported_at")
print(json.dumps(doc, sort_keys=True))
""".replace("EDGES_LIST", repr(list(EDGES)))


def _child(db: Path, mode: str, tz: str) -> str:
    env = {**os.environ, "TZ": tz, "PYTHONPATH": str(ROOT)}
    res = subprocess.run([sys.executable, "-c", CHILD, str(db), mode], capture_output=True,
                         text=True, env=env, cwd=ROOT, timeout=120)
    assert res.returncode == 0, res.stderr
    return res.stdout


@pytest.mark.slow
def test_stored_utc_does_not_depend_on_the_workstation_zone(tmp_path: Path) -> None:
    db = tmp_path / "zones.db"
    written = _child(db, "write", "America/New_York")
    con = sqlite3.connect(db)
    stored = dict(con.execute("SELECT name, start FROM notifications").fetchall())
    audit_at = [r[0] for r in con.execute("SELECT at FROM audit")]
    con.close()
    assert stored == EDGES
    assert all(a.endswith("Z") for a in audit_at)
    for tz in ("Pacific/Chatham", "Europe/Belgrade", "UTC"):
        assert _child(db, "read", tz) == written
    doc = json.loads(written)
    assert [n["start"] for n in doc["exercise_notifications"]] == [
        v[:19] + "Z" for v in EDGES.values()]


def test_local_time_beside_the_dtg_follows_dst() -> None:
    assert format_local(parse_when("290059ZMAR26")).endswith("01:59 CET")
    assert format_local(parse_when("290100ZMAR26")).endswith("03:00 CEST")
    assert format_local(parse_when("250059ZOCT26")).endswith("02:59 CEST")
    assert format_local(parse_when("250100ZOCT26")).endswith("02:00 CET")


NAIVE = datetime(2026, 11, 27, 8, 0)


@pytest.mark.parametrize("field", ["start", "end", "received_at"])
def test_naive_datetimes_are_refused_at_their_field(desk: Desk, field: str) -> None:
    with pytest.raises(RuleError) as exc:
        desk.register(make_request(**{field: NAIVE}))
    assert field in {p.field for p in exc.value.problems}
    assert any("time zone" in p.message for p in exc.value.problems)
    assert desk.repo.all_records() == ([], [])


def test_naive_datetime_never_reaches_the_database() -> None:
    with pytest.raises(ValueError, match="naive"):
        UTCDateTime().process_bind_param(NAIVE, None)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["2026-11-27T08:00", "2026-11-27 08:00:00", "27/11/2026 08:00"])
def test_times_without_a_zone_are_refused_in_text(text: str) -> None:
    with pytest.raises(TimeError):
        parse_when(text)


def test_offsets_are_converted_not_dropped() -> None:
    assert parse_iso("2026-03-29T03:00:00+02:00") == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize("delta", [timedelta(0), timedelta(hours=-1)])
def test_end_before_or_at_start_is_a_field_error(desk: Desk, delta: timedelta) -> None:
    n = make_notification()
    with pytest.raises(RuleError) as exc:
        desk.register(make_notification(end=n.start + delta))
    assert [p.field for p in exc.value.problems] == ["end"]
    assert "after the start" in exc.value.problems[0].message
