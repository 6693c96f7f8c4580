"""Sorting a table by keyboard: the "Sort by" menu, from the header's context menu or a key.

``install_sort_menu(view)`` gives a sortable ``QTableView`` a menu listing every column
ascending and descending (the current sort ticked) — on a right click of the header, and on
Ctrl+Shift+S while the table has the focus (arrows and Enter choose; Esc closes). It sorts
through the view (``sortByColumn``), so the header's indicator and the model's own sorting stay
what they are; it does not change how a model sorts.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu, QTableView

SORT_KEY = "Ctrl+Shift+S"


def sort_menu(view: QTableView) -> QMenu:
    """The "Sort by" menu of ``view`` (a new menu each time: column names may change)."""
    menu = QMenu("Sort by", view)
    header = view.horizontalHeader()
    model = view.model()
    group = QActionGroup(menu)
    current, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
    for visual in range(header.count()):
        col = header.logicalIndex(visual)
        if header.isSectionHidden(col):
            continue
        name = str(model.headerData(col, Qt.Orientation.Horizontal) or f"column {col + 1}")
        for label, how in (("↑", Qt.SortOrder.AscendingOrder),
                           ("↓", Qt.SortOrder.DescendingOrder)):
            act = QAction(f"{name} {label}", menu)
            act.setCheckable(True)
            act.setChecked(view.isSortingEnabled() and col == current and how == order)
            act.triggered.connect(lambda _=False, c=col, o=how: view.sortByColumn(c, o))
            group.addAction(act)
            menu.addAction(act)
    return menu


def install_sort_menu(view: QTableView) -> None:
    """The header's context menu and :data:`SORT_KEY` open :func:`sort_menu`."""
    header = view.horizontalHeader()
    header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def at_header(pos: QPoint) -> None:
        sort_menu(view).exec(header.mapToGlobal(pos))

    def by_key() -> None:
        col = max(view.currentIndex().column(), 0)
        x = header.sectionViewportPosition(col)
        sort_menu(view).exec(header.mapToGlobal(QPoint(max(x, 0), header.height())))

    header.customContextMenuRequested.connect(at_header)
    shortcut = QShortcut(QKeySequence(SORT_KEY), view)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(by_key)
    view.setToolTip(view.toolTip() or f"Sort: right-click a column heading, or {SORT_KEY}")
