"""Cells drawn as a small rounded "pill" (status, ABL band) in the registers."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from kfor_desk.ui.models import PILL_ROLE

_PAD_X = 8
_PAD_Y = 3


class PillDelegate(QStyledItemDelegate):
    """Paints the cell's text on the (background, text) colours the model gives in
    ``PILL_ROLE``; cells without them are drawn as usual."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        colours = index.data(PILL_ROLE)
        if not colours:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        bg, fg = colours
        fm = QFontMetrics(opt.font)
        rect = opt.rect.adjusted(4, 0, -4, 0)
        width = min(fm.horizontalAdvance(text) + 2 * _PAD_X, rect.width())
        height = min(fm.height() + 2 * _PAD_Y, rect.height() - 2)
        pill = QRectF(rect.left(), rect.center().y() - height / 2 + 1, width, height)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QColor(fg).lighter(170))
        painter.setBrush(QColor(bg))
        painter.drawRoundedRect(pill, height / 2, height / 2)
        painter.setPen(QColor(fg))
        painter.setFont(opt.font)
        elided = fm.elidedText(text, Qt.TextElideMode.ElideRight, int(width) - 2 * _PAD_X + 2)
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, elided)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 2 * _PAD_X + 8, size.height())
