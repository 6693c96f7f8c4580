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
from kfor_desk.domain.timefmt import format_dtg
from kfor_desk.resources import resource
from kfor_desk.style import PAPER

from .lines import Lines
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


Cell: TypeAlias = "str | Flowable | Plain | None"


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


def table_style(cmds: Sequence[tuple[Any, ...]]) -> TableStyle:
    """A table style whose plain-string cells use DejaVu Sans (never reportlab's Helvetica)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 7),
                       *cmds])


@dataclass(frozen=True, slots=True)
class Plain:
    """A table cell of plain text drawn without Paragraph layout (much faster in long tables):
    for short fixed-format values (register numbers, DTGs, distances, status words) that never
    need wrapping; lines split at ``\n``. Not markup: nothing is escaped or interpreted."""

    text: str
    bold: bool = False
    colour: colors.Color | None = None


def data_table(
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float],
    *,
    highlight: Callable[[int], colors.Color | None] | None = None,
) -> Table:
    """A table with a repeating header row, zebra rows and thin rules.

    Cells that are strings are markup (escape user parts first), :class:`Plain` cells are drawn
    as plain text; ``highlight(i)`` may give a background for data row ``i``. Rows split across
    pages, so a long cell never breaks the layout.
    """
    st = styles()
    data: list[list[Any]] = [[Para(h, st.head) for h in header]]
    plain: list[tuple[str, int, int, Any]] = []  # (command, column, row, value)
    for r, row in enumerate(rows, start=1):
        cells: list[Any] = []
        for c, cell in enumerate(row):
            if isinstance(cell, Plain):
                cells.append(cell.text)
                if cell.bold:
                    plain.append(("FONTNAME", c, r, FONT_BOLD))
                if cell.colour is not None:
                    plain.append(("TEXTCOLOR", c, r, cell.colour))
            else:
                cells.append(Para(cell, st.cell) if isinstance(cell, str) else cell)
        data.append(cells)
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
    backgrounds: list[tuple[str, int, int, Any]] = []
    for i in range(len(rows)):
        colour = highlight(i) if highlight else None
        if colour is None and i % 2 == 1:
            colour = LIGHT
        if colour is not None:
            backgrounds.append(("BACKGROUND", -1, i + 1, colour))
    cmds += [*_runs(backgrounds), ("LEADING", (0, 1), (-1, -1), 8.6), *_runs(plain)]
    return KeyedTable(data, colWidths=list(widths), repeatRows=1, splitInRow=1,
                      style=table_style(cmds), hAlign="LEFT")


def _runs(cells: list[tuple[str, int, int, Any]]) -> list[tuple[Any, ...]]:
    """Style commands for single cells (command, column, row, value), a run of consecutive
    rows with the same command, column and value merged into one command (column -1: the whole
    row from column 0). Same look; far fewer commands for reportlab to copy on every page a
    long table is split over (a column of 460 bold register numbers is one command)."""
    out: list[tuple[Any, ...]] = []
    open_runs: dict[tuple[str, int], tuple[int, int, Any]] = {}

    def close(key: tuple[str, int]) -> None:
        first, last, value = open_runs.pop(key)
        col = key[1]
        out.append((key[0], (0 if col < 0 else col, first), (col, last), value))

    for cmd, col, row, value in sorted(cells, key=lambda x: (x[0], x[1], x[2])):
        key = (cmd, col)
        run = open_runs.get(key)
        if run is not None and (run[1] != row - 1 or run[2] != value):
            close(key)
            run = None
        open_runs[key] = (row if run is None else run[0], row, value)
    for key in list(open_runs):
        close(key)
    return out


class KeyedTable(Table):  # type: ignore[misc]
    """A table whose row, when split across pages, repeats its first cell (the register
    number) with "(cont.)" on the next page instead of an empty cell.

    In the lower half of a page, a row that would fit on a fresh page whole is not cut:
    reportlab would otherwise put the repeated header and the top of that row at the foot of
    the page (a stray header mid-page, seen on page 1 of a 1,000-record brief). Higher up, and
    for a row taller than the frame, the row is split inside itself."""

    def split(self, availWidth: float, availHeight: float) -> list[Any]:  # noqa: N803
        frame = getattr(self, "_frame", None)
        if frame is not None and not getattr(frame, "_atTop", True):
            self._calc(availWidth, availHeight)
            k = self.repeatRows
            heights = self._rowHeights
            if len(heights) > k:
                need = sum(heights[:k + 1])
                full = frame._height - frame._topPadding - frame._bottomPadding
                # the lower half of a page only: higher up, moving on would leave a heading
                # alone above an empty half page
                if availHeight < need <= full and availHeight < full / 2:
                    return []  # the next page takes the header and this row whole
        return list(super().split(availWidth, availHeight))

    def _splitRows(self, availHeight: float,  # noqa: N803 (reportlab names)
                   doInRowSplit: int = 0) -> list[Any]:  # noqa: N803
        parts = super()._splitRows(availHeight, doInRowSplit)
        if len(parts) == 2 and doInRowSplit:
            top, rest = parts
            k = rest.repeatRows
            if k < len(rest._cellvalues) and not _has_content(rest._cellvalues[k][0]):
                key = _first_text(top._cellvalues[-1][0])
                if key:
                    rest._cellvalues[k][0] = [Para(
                        f"{key} <font color='{GREY_HEX}'>(cont.)</font>", styles().cell)]
        return list(parts)


def _has_content(cell: Any) -> bool:
    if isinstance(cell, list | tuple):
        return any(_has_content(c) for c in cell)
    return cell not in (None, "")


def _first_text(cell: Any) -> str:
    if isinstance(cell, str):
        return cell.split("\n")[0]
    if isinstance(cell, list | tuple):
        return next((t for t in (_first_text(c) for c in cell) if t), "")
    if isinstance(cell, Lines):
        return esc(cell.text.split("\n")[0])
    if isinstance(cell, Paragraph):
        return str(cell.text).split("<br/>")[0]
    return ""


def field_table(pairs: Sequence[tuple[str, Cell]], widths: Sequence[float]) -> Table:
    """Two-column label/value table for a record's fields (values are flowables or markup)."""
    st = styles()
    data: list[list[Cell]] = []
    for label, value in pairs:
        v = Para(value, st.body) if isinstance(value, str) else value
        data.append([Para(esc(label), st.label), v])
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
