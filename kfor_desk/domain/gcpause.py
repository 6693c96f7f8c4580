"""Python's cycle collector paused while many objects that form no cycles are built at once.

A bulk job (an import, the registers' first read, a register model's rows) allocates hundreds
of thousands of objects that live until it ends; the collector would walk them again and again
for nothing (a seventh of an import, half a first read), while their reference counts free them.
:func:`gc_paused` switches it off for the duration and on again after, if it was on.

The switch is the process's: pauses that overlap (nested, or in two threads: an import off the
GUI thread while the window fills a register) are counted, and the collector comes back on
when the last of them ends, not the first. It does not collect at the end, change the
collector's thresholds or touch a collector that was off before the first pause.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0  # pauses under way
_was_on = False  # whether the collector was on when the first of them began


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cycle collector off inside the ``with`` block (see the module)."""
    global _pauses, _was_on
    with _lock:
        if _pauses == 0:
            _was_on = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_on:
                gc.enable()
