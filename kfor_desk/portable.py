"""Portable mode: a marker file ``kfor-desk.portable`` beside the executable keeps all data,
settings and backups in a folder beside it (a USB stick moved between air-gapped machines).

Layout of a portable installation::

    kfor-desk/                    the bundle folder (kfor-desk or kfor-desk.exe, _internal/)
      kfor-desk.portable          the marker (empty; its content is ignored)
      data/                       data_dir(): the database kfor-desk.db, ...
        backups/                  backups (pre-upgrade and manual)
        kfor-desk.ini             window settings (QSettings, INI format)

Where the marker counts:

- The frozen app (PyInstaller): beside ``sys.executable``, i.e. the ``kfor-desk`` program.
- Running from source (``python -m kfor_desk``, a venv's ``kfor-desk`` script): the marker is
  **not** looked for beside the Python interpreter, since a shared interpreter must not switch
  every user into portable mode. Set ``KFOR_DESK_PORTABLE=FOLDER`` instead to use FOLDER as the
  portable root (also honoured by the frozen app; it wins over the marker).

Imports nothing of ours and no Qt, so every layer may use it. The answer is cached for the
process; tests call ``portable_root.cache_clear()``.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

MARKER = "kfor-desk.portable"
ENV_PORTABLE = "KFOR_DESK_PORTABLE"
DATA_FOLDER = "data"
SETTINGS_FILE = "kfor-desk.ini"
BACKUP_FOLDER = "backups"


def _executable_dirs() -> list[Path]:
    exe = Path(sys.executable).absolute()
    dirs = [exe.parent]
    try:
        real = exe.resolve().parent
    except OSError:
        return dirs
    if real != exe.parent:
        dirs.append(real)
    return dirs


@cache
def portable_root() -> Path | None:
    """The folder that holds everything in portable mode, or None for a normal installation."""
    forced = os.environ.get(ENV_PORTABLE)
    if forced:
        return Path(forced).expanduser().absolute()
    if not getattr(sys, "frozen", False):
        return None
    for folder in _executable_dirs():
        if (folder / MARKER).is_file():
            return folder
    return None


def is_portable() -> bool:
    return portable_root() is not None


def portable_data_dir() -> Path | None:
    """``<root>/data`` in portable mode (what ``services.session.data_dir`` returns), else None."""
    root = portable_root()
    return root / DATA_FOLDER if root else None


def settings_file() -> Path | None:
    """The INI file for window settings in portable mode, else None (the per-user default)."""
    data = portable_data_dir()
    return data / SETTINGS_FILE if data else None


def backups_dir() -> Path | None:
    """The backup folder in portable mode, else None (backups go beside the database)."""
    data = portable_data_dir()
    return data / BACKUP_FOLDER if data else None
