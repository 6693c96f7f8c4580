"""The detail pane's History page: a record's audit entries in words, newest first.

One line per entry (DTG · what · who · why) spanning the width, its field changes under it
(Field, Before, After). Every text wraps in its column, however narrow the pane (the detail
pane is about 340 px wide on a 1366×768 screen): nothing is cut, the page scrolls down.
It shows the plain AuditEntry values handed in and reads nothing; it does not decide what an
entry says (:func:`kfor_desk.services.history.readable_history` does).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from kfor_desk.services.history import readable_history
from kfor_desk.ui import palette


def _short(value: Any, limit: int = 400) -> str:
    """A value on its lines (very long ones end in "…"; the tooltip has all of it)."""
    text = "—" if value is None or value == "" else str(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


_PAD = 4  # px of text margin left and right in a cell


def _wrapped(text: str, font: QFont, width: float) -> tuple[QTextLayout, float]:
    """``text`` laid out in lines of ``width`` (between words; inside a word only when it is
    wider than the line), and the height of its lines."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    height = 0.0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(width, 8.0))
        line.setPosition(QPointF(0, height))
        height += line.height()
    layout.endLayout()
    return layout, height


class _Wrapping(QStyledItemDelegate):
    """Cells whose text wraps at the width it is painted in (the entry line across the whole
    row, a change in its column), rows as tall as that: nothing elided."""

    def __init__(self, tree: HistoryTree) -> None:
        super().__init__(tree)
        self.tree = tree

    def text_width(self, index: QModelIndex | QPersistentModelIndex) -> int:
        """The width the text of ``index`` is laid out in."""
        tree = self.tree
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        indent = tree.indentation() * (depth + (1 if tree.rootIsDecorated() else 0))
        if tree.isFirstColumnSpanned(index.row(), index.parent()):
            width = tree.viewport().width() - indent
        else:
            width = tree.columnWidth(index.column()) - (indent if index.column() == 0 else 0)
        return max(width - 2 * _PAD, 8)

    def text(self, index: QModelIndex | QPersistentModelIndex, text: str) -> str:
        """What the cell shows: its text; with Before hidden, "before → after" in After."""
        if self.tree.stacked() and index.column() == 2 and index.parent().isValid():
            return f"{index.sibling(index.row(), 1).data() or '—'} → {text}"
        return text

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        width = self.text_width(index)
        _layout, height = _wrapped(self.text(index, opt.text), opt.font, width)
        return QSize(width + 2 * _PAD, math.ceil(height) + 4)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = self.text(index, opt.text), ""
        style = opt.widget.style() if opt.widget is not None else self.tree.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        if not text:
            return
        rect = QRectF(opt.rect).adjusted(_PAD, 2, -_PAD, -2)
        layout, height = _wrapped(text, opt.font, rect.width())
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        brush = index.data(Qt.ItemDataRole.ForegroundRole)
        if selected:
            colour = opt.palette.color(QPalette.ColorRole.HighlightedText)
        elif isinstance(brush, (QBrush, QColor)):
            colour = QBrush(brush).color()
        else:
            colour = opt.palette.color(QPalette.ColorRole.Text)
        painter.save()
        painter.setPen(colour)
        painter.setClipRect(opt.rect)
        layout.draw(painter, QPointF(rect.left(), rect.top() + max(0.0, (rect.height()
                                                                          - height) / 2)))
        painter.restore()


class HistoryTree(QTreeWidget):
    """Audit entries with their changes; "Loading…" while they are being read."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailHistory")
        # Before and After share the width left by Field, so After is seen without scrolling
        self.setColumnCount(3)
        self.setHeaderLabels(["Field", "Before", "After"])
        self.setAlternatingRowColors(True)
        # wrapped, never cut: rows as tall as their text at the width they have
        self.setUniformRowHeights(False)
        self.setWordWrap(True)
        self.setItemDelegate(_Wrapping(self))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QTreeWidget.ScrollMode.ScrollPerPixel)
        header = self.header()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(60)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.setColumnWidth(0, 150)
        self.setIndentation(12)
        self.setRootIsDecorated(False)  # every entry stays open: no arrows, 12 px more text
        self.setItemsExpandable(False)
        self._longest = [0, 0, 0]  # px of the longest word shown in Field, Before, After
        self._stacked = False  # too narrow for three columns: After shows "before → after"
        self.viewport().installEventFilter(self)  # the Field column follows the width
        # a new width wraps the texts anew: the rows are measured again (once per burst)
        self._relayout = QTimer(self)
        self._relayout.setSingleShot(True)
        self._relayout.setInterval(0)
        self._relayout.timeout.connect(self.doItemsLayout)
        header.sectionResized.connect(lambda *_: self._relayout.start())

    def fill(self, history: Sequence[Any] | None) -> None:
        """Show ``history`` (plain AuditEntry values, oldest first); ``None``: "Loading…"."""
        self.clear()
        if history is None:
            waiting = QTreeWidgetItem(["Loading…"])
            waiting.setForeground(0, QColor(palette.MUTED))
            self.addTopLevelItem(waiting)
            waiting.setFirstColumnSpanned(True)
            return
        fm = QFontMetrics(self.font())
        self._longest = [0, 0, 0]
        for entry in readable_history(history):
            head = f"{entry.when}  {entry.action} — {entry.operator}"
            if entry.reason:
                head += f" · {' '.join(entry.reason.split())}"
            top = QTreeWidgetItem([head])
            top.setToolTip(0, f"{entry.when_local}: {entry.action} by {entry.operator} at "
                              f"{entry.workstation} (entry {entry.seq})"
                              + (f"\nReason: {entry.reason}" if entry.reason else ""))
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            for change in entry.changes:
                child = QTreeWidgetItem([change.label, _short(change.before),
                                         _short(change.after)])
                child.setToolTip(0, f"{change.label} ({change.field})")
                child.setToolTip(1, change.before)
                child.setToolTip(2, change.after)
                top.addChild(child)
                for column in range(3):
                    self._longest[column] = max([self._longest[column], *(
                        fm.horizontalAdvance(word) for word in child.text(column).split())])
            self.addTopLevelItem(top)
            top.setFirstColumnSpanned(True)
            top.setExpanded(True)
        self._fit_columns()

    def stacked(self) -> bool:
        """True when the width is short of three columns whose words fit (the detail pane at
        1366×768): Before is hidden and After shows "before → after" under that heading."""
        return self._stacked

    def _fit_columns(self) -> None:
        """Columns as wide as their longest words need, so that texts wrap between words:
        Field (30–45% of the width), then Before (never wider than After), After the rest;
        when the width is short of that, Before goes into After (:meth:`stacked`)."""
        width = self.viewport().width()
        field, before, after = (n + 2 * _PAD + 2 for n in self._longest)
        field += self.indentation()
        first = max(70, min(int(width * 0.45), max(field, int(width * 0.3))))
        rest = max(width - first, 120)
        stacked = before + after > rest
        if stacked != self._stacked:
            self._stacked = stacked
            self.setColumnHidden(1, stacked)
            self.headerItem().setText(2, "Before → After" if stacked else "After")
        self.setColumnWidth(0, first)
        if not stacked:
            self.setColumnWidth(1, max(60, min(before + (rest - before - after) // 2,
                                               rest // 2)))
        self._relayout.start()  # the rows measured again at these widths

    def eventFilter(self, watched: Any, event: Any) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.viewport():
            self._fit_columns()  # the entry lines span the width: measured again
        return super().eventFilter(watched, event)
