"""Guard against the PySide6 6.12.0 defect: methods returning nothing dropped a reference to
``None`` on every call (Python 3.11), until the interpreter aborted in ``none_dealloc``."""

from __future__ import annotations

import sys

import pytest


@pytest.mark.gui
def test_void_methods_keep_the_refcount_of_none(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QWidget

    w = QWidget()
    qtbot.addWidget(w)
    for i in range(50):  # warm up caches
        w.setWindowTitle(f"warm {i}")
    before = sys.getrefcount(None)
    for i in range(2000):
        w.setWindowTitle(f"title {i}")
    drift = sys.getrefcount(None) - before
    assert abs(drift) < 100, f"refcount of None moved by {drift} over 2,000 void calls"
