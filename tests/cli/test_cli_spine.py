"""The command line end to end, on real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kfor_desk.cli import main
from kfor_desk.domain.exchange import FORMAT


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kfor_desk", *args], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=120)


def records_of(path: Path) -> dict[str, list[dict]]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {k: doc[k] for k in ("exercise_notifications", "consent_requests")}


def test_version_prints_only_the_version() -> None:
    res = run("--version")
    assert res.returncode == 0 and res.stdout.strip().count(".") == 2 and not res.stderr


def test_demo_export_import_export_round_trip(tmp_path: Path) -> None:
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    assert main(["--db", str(a), "demo", "--records", "30"]) == 0
    assert main(["--db", str(a), "verify"]) == 0
    assert main(["--db", str(a), "export", str(tmp_path / "1.json")]) == 0
    assert main(["--db", str(b), "init"]) == 0
    assert main(["--db", str(b), "import", str(tmp_path / "1.json")]) == 0
    assert main(["--db", str(b), "export", str(tmp_path / "2.json")]) == 0
    first, second = records_of(tmp_path / "1.json"), records_of(tmp_path / "2.json")
    assert first == second
    assert len(first["exercise_notifications"]) + len(first["consent_requests"]) == 30
    statuses = {r["status"] for r in first["consent_requests"]}
    assert len(statuses) >= 3
    # importing the same file again skips every record, never duplicates
    assert main(["--db", str(b), "import", str(tmp_path / "1.json")]) == 0
    assert records_of(tmp_path / "2.json") == first
    assert main(["--db", str(b), "verify"]) == 0


def test_cyrillic_and_diacritics_survive_byte_exactly(tmp_path: Path) -> None:
    name = "Вежба „Јастребац“ — Zvečan, Leposavić, Mitrovicë, Çeku, đ ž ћ џ љ њ"
    doc = {"format": FORMAT, "exported_at": "2026-11-26T17:00:00Z",
           "exercise_notifications": [{
               "register_no": "SAF-2026-0042", "received_at": "2026-11-26T08:15:00Z",
               "name": name, "channel": "letter", "exercise_type": "live_firing",
               "start": "2026-11-28T06:00:00Z", "end": "2026-11-29T16:00:00Z",
               "locations": [{"name": "Рашка", "position": {"lat": 43.2858, "lon": 20.6136}}],
               "status": "received"}],
           "consent_requests": []}
    src = tmp_path / "in.json"
    src.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    db = tmp_path / "d.db"
    assert main(["--db", str(db), "init"]) == 0
    assert main(["--db", str(db), "import", str(src)]) == 0
    assert main(["--db", str(db), "export", str(tmp_path / "out.json")]) == 0
    out = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    rec = out["exercise_notifications"][0]
    assert rec["name"] == name and rec["locations"][0]["name"] == "Рашка"
    assert name.encode() in (tmp_path / "out.json").read_bytes()


def test_invalid_file_changes_nothing_and_names_each_problem(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]
                                                             ) -> None:
    db = tmp_path / "d.db"
    assert main(["--db", str(db), "demo", "--records", "5"]) == 0
    good = {"register_no": None, "received_at": "2026-11-25T09:00:00Z",
            "requesting_unit": "KSF CPR", "purpose": "eod",
            "locations": [{"name": "v", "position": {"lat": 42.91, "lon": 20.69}}],
            "start": "2026-11-30T07:00:00Z", "end": "2026-11-30T15:00:00Z",
            "decision_due": "2026-11-28T12:00:00Z", "status": "received"}
    bad_due = dict(good, decision_due="2026-11-20T12:00:00Z")
    bad_pos = dict(good, locations=[{"name": "v", "position": "34T XX 1"}])
    bad_status = dict(good, status="granted")
    doc = {"format": FORMAT, "consent_requests": [good, bad_due, good, bad_pos, bad_status]}
    src = tmp_path / "bad.json"
    src.write_text(json.dumps(doc), encoding="utf-8")
    assert main(["--db", str(db), "export", str(tmp_path / "before.json")]) == 0
    capsys.readouterr()
    assert main(["--db", str(db), "import", str(src)]) == 1
    err = capsys.readouterr().err
    assert "consent_requests[1].decision_due" in err
    assert "consent_requests[3].locations[0].position" in err
    assert "consent_requests[4].decision" in err
    assert "consent_requests[0]" not in err
    assert main(["--db", str(db), "export", str(tmp_path / "after.json")]) == 0
    assert records_of(tmp_path / "after.json") == records_of(tmp_path / "before.json")
    assert main(["--db", str(db), "verify"]) == 0


def test_user_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    res = run("--db", str(tmp_path / "missing.db"), "export", str(tmp_path / "x.json"))
    assert res.returncode == 1
    assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "missing.db").exists()
    res = run("--db", str(tmp_path / "missing.db"), "frobnicate")
    assert res.returncode == 2
    db = tmp_path / "d.db"
    assert run("--db", str(db), "init").returncode == 0
    res = run("--db", str(db), "init")
    assert res.returncode == 1 and "already exists" in res.stderr
    (tmp_path / "notjson.json").write_text("{nope", encoding="utf-8")
    res = run("--db", str(db), "import", str(tmp_path / "notjson.json"))
    assert res.returncode == 1 and "not valid JSON" in res.stderr and "Traceback" not in res.stderr


def test_database_from_environment(tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    assert run("init", env={"KFOR_DESK_DB": str(db)}).returncode == 0
    assert db.exists()
    res = run("verify", env={"KFOR_DESK_DB": str(db)})
    assert res.returncode == 0 and res.stdout.startswith("ok")
