"""Selection sync: one selected record across the registers, detail pane, map and timeline.

A record chosen anywhere (a register row, the attention list, the conflicts panel, the map or the
timeline) is selected in its register — clearing a filter that hides it — and shown in the detail
pane and on the timeline. The filter bar follows the current register; search, time and distance
apply to both registers. On the Conflicts tab the search words narrow the pairs (Ctrl+F stays
there) and the registers follow them. It reads one record and its history for the detail pane
off the GUI thread (one read at a time, the newest choice read next, a result for a record no
longer chosen dropped) and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView

from kfor_desk.domain.records import Record, RecordKind
from kfor_desk.ui.errors import show_error
from kfor_desk.ui.models import RegisterFilter, RegisterModel
from kfor_desk.ui.tasks import TaskHandle, run_task

from .tables import RegisterTable, status_choices

if TYPE_CHECKING:
    from kfor_desk.services.desk import Desk

    from .main import MainWindow


@dataclass(frozen=True)
class DetailRead:
    """What the detail pane needs from the database for one record (read on a worker)."""

    record: Record
    history: tuple[Any, ...]


def read_detail(desk: Desk, register_no: str) -> DetailRead:
    """The record as saved and its audit entries; runs on a worker thread."""
    return DetailRead(desk.record(register_no), tuple(desk.history(register_no)))


class Selection:
    """The window's selection sync (see the module docstring)."""

    def __init__(self, window: MainWindow) -> None:
        self.w = window
        self.selected: str | None = None  # the register number the operator chose last
        self._asked = 0  # detail reads asked for; a result of an older one is dropped
        self._reading: TaskHandle | None = None  # the detail read running (one at a time)
        self._next: tuple[int, str, list[str]] | None = None  # the read to start next

    def wire(self) -> None:
        w = self.w
        w.filter_bar.changed.connect(self._filter_changed)
        w.filter_bar.toResults.connect(self.focus_results)
        w.tabs.currentChanged.connect(self.tab_changed)
        for table in (w.saf_table, w.ksf_table):
            table.selectionModel().currentRowChanged.connect(self._row_changed)
            model = table.register_model()
            model.rowsShown.connect(
                lambda shown, total, m=model: self._rows_shown(m, shown, total))
        w.attention.recordSelected.connect(self.select_record)
        w.detail.recordSelected.connect(self.select_from_view)
        w.timeline.recordSelected.connect(self.select_from_view)
        if w.conflicts is not None:
            w.conflicts.recordSelected.connect(self.select_record)
            w.conflicts.recordCurrent.connect(self._conflict_record)
            w.conflicts.showOnMap.connect(self.show_pair_on_map)
            w.conflicts.showOnTimeline.connect(self.show_pair_on_timeline)

    # ------------------------------------------------------------ what is current
    def current_table(self) -> RegisterTable | None:
        current = self.w.tabs.currentWidget()
        return current if isinstance(current, RegisterTable) else None

    def current_model(self) -> RegisterModel[Any] | None:
        t = self.current_table()
        return t.register_model() if t is not None else None

    def _on_conflicts(self) -> bool:
        w = self.w
        return w.conflicts is not None and w.tabs.currentWidget() is w.conflicts

    def selected_record(self) -> Record | None:
        """The whole record of the selected row: the register's, or, while the whole read
        is not in yet, the one the detail pane read for it (the same version)."""
        table = self.current_table()
        if table is None:
            return None
        idx = table.currentIndex()
        if not idx.isValid():
            return None
        model = table.register_model()
        rec = model.record_at(idx.row())
        if rec is None:
            line, shown = model.line_at(idx.row()), self.w.detail.record()
            if line is not None and shown is not None and \
                    (shown.register_no, shown.version) == (line.register_no, line.version):
                return shown
        return rec

    # ------------------------------------------------------------ selecting
    def select_record(self, register_no: str, switch_tab: bool = True) -> bool:
        """Select a record in its register (clearing the filter if it hides the record) and
        show it in the detail pane."""
        w = self.w
        table = w.saf_table if register_no.startswith("SAF") else w.ksf_table
        model = table.register_model()
        row = model.row_of(register_no)
        if row is None and switch_tab:
            if w.tabs.currentWidget() is not table:
                w.tabs.setCurrentWidget(table)
            w.filter_bar.clear()
            row = model.row_of(register_no)
        if row is None:
            if not switch_tab:
                self.selected = register_no
                self.show_detail(register_no, self._known(register_no))
            return False
        if switch_tab and w.tabs.currentWidget() is not table:
            w.tabs.setCurrentWidget(table)
        self.selected = register_no
        index = model.index(row, 0)
        table.setCurrentIndex(index)
        table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        self.show_detail(register_no, model.record_at(row))
        return True

    def reselect(self) -> None:
        """After a refresh: the record selected before, selected again where it is now."""
        if self.selected:
            self.select_record(self.selected, switch_tab=False)

    def select_from_view(self, register_no: str) -> None:
        """A record clicked on the timeline or the map: select it everywhere, staying where
        the operator is (the register row is selected in its table behind)."""
        self.select_record(register_no, switch_tab=self.current_table() is not None)

    def _conflict_record(self, register_no: str) -> None:
        """A pair chosen on the Conflicts tab: its record in the detail pane (the tab stays
        and the registers' selection is left as it is)."""
        if self._on_conflicts() and register_no != self._shown_regno():
            self.show_detail(register_no, self._known(register_no))

    def show_pair_on_timeline(self, a: str, b: str) -> None:
        """A conflicting pair on the timeline: both lanes on top, the overlap centred."""
        w = self.w
        w.tabs.setCurrentWidget(w.timeline)
        w.timeline.focus_pair(a, b)
        self.select_record(a, switch_tab=False)

    def show_pair_on_map(self, a: str, b: str) -> None:
        """A conflicting pair on the map: the first record selected and centred."""
        self.select_record(a, switch_tab=False)
        self.w.statusBar().showMessage(f"Map: {a} (in conflict with {b}).", 8000)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        table = self.current_table()
        if table is None or not current.isValid():
            return
        model = table.register_model()
        line = model.line_at(current.row())  # the whole record may not have been read yet
        if line is not None and line.register_no and line.register_no != self._shown_regno():
            self.selected = line.register_no
            self.show_detail(line.register_no, model.record_at(current.row()))

    def _known(self, register_no: str) -> Record | None:
        """The record as the registers have it (None when they have not)."""
        model: RegisterModel[Any] = (self.w.notifications if register_no.startswith("SAF")
                                     else self.w.requests)
        row = model.row_of(register_no)
        if row is not None:
            return model.record_at(row)
        return next((r for r in model.records() if r.register_no == register_no), None)

    def _shown_regno(self) -> str | None:
        """The record in the detail pane, or being read for it."""
        return self.w.detail.shown_register()

    def show_detail(self, register_no: str, record: Record | None = None) -> None:
        """The record, its history, conflicts and flags in the detail pane. The record handed
        in (as the registers have it) is shown at once; the record as saved and its history are
        read off the GUI thread, the pane saying "Loading…" until they are in."""
        w = self.w
        lines: list[str] = []
        if w.loader.report is not None:
            for tracked in w.loader.involving(register_no):
                other = [r for r in tracked.conflict.key if r != register_no]
                state = "open" if tracked.status.value == "open" else "deconflicted"
                lines.append(f"Conflict with {other[0] if other else '?'} ({state})")
            lines += [f"{f.flag.label}: {f.detail}" for f in w.loader.flags_of(register_no)]
        if record is None:
            w.detail.show_loading(register_no)
        else:
            w.detail.show_record(record, None, lines)
        self._asked += 1
        self._next = (self._asked, register_no, lines)
        if self._reading is None:
            self._start_read()
        if w.timeline.selected() != register_no:
            w.timeline.select(register_no)
        w.commands.update_for_selection()

    def _start_read(self) -> None:
        w = self.w
        if self._next is None or w.closed or w.desk is None:
            self._next = None
            return
        asked, register_no, lines = self._next
        self._next = None
        desk = w.desk

        def done(read: DetailRead) -> None:
            self._read_ended()
            if asked != self._asked or w.closed or w.desk is not desk:
                return  # the operator chose another record meanwhile: that one is shown
            if read.record != w.detail.record():  # changed since the registers were read
                w.detail.show_record(read.record, read.history, lines)
                w.commands.update_for_selection()  # the row's whole record may be this one
            else:
                w.detail.show_history(register_no, read.history)

        def failed(exc: BaseException) -> None:
            self._read_ended()
            if asked != self._asked or w.closed:
                return
            w.detail.clear()
            show_error(w, exc, "Record")

        self._reading = run_task(w, "Reading the record",
                                 lambda _p: read_detail(desk, register_no),
                                 done, failed, cancellable=False, show_dialog=False)

    def _read_ended(self) -> None:
        self._reading = None
        self._start_read()  # the newest choice, if the operator moved on meanwhile

    # ------------------------------------------------------------ filters
    def tab_changed(self, _index: int) -> None:
        w = self.w
        model = self.current_model()
        on_conflicts = self._on_conflicts()
        w.filter_bar.setEnabled(model is not None or on_conflicts)
        for combo in (w.filter_bar.status, w.filter_bar.phase, w.filter_bar.band):
            combo.setEnabled(model is not None)  # on Conflicts only the search words apply
        if model is None:
            w.filter_bar.count.clear()
            return
        kind = RecordKind.SAF if model is w.notifications else RecordKind.KSF
        flt = model.filter()
        w.filter_bar.set_status_choices(status_choices(kind), flt)
        w.filter_bar.show_filter(flt)
        w.filter_bar.set_count(model.rowCount(), model.total_count())
        table = self.current_table()
        if table is not None:
            cur = table.currentIndex()
            line = model.line_at(cur.row()) if cur.isValid() else None
            if line is not None and line.register_no:
                self.selected = line.register_no
                self.show_detail(line.register_no, model.record_at(cur.row()))
        w.commands.update_for_selection()

    def _filter_changed(self, flt: RegisterFilter) -> None:
        w = self.w
        if w.conflicts is not None:  # the search words also narrow the conflicts list
            w.conflicts.set_filter_text(flt.text)
        model = self.current_model()
        if model is None:  # on the Conflicts tab: the registers follow the search words
            for m in (w.notifications, w.requests):
                m.set_filter(replace(m.filter(), text=flt.text))
            return
        model.set_filter(flt)
        # search, time and distance apply to both registers (statuses differ per register)
        other = w.requests if model is w.notifications else w.notifications
        other.set_filter(replace(other.filter(), text=flt.text, phase=flt.phase,
                                 bands=flt.bands))
        table = self.current_table()
        if table is not None and self.selected:
            row = model.row_of(self.selected)
            if row is not None:
                table.setCurrentIndex(model.index(row, 0))

    def _rows_shown(self, model: RegisterModel[Any], shown: int, total: int) -> None:
        w = self.w
        if model is self.current_model():
            w.filter_bar.set_count(shown, total)
        count = f"{shown} of {total}" if shown != total else f"{total}"
        if model is w.notifications:
            w.tabs.setTabText(0, f"SAF exercise notifications ({count})")
        elif model is w.requests:
            w.tabs.setTabText(1, f"KSF consent requests ({count})")

    def focus_results(self) -> None:
        """From the search field (↓ or Enter) to the rows found: the current register's or
        the conflicts' table, its first row selected if none is."""
        w = self.w
        table: QTableView | None = self.current_table()
        if table is None and self._on_conflicts() and w.conflicts is not None:
            table = w.conflicts.table
        if table is None:
            return
        table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        model = table.model()
        if model is None or table.selectionModel().hasSelection():
            return
        current = table.currentIndex()
        rows = [current.row()] if current.isValid() else []
        rows += list(range(model.rowCount()))
        for row in rows:
            if not table.isRowHidden(row):
                table.setCurrentIndex(model.index(row, 0))
                table.selectRow(row)  # selected, not only current (its highlight shows)
                break

    def focus_search(self) -> None:
        w = self.w
        if self.current_table() is None and not self._on_conflicts():  # Ctrl+F stays there
            w.tabs.setCurrentIndex(0)
        w.filter_bar.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        w.filter_bar.search.selectAll()
