"""The brief's tables: the data table (header repeated on every page, rows kept whole where
they fit, a split row repeating its register number), the two-column field table, plain
cells and the table style in DejaVu Sans. It does not hold the page template, fonts or
paragraph styles (``template.py``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from reportlab.lib import colors
from reportlab.platypus import (
    Flowable,
    Paragraph,
    Table,
    TableStyle,
)
from reportlab.platypus.tables import CellStyle

from .lines import LEADING, Lines
from .template import FONT, FONT_BOLD, GREY_HEX, LIGHT, NAVY, RULE, Para, esc, styles
from .textrun import TextRun

Cell: TypeAlias = "str | Flowable | Plain | None"


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
    # font, size, leading, alignment and padding are the cells' defaults (_DataCell), not
    # commands reportlab would apply to every cell of a long table one by one
    cmds: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), NAVY),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("BOX", (0, 0), (-1, -1), 0.5, RULE),
    ]
    backgrounds: list[tuple[str, int, int, Any]] = []
    for i in range(len(rows)):
        colour = highlight(i) if highlight else None
        if colour is None and i % 2 == 1:
            colour = LIGHT
        if colour is not None:
            backgrounds.append(("BACKGROUND", -1, i + 1, colour))
    cmds += [*_runs(backgrounds), *_runs(plain)]
    cells = [[_DataCell("") for _ in row] for row in data]
    return KeyedTable(data, colWidths=list(widths), repeatRows=1, splitInRow=1,
                      style=TableStyle(cmds), hAlign="LEFT", cellStyles=cells)


class _DataCell(CellStyle):  # type: ignore[misc]
    """A data table cell's style before any command: DejaVu Sans 7 pt on 8.6 pt, top-left,
    3 pt left and right and 2.5 pt above and below."""

    fontname = FONT
    fontsize = 7
    leading = LEADING
    valign = "TOP"
    leftPadding = 3
    rightPadding = 3
    topPadding = 2.5
    bottomPadding = 2.5


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

    _text: Any = None  # the text object of the cells while the table is drawn

    def draw(self) -> None:
        """As reportlab draws a table, except that the plain cells (strings and
        :class:`Lines`) go into one text object, set out after the backgrounds and written
        once, instead of a text object (and a saved graphics state) per cell."""
        self._text = TextRun(self.canv)
        try:
            super().draw()
            self._text.draw()
        finally:
            self._text = None

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: tuple[float, float],
                  size: tuple[float, float]) -> None:
        text = self._text
        if text is None or cellstyle.href or cellstyle.destination \
                or cellstyle.valign != "TOP" or cellstyle.alignment != "LEFT":
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        colpos, rowpos = pos
        colwidth, rowheight = size
        x = colpos + cellstyle.leftPadding
        top = rowpos + rowheight - cellstyle.topPadding
        flow = cellval[0] if isinstance(cellval, list | tuple) and len(cellval) == 1 \
            else cellval
        if isinstance(flow, Lines):
            width = colwidth - cellstyle.leftPadding - cellstyle.rightPadding
            for n, (part, font, fsize, colour) in enumerate(flow._layout(width)):
                text.add(x, top - n * LEADING - fsize, part, font, fsize, colour)
        elif isinstance(cellval, str):
            fsize, leading = cellstyle.fontsize, cellstyle.leading
            for n, part in enumerate(cellval.split("\n")):
                text.add(x, top - fsize - n * leading, part, cellstyle.fontname, fsize,
                         cellstyle.color)
        else:
            super()._drawCell(cellval, cellstyle, pos, size)

    def _splitRows(self, availHeight: float,  # noqa: N803 (reportlab names)
                   doInRowSplit: int = 0) -> list[Any]:  # noqa: N803
        parts = super()._splitRows(availHeight, doInRowSplit)
        if len(parts) == 2 and doInRowSplit:
            top, rest = parts
            k = rest.repeatRows
            if k < len(rest._cellvalues) and not _has_content(rest._cellvalues[k][0]):
                key = _first_text(top._cellvalues[-1][0])
                if key:
                    # a row split a second time already says it continues
                    more = "" if key.endswith("(cont.)</font>") else \
                        f" <font color='{GREY_HEX}'>(cont.)</font>"
                    rest._cellvalues[k][0] = [Para(f"{key}{more}", styles().cell_bold)]
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


