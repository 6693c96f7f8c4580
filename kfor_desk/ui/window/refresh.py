"""Refresh coordination: read the desk off the GUI thread and hand the values to every screen.

Registers first: a refresh reads the registers' lines (:func:`.loading.load_registers`: what
the rows show, no whole records) and shows them at once; then, on the same thread, the whole
records are read with their lines, of one moment, and the conflict report, the reminders, the
map items and the timeline are derived from them (:func:`.loading.load_rest`) and filled in,
the registers brought to that moment (a save that landed between the two reads shows, never a
stale row). Until then, the Conflicts tab, the registers' attention column and the attention
list say that they are being computed (never an all-clear they do not know yet), and a row's
detail is read on its own when it is selected.

One loader thread reads (loads queue behind each other, and PROJ objects are never created by
two of our threads at once). A refresh asked for while one runs starts again when it ends, so the
last change is always shown; callbacks given with ``then`` run once newer values are shown.
The second step stops between chunks of its work (dropped, nothing shown, no error) once the
window closes or the event loop is over, so closing never waits for a whole conflict sweep. A
newer refresh does *not* stop it: the step under way is shown, then the newest values are read
(several asks fold into one). Stopping it instead would leave the Conflicts tab on
"computing…" for as long as saves come faster than one sweep (about 80 s for the demo's
100,000 records): a report a few saves old, said to be recomputing, beats none.
The part also keeps the reminders' clock (a minute timer) and loads the map's layers once,
after the first refresh is complete.
What a refresh reads is :mod:`.loading`; which record is selected is :mod:`.selection`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer

from kfor_desk.domain.conflicts import Flag, TrackedConflict
from kfor_desk.domain.records import Record
from kfor_desk.services.attention import AttentionItem, attention_items, new_items
from kfor_desk.services.conflicts import ConflictReport
from kfor_desk.services.settings import DeskSettings
from kfor_desk.ui.errors import show_error
from kfor_desk.ui.tasks import TaskHandle, WorkerThreads, run_task

from .loading import RegistersRead, Snapshot, load_map_layers, load_registers, load_rest

if TYPE_CHECKING:
    from kfor_desk.services.desk import Desk

    from .main import MainWindow

log = logging.getLogger("kfor_desk.ui")

ATTENTION_REFRESH_MS = 60_000
COMPUTING = "Computing conflicts…"


class Refresher:
    """The window's refresh coordination (see the module docstring)."""

    def __init__(self, window: MainWindow) -> None:
        self.w = window
        # one reader at a time: loads queue behind each other
        self.pool = WorkerThreads(1, "kfor-load")
        self.desk_settings: DeskSettings = DeskSettings()
        self.training = False
        self.report: ConflictReport | None = None
        self._involving: dict[str, tuple[TrackedConflict, ...]] = {}  # of the report, by record
        self._flags_of: dict[str, tuple[Flag, ...]] = {}
        self.records: list[Record] = []  # the whole records of the last complete refresh
        self._seen_reminders: set[tuple[str, str]] | None = None
        self._task: TaskHandle | None = None  # the refresh being read off the GUI thread
        self._again = False  # another refresh asked for while one was running
        self._after: list[Callable[[], None]] = []
        self.loaded_once = False  # everything of a refresh shown once
        self.registers_shown = False  # the registers shown once (the first step)
        self._map_asked = False  # the map's layers are being loaded (once)
        self._stopping = False  # the event loop is over: nothing more will be shown
        self.attention_timer = QTimer(window)
        self.attention_timer.setInterval(ATTENTION_REFRESH_MS)
        self.attention_timer.timeout.connect(self.refresh_attention)

    # ------------------------------------------------------------ loading
    def refresh(self, then: Callable[[], None] | None = None) -> None:
        """Re-read the registers, conflicts and reminders (F5, after every change) off the
        GUI thread; the window keeps showing what it has until the new values are in.
        ``then`` runs (on the GUI thread) once they are shown. A refresh asked for while
        one is running starts again when it ends, so the last change is always shown."""
        w = self.w
        if then is not None:
            self._after.append(then)
        if not w.attached:  # open_with starts the first load
            return
        if self._task is not None:
            self._again = True
            return
        if not self.registers_shown:
            for table in (w.saf_table, w.ksf_table):
                table.set_loading(True)
            w.statusBar().showMessage("Loading the registers…")
        desk = w.desk
        self._task = run_task(w, "Loading the registers", lambda _p: load_registers(desk),
                              partial(self._registers_read, desk), self._failed,
                              cancellable=False, show_dialog=False, pool=self.pool)

    def involving(self, register_no: str) -> tuple[TrackedConflict, ...]:
        """The conflicts of a record in the report shown (looked up, not searched for)."""
        return self._involving.get(register_no, ())

    def flags_of(self, register_no: str) -> tuple[Flag, ...]:
        """The attention flags of a record in the report shown."""
        return self._flags_of.get(register_no, ())

    def after_refresh(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` once the values of the refresh under way are shown (refreshing when
        none is: the refresh a change asked for has already started)."""
        if self._task is not None:
            self._after.append(fn)
        else:
            self.refresh(then=fn)

    def is_loading(self) -> bool:
        """True while a refresh is being read."""
        return self._task is not None

    def is_ready(self) -> bool:
        """True once everything a refresh reads (registers, conflicts, reminders) has been
        shown and no refresh is being read."""
        return self.loaded_once and self._task is None

    def _failed(self, exc: BaseException) -> None:
        w = self.w
        self._task = None
        if w.closed:
            return
        for table in (w.saf_table, w.ksf_table):
            table.set_loading(False)
        w.statusBar().clearMessage()
        self._after.clear()
        show_error(w, exc, "Refresh")
        self.load_map()  # the map draws what it has (nothing) rather than never
        if self._again:
            self._again = False
            self.refresh()

    def _registers_read(self, desk: Desk, regs: RegistersRead) -> None:
        """The first step is in: show the registers, then derive the rest of the same read."""
        w = self.w
        if w.closed:
            self._task = None
            return
        self._show_registers(regs)
        if self._again:  # something changed while reading: read again, show this meanwhile
            self._task = None
            self._again = False
            self.refresh()
            return
        self._task = run_task(w, "Computing conflicts",
                              lambda _p: load_rest(desk, regs, self._rest_unwanted),
                              self._loaded, self._failed, on_cancel=self._dropped,
                              cancellable=False, show_dialog=False, pool=self.pool)

    def _rest_unwanted(self) -> bool:
        """Asked by the second step on the loader thread between chunks of its work: its
        result is no longer wanted once the window has closed or the event loop is over (plain
        attribute reads). A newer refresh is not a reason: see the module's docstring."""
        return self._stopping or self.w.closed

    def stop(self) -> None:
        """The application's event loop is over (it may end without closing the window):
        a second step still running stops at its next check instead of being waited for."""
        self._stopping = True

    def _dropped(self) -> None:
        """The second step stopped unfinished (see :meth:`_rest_unwanted`): nothing of it is
        shown; a newer refresh starts unless the window has closed."""
        self._task = None
        if self.w.closed:
            return
        if self._again:
            self._again = False
            self.refresh()

    def _show_registers(self, regs: RegistersRead) -> None:
        w = self.w
        self.desk_settings = regs.settings
        self.training = regs.training
        for model in (w.notifications, w.requests):
            model.set_due_soon_hours(regs.settings.due_soon_h)
        # the attention column says "computing" until the report of this read is in
        w.notifications.set_lines(regs.notifications, regs.now, attention_pending=True)
        w.requests.set_lines(regs.requests, regs.now, attention_pending=True)
        for table in (w.saf_table, w.ksf_table):
            table.set_loading(False)
        if w.conflicts is not None:
            w.tabs.setTabText(w.tabs.indexOf(w.conflicts), "Conflicts (computing…)")
            if self.report is None:
                w.conflicts.summary.setText(COMPUTING)
        if not self.registers_shown:
            w.statusBar().showMessage(COMPUTING)
        self.registers_shown = True
        w.commands.apply_readonly()
        w.selection.reselect()
        w.registersShown.emit()

    def _loaded(self, snap: Snapshot) -> None:
        self._task = None
        if self.w.closed:
            return
        if self._again:  # something changed while reading: read again, show this meanwhile
            self._again = False
            self.refresh()
        self._apply(snap)

    def _apply(self, snap: Snapshot) -> None:
        w = self.w
        first = not self.loaded_once
        self.loaded_once = True
        self.report = snap.report
        self._involving, self._flags_of = snap.involving, snap.flags_of
        self.records = snap.records
        self.desk_settings = snap.settings
        self.training = snap.training
        for model in (w.notifications, w.requests):
            model.set_due_soon_hours(snap.settings.due_soon_h)
        # the registers at the moment of the whole read (a save after the lines shows)
        w.notifications.set_whole(snap.note_lines, snap.notes, snap.now)
        w.requests.set_whole(snap.req_lines, snap.reqs, snap.now)
        w.notifications.set_attention(snap.row_attention)
        w.requests.set_attention(snap.row_attention)
        if w.conflicts is not None:
            w.conflicts.set_report(snap.report, snap.titles(), snap.conflict_rows)
            n_open = len(snap.report.open_conflicts)
            w.tabs.setTabText(w.tabs.indexOf(w.conflicts),
                              f"Conflicts ({n_open} open)" if n_open else "Conflicts")
        w.detail.set_map_items(snap.map_items)
        w.timeline.set_items(snap.timeline, snap.timeline_conflicts, snap.timeline_index)
        self.show_attention(list(snap.attention))
        w.commands.apply_readonly()
        if first:
            w.statusBar().clearMessage()
            self.load_map()  # the map's layers after the first screen is complete
        w.selection.reselect()
        pending, self._after = self._after, []
        if self._task is None:
            for fn in pending:
                fn()
        else:  # they wait for the newer values
            self._after = pending
        w.refreshed.emit()

    def load_map(self) -> None:
        """The map's layers, once, on the loader thread."""
        w = self.w
        if w.detail.map is not None or self._map_asked:
            return
        self._map_asked = True

        def failed(exc: BaseException) -> None:
            log.warning("map layers not loaded: %s", exc)
            if not w.closed and w.detail.map_placeholder is not None:
                w.detail.map_placeholder.setText("The map could not be drawn.")

        def done(layers: Any) -> None:
            if not w.closed:
                w.detail.install_map(layers)

        run_task(w, "Loading the map", lambda _p: load_map_layers(), done, failed,
                 cancellable=False, show_dialog=False, pool=self.pool)

    # ------------------------------------------------------------ reminders
    def refresh_attention(self) -> None:
        """The timer: move the clock of the registers and recompute the reminders."""
        w = self.w
        if not w.attention.is_loaded():  # the first read has not come in yet
            return
        try:
            now = w.desk.clock()
            w.notifications.set_now(now)
            w.requests.set_now(now)
            self.show_attention(attention_items(self.records, now, self.desk_settings))
        except Exception as exc:
            show_error(w, exc, "Reminders")

    def show_attention(self, items: list[AttentionItem]) -> None:
        w = self.w
        w.attention.set_items(items)
        keys = {i.key for i in items}
        if self._seen_reminders is not None:
            fresh = new_items(items, self._seen_reminders)
            if fresh:
                first = fresh[0]
                more = f" (+{len(fresh) - 1} more)" if len(fresh) > 1 else ""
                w.notify(f"{first.reminder.label}: {first.register_no}{more}", first.detail)
        self._seen_reminders = keys
