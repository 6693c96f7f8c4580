"""Canvas strings: cut to a width with an ellipsis, and many strings in one text object
(``reports.textrun``) read back from a real PDF."""

from __future__ import annotations

import io
import random

from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from kfor_desk.reports.template import FONT, FONT_BOLD, cut_to_width, register_fonts
from kfor_desk.reports.textrun import TextRun


def test_a_cut_string_is_the_longest_beginning_that_fits() -> None:
    register_fonts()
    rnd = random.Random(7)
    letters = "abc XYZ iii WWW Ћирилица čćžšđ ë 0123"
    for _ in range(2000):
        text = "".join(rnd.choice(letters) for _ in range(rnd.randint(0, 50)))
        width = rnd.uniform(5, 160)
        got = cut_to_width(text, FONT, 6.5, width)
        if got == text:
            assert stringWidth(text, FONT, 6.5) <= width
            continue
        assert got.endswith("…") and text.startswith(got[:-1])
        k = len(got) - 1
        assert k == 0 or stringWidth(got, FONT, 6.5) <= width
        assert stringWidth(text[:k + 1] + "…", FONT, 6.5) > width


def _page(strings: list[tuple[str, str]]) -> bytes:
    register_fonts()
    buf = io.BytesIO()
    c = Canvas(buf, invariant=1)
    run = TextRun(c)
    for n, (text, font) in enumerate(strings):
        run.add(40, 800 - n * 12, text, font, 9)
    run.draw()
    c.showPage()
    c.save()
    return buf.getvalue()


def test_strings_in_one_text_object_read_back_as_written() -> None:
    strings = [("Лепосавић · Leposaviq", FONT), ("Zvečan / Zveçan", FONT_BOLD),
               ("Лепосавић · Leposaviq", FONT_BOLD), ("261700ZNOV26 – 271000ZNOV26", FONT),
               ("Лепосавић · Leposaviq", FONT)]
    pdf = _page(strings)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert [ln.strip() for ln in text.splitlines() if ln.strip()] == [s for s, _ in strings]
    assert pdf == _page(strings)  # the same bytes again
