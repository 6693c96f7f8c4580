"""The timeline's painting and its time↔pixel geometry (see the package notes)."""

from __future__ import annotations

import math
from bisect import bisect_left
from datetime import datetime, timedelta

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QAbstractScrollArea

from kfor_desk.domain.timefmt import ensure_utc, format_dtg

from .items import (
    AXIS_H,
    BAR_H,
    GROUP_H,
    INACTIVE_STATUSES,
    LABEL_W,
    LANE_H,
    MAX_SECONDS_PER_PX,
    MIN_SECONDS_PER_PX,
    STEPS_H,
    Lane,
    TimelineColours,
    TimelineConflict,
    TimelineItem,
    weekday,
)


class TimelineCanvas(QAbstractScrollArea):
    """The painting half of the timeline: time↔pixel geometry, grid, axis, lanes, bars,
    conflict marks and the now line. :class:`~.view.TimelineView` adds the state changes,
    the layout of lanes and the mouse and keys."""

    # state, set by TimelineView.__init__
    _now: datetime
    _items: dict[str, TimelineItem]
    _conflicts: list[TimelineConflict]
    _conflicts_at: dict[str, list[int]]  # register number → its conflicts (indices), set_items
    _conflict_open: dict[str, bool]  # register number → in an open conflict (set_items)
    _lanes: list[Lane]
    _lane_of: dict[str, Lane]
    _selected: str | None
    _focus: tuple[str, str] | None
    _period: tuple[datetime, datetime]
    _view_start: datetime
    _spp: float  # seconds per pixel; set when the viewport has a width
    _font: QFont
    _bold: QFont
    _small: QFont
    _c: TimelineColours  # the theme's colours (apply_theme)

    def conflicted(self) -> dict[str, bool]:
        """Register number → ``True`` if in an open conflict, ``False`` if only deconflicted."""
        return dict(self._conflict_open)

    def conflicts_of(self, register_no: str) -> list[TimelineConflict]:
        """The conflicts of one record (looked up: a large desk has millions)."""
        return [self._conflicts[n] for n in self._conflicts_at.get(register_no, ())]

    def visible_lanes(self) -> list[Lane]:
        """The lanes in the viewport now (the lanes are in order of ``y``)."""
        scroll = self.verticalScrollBar().value()
        lanes = self._lanes
        first = bisect_left(lanes, scroll - max(LANE_H, GROUP_H), key=lambda lane: lane.y)
        last = bisect_left(lanes, scroll + self.viewport().height() - AXIS_H + 1,
                           key=lambda lane: lane.y)
        return lanes[first:last]

    def time_at(self, x: float) -> datetime:
        return self._view_start + timedelta(seconds=(x - LABEL_W) * self._spp)

    def x_of(self, when: datetime) -> float:
        if self._spp <= 0:
            return float(LABEL_W)
        return LABEL_W + (ensure_utc(when) - self._view_start).total_seconds() / self._spp

    def bar_rect(self, register_no: str) -> QRectF | None:
        """The bar of a record in viewport pixels (``None`` if it has no lane)."""
        lane = self._lane_of.get(register_no)
        if lane is None or lane.item is None:
            return None
        x0, x1 = self.x_of(lane.item.start), self.x_of(lane.item.end)
        y = lane.y - self.verticalScrollBar().value() + AXIS_H + (LANE_H - BAR_H) / 2
        return QRectF(x0, y, max(x1 - x0, 3.0), BAR_H)

    def label_rect(self, register_no: str) -> QRect | None:
        lane = self._lane_of.get(register_no)
        if lane is None:
            return None
        return QRect(0, lane.y - self.verticalScrollBar().value() + AXIS_H, LABEL_W, LANE_H)

    def visible_span(self) -> tuple[datetime, datetime]:
        return self._view_start, self.time_at(self.viewport().width())

    def _time_width(self) -> int:
        return max(self.viewport().width() - LABEL_W, 1)

    @staticmethod
    def _clamp_spp(spp: float) -> float:
        return min(max(spp, MIN_SECONDS_PER_PX), MAX_SECONDS_PER_PX)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._spp <= 0:
            self._spp = self._clamp_spp(
                (self._period[1] - self._period[0]).total_seconds() / self._time_width())
        p = QPainter(self.viewport())
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        w, h = self.viewport().width(), self.viewport().height()
        p.fillRect(0, 0, w, h, self._c.bg)
        scroll = self.verticalScrollBar().value()
        ticks = self.ticks()

        # grid under the lanes
        p.save()
        p.setClipRect(LABEL_W, AXIS_H, w - LABEL_W, h - AXIS_H)
        for when, major in ticks:
            x = round(self.x_of(when)) + 0.5
            if major and when.weekday() >= 5:
                p.fillRect(QRectF(x, AXIS_H, 86400 / self._spp, h - AXIS_H), self._c.weekend)
            p.setPen(QPen(self._c.grid_day if major else self._c.grid_minor, 1))
            p.drawLine(QPointF(x, AXIS_H), QPointF(x, h))
        p.restore()

        # lanes: label column and bars
        fm = QFontMetrics(self._font)
        p.save()
        p.setClipRect(0, AXIS_H, w, h - AXIS_H)
        p.fillRect(0, AXIS_H, LABEL_W, h - AXIS_H, self._c.label_bg)
        conflicted = self._conflict_open
        lanes = self.visible_lanes()
        for lane in lanes:
            top = lane.y - scroll + AXIS_H
            if lane.item is None:
                self._paint_group(p, top, w, lane.header)
                continue
            self._paint_lane(p, fm, lane.item, top, w, conflicted.get(lane.item.register_no))
        self._paint_conflicts(p, lanes)
        p.restore()

        p.setPen(QPen(self._c.grid_day, 1))
        p.drawLine(QPointF(LABEL_W + 0.5, AXIS_H), QPointF(LABEL_W + 0.5, h))
        self._paint_axis(p, ticks, w)
        self._paint_now(p, h)
        p.end()

    def _paint_group(self, p: QPainter, top: int, w: int, text: str) -> None:
        p.fillRect(QRect(0, top, w, GROUP_H), self._c.group)
        p.setPen(self._c.text)
        p.setFont(self._bold)
        p.drawText(QRect(8, top, LABEL_W + 400, GROUP_H),
                   int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), text)

    def _paint_lane(self, p: QPainter, fm: QFontMetrics, item: TimelineItem, top: int, w: int,
                    conflict_open: bool | None) -> None:
        regno = item.register_no
        selected = regno == self._selected
        if selected:
            p.fillRect(QRect(0, top, w, LANE_H), self._c.select_row)
        # label: register number, then the title elided
        p.setFont(self._bold if selected else self._font)
        p.setPen(self._c.text)
        reg_w = QFontMetrics(self._bold).horizontalAdvance("SAF-2026-0000") + 10
        p.drawText(QRect(8, top, reg_w, LANE_H),
                   int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), regno)
        p.setFont(self._font)
        p.setPen(self._c.muted)
        title = fm.elidedText(item.title, Qt.TextElideMode.ElideRight, LABEL_W - reg_w - 16)
        p.drawText(QRect(8 + reg_w, top, LABEL_W - reg_w - 12, LANE_H),
                   int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), title)
        if conflict_open is not None:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(self._c.conflict if conflict_open else self._c.deconflicted)
            p.drawEllipse(QPointF(LABEL_W - 9, top + LANE_H / 2), 3.5, 3.5)

        bar = self.bar_rect(regno)
        if bar is None or bar.right() < LABEL_W or bar.left() > w:
            return
        p.save()
        p.setClipRect(LABEL_W, 0, w - LABEL_W, 1 << 20, Qt.ClipOperation.IntersectClip)
        colour = self._c.saf if item.kind == "SAF" else self._c.ksf
        fill = QColor(colour)
        inactive = item.status in INACTIVE_STATUSES
        fill.setAlpha(18 if inactive else 46)
        pen = QPen(colour, 1.2, Qt.PenStyle.DashLine if inactive else Qt.PenStyle.SolidLine)
        if item.highlighted:
            pen = QPen(self._c.highlight.darker(115), 2.5)
        if conflict_open is not None:
            pen = QPen(self._c.conflict if conflict_open else self._c.deconflicted, 2.5)
        if selected:
            pen = QPen(self._c.select, 2.5)
        p.setPen(pen)
        p.setBrush(fill)
        p.drawRoundedRect(bar, 3, 3)
        # the title inside the bar when it fits
        inner = bar.adjusted(6, 0, -6, 0).intersected(
            QRectF(LABEL_W + 4, bar.top(), w - LABEL_W - 8, bar.height()))
        if inner.width() > 60:
            p.setFont(self._small)
            # the kind's colour, deepened on a light timeline, lightened on a dark one (the
            # night's dark red on its own bar could not be read)
            ink = colour.darker(150) if self._c.bg.lightness() >= 128 else colour.lighter(135)
            p.setPen(self._c.muted if inactive else ink)
            sfm = QFontMetrics(self._small)
            text = sfm.elidedText(item.title, Qt.TextElideMode.ElideRight, int(inner.width()))
            p.drawText(inner, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                       text)
        p.restore()

    def painted_conflicts(self, lanes: list[Lane]) -> list[TimelineConflict]:
        """The conflicts a paint draws: those of the records whose lanes are in view (a pair
        with both lanes scrolled away is not drawn, not even its connector) and whose window
        is in the visible span."""
        t0, t1 = self.visible_span()
        wanted = sorted({n for lane in lanes if lane.item is not None
                         for n in self._conflicts_at.get(lane.item.register_no, ())})
        return [c for c in map(self._conflicts.__getitem__, wanted)
                if ensure_utc(c.end) >= t0 and ensure_utc(c.start) <= t1]

    def _paint_conflicts(self, p: QPainter, lanes: list[Lane]) -> None:
        p.save()
        h = self.viewport().height()
        p.setClipRect(LABEL_W, AXIS_H, self.viewport().width() - LABEL_W, h - AXIS_H)
        for c in self.painted_conflicts(lanes):
            ra, rb = self.bar_rect(c.a), self.bar_rect(c.b)
            if ra is None or rb is None:
                continue
            colour = QColor(self._c.conflict if c.open else self._c.deconflicted)
            x0, x1 = self.x_of(c.start), self.x_of(c.end)
            if x1 - x0 < 4:
                x0, x1 = (x0 + x1) / 2 - 2, (x0 + x1) / 2 + 2
            focus = self._focus is not None and {c.a, c.b} == set(self._focus)
            band = QColor(colour)
            band.setAlpha(200 if c.open else 120)
            brush = QBrush(band, Qt.BrushStyle.BDiagPattern if c.open
                           else Qt.BrushStyle.FDiagPattern)
            for r in (ra, rb):
                seg = QRectF(x0, r.top() - 2, x1 - x0, r.height() + 4)
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(brush)
                p.drawRect(seg)
                p.setPen(QPen(colour, 1.5))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(seg)
            # connector between the two overlap segments
            xm = (x0 + x1) / 2
            top, bottom = sorted((ra.center().y(), rb.center().y()))
            pen = QPen(colour, 2.0 if focus else 1.2, Qt.PenStyle.DashLine)
            # only the part in view: a dashed line is stroked along its whole length, clip
            # or not (the dashes keep their place: the offset is the part left out)
            y0, y1 = top + BAR_H / 2 + 2, bottom - BAR_H / 2 - 2
            shown0, shown1 = max(y0, AXIS_H - 8.0), min(y1, h + 8.0)
            pen.setDashOffset((shown0 - y0) / pen.widthF())
            p.setPen(pen)
            if shown0 < shown1:
                p.drawLine(QPointF(xm, shown0), QPointF(xm, shown1))
            p.setBrush(colour)
            p.setPen(Qt.PenStyle.NoPen)
            for y in (top + BAR_H / 2 + 2, bottom - BAR_H / 2 - 2):
                p.drawEllipse(QPointF(xm, y), 2.5, 2.5)
        p.restore()

    def ticks(self) -> list[tuple[datetime, bool]]:
        """(time, is a day tick) across the visible span, on round UTC hours: 6-hour ticks
        at the default zoom, 1 or 3 hours zoomed in, days only zoomed far out."""
        start, end = self.visible_span()
        px_per_hour = 3600 / self._spp
        step_h = next((s for s in STEPS_H if s * px_per_hour >= 18), 168)
        first = start.replace(minute=0, second=0, microsecond=0)
        if step_h < 24:
            first -= timedelta(hours=first.hour % step_h)
        else:
            first -= timedelta(hours=first.hour)
        out: list[tuple[datetime, bool]] = []
        t = first
        while t <= end and len(out) < 2000:
            out.append((t, t.hour == 0))
            t += timedelta(hours=step_h)
        return out

    def _hour_label_step(self, label_px: float) -> int:
        """Hours between labelled minor ticks: regular, and only as dense as the labels fit."""
        px_per_hour = 3600 / self._spp
        return next((s for s in (1, 2, 3, 6, 12) if s * px_per_hour >= label_px), 24)

    def now_box(self) -> QRectF | None:
        """Where the "NOW 071514ZDEC26" flag is drawn (viewport pixels), on the hour labels'
        row of the axis; ``None`` while now is outside the visible span."""
        x = self.x_of(self._now)
        if x < LABEL_W or x > self.viewport().width():
            return None
        fm = QFontMetrics(self._small)
        tw = fm.horizontalAdvance(f"NOW {format_dtg(self._now)}") + 8
        left = min(max(x - tw / 2, LABEL_W + 1.0), self.viewport().width() - tw - 1)
        return QRectF(left, AXIS_H - fm.height() - 5, tw, fm.height() + 2)

    def axis_labels(self, ticks: list[tuple[datetime, bool]]) -> list[tuple[QRectF, str, str]]:
        """The axis's texts as drawn: (rect, text, kind: "day", "weekday" or "hour"). A text
        the NOW flag would touch is left out (the flag says the time there), so the two never
        overlap; the tick marks stay."""
        w = self.viewport().width()
        fm, sfm = QFontMetrics(self._bold), QFontMetrics(self._small)
        day_w = fm.horizontalAdvance("000000ZNOV00") + 16
        px_day = 86400 / self._spp
        day_label_every = max(1, math.ceil(day_w / px_day))
        label_step = self._hour_label_step(sfm.horizontalAdvance("0000Z") + 10)
        out: list[tuple[QRectF, str, str]] = []

        def add(x: float, baseline: float, text: str, kind: str) -> None:
            metrics = fm if kind == "day" else sfm
            out.append((QRectF(x, baseline - metrics.ascent(), metrics.horizontalAdvance(text),
                               metrics.height()), text, kind))

        if not any(major and LABEL_W - 2 <= self.x_of(t) < LABEL_W + day_w
                   for t, major in ticks):
            left_day = self.time_at(LABEL_W).replace(hour=0, minute=0, second=0, microsecond=0)
            add(LABEL_W + 6, 16, format_dtg(left_day), "day")
        for when, major in ticks:
            x = self.x_of(when)
            if major:
                day_no = (when - datetime(2000, 1, 1, tzinfo=when.tzinfo)).days
                if day_no % day_label_every == 0:
                    text = format_dtg(when)
                    add(x + 4, 16, text, "day")
                    if px_day >= fm.horizontalAdvance(text) + 70:
                        add(x + 4 + fm.horizontalAdvance(text) + 8, 16, weekday(when),
                            "weekday")
            elif when.hour % label_step == 0 and when.minute == 0:
                text = f"{when.hour:02d}{when.minute:02d}Z"
                add(x - sfm.horizontalAdvance(text) / 2, AXIS_H - 11, text, "hour")
        flag = self.now_box()
        if flag is not None:
            clear = flag.adjusted(-4, -1, 4, 1)
            out = [label for label in out if not label[0].intersects(clear)]
        return [label for label in out if label[0].right() > LABEL_W and label[0].left() < w]

    def _paint_axis(self, p: QPainter, ticks: list[tuple[datetime, bool]], w: int) -> None:
        p.fillRect(0, 0, w, AXIS_H, self._c.axis_bg)
        p.setPen(QPen(self._c.grid_day, 1))
        p.drawLine(QPointF(0, AXIS_H - 0.5), QPointF(w, AXIS_H - 0.5))
        p.setPen(self._c.muted)
        p.setFont(self._small)
        p.drawText(QRect(8, 0, LABEL_W - 16, AXIS_H),
                   int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                   "Times UTC (Z)\nhover for local time")
        fm = QFontMetrics(self._bold)
        px_day = 86400 / self._spp
        day_label_every = max(1, math.ceil((fm.horizontalAdvance("000000ZNOV00") + 16) / px_day))
        p.save()
        p.setClipRect(LABEL_W, 0, w - LABEL_W, AXIS_H)
        for when, major in ticks:  # the marks
            x = round(self.x_of(when)) + 0.5
            if major:
                day_no = (when - datetime(2000, 1, 1, tzinfo=when.tzinfo)).days
                labelled = day_no % day_label_every == 0
                p.setPen(QPen(self._c.text, 1))
                p.drawLine(QPointF(x, 4 if labelled else AXIS_H - 10), QPointF(x, AXIS_H))
            else:
                p.setPen(QPen(self._c.muted, 1))
                p.drawLine(QPointF(x, AXIS_H - 8), QPointF(x, AXIS_H))
        sfm = QFontMetrics(self._small)
        for rect, text, kind in self.axis_labels(ticks):  # the texts
            bold = kind == "day"
            p.setFont(self._bold if bold else self._small)
            p.setPen(self._c.text if bold else self._c.muted)
            p.drawText(QPointF(rect.left(), rect.top() + (fm if bold else sfm).ascent()), text)
        p.restore()

    def _paint_now(self, p: QPainter, h: int) -> None:
        box = self.now_box()
        if box is None:
            return
        x = self.x_of(self._now)
        p.setPen(QPen(self._c.now, 2))
        p.drawLine(QPointF(x, AXIS_H - 4), QPointF(x, h))
        p.setFont(self._small)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(self._c.now)
        p.drawRoundedRect(box, 3, 3)
        p.setPen(self._c.now_text)
        p.drawText(box, int(Qt.AlignmentFlag.AlignCenter), f"NOW {format_dtg(self._now)}")
