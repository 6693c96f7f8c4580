"""The register models on real data from a real temporary database: qtmodeltester, sorting,
filters, and search folding case and diacritics (Latin and Cyrillic)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kfor_desk.domain.enums import Band, TimePhase
from kfor_desk.domain.records import ConsentRequest, ExerciseNotification
from kfor_desk.domain.text import fold
from kfor_desk.services.demo import create_demo
from kfor_desk.services.desk import Desk
from kfor_desk.ui.models import (
    PILL_ROLE,
    RECORD_ROLE,
    NotificationModel,
    RegisterFilter,
    RequestModel,
    RowAttention,
)
from tests.factories import NOW

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    path: Path = tmp_path_factory.mktemp("demo") / "d.db"
    desk = create_demo(str(path), 40, now=NOW)
    desk.clock = lambda: NOW
    yield desk
    desk.db.close()


@pytest.fixture
def records(demo: Desk) -> tuple[list[ExerciseNotification], list[ConsentRequest]]:
    return demo.repo.all_records()


def _model_n(qtbot: QtBot, notes: list[ExerciseNotification]) -> NotificationModel:
    m = NotificationModel(now=NOW)
    m.set_records(notes, NOW, {notes[0].register_no or "": RowAttention("⚠1", (
        (0, "SAF within 1 km of the ABL", "near"),))})
    return m


def _model_r(requests: list[ConsentRequest]) -> RequestModel:
    m = RequestModel(now=NOW)
    m.set_records(requests, NOW)
    return m


def test_models_pass_the_model_tester(qtmodeltester, qtbot: QtBot, records) -> None:  # type: ignore[no-untyped-def]
    notes, reqs = records
    n = _model_n(qtbot, notes)
    qtmodeltester.check(n)
    r = _model_r(reqs)
    qtmodeltester.check(r)
    r.sort(r.column_index("due"), Qt.SortOrder.DescendingOrder)
    r.set_filter(RegisterFilter(text="zvecan"))
    qtmodeltester.check(r)
    empty = NotificationModel(now=NOW)
    qtmodeltester.check(empty)


def test_every_record_is_shown_with_its_columns(qtbot: QtBot, records) -> None:  # type: ignore[no-untyped-def]
    notes, reqs = records
    n = _model_n(qtbot, notes)
    assert n.rowCount() == len(notes) and n.total_count() == len(notes)
    first = n.record_at(0)
    assert isinstance(first, ExerciseNotification)
    texts = [n.index(0, c).data() for c in range(n.columnCount())]
    assert first.register_no in texts
    assert n.index(0, n.column_index("status")).data(PILL_ROLE) is not None
    assert n.index(0, 0).data(RECORD_ROLE) is first
    r = _model_r(reqs)
    due = r.index(0, r.column_index("due")).data()
    assert "Z" in due


@pytest.mark.parametrize("key", ["regno", "received", "title", "location", "period", "status",
                                 "due", "attention"])
def test_sorting_by_each_column(key: str, records) -> None:  # type: ignore[no-untyped-def]
    _notes, reqs = records
    m = _model_r(reqs)
    col = m.column_index(key)
    m.sort(col, Qt.SortOrder.AscendingOrder)
    from kfor_desk.ui.models import SORT_ROLE

    asc = [m.index(i, col).data(SORT_ROLE) for i in range(m.rowCount())]
    assert asc == sorted(asc)
    m.sort(col, Qt.SortOrder.DescendingOrder)
    desc = [m.index(i, col).data(SORT_ROLE) for i in range(m.rowCount())]
    assert desc == sorted(desc, reverse=True)


def test_received_sort_puts_newest_first(records) -> None:  # type: ignore[no-untyped-def]
    notes, _ = records
    m = NotificationModel(now=NOW)
    m.set_records(notes, NOW)
    m.sort(m.column_index("received"), Qt.SortOrder.DescendingOrder)
    got = [m.record_at(i).received_at for i in range(m.rowCount())]  # type: ignore[union-attr]
    assert got == sorted((x.received_at for x in notes), reverse=True)


def test_search_folds_case_and_diacritics(records) -> None:  # type: ignore[no-untyped-def]
    _notes, reqs = records
    m = _model_r(reqs)
    expected = {r.register_no for r in reqs if "zvecan" in fold(
        " ".join([*(mm.value for mm in r.municipalities), *(lo.name for lo in r.locations),
                  r.description]))}
    assert expected, "the demo data has records in Zvečan"
    m.set_filter(RegisterFilter(text="zvecan"))
    found = {m.record_at(i).register_no for i in range(m.rowCount())}  # type: ignore[union-attr]
    assert expected <= found
    m.set_filter(RegisterFilter(text="ZVEČAN"))
    assert {m.record_at(i).register_no for i in range(m.rowCount())} == found  # type: ignore[union-attr]


def test_search_finds_cyrillic_and_latin_from_either_script(records) -> None:  # type: ignore[no-untyped-def]
    # changed with issue 15: the search folds Serbian Cyrillic to Latin, so "вежба" also
    # finds the Latin "Vežba" records (and "vezba" the Cyrillic ones)
    notes, _ = records
    cyr = [n for n in notes if any("\u0400" <= ch <= "\u04ff" for ch in n.name)]
    lat = [n for n in notes if "vežba" in n.name.casefold()]
    assert cyr and lat, "the demo data has Cyrillic and Latin exercise names"
    m = NotificationModel(now=NOW)
    m.set_records(notes, NOW)
    answers = []
    for text in ("вежба", "vezba", "Vežba", "VEŽBA"):
        m.set_filter(RegisterFilter(text=text))
        answers.append({m.record_at(i).register_no for i in range(m.rowCount())})  # type: ignore[union-attr]
    found = answers[0]
    assert all(a == found for a in answers)
    assert {n.register_no for n in cyr if "вежба" in n.name.casefold()} <= found
    assert {n.register_no for n in lat} <= found
    assert found and all("vezba" in fold(m.record_at(i).name)  # type: ignore[union-attr]
                         or "vezba" in fold(m.record_at(i).notes)  # type: ignore[union-attr]
                         for i in range(m.rowCount()))


def test_typing_on_narrows_and_deleting_widens(records) -> None:  # type: ignore[no-untyped-def]
    _notes, reqs = records
    m = _model_r(reqs)
    sizes = []
    for text in ("z", "zu", "zub", "zu", ""):
        m.set_filter(RegisterFilter(text=text))
        sizes.append(m.rowCount())
    assert sizes[0] >= sizes[1] >= sizes[2]
    assert sizes[3] == sizes[1] and sizes[4] == len(reqs)


def test_status_phase_and_band_filters(records) -> None:  # type: ignore[no-untyped-def]
    notes, _ = records
    m = NotificationModel(now=NOW)
    m.set_records(notes, NOW)
    m.set_filter(RegisterFilter(statuses=frozenset({"received"})))
    assert m.rowCount() == sum(1 for n in notes if n.status.value == "received")
    m.set_filter(RegisterFilter(phase=TimePhase.UPCOMING))
    assert m.rowCount() == sum(1 for n in notes if n.start > NOW)
    m.set_filter(RegisterFilter(phase=TimePhase.ACTIVE))
    assert m.rowCount() == sum(1 for n in notes if n.start <= NOW <= n.end)
    m.set_filter(RegisterFilter(bands=frozenset({Band.NOTIFY})))
    for i in range(m.rowCount()):
        rec = m.record_at(i)
        assert rec is not None
        assert min(lo.abl.distance_km for lo in rec.locations if lo.abl) <= 1.0
    # the clock moves: the active filter follows
    m.set_filter(RegisterFilter(phase=TimePhase.COMPLETED))
    before = m.rowCount()
    m.set_now(NOW + timedelta(days=60))
    assert m.rowCount() >= before


def test_overdue_countdown_is_red(records) -> None:  # type: ignore[no-untyped-def]
    _, reqs = records
    m = _model_r(reqs)
    col = m.column_index("due")
    overdue = [i for i in range(m.rowCount()) if m.record_at(i).is_overdue(NOW)]  # type: ignore[union-attr]
    assert overdue
    idx = m.index(overdue[0], col)
    assert "overdue" in idx.data()
    assert idx.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#b3261e"


def test_sort_order_is_stable_both_ways_for_numbers_and_text() -> None:
    """The numeric path (numpy, from 1,000 rows) orders exactly as ``sorted`` does, equal
    keys keeping their row order ascending and descending; text keys too."""
    import random

    from kfor_desk.ui.models.rows import sort_order

    rnd = random.Random(17)
    numbers = [rnd.choice([1, 2.5, 3, float("inf"), 2026000042]) for _ in range(5000)]
    words = [rnd.choice(["b", "a", "c"]) for _ in range(5000)]
    for keys in (numbers, words, numbers[:50]):
        for desc in (False, True):
            want = sorted(range(len(keys)), key=keys.__getitem__, reverse=desc)
            assert sort_order(keys, desc) == want


def test_many_rows_sort_each_column_and_keep_the_selection(qtbot: QtBot, records) -> None:  # type: ignore[no-untyped-def]
    """3,000 rows (the numeric path): every column sorts both ways through the table's header,
    and the selected record stays selected wherever it moves."""
    from dataclasses import replace

    from kfor_desk.domain.records import format_register_no
    from kfor_desk.ui.models import SORT_ROLE
    from kfor_desk.ui.window.tables import RegisterTable

    _notes, reqs = records
    many = [replace(reqs[i % len(reqs)], register_no=format_register_no(
        reqs[0].kind, 2026, i + 1)) for i in range(3000)]
    m = RequestModel(now=NOW)
    m.set_records(many, NOW)
    table = RegisterTable(m)
    qtbot.addWidget(table)
    table.selectRow(5)
    chosen = table.currentIndex().data(RECORD_ROLE).register_no
    for col in range(m.columnCount()):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            table.sortByColumn(col, order)
            keys = [m.index(i, col).data(SORT_ROLE) for i in range(m.rowCount())]
            assert keys == sorted(keys, reverse=order is Qt.SortOrder.DescendingOrder)
            assert table.currentIndex().data(RECORD_ROLE).register_no == chosen
            selected = table.selectionModel().selectedRows()
            assert [i.data(RECORD_ROLE).register_no for i in selected] == [chosen]
