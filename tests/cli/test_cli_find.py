"""``kfor-desk find TEXT [--json]`` on a real demo database: every script and case finds the
same records, the JSON array, and nothing found."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kfor_desk.cli import main
from kfor_desk.domain.text import fold
from kfor_desk.services.demo import create_demo
from tests.factories import NOW


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("find") / "d.db"
    create_demo(str(path), 40, now=NOW).db.close()
    return path


def _json(db: Path, capsys: pytest.CaptureFixture[str], *words: str) -> list[dict[str, str]]:
    assert main(["--db", str(db), "find", *words, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert isinstance(out, list)
    return out


def test_every_script_and_case_finds_the_same_records(
        db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = [_json(db, capsys, w) for w in ("vezba", "Vežba", "вежба", "VEŽBA")]
    assert answers[0] and all(a == answers[0] for a in answers)
    titles = [r["title"] for r in answers[0]]
    assert any("Вежба" in t for t in titles) and any("Vežba" in t for t in titles)
    for r in answers[0]:
        assert set(r) == {"register_no", "kind", "title", "status"}
        assert r["kind"] == r["register_no"][:3]


def test_plain_text_lists_register_number_kind_status_and_name(
        db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    found = _json(db, capsys, "kopaonik")
    assert found
    assert main(["--db", str(db), "find", "Копаоник"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == f"{len(found)} record{'s' if len(found) > 1 else ''} found."
    for r, line in zip(found, lines, strict=False):
        assert line.startswith(f"{r['register_no']}  {r['kind']}  {r['status']}")
        assert line.endswith(r["title"])


def test_several_words_all_match_and_nothing_found_says_so(
        db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    both = _json(db, capsys, "vezba", "kopaonik")
    assert both and all("kopaonik" in fold(r["title"]) for r in both)
    assert main(["--db", str(db), "find", "zzqqxx"]) == 0
    assert capsys.readouterr().out.strip() == "No record matches 'zzqqxx'."
    assert _json(db, capsys, "zzqqxx") == []
