"""Portable mode: a marker file ``kfor-desk.portable`` beside the executable keeps all data,
settings and backups in a folder beside it (a USB stick moved between air-gapped machines)."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

MARKER = "kfor-desk.portable"


@cache
def portable_root() -> Path | None:
    exe_dir = Path(sys.executable).resolve().parent
    if getattr(sys, "frozen", False) and (exe_dir / MARKER).is_file():
        return exe_dir
    return None
