"""Live between desks, for a window: a :class:`~kfor_desk.services.watch.ChangeWatcher` on the
open desk, its reports handed to the GUI thread as Qt signals.

:class:`LiveChanges` emits ``changed(list[Change])`` and ``state(str | None)`` on the GUI thread
(queued from the watcher's thread, which never touches a widget). :func:`follow` wires it to a
window: every change asks the window to ``refresh()`` (which re-reads off the GUI thread and
coalesces a burst of changes into one read) and shows what changed on the status line, e.g.
"KSF-2026-0031 decided at desk JOC-2 by Capt X". A form being edited is not touched: it keeps
the values it loaded, and saving it over a newer version is refused with the stale-edit
sentence. This module does no SQL and decides nothing about records.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QStatusBar

STATUS_MS = 15_000


class LiveChanges(QObject):
    """The watcher of one desk, speaking Qt. :meth:`stop` before the desk closes."""

    changed = Signal(object)  # list[Change], oldest first
    state = Signal(object)  # None: following; str: why not (the database cannot be reached)

    def __init__(self, location: Any, parent: QObject | None = None, *,
                 poll_s: float = 0.2) -> None:
        super().__init__(parent)
        from kfor_desk.services.watch import ChangeWatcher

        self.watcher = ChangeWatcher(location, self.changed.emit, on_state=self.state.emit,
                                     poll_s=poll_s)

    def start(self) -> None:
        self.watcher.start()

    def stop(self) -> None:
        self.watcher.stop()


def follow(location: Any, refresh: Callable[[], None], status: QStatusBar,
           parent: QObject, *, own_workstation: str | None = None) -> LiveChanges:
    """Start following ``location`` for a window: ``refresh`` on every change, what changed
    (by another desk) on ``status``; a lost connection is said there too. Returns the running
    :class:`LiveChanges` (stop it when the window closes)."""
    from kfor_desk.services.watch import summarize

    live = LiveChanges(location, parent)

    def on_changed(changes: list[Any]) -> None:
        refresh()
        others = [c for c in changes if c.workstation != own_workstation]
        if others:
            status.showMessage(summarize(others), STATUS_MS)

    def on_state(why: str | None) -> None:
        if why:
            status.showMessage(f"Not following the other desks: {why}", STATUS_MS)

    live.changed.connect(on_changed)
    live.state.connect(on_state)
    live.start()
    return live
