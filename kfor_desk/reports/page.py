"""What every page of a brief carries, drawn on the canvas after layout.

Top: the classification banner (shrunk, then wrapped over several lines: a marking is never
cut), the releasability line, ``EXERCISE EXERCISE EXERCISE`` for a training database, the
originator and title, the as-of DTG. Bottom: production DTG and the named duty officer,
``Page X of Y``, the full 64-hex audit chain head in small print, EXERCISE, releasability and the
banner again. The space above and below the frame follows the number of marking lines
(:func:`reserved`), so a long marking pushes the text down instead of over it.

:class:`BriefCanvas` holds each page back until the end so that ``Y`` is known in a single
layout pass; outline entries (PDF bookmarks) made during layout are replayed on their own page.
This module does not lay out the story (``template``) or post-process the file (``pdfa``).
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from kfor_desk import __version__
from kfor_desk.domain.timefmt import ensure_utc, format_dtg

from .model import BriefMeta
from .template import ALERT, EXERCISE_TEXT, FONT, FONT_BOLD, GREY, NAVY, RULE, cut_to_width

BANNER_SIZES = (10.5, 10.0, 9.5, 9.0)
BANNER_WRAP_SIZE = 9.0
REL_SIZE = 8.0


def wrap_words(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` over as many lines as it needs at ``size`` (a word wider than a line is split
    between characters); nothing is dropped."""
    lines: list[str] = []
    current = ""
    for word in " ".join(text.split()).split(" "):
        trial = f"{current} {word}".strip()
        if pdfmetrics.stringWidth(trial, font, size) <= width:
            current = trial
            continue
        if current:
            lines.append(current)
        current = ""
        for ch in word:
            if pdfmetrics.stringWidth(current + ch, font, size) > width and current:
                lines.append(current)
                current = ""
            current += ch
    if current or not lines:
        lines.append(current)
    return lines


def banner_lines(text: str, width: float) -> tuple[float, list[str]]:
    """The classification at the largest size that fits one line, else wrapped at 9 pt."""
    text = " ".join(text.split())
    for size in BANNER_SIZES:
        if pdfmetrics.stringWidth(text, FONT_BOLD, size) <= width:
            return size, [text]
    return BANNER_WRAP_SIZE, wrap_words(text, FONT_BOLD, BANNER_WRAP_SIZE, width)


def _rel_lines(meta: BriefMeta, width: float) -> list[str]:
    return wrap_words(meta.releasability, FONT, REL_SIZE, width) if meta.releasability else []


def reserved(meta: BriefMeta, page_width: float, margin: float) -> tuple[float, float]:
    """Points above and below the frame for this marking (76 and 70 for a one-line one
    without releasability; each further line adds its height)."""
    width = page_width - 2 * margin
    size, banner = banner_lines(meta.classification, width)
    extra_banner = (len(banner) - 1) * (size + 2)
    n_rel = len(_rel_lines(meta, width))
    return (76.0 + extra_banner + max(n_rel - 1, 0) * (REL_SIZE + 2),
            70.0 + extra_banner + n_rel * (REL_SIZE + 2))


