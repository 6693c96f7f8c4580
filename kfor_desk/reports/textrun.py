"""Many short strings at given places, as one PDF text object: what the tables' plain cells and
the timeline's labels are drawn with.

reportlab's ``textOut`` measures each string (to move a cursor nobody uses here) and maps it
to the font subset character by character, every time. Here the font, subset and colour are
set only where they change, and each distinct string is mapped once per document (a brief
repeats its DTGs, status words and distances hundreds of times); the mapping is the one
reportlab made, so the page content is what ``textOut`` would write. Strings are plain text:
no markup, no wrapping (:mod:`.lines` wraps). Only embedded TrueType fonts (DejaVu Sans).
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from reportlab.lib import colors
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getFont

# per document: (font name, text) -> ((subset font name, escaped bytes), ...)
_ENCODED: WeakKeyDictionary[Any, dict[tuple[str, str], tuple[tuple[str, str], ...]]] = \
    WeakKeyDictionary()


class TextRun:
    """Strings added with :meth:`add`, written to the canvas by :meth:`draw`."""

    def __init__(self, canv: Any) -> None:
        self.canv = canv
        self.t: Any = None
        self.cur: tuple[str, float] | None = None  # subset font name and size in use
        self.colour: Any = None
        doc = canv._doc
        self.doc = doc
        encoded = _ENCODED.get(doc)
        if encoded is None:
            encoded = _ENCODED[doc] = {}
        self.encoded = encoded

    def _encode(self, font: str, text: str) -> tuple[tuple[str, str], ...]:
        key = (font, text)
        enc = self.encoded.get(key)
        if enc is None:
            f = getFont(font)
            escape = self.canv._escape
            enc = tuple((f.getSubsetInternalName(subset, self.doc), escape(part))
                        for subset, part in f.splitString(text, self.doc))
            self.encoded[key] = enc
        return enc

    def add(self, x: float, y: float, text: str, font: str, size: float,
            colour: Any = None) -> None:
        """``text`` with its baseline starting at (``x``, ``y``)."""
        if not text:
            return
        t = self.t
        if t is None:
            t = self.t = self.canv.beginText()
        colour = colour or colors.black
        if colour != self.colour:
            t.setFillColor(colour)
            self.colour = colour
        t.setTextOrigin(x, y)
        code = t._code
        for name, escaped in self._encode(font, text):
            if self.cur != (name, size):
                code.append(f"{name} {fp_str(size)} Tf {fp_str(size * 1.2)} TL")
                self.cur = (name, size)
            code.append(f"({escaped}) Tj")

    def draw(self) -> None:
        """Write the text object (nothing if no string was added)."""
        if self.t is not None:
            self.canv.saveState()
            self.canv.drawText(self.t)
            self.canv.restoreState()
