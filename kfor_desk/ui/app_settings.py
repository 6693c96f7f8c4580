"""Window settings (geometry, column widths, last folders) in a ``QSettings`` INI file.

Portable mode keeps the file beside the program (``<root>/data/kfor-desk.ini``, see
``kfor_desk.portable``); otherwise it is the per-user INI file Qt chooses
(``~/.config/kfor-desk/kfor-desk.ini`` on Linux, ``%APPDATA%\\kfor-desk\\kfor-desk.ini`` on
Windows). INI everywhere, never the Windows registry, so settings move with a copied profile.
Desk settings shared by every workstation live in the database (``services.settings``).
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from kfor_desk.portable import settings_file

ORGANIZATION = "kfor-desk"
APPLICATION = "kfor-desk"


def app_settings() -> QSettings:
    """A new ``QSettings`` on the right file; call ``sync()`` (or let it go) to write."""
    path = settings_file()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        return QSettings(str(path), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                     ORGANIZATION, APPLICATION)
