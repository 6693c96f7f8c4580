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


def test_zoomed_out_the_background_is_drawn_from_a_simplified_copy(view: MapView) -> None:
    view.fit()
    coarse = view.base_level()
    assert coarse > 0  # the whole region: well under half a pixel per simplified point
    assert coarse <= 0.5 / view.transform().m11()
    view.zoom_by(40.0)
    assert view.base_level() == 0.0  # close in: the data as it is
    view.grab()  # both levels drawn without error


def _rgb(image: object, x: int, y: int) -> tuple[int, int, int]:
    from PySide6.QtGui import QImage

    assert isinstance(image, QImage)
    c = image.pixelColor(x, y)
    return c.red(), c.green(), c.blue()


def test_a_radius_is_drawn_where_it_is_and_hidden_while_under_the_symbol(
        qtbot: QtBot) -> None:
    from kfor_desk.ui.map.map_view import C_KSF

    v = MapView()
    qtbot.addWidget(v)
    v.resize(500, 500)
    v.show()
    qtbot.waitExposed(v)
    v.set_records([MapItem("KSF-2026-0009", "KSF", "Radius", 42.93, 20.70, 2000)])
    v.zoom_by(60 / (2000 * v.transform().m11()))  # 2,000 m → 60 pixels
    v.centre_on("KSF-2026-0009")
    centre = viewport_pos(v, "KSF-2026-0009")
    radius_px = 2000 * v.transform().m11()
    assert radius_px == pytest.approx(60, rel=0.01)
    image = v.viewport().grab().toImage()
    # on the outline: the KSF colour; just outside it: the land, untouched
    ksf = (C_KSF.red(), C_KSF.green(), C_KSF.blue())

    def off_ksf(rgb: tuple[int, int, int]) -> int:
        return sum(abs(a - b) for a, b in zip(rgb, ksf, strict=True))

    # the 1 px antialiased outline lies within a pixel of the radius
    edge = min((_rgb(image, round(centre.x() + radius_px) + d, centre.y())
                for d in (-2, -1, 0, 1)), key=off_ksf)
    outside = _rgb(image, round(centre.x() + radius_px + 8), centre.y())
    inside = _rgb(image, round(centre.x() + radius_px - 8), centre.y())
    assert off_ksf(edge) < off_ksf(outside) / 3
    assert inside != outside  # the faint fill inside
    assert inside[2] > inside[0]  # tinted blue
    # zoomed out: a circle no larger than the symbol (7 px) is not drawn, and nothing shows
    # it is missing; one a little larger is drawn around the symbol
    v.fit()

    def pixels_around(radius_px: float) -> list[int]:
        radius_m = radius_px / v.transform().m11()
        v.set_records([MapItem("KSF-2026-0009", "KSF", "Radius", 42.93, 20.70, radius_m)])
        c = viewport_pos(v, "KSF-2026-0009")
        image = v.viewport().grab().toImage()
        return [image.pixel(c.x() + dx, c.y() + dy) for dx in range(-14, 15)
                for dy in range(-14, 15)]

    bare = pixels_around(0)
    assert pixels_around(6.5) == bare  # under the symbol: skipped, invisibly
    assert pixels_around(10) != bare  # beyond it: drawn


def test_legend_gives_way_on_a_small_map_and_l_toggles_it(qtbot: QtBot, view: MapView) -> None:
    """Issue 15 item 10: at 1366×768 the legend covered a third of the map."""
    view.resize(900, 650)
    view.viewport().repaint()
    assert view.legend_shown()
    view.resize(360, 300)  # the map pane at 1366×768
    view.viewport().repaint()
    assert not view.legend_shown()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_L)
    assert view.legend_shown()
    qtbot.keyClick(view, Qt.Key.Key_L)
    assert not view.legend_shown()


def test_a_zoom_step_shows_the_last_background_scaled_then_the_sharp_one(
        qtbot: QtBot, view: MapView) -> None:
    """Issue 17: the background is drawn on a worker after a zoom step; meanwhile the last
    one is shown scaled, then replaced by one that looks as if drawn at once."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter

    view.set_records([])
    qtbot.waitUntil(lambda: not view.background_pending(), timeout=20_000)
    view.zoom_by(1.25)
    view.viewport().repaint()
    assert view.background_pending()  # the GUI thread did not draw it
    preview = view.viewport().grab().toImage()
    qtbot.waitUntil(lambda: not view.background_pending(), timeout=20_000)
    sharp = view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    assert sharp != preview.convertToFormat(QImage.Format.Format_RGB32)
    # the same background drawn at once on the GUI thread, as before the worker
    at_once = QImage(sharp.size(), QImage.Format.Format_RGB32)
    painter = QPainter(at_once)
    painter.setTransform(view.viewportTransform())
    view._base.paint(painter, QRectF(view.mapToScene(view.viewport().rect()).boundingRect()),
                     view.base_level())
    painter.end()
    step = 7
    points = [(x, y) for x in range(0, sharp.width(), step) for y in range(60, sharp.height() - 200,
                                                                           step)]
    differ = sum(1 for x, y in points
                 if sum(abs(a - b) for a, b in zip(_rgb(sharp, x, y), _rgb(at_once, x, y),
                                                    strict=True)) > 60)
    assert differ < 0.03 * len(points)  # places, labels and overlays aside, the same map
