"""Plain-line table cells (reports.lines): wrapped to the cell, never cut, never markup."""

from __future__ import annotations

import io

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import SimpleDocTemplate

from kfor_desk.reports.lines import FONT, FONT_BOLD, Line, Lines
from kfor_desk.reports.tables import data_table
from kfor_desk.reports.template import register_fonts


def laid(cell: Lines, width: float) -> list[str]:
    cell.wrap(width, 1000)
    return [part for part, *_ in cell._layout(width)]


def test_wraps_at_spaces_within_the_width_and_keeps_every_word() -> None:
    register_fonts()
    text = "Delivery of winter aid to families in Banjska/Banjskë and Zubin Potok"
    parts = laid(Lines([Line(text, bold=True)]), 80)
    assert len(parts) > 2
    assert all(stringWidth(p, FONT_BOLD, 7) <= 80 for p in parts), parts
    assert " ".join(parts) == text


def test_a_word_wider_than_the_cell_is_cut_between_characters_not_lost() -> None:
    register_fonts()
    word = "Kosovska-Mitrovica-Sjever-Zvečan-Leposavić-Zubin-Potok"
    parts = laid(Lines([word]), 50)
    assert len(parts) > 1 and "".join(parts) == word
    assert all(stringWidth(p, FONT, 7) <= 50 for p in parts), parts


def test_a_no_break_space_holds_and_control_characters_are_dropped() -> None:
    register_fonts()
    parts = laid(Lines(["12.8\u00a0km · Serbia · ≤\u00a025\u00a0km", "a\x00b\tc"]), 40)
    assert "12.8\u00a0km ·" in parts and "≤\u00a025\u00a0km" in parts and parts[-1] == "ab c"


def test_split_keeps_every_line_in_order() -> None:
    register_fonts()
    cell = Lines([f"line {n}" for n in range(10)])
    cell.wrap(100, 1000)
    top, rest = cell.split(100, 8.6 * 4 + 1)
    assert laid(top, 100) == [f"line {n}" for n in range(4)]
    assert laid(rest, 100) == [f"line {n}" for n in range(4, 10)]


def test_in_a_pdf_markup_prints_literally_and_a_long_row_repeats_its_key() -> None:
    register_fonts()
    buf = io.BytesIO()
    rows = [["KEY-1", Lines(["Tom & Jerry <b>not bold</b>", *[f"note {n}" for n in range(150)]])]]
    SimpleDocTemplate(buf, pagesize=A4).build([data_table(["Key", "Text"], rows, [80, 300])])
    texts = [p.extract_text() or "" for p in PdfReader(io.BytesIO(buf.getvalue())).pages]
    joined = "\n".join(texts)
    assert len(texts) >= 2
    assert "Tom & Jerry <b>not bold</b>" in joined
    assert all(f"note {n}" in joined for n in range(150))
    assert "KEY-1 (cont.)" in texts[1]
