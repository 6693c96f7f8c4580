"""Page template, fonts, styles and the table helper shared by every brief.

Every page carries the classification banner centred at top and bottom, the optional
releasability line, ``EXERCISE EXERCISE EXERCISE`` for a training database, the title and as-of
DTG, and a footer with ``Page X of Y``, the DTG of production, the operator and the short hash of
the audit chain head. Page decorations are drawn after the story has been laid out (see
:class:`_BriefCanvas`), so ``Y`` is known in a single pass.

Only DejaVu Sans (regular and bold, shipped in ``resources/fonts``) is used, embedded as a subset:
it covers Serbian Latin and Cyrillic and Albanian. Every string a user typed goes through
:func:`esc` before it reaches ``Paragraph`` markup.

Output is reproducible: ``invariant`` mode plus a creation date taken from ``meta.produced_at``
make the same data give the same bytes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeAlias

from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from kfor_desk import __version__
from kfor_desk.domain.timefmt import ensure_utc, format_dtg
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
    """Register DejaVu Sans regular and bold (once) and the family for ``<b>`` in markup."""
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
    text = _CONTROL.sub("", " ".join(text.split()))
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


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

Cell: TypeAlias = str | Flowable | None


def para(markup: str, style: ParagraphStyle | None = None) -> Paragraph:
    """A paragraph from markup the caller built (user parts already passed through :func:`esc`)."""
    return Paragraph(markup, style or styles().body)


def text(value: object, style: ParagraphStyle | None = None) -> Paragraph:
    """A paragraph of plain user text (escaped here)."""
    return Paragraph(esc(value), style or styles().body)


def heading(title: str, count: int | None = None) -> Paragraph:
    suffix = f' <font size="9" color="{GREY_HEX}">({count})</font>' if count is not None else ""
    return Paragraph(esc(title) + suffix, styles().h2)


def nothing_to_report() -> Paragraph:
    return Paragraph("Nothing to report.", styles().note)


def unavailable(what: str, reason: str) -> Paragraph:
    return Paragraph(f"{esc(what)} unavailable: {esc(reason)}.", styles().note)


def bullets(items: Iterable[str]) -> list[Flowable]:
    """Bulleted paragraphs of markup (already escaped by the caller)."""
    return [Paragraph(item, styles().bullet, bulletText="•") for item in items]


def table_style(cmds: Sequence[tuple[Any, ...]]) -> TableStyle:
    """A table style whose plain-string cells use DejaVu Sans (never reportlab's Helvetica)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 7),
                       *cmds])


