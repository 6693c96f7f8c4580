"""A cheap table cell of plain lines, each with its own weight, size and colour.

reportlab's ``Paragraph`` parses markup and breaks lines with a general layout engine; in a
long table that is most of the time of a brief (a 1,000-record daily brief spent about half its
time parsing, wrapping and drawing cell paragraphs). :class:`Lines` takes plain text (no markup:
nothing is escaped or interpreted, so a user's ``<b>`` prints literally), wraps each line at
spaces for the cell's width (a word wider than the cell is cut between characters, never left
to run into the next column) and draws it with ``drawString``. It does not mix styles inside a
line, justify or hyphenate: a cell that needs that stays a ``Paragraph``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
SIZE = 7.0
LEADING = 8.6  # the cell paragraph style's leading (template.styles().cell)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")


@dataclass(frozen=True, slots=True)
class Line:
    """One logical line of a :class:`Lines` cell (wrapped at spaces when too wide)."""

    text: str
    bold: bool = False
    colour: colors.Color | None = None
    size: float = SIZE


def clean(text: object) -> str:
    """A user string as one printable run: control characters dropped, tabs as spaces."""
    s = "" if text is None else str(text)
    return _CONTROL.sub("", s.replace("\t", " "))


def _split(text: str, font: str, size: float, width: float) -> list[str]:
    out: list[str] = []
    for para in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        parts = [w for w in para.split(" ") if w]  # a no-break space holds
        whole = " ".join(parts)
        if stringWidth(whole, font, size) <= width:  # most cells: one measurement
            if whole:
                out.append(whole)
            continue
        words: list[str] = []
        for word in parts:
            while stringWidth(word, font, size) > width and len(word) > 1:
                k = len(word) - 1
                while k > 1 and stringWidth(word[:k], font, size) > width:
                    k -= 1
                words.append(word[:k])
                word = word[k:]
            words.append(word)
        # widths add up (no kerning): each word is measured once
        space = stringWidth(" ", font, size)
        line, at = "", 0.0
        for word in words:
            w = stringWidth(word, font, size)
            if line and at + space + w > width:
                out.append(line)
                line, at = word, w
            elif line:
                line, at = f"{line} {word}", at + space + w
            else:
                line, at = word, w
        if line:
            out.append(line)
    return out


class Lines(Flowable):  # type: ignore[misc]
    """Plain lines drawn without Paragraph layout; laid out once per width; splits between
    lines when a table row is split across pages."""

    def __init__(self, lines: Sequence[Line | str]) -> None:
        super().__init__()
        self.lines = [x if isinstance(x, Line) else Line(x) for x in lines if x is not None]
        self._laid: list[tuple[str, str, float, colors.Color | None]] | None = None
        self._at: float | None = None
        self.width = 0.0
        self.height = 0.0

    @property
    def text(self) -> str:
        """The text, one logical line per ``\\n`` (for a key repeated on a split row)."""
        return "\n".join(x.text for x in self.lines)

    def _layout(self, width: float) -> list[tuple[str, str, float, colors.Color | None]]:
        if self._laid is None or self._at != width:
            laid = []
            for x in self.lines:
                font = FONT_BOLD if x.bold else FONT
                for part in _split(clean(x.text), font, x.size, width):
                    laid.append((part, font, x.size, x.colour))
            self._laid, self._at = laid, width
        return self._laid

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        laid = self._layout(availWidth)
        self.width = availWidth
        self.height = len(laid) * LEADING
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Any]:  # noqa: N803
        laid = self._layout(availWidth)
        k = int(availHeight // LEADING)
        if k < 1 or k >= len(laid):
            return []
        return [_Laid(laid[:k], availWidth), _Laid(laid[k:], availWidth)]

    def draw(self) -> None:
        t = self.canv.beginText()
        colour: Any = None
        for n, (part, font, size, col) in enumerate(self._layout(self.width)):
            want = col or colors.black
            if want != colour:
                t.setFillColor(want)
                colour = want
            t.setFont(font, size)
            t.setTextOrigin(0, self.height - n * LEADING - size)
            t.textOut(part)
        self.canv.drawText(t)


class _Laid(Lines):
    """A part of a split :class:`Lines`: already laid out at its width."""

    def __init__(self, laid: list[tuple[str, str, float, colors.Color | None]],
                 width: float) -> None:
        super().__init__([Line(p, font == FONT_BOLD, col, size) for p, font, size, col in laid])
        self._laid, self._at = laid, width
