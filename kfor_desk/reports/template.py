"""Page template, fonts, styles and the table helper shared by every brief.

Every page carries the marking, the originator, title and as-of DTG, and a footer with
``Page X of Y``, the DTG of production, the duty officer and the full audit chain head: see
:mod:`.page`. Headings leave PDF bookmarks; the file is made PDF/A-2b by :mod:`.pdfa`.

Only DejaVu Sans (regular and bold, shipped in ``resources/fonts``) is used, embedded as a subset:
it covers Serbian Latin and Cyrillic and Albanian. Every string a user typed goes through
:func:`esc` before it reaches ``Paragraph`` markup.

Output is reproducible: ``invariant`` mode, a creation date taken from ``meta.produced_at`` and
a document ID derived from the content make the same data give the same bytes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
)

from kfor_desk import __version__
from kfor_desk.domain.timefmt import format_dtg
from kfor_desk.resources import resource
from kfor_desk.style import PAPER

from .model import BriefMeta

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"

PAGE_SIZE = A4
MARGIN_X = 15 * mm
TOP_RESERVED = 76.0  # points above the frame: banner, releasability, EXERCISE, header line
BOTTOM_RESERVED = 70.0  # points below the frame: footer lines, EXERCISE, banner

# Colours: kfor_desk.style.PAPER (one source with the window's theme). The ``*_HEX`` strings
# are for Paragraph markup (``<font color=…>``).
NAVY = colors.HexColor(PAPER.heading)
GREY = colors.HexColor(PAPER.muted)
LIGHT = colors.HexColor(PAPER.shade)
RULE = colors.HexColor(PAPER.rule)
ALERT = colors.HexColor(PAPER.alert)
AMBER = colors.HexColor(PAPER.caution)
GREY_HEX = PAPER.muted
ALERT_HEX = PAPER.alert
AMBER_HEX = PAPER.caution
EXERCISE_TEXT = "EXERCISE EXERCISE EXERCISE"


@cache
def register_fonts() -> None:
    """Register DejaVu Sans regular and bold (once) and the family for ``<b>`` in markup.

    Also turns off reportlab's ASCII85 layer over compressed streams: it only makes the file
    7-bit safe, costs seconds on a long brief, and pikepdf rewrites the streams anyway."""
    from reportlab import rl_config

    rl_config.useA85 = 0
    pdfmetrics.registerFont(TTFont(FONT, str(resource("fonts", "DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(resource("fonts", "DejaVuSans-Bold.ttf"))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT,
                                  boldItalic=FONT_BOLD)


# --- text ---------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")


def esc(text: object) -> str:
    """Escape a user string for ``Paragraph`` markup; newlines become line breaks.

    ``&``, ``<`` and ``>`` print literally; control characters (which no font draws) are dropped,
    and a tab prints as a space.
    """
    s = "" if text is None else str(text)
    s = _CONTROL.sub("", s.replace("\t", " ").replace("\r\n", "\n").replace("\r", "\n"))
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return s.replace("\n", "<br/>")


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut with an ellipsis so that it fits ``width`` points (for canvas strings)."""
    return cut_to_width(_CONTROL.sub("", " ".join(text.split())), font, size, width)


