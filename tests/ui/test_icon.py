"""The application icon is found through the resource helper and renders at every size."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from kfor_desk.resources import resource
from kfor_desk.ui.icon import app_icon


def test_svg_master_is_shipped() -> None:
    svg = resource("icons", "kfor-desk.svg")
    text = Path(svg).read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml")
    assert "<svg" in text


def test_app_icon_renders_opaque_pixels(qapp: QApplication) -> None:
    icon = app_icon()
    assert not icon.isNull()
    for n in (16, 32, 64, 256):
        image = icon.pixmap(QSize(n, n)).toImage()
        assert image.width() == n
        centre = image.pixelColor(n // 2, n // 2)
        assert centre.alpha() == 255  # the shield, not transparent background
        corner = image.pixelColor(0, 0)
        assert corner.alpha() == 0
