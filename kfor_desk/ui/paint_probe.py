"""Start-up measurement hook: ``KFOR_DESK_EXIT_AFTER_PAINT`` ends the app after the main
window's first paint (``1``), once its records are shown (``ready``) or once a new record can
be saved (``editable``).

When the variable is set, :func:`install_from_env` (called by the frozen app's entry point and
by ``bench/bench_start.py`` before the usual start) creates the ``QApplication`` and watches for
the first paint of a ``QMainWindow``. Once that paint is done it prints one line,
``KFOR_DESK_PAINTED <seconds since the probe was installed>``, on stdout; with ``1`` it then
quits the event loop (so the normal shutdown still runs). With ``ready`` it waits for
:func:`mark_ready` (the app calls it when the window has shown the records of the opened
database), prints ``KFOR_DESK_READY <seconds>`` and quits. With ``editable`` it says
``KFOR_DESK_READY`` the same way and ``KFOR_DESK_EDITABLE <seconds>`` once
:func:`mark_editable` is called (the app calls it when the checks on open have passed and the
window is writable: this may come before the registers are filled), and quits once it has
said both. Without the variable nothing happens
and nothing is imported. ``app.run`` installs it too (a second call does nothing), so
``kfor-desk`` from source honours the variable as well.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

ENV = "KFOR_DESK_EXIT_AFTER_PAINT"
LINE = "KFOR_DESK_PAINTED"
READY_LINE = "KFOR_DESK_READY"
EDITABLE_LINE = "KFOR_DESK_EDITABLE"
MODES = ("1", "ready", "editable")

_keep: list[object] = []  # the filter and timers must outlive install_from_env
_state = {"painted": False, "ready": False, "said_ready": False, "editable": False,
          "said_editable": False}
_when_ready: list[Callable[[], None]] = []  # says READY (and EDITABLE) once they are true


def install_from_env() -> bool:
    """Install the probe if ``$KFOR_DESK_EXIT_AFTER_PAINT`` is ``1``, ``ready`` or
    ``editable``; True if installed."""
    mode = os.environ.get(ENV)
    if mode not in MODES:
        return False
    if _keep:  # installed already (the entry point, then ``app.run``): one probe only
        return True
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

    started = time.perf_counter()
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])

    def quit_app() -> None:
        # quit() is ignored outside a running event loop: keep asking until it is one.
        timer = QTimer(app)
        timer.timeout.connect(app.quit)
        timer.start(20)
        _keep.append(timer)
        app.quit()

    def say_ready() -> None:
        if not _state["painted"]:
            return
        if _state["ready"] and not _state["said_ready"]:
            _state["said_ready"] = True
            print(f"{READY_LINE} {time.perf_counter() - started:.4f}", flush=True)
            if mode == "ready":
                quit_app()
        if mode == "editable" and _state["editable"] and not _state["said_editable"]:
            _state["said_editable"] = True
            print(f"{EDITABLE_LINE} {time.perf_counter() - started:.4f}", flush=True)
        if mode == "editable" and _state["said_ready"] and _state["said_editable"]:
            quit_app()  # both said, in whichever order they came

    class _FirstPaint(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.seen = False

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if (not self.seen and event.type() == QEvent.Type.Paint
                    and isinstance(obj, QWidget) and isinstance(obj.window(), QMainWindow)):
                self.seen = True
                # After this paint has been delivered (and flushed to the backing store).
                QTimer.singleShot(0, self.done)
            return False

        def done(self) -> None:
            print(f"{LINE} {time.perf_counter() - started:.4f}", flush=True)
            app.removeEventFilter(self)
            _state["painted"] = True
            if mode == "1":
                quit_app()
            else:
                say_ready()

    probe = _FirstPaint()
    app.installEventFilter(probe)
    _keep.extend([app, probe])
    if mode != "1":
        _when_ready.append(say_ready)
    return True


def mark_ready(*_args: object) -> None:
    """The window shows the records of the opened database (with ``ready``: say so and quit
    once the first paint has been said too). Does nothing without the probe."""
    _state["ready"] = True
    for fn in _when_ready:
        fn()


def mark_editable(*_args: object) -> None:
    """A new record can be saved in the window (with ``editable``: say so and quit once the
    first paint has been said too). Does nothing without the probe."""
    _state["editable"] = True
    for fn in _when_ready:
        fn()