def data_table(
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float],
    *,
    highlight: Callable[[int], colors.Color | None] | None = None,
) -> Table:
    """A table with a repeating header row, zebra rows and thin rules.

    Cells that are strings are markup (escape user parts first); ``highlight(i)`` may give a
    background for data row ``i``. Rows split across pages, so a long cell never breaks the layout.
    """
    st = styles()
    data: list[list[Cell]] = [[Paragraph(h, st.head) for h in header]]
    for row in rows:
        data.append([Paragraph(c, st.cell) if isinstance(c, str) else c for c in row])
    cmds: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), NAVY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("BOX", (0, 0), (-1, -1), 0.5, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    for i in range(len(rows)):
        colour = highlight(i) if highlight else None
        if colour is not None:
            cmds.append(("BACKGROUND", (0, i + 1), (-1, i + 1), colour))
        elif i % 2 == 1:
            cmds.append(("BACKGROUND", (0, i + 1), (-1, i + 1), LIGHT))
    return Table(data, colWidths=list(widths), repeatRows=1, splitInRow=1,
                 style=table_style(cmds), hAlign="LEFT")


def field_table(pairs: Sequence[tuple[str, Cell]], widths: Sequence[float]) -> Table:
    """Two-column label/value table for a record's fields (values are flowables or markup)."""
    st = styles()
    data: list[list[Cell]] = []
    for label, value in pairs:
        v = Paragraph(value, st.body) if isinstance(value, str) else value
        data.append([Paragraph(esc(label), st.label), v])
    return Table(
        data, colWidths=list(widths), splitInRow=1, hAlign="LEFT",
        style=table_style([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
            ("BACKGROUND", (0, 0), (0, -1), LIGHT),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]),
    )


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


# --- the page canvas ----------------------------------------------------------------------------


class _BriefCanvas(Canvas):  # type: ignore[misc]
    """A canvas that holds each page back until the end, then draws the decorations on all of
    them with the page count known (single layout pass)."""

    def __init__(self, *args: Any, meta: BriefMeta, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._meta = meta
        self._pages: list[dict[str, Any]] = []
        created = ensure_utc(meta.produced_at).strftime("D:%Y%m%d%H%M%S+00'00'")
        self.setDateFormatter(lambda *_: created)

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            draw_decorations(self, self._meta, number, total)
            Canvas.showPage(self)
        Canvas.save(self)


def draw_decorations(c: Canvas, meta: BriefMeta, number: int, total: int) -> None:
    """Banner, releasability, EXERCISE, header and footer of one page."""
    w, h = c._pagesize
    left, right = MARGIN_X, w - MARGIN_X
    c.saveState()
    c.setFillColor(colors.black)
    classification = fit_text(meta.classification, FONT_BOLD, 10.5, right - left)
    # top
    c.setFont(FONT_BOLD, 10.5)
    c.drawCentredString(w / 2, h - 22, classification)
    y = h - 33
    if meta.releasability:
        c.setFont(FONT, 8)
        c.drawCentredString(w / 2, y, fit_text(meta.releasability, FONT, 8, right - left))
    y -= 11
    if meta.training:
        c.setFillColor(ALERT)
        c.setFont(FONT_BOLD, 10)
        c.drawCentredString(w / 2, y, EXERCISE_TEXT)
        c.setFillColor(colors.black)
    as_of = f"As of {format_dtg(meta.as_of)}"
    c.setFont(FONT, 8.5)
    as_of_w = pdfmetrics.stringWidth(as_of, FONT, 8.5)
    c.drawRightString(right, h - 62, as_of)
    c.setFont(FONT_BOLD, 9.5)
    c.setFillColor(NAVY)
    c.drawString(left, h - 62, fit_text(meta.title, FONT_BOLD, 9.5, right - left - as_of_w - 12))
    c.setStrokeColor(NAVY)
    c.setLineWidth(0.8)
    c.line(left, h - 67, right, h - 67)
    # bottom
    c.setLineWidth(0.5)
    c.setStrokeColor(RULE)
    c.line(left, 60, right, 60)
    c.setFillColor(GREY)
    c.setFont(FONT, 7.5)
    page = f"Page {number} of {total}"
    c.setFont(FONT_BOLD, 8)
    c.setFillColor(colors.black)
    c.drawRightString(right, 50, page)
    c.setFillColor(GREY)
    c.setFont(FONT, 7.5)
    produced = f"Produced {format_dtg(meta.produced_at)} · Operator: "
    c.drawString(left, 50, fit_text(produced + meta.operator, FONT, 7.5, right - left - 80))
    c.setFont(FONT, 6)  # the full head, small: a paper witness ('kfor-desk verify --head')
    c.drawString(left, 40, f"Audit chain head {meta.chain_head or 'n/a'} · KFOR Desk "
                 f"{__version__} · not an accredited system")
    if meta.training:
        c.setFillColor(ALERT)
        c.setFont(FONT_BOLD, 10)
        c.drawCentredString(w / 2, 27, EXERCISE_TEXT)
    c.setFillColor(colors.black)
    c.setFont(FONT_BOLD, 10.5)
    c.drawCentredString(w / 2, 13, classification)
    c.restoreState()


def build_pdf(meta: BriefMeta, story: list[Flowable]) -> bytes:
    """Lay out ``story`` on the brief template and return the PDF bytes."""
    register_fonts()
    buf = io.BytesIO()
    w, h = PAGE_SIZE
    doc = BaseDocTemplate(
        buf, pagesize=PAGE_SIZE, invariant=1, pageCompression=1,
        title=meta.title, author=meta.operator, subject=meta.classification,
        creator=f"KFOR Desk {__version__}", producer=f"KFOR Desk {__version__}",
        leftMargin=MARGIN_X, rightMargin=MARGIN_X,
        topMargin=TOP_RESERVED, bottomMargin=BOTTOM_RESERVED,
        initialFontName=FONT,
    )
    frame = Frame(MARGIN_X, BOTTOM_RESERVED, w - 2 * MARGIN_X, h - TOP_RESERVED - BOTTOM_RESERVED,
                  id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="brief", frames=[frame])])

    def make_canvas(*args: Any, **kwargs: Any) -> _BriefCanvas:
        return _BriefCanvas(*args, meta=meta, **kwargs)

    doc.build(story or [nothing_to_report()], canvasmaker=make_canvas)
    return buf.getvalue()
