"""The PDF map with many records: symbols that would overlap are drawn as one disc with their
count (read back from the PDF); with a few records every symbol is drawn as before."""

from __future__ import annotations

import io
from dataclasses import replace

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate

from kfor_desk.domain.records import Location
from kfor_desk.reports.map import map_section
from tests.reports import brief_factory as f


def _map_pdf(records: list[object]) -> list[str]:
    out = io.BytesIO()
    story = map_section(records, f.AS_OF)  # type: ignore[arg-type]
    SimpleDocTemplate(out, pagesize=A4).build(story)
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(out.getvalue())).pages]


def _at(n: int, lat: float, lon: float) -> object:
    return replace(f.saf(n), locations=(Location("Rudnica", lat, lon),))


def test_many_records_at_one_place_are_one_disc_with_their_count() -> None:
    crowd = [_at(n, 43.05, 20.62) for n in range(1, 358)]  # 357 at one place
    alone = [_at(900, 42.40, 21.70)]  # far away: its own symbol
    pages = _map_pdf(crowd + alone)
    text = "\n".join(pages)
    assert "357 that would overlap are drawn as discs with their count" in text
    assert "357" in pages[0].split("SAF and")[0]  # the disc's number, drawn on the map


def test_few_records_are_each_drawn_as_a_symbol() -> None:
    text = "\n".join(_map_pdf([_at(n, 43.05, 20.62) for n in range(1, 11)]))
    assert "would overlap" not in text
    assert "10 SAF and 0 KSF locations plotted" in text