def cut_to_width(text: str, font: str, size: float, width: float) -> str:
    """``text``, or its longest beginning that fits ``width`` points with "…" after it (found
    by halving: a timeline label was measured once per character cut)."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    lo, hi = 0, len(text) - 1  # text[:lo] + "…" fits (or lo is 0); text[:hi + 1] + "…" does not
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if pdfmetrics.stringWidth(text[:mid] + "…", font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo] + "…"


def dtg(value: Any) -> str:
    """DTG of an aware datetime, ``—`` for ``None``."""
    return format_dtg(value) if value is not None else "—"


# --- styles -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    head: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    note: ParagraphStyle
    bullet: ParagraphStyle
    label: ParagraphStyle
    centre: ParagraphStyle


@cache
def styles() -> Styles:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12, spaceAfter=3)
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=7, leading=8.6)
    return Styles(
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5, textColor=GREY),
        cell=cell,
        cell_bold=ParagraphStyle("cellb", parent=cell, fontName=FONT_BOLD),
        head=ParagraphStyle("head", parent=cell, fontName=FONT_BOLD, textColor=colors.white),
        h1=ParagraphStyle("h1", parent=body, fontName=FONT_BOLD, fontSize=15, leading=19,
                          textColor=NAVY, spaceAfter=4),
        h2=ParagraphStyle("h2", parent=body, fontName=FONT_BOLD, fontSize=11, leading=14,
                          textColor=NAVY, spaceBefore=10, spaceAfter=4),
        h3=ParagraphStyle("h3", parent=body, fontName=FONT_BOLD, fontSize=9, leading=12,
                          spaceBefore=6, spaceAfter=2),
        note=ParagraphStyle("note", parent=body, textColor=GREY),
        bullet=ParagraphStyle("bullet", parent=body, leftIndent=12, bulletIndent=2,
                              bulletFontName=FONT),
        label=ParagraphStyle("label", parent=cell, fontName=FONT_BOLD, fontSize=8, leading=10,
                             textColor=NAVY),
        centre=ParagraphStyle("centre", parent=body, alignment=TA_CENTER),
    )


# --- building blocks ----------------------------------------------------------------------------


class Para(Paragraph):  # type: ignore[misc]
    """A paragraph that lays its lines out once per width.

    reportlab wraps a table cell's paragraph again each time the table is measured: on every
    page a long table is split over, and once more when the cell is drawn. The line breaks
    depend on the width only, so a second ``wrap`` at the same width returns the first result
    (a 1,000-record brief wrapped each cell about three times). ``split`` drops the layout
    (``del self.blPara``) and the next ``wrap`` does it again; the split parts are new objects.
    """

    _wrapped_at: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if availWidth == self._wrapped_at and "blPara" in self.__dict__:
            return self.width, self.height
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        self._wrapped_at = availWidth
        return size




def para(markup: str, style: ParagraphStyle | None = None) -> Paragraph:
    """A paragraph from markup the caller built (user parts already passed through :func:`esc`)."""
    return Para(markup, style or styles().body)


def text(value: object, style: ParagraphStyle | None = None) -> Paragraph:
    """A paragraph of plain user text (escaped here)."""
    return Para(esc(value), style or styles().body)


class _Heading(Para):
    """A heading that leaves a PDF bookmark where it is drawn (``BriefCanvas.outline``)."""

    def __init__(self, markup: str, style: ParagraphStyle, outline: str, level: int) -> None:
        super().__init__(markup, style)
        self._outline = (outline, level)

    def draw(self) -> None:
        mark = getattr(self.canv, "outline", None)
        if mark is not None:
            mark(*self._outline)
        super().draw()


def heading(title: str, count: int | None = None, *, level: int = 0) -> Paragraph:
    """A section heading (``level`` 0) or sub-heading (1), bookmarked in the PDF outline."""
    suffix = f' <font size="9" color="{GREY_HEX}">({count})</font>' if count is not None else ""
    label = f"{title} ({count})" if count is not None else title
    style = styles().h2 if level == 0 else styles().h3
    return _Heading(esc(title) + suffix, style, label, level)


def nothing_to_report() -> Paragraph:
    return Paragraph("Nothing to report.", styles().note)


def unavailable(what: str, reason: str) -> Paragraph:
    return Paragraph(f"{esc(what)} unavailable: {esc(reason)}.", styles().note)


def bullets(items: Iterable[str]) -> list[Flowable]:
    """Bulleted paragraphs of markup (already escaped by the caller)."""
    return [Paragraph(item, styles().bullet, bulletText="•") for item in items]


def drawing(width: float, height: float) -> Drawing:
    """A graphics drawing whose default font is DejaVu Sans (so no unembedded font is named)."""
    register_fonts()
    d = Drawing(width, height)
    d.initialFontName = FONT
    d.initialFontSize = 7
    return d


def keep(*flowables: Flowable) -> KeepTogether:
    return KeepTogether(list(flowables))


def gap(height_mm: float = 3) -> Spacer:
    return Spacer(1, height_mm * mm)


def frame_width() -> float:
    return float(PAGE_SIZE[0] - 2 * MARGIN_X)


def frame_height() -> float:
    return float(PAGE_SIZE[1] - TOP_RESERVED - BOTTOM_RESERVED)


def build_pdf(meta: BriefMeta, story: list[Flowable]) -> bytes:
    """Lay out ``story`` on the brief template and return PDF/A-2b bytes (see ``pdfa``)."""
    from .page import BriefCanvas, reserved
    from .pdfa import to_pdfa

    register_fonts()
    buf = io.BytesIO()
    w, h = PAGE_SIZE
    top, bottom = reserved(meta, w, MARGIN_X)
    doc = BaseDocTemplate(
        buf, pagesize=PAGE_SIZE, invariant=1, pageCompression=1,
        title=meta.title, author=meta.operator, subject=subject_of(meta),
        keywords=keywords_of(meta),
        creator=f"KFOR Desk {__version__}", producer=f"KFOR Desk {__version__}",
        leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=top, bottomMargin=bottom,
        initialFontName=FONT,
    )
    frame = Frame(MARGIN_X, bottom, w - 2 * MARGIN_X, h - top - bottom,
                  id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="brief", frames=[frame])])

    def make_canvas(*args: Any, **kwargs: Any) -> BriefCanvas:
        return BriefCanvas(*args, meta=meta, **kwargs)

    doc.build(story or [nothing_to_report()], canvasmaker=make_canvas)
    return to_pdfa(buf.getvalue(), meta)


def marking_line(meta: BriefMeta) -> str:
    """Classification · releasability · EXERCISE, as one line."""
    parts = [meta.classification, meta.releasability,
             EXERCISE_TEXT if meta.training else ""]
    return " · ".join(p for p in parts if p)


def subject_of(meta: BriefMeta) -> str:
    """The PDF subject: the marking and the title (EXERCISE included)."""
    return f"{marking_line(meta)} — {meta.title}"


def keywords_of(meta: BriefMeta) -> str:
    words = ["KFOR", meta.originator, "deconfliction", "ABL", "SAF", "KSF", meta.title,
             meta.classification, "EXERCISE" if meta.training else ""]
    return "; ".join(w for w in words if w)
