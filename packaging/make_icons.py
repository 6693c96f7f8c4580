"""Render ``resources/icons/kfor-desk.svg`` to PNGs (16…256 px) with Qt's SVG renderer.

Used by ``build.sh`` at build time (the PNGs are not committed)::

    python packaging/make_icons.py OUT_DIR

writes ``OUT_DIR/kfor-desk-<N>.png`` for each size, plus ``OUT_DIR/kfor-desk.ico`` (16…256, PNG
entries) for the Windows build. Runs offscreen; needs no display.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256)
ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "kfor-desk.svg"


def render(out_dir: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SVG}")
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for n in SIZES:
        image = QImage(n, n, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        path = out_dir / f"kfor-desk-{n}.png"
        if not image.save(str(path), "PNG"):
            raise SystemExit(f"cannot write {path}")
        written.append(path)
    del _app
    return written


def write_ico(pngs: list[Path], out: Path) -> None:
    """A Windows .ico holding the PNGs as they are (allowed since Windows Vista)."""
    blobs = [(int(p.stem.rsplit("-", 1)[1]), p.read_bytes()) for p in pngs]
    header = struct.pack("<HHH", 0, 1, len(blobs))
    offset = 6 + 16 * len(blobs)
    entries, data = b"", b""
    for size, blob in blobs:
        dim = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset + len(data))
        data += blob
    out.write_bytes(header + entries + data)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: make_icons.py OUT_DIR", file=sys.stderr)
        return 2
    out_dir = Path(argv[0])
    pngs = render(out_dir)
    write_ico(pngs, out_dir / "kfor-desk.ico")
    print(f"icons: {len(pngs)} PNG sizes and kfor-desk.ico in {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
