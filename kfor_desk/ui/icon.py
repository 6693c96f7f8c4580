"""The application icon: ``app_icon()`` for ``QApplication.setWindowIcon`` and windows.

Built from the PNG sizes rendered at build time (``packaging/make_icons.py``, present in the
bundle as ``resources/icons/kfor-desk-<N>.png``) and the SVG master, so it is sharp at every
size; a source checkout has only the SVG, which Qt renders through its SVG icon engine.
"""

from __future__ import annotations

import re
from functools import cache

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from kfor_desk.resources import resources_dir

ICON_NAME = "kfor-desk"
_PNG = re.compile(rf"{ICON_NAME}-(\d+)\.png")


@cache
def app_icon() -> QIcon:
    """KFOR Desk's icon (a null icon only if the icon files are missing from the install)."""
    folder = resources_dir() / "icons"
    icon = QIcon()
    for path in sorted(folder.glob(f"{ICON_NAME}-*.png")):
        match = _PNG.fullmatch(path.name)
        if match:
            n = int(match.group(1))
            icon.addFile(str(path), QSize(n, n))
    svg = folder / f"{ICON_NAME}.svg"
    if svg.is_file():
        icon.addFile(str(svg))
    return icon
