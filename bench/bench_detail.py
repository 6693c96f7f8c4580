"""Detail pane benchmark: how long choosing a register row holds the GUI thread.

A row chosen in a register shows the record in the detail pane with its history. The record's
history (and the record as saved) are read off the GUI thread (``ui/tasks``); the GUI thread
only shows the record the register has and, when the read is in, the history.

Measured on a demo desk (``--records``, default 300) with the real window, offscreen, on
``--rows`` rows (default 60) chosen one after the other:
- baseline, same run: the GUI thread reading the record and its history itself and showing
  them (what choosing a row did before: ``desk.record`` + ``desk.history`` +
  ``DetailPane.show_record``);
- now: ``setCurrentIndex`` on the register (the GUI thread's share: the record shown, the read
  started), and the time until the history is shown (the read on a worker, then shown).
Median and max in ms. Nothing is timed against a fixed figure: the baseline is the yardstick.
Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_detail.py [--records N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from kfor_desk.services.demo import create_demo
from kfor_desk.ui import errors
from kfor_desk.ui.main_window import MainWindow

NOW = datetime(2026, 11, 26, 17, 0, tzinfo=UTC)


def stats(values: list[float]) -> str:
    return f"median {statistics.median(values):7.2f} ms   max {max(values):7.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=300)
    parser.add_argument("--rows", type=int, default=60)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    errors.presenter = lambda box: None
    folder = Path(tempfile.mkdtemp(prefix="bench-detail-"))
    desk = create_demo(str(folder / "d.db"), args.records, now=NOW)
    desk.clock = lambda: NOW
    w = MainWindow(desk, str(folder / "d.db"),
                   QSettings(str(folder / "w.ini"), QSettings.Format.IniFormat), tray=False)
    w.resize(1366, 740)
    w.show()
    deadline = time.monotonic() + 120
    while not w.is_ready() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    model, table = w.notifications, w.saf_table
    rows = [i % model.rowCount() for i in range(args.rows)]

    before: list[float] = []
    for i in rows:  # the old way: read on the GUI thread, then show
        rec = model.record_at(i)
        assert rec is not None and rec.register_no
        t = time.perf_counter()
        saved = desk.record(rec.register_no)
        history = desk.history(rec.register_no)
        w.detail.show_record(saved, history, [])
        before.append((time.perf_counter() - t) * 1000)
    w.detail.clear()

    held: list[float] = []
    shown: list[float] = []
    for i in rows:
        table.setCurrentIndex(model.index((i + 1) % model.rowCount(), 0))  # move off the row
        while w.detail.is_loading():
            app.processEvents()
        t = time.perf_counter()
        table.setCurrentIndex(model.index(i, 0))
        held.append((time.perf_counter() - t) * 1000)
        while w.detail.is_loading():
            app.processEvents()
        shown.append((time.perf_counter() - t) * 1000)

    print(f"{args.records} records, {len(rows)} rows chosen, 1366x740 offscreen")
    print(f"baseline: read + show on the GUI thread      {stats(before)}")
    print(f"now: GUI thread held by choosing the row     {stats(held)}")
    print(f"now: until the history is shown (worker)     {stats(shown)}")
    w.close()
    desk.close()


if __name__ == "__main__":
    main()
