"""The map widget, driven like a user would: records, clicks, pick mode, zoom, keys."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kfor_desk.domain.geo.mapdata import project, unproject
from kfor_desk.ui.map import MapItem, MapView

pytestmark = pytest.mark.gui

RECORDS = [
    MapItem("SAF-2026-0001", "SAF", "Live firing Raška", 43.262, 20.640, 3000, False),
    MapItem("SAF-2026-0002", "SAF", "Field training <Kopaonik>", 43.28, 20.82, 0, True),
    MapItem("KSF-2026-0001", "KSF", "Civil protection drill", 42.93, 20.70, 1500),
]


@pytest.fixture
def view(qtbot: QtBot) -> MapView:
    v = MapView()
    qtbot.addWidget(v)
    v.resize(900, 700)
    v.show()
    qtbot.waitExposed(v)
    v.set_records(RECORDS)
    return v


def viewport_pos(view: MapView, register_no: str) -> QPoint:
    item = view.record_items()[register_no]
    return view.mapFromScene(item.scenePos())


def test_records_appear_as_items(view: MapView) -> None:
    items = view.record_items()
    assert set(items) == {r.register_no for r in RECORDS}
    for r in RECORDS:
        x, y = project(r.lat, r.lon)
        pos = items[r.register_no].scenePos()
        assert pos.x() == pytest.approx(x) and pos.y() == pytest.approx(-y)
    tip = items["SAF-2026-0002"].toolTip()
    assert "SAF-2026-0002" in tip and "&lt;Kopaonik&gt;" in tip
    view.set_records(RECORDS[:1])
    assert set(view.record_items()) == {"SAF-2026-0001"}
    view.set_records([])
    assert view.record_items() == {}


def test_click_selects_record(qtbot: QtBot, view: MapView) -> None:
    view.centre_on("KSF-2026-0001")
    pos = viewport_pos(view, "KSF-2026-0001")
    with qtbot.waitSignal(view.recordSelected, timeout=1000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args == ["KSF-2026-0001"]


def test_click_on_empty_map_selects_nothing(qtbot: QtBot, view: MapView) -> None:
    view.centre_on("KSF-2026-0001")
    pos = viewport_pos(view, "KSF-2026-0001") + QPoint(60, 60)
    with qtbot.assertNotEmitted(view.recordSelected):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def test_pick_mode_emits_clicked_position(qtbot: QtBot, view: MapView) -> None:
    view.start_pick()
    assert view.picking
    pos = QPoint(420, 310)
    scene = view.mapToScene(pos)
    want_lat, want_lon = unproject(scene.x(), -scene.y())
    with qtbot.waitSignal(view.positionPicked, timeout=1000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    lat, lon = blocker.args
    assert lat == pytest.approx(want_lat, abs=1e-6) and lon == pytest.approx(want_lon, abs=1e-6)
    assert not view.picking


def test_pick_mode_escape_cancels(qtbot: QtBot, view: MapView) -> None:
    view.start_pick()
    with qtbot.waitSignal(view.pickCancelled, timeout=1000):
        qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not view.picking


def _wheel(view: MapView, pos: QPoint, delta: int) -> None:
    event = QWheelEvent(
        QPointF(pos), QPointF(view.viewport().mapToGlobal(pos)), QPoint(0, 0),
        QPoint(0, delta), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase, False,
    )
    QApplication.sendEvent(view.viewport(), event)


@pytest.mark.parametrize("delta", [120, 360, -120])
def test_wheel_zoom_keeps_point_under_cursor(view: MapView, delta: int) -> None:
    pos = QPoint(250, 200)
    before = view.mapToScene(pos)
    scale = view.scale_m_per_px()
    _wheel(view, pos, delta)
    assert view.scale_m_per_px() != pytest.approx(scale)
    assert (view.scale_m_per_px() < scale) == (delta > 0)
    after = view.mapToScene(pos)
    tolerance = 2 * max(scale, view.scale_m_per_px())  # within two pixels
    assert abs(after.x() - before.x()) < tolerance
    assert abs(after.y() - before.y()) < tolerance


def test_keys_zoom_and_fit(qtbot: QtBot, view: MapView) -> None:
    fitted = view.scale_m_per_px()
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.scale_m_per_px() < fitted
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.scale_m_per_px() > fitted
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.scale_m_per_px() == pytest.approx(fitted)


def test_drag_pans(qtbot: QtBot, view: MapView) -> None:
    start, end = QPoint(400, 300), QPoint(500, 340)
    before = view.mapToScene(start)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    for i in range(1, 6):
        qtbot.mouseMove(view.viewport(), start + (end - start) * (i / 5))
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=end)
    after = view.mapToScene(end)
    assert abs(after.x() - before.x()) < 3 * view.scale_m_per_px()
    assert abs(after.y() - before.y()) < 3 * view.scale_m_per_px()


def test_cursor_readout_in_mgrs_and_latlon(qtbot: QtBot, view: MapView) -> None:
    with qtbot.waitSignal(view.cursorMoved, timeout=1000) as blocker:
        qtbot.mouseMove(view.viewport(), QPoint(300, 300))
    text = blocker.args[0]
    assert text.startswith("34T ") and "°N" in text and "°E" in text
    assert view.cursor_text() == text


def test_centre_on_record(view: MapView) -> None:
    assert view.centre_on("SAF-2026-0001")
    centre = view.mapToScene(view.viewport().rect().center())
    item = view.record_items()["SAF-2026-0001"]
    assert abs(centre.x() - item.scenePos().x()) < 2 * view.scale_m_per_px()
    assert not view.centre_on("SAF-2099-9999")


def test_renders_with_attribution(view: MapView) -> None:
    image = view.grab().toImage()
    assert not image.isNull() and image.width() == view.width()
    assert "© OpenStreetMap contributors (ODbL)" in view._layers.attribution