class BriefCanvas(Canvas):  # type: ignore[misc]
    """Holds pages back until the end, then draws the decorations with the page count known."""

    def __init__(self, *args: Any, meta: BriefMeta, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._meta = meta
        self._pages: list[dict[str, Any]] = []
        self._marks: list[tuple[str, str, int]] = []
        created = ensure_utc(meta.produced_at).strftime("D:%Y%m%d%H%M%S+00'00'")
        self.setDateFormatter(lambda *_: created)

    def outline(self, title: str, level: int) -> None:
        """A bookmark to the current position of this page (replayed when it is emitted)."""
        self._marks.append((f"s{sum(len(p['_marks']) for p in self._pages) + len(self._marks)}",
                            title, level))

    def showPage(self) -> None:
        state = dict(self.__dict__)
        state["_marks"] = self._marks
        self._pages.append(state)
        self._marks = []
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            for key, title, level in state["_marks"]:
                Canvas.bookmarkPage(self, key, fit="XYZ", top=None)
                Canvas.addOutlineEntry(self, title, key, level=level)
            draw_decorations(self, self._meta, number, total)
            Canvas.showPage(self)
        if any(p["_marks"] for p in self._pages):
            self.showOutline()
        Canvas.save(self)


def draw_decorations(c: Canvas, meta: BriefMeta, number: int, total: int,
                     margin: float = 15 * 72 / 25.4) -> None:
    """Banner, releasability, EXERCISE, header and footer of one page."""
    w, h = c._pagesize
    left, right = margin, w - margin
    width = right - left
    size, banner = banner_lines(meta.classification, width)
    rel = _rel_lines(meta, width)
    c.saveState()
    # ---- top
    c.setFillColor(colors.black)
    c.setFont(FONT_BOLD, size)
    for i, line in enumerate(banner):
        c.drawCentredString(w / 2, h - 22 - i * (size + 2), line)
    slot = h - 22 - (len(banner) - 1) * (size + 2) - 11
    c.setFont(FONT, REL_SIZE)
    for i, line in enumerate(rel):
        c.drawCentredString(w / 2, slot - i * (REL_SIZE + 2), line)
    ex = slot - max(len(rel) - 1, 0) * (REL_SIZE + 2) - 11
    if meta.training:
        c.setFillColor(ALERT)
        c.setFont(FONT_BOLD, 10)
        c.drawCentredString(w / 2, ex, EXERCISE_TEXT)
        c.setFillColor(colors.black)
    top_line = ex - 18
    as_of = f"As of {format_dtg(meta.as_of)}"
    c.setFont(FONT, 8.5)
    as_of_w = pdfmetrics.stringWidth(as_of, FONT, 8.5)
    c.drawRightString(right, top_line, as_of)
    c.setFont(FONT_BOLD, 9.5)
    c.setFillColor(NAVY)
    head = f"{meta.originator} · {meta.title}" if meta.originator else meta.title
    c.drawString(left, top_line, _fit(head, FONT_BOLD, 9.5, width - as_of_w - 12))
    c.setStrokeColor(NAVY)
    c.setLineWidth(0.8)
    c.line(left, top_line - 5, right, top_line - 5)
    # ---- bottom: positions from the page edge up, drawn top down (the banner last)
    banner_y = [13 + i * (size + 2) for i in range(len(banner))][::-1]
    y = banner_y[0]
    rel_y: list[float] = []
    for _ in rel:
        y += REL_SIZE + 2
        rel_y.insert(0, y)
    ex_y = y + 14
    head_y = ex_y + 13
    line_y = head_y + 10
    c.setLineWidth(0.5)
    c.setStrokeColor(RULE)
    c.line(left, line_y + 10, right, line_y + 10)
    c.setFillColor(GREY)
    c.setFont(FONT, 7.5)
    produced = f"Produced {format_dtg(meta.produced_at)} · Duty officer: {meta.operator}"
    c.drawString(left, line_y, _fit(produced, FONT, 7.5, width - 80))
    c.setFont(FONT_BOLD, 8)
    c.setFillColor(colors.black)
    c.drawRightString(right, line_y, f"Page {number} of {total}")
    c.setFillColor(GREY)
    c.setFont(FONT, 6)
    c.drawString(left, head_y, _fit(f"Audit chain head {meta.chain_head or 'n/a'} · KFOR Desk "
                                    f"{__version__} · not an accredited system", FONT, 6, width))
    if meta.training:
        c.setFillColor(ALERT)
        c.setFont(FONT_BOLD, 10)
        c.drawCentredString(w / 2, ex_y, EXERCISE_TEXT)
    c.setFillColor(colors.black)
    c.setFont(FONT, REL_SIZE)
    for line, ly in zip(rel, rel_y, strict=True):
        c.drawCentredString(w / 2, ly, line)
    c.setFont(FONT_BOLD, size)
    for line, by in zip(banner, banner_y, strict=True):
        c.drawCentredString(w / 2, by, line)
    c.restoreState()


def _fit(text: str, font: str, size: float, width: float) -> str:
    """A one-line canvas string cut with an ellipsis to ``width`` (never used for markings)."""
    return cut_to_width(" ".join(text.split()), font, size, width)
