"""What the map draws over itself in screen pixels: attribution, scale bar, legend, the cursor's
position and the pick-mode hint.

Plain painting functions: they get a ``QPainter`` already reset to the viewport and the values to
show; they keep no state and know nothing of the scene or the records.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QPixmap, QPolygonF

from .ink import MapInk
from .items import cosmetic, fmt_distance

PICK_HINT = "Click the map to pick a position — Esc to cancel"


def paint_overlay(painter: QPainter, base_font: QFont, vw: int, vh: int, *, ink: MapInk,
                  m_per_px: float, attribution: Sequence[str], cursor_text: str, picking: bool,
                  legend: Callable[[float], bool]) -> None:
    """Everything over the map, in viewport pixels (``vw`` × ``vh``), in ``ink``'s colours.
    ``legend`` is told the legend's area in pixels and says whether to draw it (else a small
    "L: legend" key)."""
    painter.save()
    painter.resetTransform()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    font = QFont(base_font)
    font.setPointSizeF(8.5)
    painter.setFont(font)
    fm = QFontMetricsF(font)
    draw_attribution(painter, ink, fm, vw, vh, attribution)
    draw_scale_bar(painter, ink, fm, vh, m_per_px)
    small = QFont(font)
    small.setPointSizeF(7.5)
    painter.setFont(small)
    draw_legend(painter, ink, QFontMetricsF(small), vh, legend)
    painter.setFont(font)
    top = 8.0
    if cursor_text:
        draw_box(painter, ink, fm, QPointF(8, top), cursor_text)
        top += fm.height() + 12
    if picking:
        bold = QFont(font)
        bold.setBold(True)
        painter.setFont(bold)
        draw_box(painter, ink, QFontMetricsF(bold), QPointF(8, top), PICK_HINT,
                 bg=ink.pick_hint, fg=ink.pick_hint_text)
        painter.setFont(font)
    painter.restore()


def draw_box(painter: QPainter, ink: MapInk, fm: QFontMetricsF, at: QPointF, text: str,
             bg: QColor | None = None, fg: QColor | None = None) -> QRectF:
    w = fm.horizontalAdvance(text) + 12
    h = fm.height() + 6
    box = QRectF(at.x(), at.y(), w, h)
    painter.setPen(QPen(QColor(0, 0, 0, 60), 1))
    painter.setBrush(bg if bg is not None else ink.caption_background)
    painter.drawRoundedRect(box, 3, 3)
    painter.setPen(fg if fg is not None else ink.text)
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
    return box


def draw_attribution(painter: QPainter, ink: MapInk, fm: QFontMetricsF, vw: int, vh: int,
                     attribution: Sequence[str]) -> None:
    text = "  ·  ".join(attribution)
    w = fm.horizontalAdvance(text) + 12
    h = fm.height() + 4
    box = QRectF(vw - w - 4, vh - h - 4, w, h)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(ink.caption_background)
    painter.drawRoundedRect(box, 2, 2)
    painter.setPen(ink.caption)
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)


def draw_scale_bar(painter: QPainter, ink: MapInk, fm: QFontMetricsF, vh: int,
                   scale_m_per_px: float) -> None:
    m_per_px = scale_m_per_px * 0.9997  # grid metres → ground metres, near enough
    target_px = 110.0
    raw = m_per_px * target_px
    exp = 10 ** math.floor(math.log10(raw))
    length_m = max(
        (n * exp for n in (1, 2, 5, 10) if n * exp <= raw), default=exp
    )
    px = length_m / m_per_px
    label = fmt_distance(length_m)
    x0, y0 = 12.0, vh - 22.0
    box = QRectF(x0 - 6, y0 - fm.height() - 6, px + 12 + fm.horizontalAdvance(label) / 2,
                 fm.height() + 20)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(ink.caption_background)
    painter.drawRoundedRect(box, 2, 2)
    half = px / 2
    painter.setPen(QPen(ink.text, 1))
    painter.setBrush(ink.text)
    painter.drawRect(QRectF(x0, y0, half, 5))
    painter.setBrush(ink.scale_alternate)
    painter.drawRect(QRectF(x0 + half, y0, half, 5))
    painter.setPen(ink.text)
    painter.drawText(QPointF(x0 - 2, y0 - 4), "0")
    painter.drawText(QPointF(x0 + px - fm.horizontalAdvance(label) / 2, y0 - 4), label)


def draw_legend(painter: QPainter, ink: MapInk, fm: QFontMetricsF, vh: int,
                shown: Callable[[float], bool]) -> None:
    """Small, bottom left above the scale bar: clear of the ABL (north and east) at the
    default view. ``shown(area)`` decides whether it is drawn."""
    rows: list[tuple[str, str, QPen | QColor]] = [
        ("line", "ABL (indicative)", cosmetic(ink.abl, 2.4)),
        ("line", "1 km notification line", cosmetic(ink.notify, 1.3)),
        ("line", "5 km ground band", cosmetic(ink.ground, 1.3, Qt.PenStyle.DashLine)),
        ("line", "25 km air band", cosmetic(ink.air, 1.1, Qt.PenStyle.DashDotLine)),
        ("line", "1 / 5 km, Kosovo side", cosmetic(ink.kosovo_band, 0.9,
                                                    Qt.PenStyle.DashLine)),
        ("saf", "SAF exercise", ink.saf),
        ("ksf", "KSF request", ink.ksf),
        ("disc", "Grouped records (closest band)", ink.notify),
    ]
    line_h = fm.height() + 1
    w = max(fm.horizontalAdvance(r[1]) for r in rows) + 36
    h = line_h * len(rows) + 8
    scale_top = vh - 22.0 - fm.height() - 14  # the scale bar's box, below
    if not shown(w * h):  # a small map (1366×768): a key to ask for it
        draw_box(painter, ink, fm, QPointF(6, scale_top - line_h - 12), "L: legend")
        return
    box = QRectF(6, scale_top - h - 6, w, h)
    # the same every repaint: drawn once per theme, font and pixel ratio, then copied
    device = painter.device()
    dpr = device.devicePixelRatioF() if device is not None else 1.0
    key = (ink.theme, painter.font().key(), w, h, dpr)
    pixmap = _LEGENDS.get(key)
    if pixmap is None:
        pixmap = QPixmap(math.ceil((w + 2) * dpr), math.ceil((h + 2) * dpr))
        pixmap.setDevicePixelRatio(dpr)
        pixmap.fill(Qt.GlobalColor.transparent)
        p = QPainter(pixmap)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        p.setFont(painter.font())
        _paint_legend(p, ink, rows, QRectF(1, 1, w, h), line_h)
        p.end()
        _LEGENDS[key] = pixmap
    painter.drawPixmap(QPointF(box.left() - 1, box.top() - 1), pixmap)


_LEGENDS: dict[tuple[object, ...], QPixmap] = {}


def _paint_legend(painter: QPainter, ink: MapInk, rows: list[tuple[str, str, QPen | QColor]],
                  box: QRectF, line_h: float) -> None:
    w = box.width()
    painter.setPen(QPen(QColor(0, 0, 0, 50), 1))
    painter.setBrush(ink.caption_background)
    painter.drawRoundedRect(box, 3, 3)
    y = box.top() + 4
    for kind, text, style in rows:
        cy = y + line_h / 2
        sx = box.left() + 6
        if kind == "line" and isinstance(style, QPen):
            painter.setPen(style)
            painter.drawLine(QPointF(sx, cy), QPointF(sx + 18, cy))
        elif isinstance(style, QColor):
            painter.setPen(QPen(ink.symbol_outline, 1.0))
            painter.setBrush(style)
            c = QPointF(sx + 9, cy)
            if kind == "disc":
                painter.drawEllipse(c, 6, 6)
                painter.setPen(ink.cluster_text)
                small = QFont(painter.font())
                small.setBold(True)
                small.setPixelSize(8)
                painter.save()
                painter.setFont(small)
                painter.drawText(QRectF(c.x() - 6, c.y() - 6, 12, 12),
                                 Qt.AlignmentFlag.AlignCenter, "9")
                painter.restore()
            elif kind == "saf":
                painter.drawPolygon(QPolygonF([c + QPointF(0, -4.5), c + QPointF(4.5, 0),
                                               c + QPointF(0, 4.5), c + QPointF(-4.5, 0)]))
            else:
                painter.drawEllipse(c, 4, 4)
        painter.setPen(ink.text)
        painter.drawText(QRectF(sx + 24, y, w - 30, line_h),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
        y += line_h
