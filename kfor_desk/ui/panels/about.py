"""The About box: versions, licences, map attribution, and the accreditation note."""

from __future__ import annotations

import platform
import sqlite3
from html import escape

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from kfor_desk import __version__
from kfor_desk.ui import palette

from .settings_dialog import NOT_ACCREDITED


def about_html(database: str = "", chain_head: str = "") -> str:
    from kfor_desk.domain.geo.mapdata import OSM_ATTRIBUTION  # the geo stack loads here

    rows = [
        ("KFOR Desk", __version__),
        ("Python", platform.python_version()),
        ("Qt / PySide6", f"{qVersion()} / {pyside_version}"),
        ("SQLite", sqlite3.sqlite_version),
    ]
    if database:
        rows.append(("Database", database))
    if chain_head:
        rows.append(("Audit chain head", chain_head[:16] + "…"))
    table = "".join(f"<tr><td style='color:{palette.MUTED}; padding-right:12px'>{escape(k)}</td>"
                    f"<td>{escape(v)}</td></tr>" for k, v in rows)
    return (
        "<h3>KFOR Desk</h3>"
        "<p>The duty officer's registers of SAF exercise notifications and KSF consent "
        "requests, with deconfliction and PDF briefs, working fully offline.</p>"
        f"<table>{table}</table>"
        f"<p><b>Map data</b> {escape(OSM_ATTRIBUTION)}; the ABL line is indicative.<br>"
        "<b>Fonts</b> DejaVu Sans (Bitstream Vera / DejaVu licence).<br>"
        "<b>Libraries</b> Qt and PySide6 (LGPLv3), SQLAlchemy and Alembic (MIT), "
        "reportlab (BSD), pyproj (MIT, PROJ: MIT), platformdirs (MIT).</p>"
        f"<p style='color:{palette.NOTE}'><b>Not an accredited system.</b> {escape(NOT_ACCREDITED)}"
        "</p>"
    )


def about_box(parent: QWidget | None, database: str = "", chain_head: str = "") -> QMessageBox:
    """A non-blocking About box (call ``open()`` or ``exec()``)."""
    box = QMessageBox(parent)
    box.setWindowTitle("About KFOR Desk")
    box.setIcon(QMessageBox.Icon.Information)
    box.setText(about_html(database, chain_head))
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    return box
