"""The timeline widget, driven like a user would: lanes, clicks, drag, zoom, keys, conflicts."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QColor, QImage, QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kfor_desk.domain.records import Location
from kfor_desk.domain.timefmt import parse_dtg
from kfor_desk.services.conflicts import conflict_report
from kfor_desk.services.desk import Desk
from kfor_desk.ui.timeline import (
    C_CONFLICT,
    C_NOW,
    TimelineConflict,
    TimelineItem,
    TimelineView,
    items_from_records,
    timeline_period,
)
from kfor_desk.ui.timeline.items import AXIS_H, LABEL_W
from tests.factories import NOW, make_notification, make_request

pytestmark = pytest.mark.gui

H = timedelta(hours=1)
ITEMS = [
    TimelineItem("SAF-2026-0001", "SAF", "Vežba „Ibar“ 26", NOW + 24 * H, NOW + 48 * H,
                 "acknowledged"),
    TimelineItem("SAF-2026-0002", "SAF", "Field training <Kopaonik>", NOW - 12 * H,
                 NOW + 3 * H, "cancelled"),
    TimelineItem("KSF-2026-0001", "KSF", "Route clearance Jarinje", NOW + 30 * H,
                 NOW + 38 * H, "received", highlighted=True),
    TimelineItem("KSF-2026-0002", "KSF", "Much later", NOW + 20 * 24 * H, NOW + 21 * 24 * H),
]
CONFLICT = TimelineConflict("SAF-2026-0001", "KSF-2026-0001", NOW + 30 * H, NOW + 38 * H)


@pytest.fixture
def view(qtbot: QtBot) -> TimelineView:
    v = TimelineView(clock=lambda: NOW)
    qtbot.addWidget(v)
    v.resize(1000, 420)
    v.show()
    qtbot.waitExposed(v)
    v.set_items(ITEMS, [CONFLICT])
    return v


def centre(view: TimelineView, regno: str) -> QPoint:
    rect = view.bar_rect(regno)
    assert rect is not None
    return rect.center().toPoint()


def grab(view: TimelineView) -> QImage:
    return view.viewport().grab().toImage()


def count_near(image: QImage, rect: QRect, colour: QColor, tol: int = 40) -> int:
    n = 0
    for x in range(max(rect.left(), 0), min(rect.right(), image.width() - 1) + 1):
        for y in range(max(rect.top(), 0), min(rect.bottom(), image.height() - 1) + 1):
            c = image.pixelColor(x, y)
            if (abs(c.red() - colour.red()) + abs(c.green() - colour.green())
                    + abs(c.blue() - colour.blue())) <= tol:
                n += 1
    return n


def test_default_period_and_lanes(view: TimelineView) -> None:
    start, end = view.period()
    assert (start, end) == timeline_period(NOW)
    assert start == NOW.replace(hour=0) - 24 * H and end - start == 7 * 24 * H
    # SAF above KSF, by start; the one outside the seven days gets no lane
    assert view.lanes() == ["SAF-2026-0002", "SAF-2026-0001", "KSF-2026-0001"]
    assert view.bar_rect("KSF-2026-0002") is None
    s0, s1 = view.visible_span()
    assert abs((s0 - start).total_seconds()) < 120 and abs((s1 - end).total_seconds()) < 120
    for item in ITEMS[:3]:
        rect = view.bar_rect(item.register_no)
        assert rect is not None
        assert rect.left() == pytest.approx(view.x_of(item.start))
        assert rect.right() == pytest.approx(view.x_of(item.end))
    view.set_items(ITEMS[:1])
    assert view.lanes() == ["SAF-2026-0001"]
    view.set_items([])
    assert view.lanes() == []


def test_axis_has_day_and_six_hour_ticks_in_utc(view: TimelineView) -> None:
    ticks = view.ticks()
    days = [t for t, major in ticks if major]
    assert days and all(t.hour == 0 and t.minute == 0 for t in days)
    steps = {b[0] - a[0] for a, b in pairwise(ticks)}
    assert steps == {6 * H}
    x = 600
    tip = view.tooltip_at(QPoint(x, 20))  # on the axis: the time there, UTC and local
    dtg, local = tip.split(" ", 1)
    assert abs((parse_dtg(dtg) - view.time_at(x)).total_seconds()) <= 30
    assert local.startswith("(") and local.endswith("CET)")


def test_click_selects_record(qtbot: QtBot, view: TimelineView) -> None:
    with qtbot.waitSignal(view.recordSelected, timeout=1000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         pos=centre(view, "KSF-2026-0001"))
    assert blocker.args == ["KSF-2026-0001"]
    assert view.selected() == "KSF-2026-0001"
    label = view.label_rect("SAF-2026-0002")
    assert label is not None
    with qtbot.waitSignal(view.recordSelected, timeout=1000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=label.center())
    assert blocker.args == ["SAF-2026-0002"]


def test_click_on_empty_time_selects_nothing(qtbot: QtBot, view: TimelineView) -> None:
    rect = view.bar_rect("KSF-2026-0001")
    assert rect is not None
    empty = QPoint(int(rect.right()) + 80, int(rect.center().y()))
    with qtbot.assertNotEmitted(view.recordSelected):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=empty)


def test_drag_pans_without_selecting(qtbot: QtBot, view: TimelineView) -> None:
    before = view.time_at(500)
    start = centre(view, "SAF-2026-0001")
    with qtbot.assertNotEmitted(view.recordSelected):
        qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
        qtbot.mouseMove(view.viewport(), start + QPoint(-60, 0))
        qtbot.mouseMove(view.viewport(), start + QPoint(-120, 0))
        qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton,
                           pos=start + QPoint(-120, 0))
    moved = (view.time_at(500) - before).total_seconds()
    px = 3600 / (view.x_of(NOW + H) - view.x_of(NOW))
    assert moved == pytest.approx(120 * px, rel=0.02)


def wheel(view: TimelineView, pos: QPoint, steps: int) -> None:
    event = QWheelEvent(QPointF(pos), QPointF(view.viewport().mapToGlobal(pos)), QPoint(0, 0),
                        QPoint(0, 120 * steps), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), event)


def test_wheel_zoom_keeps_the_time_under_the_cursor(view: TimelineView) -> None:
    pos = QPoint(640, 200)
    under = view.time_at(pos.x())
    width = view.visible_span()[1] - view.visible_span()[0]
    wheel(view, pos, 2)
    assert abs((view.time_at(pos.x()) - under).total_seconds()) < 1
    zoomed = view.visible_span()[1] - view.visible_span()[0]
    assert zoomed < width * 0.7
    wheel(view, pos, -4)
    assert abs((view.time_at(pos.x()) - under).total_seconds()) < 1
    assert view.visible_span()[1] - view.visible_span()[0] > width


def test_keys_zoom_pan_and_home(qtbot: QtBot, view: TimelineView) -> None:
    span = view.visible_span()
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.visible_span()[1] - view.visible_span()[0] < span[1] - span[0]
    left = view.visible_span()[0]
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.visible_span()[0] > left
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert all(abs((a - b).total_seconds()) < 120
               for a, b in zip(view.visible_span(), span, strict=True))


def test_now_line_is_drawn(view: TimelineView) -> None:
    assert view.now() == NOW
    x = round(view.x_of(NOW))
    assert 250 < x < view.viewport().width()
    image = grab(view)
    column = QRect(x - 1, 60, 3, view.viewport().height() - 70)
    assert count_near(image, column, C_NOW) > 0.5 * column.height()
    # no red line away from now
    away = QRect(x + 40, 60, 3, 40)
    assert count_near(image, away, C_NOW, tol=30) == 0


@pytest.mark.parametrize("zoom", [1.0, 0.35, 3.0])
def test_the_now_flag_never_covers_a_tick_label(qtbot: QtBot, zoom: float) -> None:
    """The NOW flag sits on the hour labels' row: a label it would touch is left out, wherever
    now falls (on a labelled hour, at midnight under a day label, at the edges)."""
    now = [NOW]
    v = TimelineView(clock=lambda: now[0])
    qtbot.addWidget(v)
    v.resize(1366 - 340, 420)  # the register's width at 1366 px
    v.show()
    qtbot.waitExposed(v)
    v.set_items(ITEMS, [CONFLICT])
    v.zoom_by(zoom)
    start, end = v.visible_span()
    labels_seen = 0
    steps = 0
    when = start.replace(minute=0, second=0, microsecond=0)
    while when < end and steps < 400:
        steps += 1
        for offset in (0, 7, 25, 41):  # on a tick, and just beside one
            now[0] = when + timedelta(minutes=offset)
            v.refresh_now()
            box = v.now_box()
            assert box is not None
            assert box.top() >= 0 and box.bottom() <= AXIS_H  # inside the axis
            labels = v.axis_labels(v.ticks())
            labels_seen += len(labels)
            for rect, text, _kind in labels:
                assert not rect.intersects(box), (now[0], text, rect, box)
        when += max(H, (end - start) / 60)
    assert labels_seen > 4 * steps  # the other labels stay: only the covered ones go
    # and as painted: no label sticks out beside the flag (half hidden under it)
    muted = QColor(v._c.muted)
    middle = (start + (end - start) / 2).replace(minute=0, second=0, microsecond=0)
    for minutes in range(0, 12 * 60, 20):
        now[0] = middle + timedelta(minutes=minutes)
        v.refresh_now()
        box = v.now_box()
        assert box is not None
        image = grab(v)
        rows = (round(box.top()) + 1, AXIS_H - 10)  # above the tick marks
        for x0 in (round(box.left()) - 4, round(box.right()) + 1):
            beside = QRect(x0, rows[0], 3, rows[1] - rows[0])
            assert count_near(image, beside, muted, tol=24) == 0, (now[0], x0)


def test_conflicts_are_highlighted(view: TimelineView) -> None:
    assert view.conflicted() == {"SAF-2026-0001": True, "KSF-2026-0001": True}
    image = grab(view)
    for regno in ("SAF-2026-0001", "KSF-2026-0001"):
        rect = view.bar_rect(regno)
        assert rect is not None
        seg = QRect(int(view.x_of(CONFLICT.start)), int(rect.top()) - 3,
                    int(view.x_of(CONFLICT.end) - view.x_of(CONFLICT.start)),
                    int(rect.height()) + 6)
        assert count_near(image, seg, C_CONFLICT) > 20
    plain = view.bar_rect("SAF-2026-0002")
    assert plain is not None
    assert count_near(image, plain.toRect().adjusted(-2, -2, 2, 2), C_CONFLICT) == 0
    # once deconflicted, no longer drawn as open
    view.set_items(ITEMS, [TimelineConflict(CONFLICT.a, CONFLICT.b, CONFLICT.start,
                                            CONFLICT.end, open=False)])
    assert view.conflicted() == {"SAF-2026-0001": False, "KSF-2026-0001": False}
    image = grab(view)
    rect = view.bar_rect("KSF-2026-0001")
    assert rect is not None
    assert count_near(image, rect.toRect().adjusted(-3, -3, 3, 3), C_CONFLICT) == 0


def test_select_and_focus_pair(qtbot: QtBot, view: TimelineView) -> None:
    with qtbot.assertNotEmitted(view.recordSelected):
        view.select("SAF-2026-0002")
    assert view.selected() == "SAF-2026-0002"
    view.select("NOPE-1")
    assert view.selected() is None
    view.zoom_by(0.2)
    view.focus_pair("SAF-2026-0001", "KSF-2026-0001")
    assert view.focused_pair() == ("SAF-2026-0001", "KSF-2026-0001")
    assert view.lanes()[:2] == ["SAF-2026-0001", "KSF-2026-0001"]
    s0, s1 = view.visible_span()
    assert s0 < CONFLICT.start and CONFLICT.end < s1
    assert (s1 - s0) < 3 * 24 * H
    height = view.viewport().height()
    for regno in ("SAF-2026-0001", "KSF-2026-0001"):
        rect = view.bar_rect(regno)
        assert rect is not None and 0 < rect.top() < height
    view.clear_focus()
    assert view.lanes() == ["SAF-2026-0002", "SAF-2026-0001", "KSF-2026-0001"]
    # a record outside the period gets a lane when focused
    view.focus_pair("SAF-2026-0001", "KSF-2026-0002")
    assert "KSF-2026-0002" in view.lanes()


def test_tooltip_gives_local_time(view: TimelineView) -> None:
    tip = view.tooltip_at(centre(view, "SAF-2026-0002"))
    assert "SAF-2026-0002" in tip and "&lt;Kopaonik&gt;" in tip and "cancelled" in tip
    assert "CET" in tip and "ZNOV26" in tip
    tip = view.tooltip_at(centre(view, "KSF-2026-0001"))
    assert "conflicts with SAF-2026-0001" in tip


def test_from_a_real_report(qtbot: QtBot, desk: Desk) -> None:
    saf = desk.register(make_notification()).record
    ksf = desk.register(make_request(start=NOW + 30 * H, end=NOW + 34 * H, locations=(
        Location(name="track near Jarinje", lat=43.25, lon=20.62),))).record
    notes, reqs = desk.repo.all_records()
    report = conflict_report(desk)
    v = TimelineView(clock=desk.clock)
    qtbot.addWidget(v)
    v.resize(900, 300)
    v.set_items(items_from_records([*notes, *reqs]), report.conflicts)
    assert v.lanes() == [saf.register_no, ksf.register_no]
    assert v.conflicted() == {saf.register_no: True, ksf.register_no: True}


def test_the_default_period_follows_the_clock_until_the_operator_moves(qtbot: QtBot) -> None:
    """A duty desk runs for days, and the window paints before the desk (and its clock) is
    there: the default seven days move with the clock at each refresh and each minute, so the
    records of the week are laid out; a zoom or pan stays where the operator put it, until
    Home."""
    now = [NOW]
    v = TimelineView(clock=lambda: now[0])
    qtbot.addWidget(v)
    v.resize(1000, 420)
    v.show()
    qtbot.waitExposed(v)
    later = TimelineItem("KSF-2026-0099", "KSF", "Next week", NOW + 9 * 24 * H,
                         NOW + 9 * 24 * H + 6 * H)
    v.set_items([*ITEMS, later])
    assert "KSF-2026-0099" not in v.lanes()  # beyond the seven days
    now[0] = NOW + 8 * 24 * H  # a week on (or the desk's clock handed in at open)
    v.set_items([*ITEMS, later])
    assert v.period() == timeline_period(now[0]) and v.now() == now[0]
    assert "KSF-2026-0099" in v.lanes()
    start, end = v.visible_span()
    assert start <= now[0] <= end  # the view moved with it
    bar = v.bar_rect("KSF-2026-0099")
    assert bar is not None and LABEL_W < bar.center().x() < v.viewport().width()
    # the minute tick moves it on a new day too
    now[0] += 24 * H
    v.refresh_now()
    assert v.period() == timeline_period(now[0])
    # the operator zooms: the period and view stay when the day changes
    v.zoom_by(2.0)
    span = v.visible_span()
    period = v.period()
    now[0] += 24 * H
    v.refresh_now()
    v.set_items([*ITEMS, later])
    assert v.visible_span() == span and v.period() == period
    v.setFocus()
    qtbot.keyClick(v, Qt.Key.Key_Home)  # back to now, and following again
    assert v.period() == timeline_period(now[0])
    now[0] += 24 * H
    v.refresh_now()
    assert v.period() == timeline_period(now[0])


def test_a_paint_draws_only_the_conflicts_in_view(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 17: a desk of 10,000 records has tens of thousands of conflicts (100,000 records:
    millions); a paint drew every one of them (clipped, the dashed connectors stroked whole),
    8-11 s at 10,000 records for each paint of the tab, zoom or scroll. Now only the conflicts
    of the lanes in view whose window is in the visible span are drawn."""
    from kfor_desk.ui.timeline import canvas

    lines: list[object] = []

    class Counting(canvas.QPainter):  # type: ignore[misc,valid-type]
        def drawLine(self, *args: object) -> None:
            lines.append(args)
            super().drawLine(*args)

    n = 600
    saf = [TimelineItem(f"SAF-2026-{i:04d}", "SAF", f"Exercise {i}", NOW + 24 * H,
                        NOW + 48 * H, "received") for i in range(n)]
    ksf = [TimelineItem(f"KSF-2026-{i:04d}", "KSF", f"Patrol {i}", NOW + 30 * H,
                        NOW + 38 * H, "received") for i in range(n)]
    pairs = [TimelineConflict(a.register_no, b.register_no, NOW + 30 * H, NOW + 38 * H)
             for a, b in zip(saf, ksf, strict=True)]
    v = TimelineView(clock=lambda: NOW)
    qtbot.addWidget(v)
    v.resize(1000, 420)
    v.show()
    qtbot.waitExposed(v)
    v.set_items([*saf, *ksf], pairs)
    monkeypatch.setattr(canvas, "QPainter", Counting)
    image = grab(v)
    in_view = [lane for lane in v.visible_lanes() if lane.item is not None]
    assert 5 < len(in_view) < 30
    painted = v.painted_conflicts(v.visible_lanes())
    assert {c.a for c in painted} == {lane.item.register_no for lane in in_view
                                      if lane.item is not None}
    # the grid and axis marks, and one connector per conflict in view: not 600 connectors
    assert len(lines) < 150
    # the conflicts in view are still drawn: their overlap marked on the bars shown
    rect = v.bar_rect(in_view[0].item.register_no if in_view[0].item else "")
    assert rect is not None
    seg = QRect(int(v.x_of(NOW + 30 * H)), int(rect.top()) - 3,
                int(v.x_of(NOW + 38 * H) - v.x_of(NOW + 30 * H)), int(rect.height()) + 6)
    assert count_near(image, seg, C_CONFLICT) > 20
    # scrolled to the middle of the KSF lanes: their conflicts, none of the SAF lanes above
    lines.clear()
    v.verticalScrollBar().setValue(v.verticalScrollBar().maximum() // 2 + 600 * 12)
    grab(v)
    shown = {lane.item.register_no for lane in v.visible_lanes() if lane.item is not None}
    assert shown and all(r.startswith("KSF") for r in shown)
    assert {c.b for c in v.painted_conflicts(v.visible_lanes())} == shown
    assert len(lines) < 150
