"""R13: hostile import files (issue 13): each is refused with a sentence at its place, never a
traceback, and the database is left exactly as it was. The same rules hold for a record typed
in the window (the domain's validation is shared)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from kfor_desk.cli import main
from kfor_desk.domain.exchange import notification_to_dict, request_to_dict
from kfor_desk.domain.validation import RuleError
from kfor_desk.services.desk import Operator
from kfor_desk.services.session import open_desk
from tests.factories import make_notification, make_request


def _doc(**changes: Any) -> dict[str, Any]:
    n = notification_to_dict(make_notification(name="Vežba"))
    r = request_to_dict(make_request())
    n.pop("register_no")
    r.pop("register_no")
    for key, value in changes.items():
        target = r if key.startswith("r_") else n
        target[key.removeprefix("r_").removeprefix("n_")] = value
    return {"format": "kfor-desk/1", "exercise_notifications": [n], "consent_requests": [r]}


def _import(db: Path, tmp_path: Path, text: str,
            capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    f = tmp_path / "hostile.json"
    f.write_text(text, encoding="utf-8")
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    code = main(["--db", str(db), "import", str(f)])
    err = capsys.readouterr().err
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before  # nothing changed
    assert "Traceback" not in err
    return code, err


CASES = {
    "year 1": (json.dumps(_doc(n_start="0001-01-01T00:00:00Z")),
               "exercise_notifications[0].start", "year 1"),
    "year 9999": (json.dumps(_doc(r_decision_due="9999-12-31T23:00:00Z")),
                  "consent_requests[0].decision_due", "year 9999"),
    "year 1 with an offset": (json.dumps(_doc(n_end="0001-01-01T00:30:00+01:00")),
                              "exercise_notifications[0].end", "outside the years"),
    "right-to-left override": (json.dumps(_doc(r_ksf_ref="JIC-\u202egpj.exe")),
                               "consent_requests[0].ksf_ref", "U+202E"),
    "zero-width space": (json.dumps(_doc(n_sender_ref="VS\u200b-123")),
                         "exercise_notifications[0].sender_ref", "U+200B"),
    "north pole": (json.dumps(_doc(n_locations=[{"name": "Pole",
                                                 "position": {"lat": 89.9, "lon": 0.0}}])),
                   "exercise_notifications[0].locations[0].position", "off the map"),
}


@pytest.mark.parametrize("case", CASES)
def test_hostile_values_are_refused_at_their_place(fresh_db: Path, tmp_path: Path, case: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    text, place, words = CASES[case]
    code, err = _import(fresh_db, tmp_path, text, capsys)
    assert code == 1 and "nothing imported" in err
    line = next((x for x in err.splitlines() if place in x), "")
    assert words in line, err


def test_deeply_nested_arrays_are_refused_without_a_traceback(
        fresh_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _import(fresh_db, tmp_path, "[" * 100_000 + "]" * 100_000, capsys)
    assert code == 1 and "too deeply" in err and "nothing was imported" in err


def test_a_duplicate_key_is_refused_by_name(fresh_db: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    text = json.dumps(_doc(), ensure_ascii=False).replace('"name": "Vežba"',
                                      '"name": "Vežba", "name": "Something else"', 1)
    assert text.count('"name": "Vežba"') == 1 and "Something else" in text
    code, err = _import(fresh_db, tmp_path, text, capsys)
    assert code == 1 and '"name" appears twice' in err


@pytest.mark.parametrize("record", [
    make_request(start=make_request().start.replace(year=1)),
    make_notification(sender_ref="A\u202eB"),
    make_notification(name="Ve\u200dzba"),
], ids=["year 1", "override", "zero-width joiner"])
def test_the_window_refuses_the_same(fresh_db: Path, record: Any) -> None:
    desk = open_desk(str(fresh_db), Operator("Test", "Capt"))
    try:
        with pytest.raises(RuleError) as err:
            desk.register(record)
        assert err.value.problems
    finally:
        desk.close()
