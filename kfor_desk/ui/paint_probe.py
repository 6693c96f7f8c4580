"""Start-up measurement hook: ``KFOR_DESK_EXIT_AFTER_PAINT=1`` ends the app after the main
window's first paint.

When the variable is set, :func:`install_from_env` (called by the frozen app's entry point and
by ``bench/bench_start.py`` before the usual start) creates the ``QApplication`` and watches for
the first paint of a ``QMainWindow``. Once that paint is done it prints one line,
``KFOR_DESK_PAINTED <seconds since the probe was installed>``, on stdout and quits the event
loop, so the normal shutdown (closing the database) still runs. Without the variable nothing
happens and nothing is imported. ``app.run`` installs it too (a second call does nothing), so
``kfor-desk`` from source honours the variable as well.
"""

from __future__ import annotations

import os
import sys
import time

ENV = "KFOR_DESK_EXIT_AFTER_PAINT"
LINE = "KFOR_DESK_PAINTED"

_keep: list[object] = []  # the filter and timers must outlive install_from_env


def install_from_env() -> bool:
    """Install the probe if ``$KFOR_DESK_EXIT_AFTER_PAINT`` is ``1``; True if installed."""
    if os.environ.get(ENV) != "1":
        return False
    if _keep:  # installed already (the entry point, then ``app.run``): one probe only
        return True
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

    started = time.perf_counter()
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])

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
            # quit() is ignored outside a running event loop: keep asking until it is one.
            timer = QTimer(app)
            timer.timeout.connect(app.quit)
            timer.start(20)
            _keep.append(timer)
            app.quit()

    probe = _FirstPaint()
    app.installEventFilter(probe)
    _keep.extend([app, probe])
    return True
