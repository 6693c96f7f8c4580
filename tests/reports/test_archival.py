"""PDF/A-2b structure, bookmarks, document properties and whole markings, read from the real
PDF with pikepdf and pypdf (no validator runs here: see the README for what was validated)."""

from __future__ import annotations

import dataclasses
import io

import pikepdf
import pytest
from pypdf import PdfReader

from kfor_desk.reports import render_daily_brief, render_handover, render_record_sheet
from tests.reports import brief_factory as f

LONG = ("NATO RESTRICTED RELEASABLE TO KFOR AND EULEX AND THE GOVERNMENTS OF SERBIA AND "
        "KOSOVO FOR LIAISON PURPOSES ONLY")


def _all() -> dict[str, bytes]:
    return {"daily": render_daily_brief(f.daily()),
            "sheet": render_record_sheet(f.sheet(f.decided(200), n_history=5)),
            "handover": render_handover(f.handover())}


@pytest.fixture(scope="module")
def pdfs() -> dict[str, bytes]:
    return _all()


@pytest.mark.parametrize("which", ["daily", "sheet", "handover"])
def test_pdfa_2b_identification_output_intent_and_fonts(pdfs: dict[str, bytes],
                                                        which: str) -> None:
    with pikepdf.open(io.BytesIO(pdfs[which])) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
        info = pdf.docinfo
        assert meta["dc:title"] == str(info["/Title"])
        assert meta["dc:description"] == str(info["/Subject"])
        assert meta["pdf:Producer"] == str(info["/Producer"])
        assert meta["xmp:CreatorTool"] == str(info["/Creator"])
        assert "/Filter" not in pdf.Root.Metadata  # PDF/A: the XMP stays readable
        intents = pdf.Root.OutputIntents
        assert len(intents) == 1 and intents[0].S == "/GTS_PDFA1"
        icc = intents[0].DestOutputProfile
        assert icc.N == 3 and icc.read_bytes()[36:40] == b"acsp"
        assert str(intents[0].OutputConditionIdentifier) == "sRGB IEC61966-2.1"
        assert len(pdf.trailer.ID) == 2 and all(len(bytes(x)) == 16 for x in pdf.trailer.ID)
        assert not pdf.is_encrypted
        assert pdf.check_pdf_syntax() == []  # qpdf's structural check: no problem found
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                desc = font.get("/FontDescriptor")
                assert desc is not None and "/FontFile2" in desc, font.BaseFont


def test_subject_keywords_and_bookmarks(pdfs: dict[str, bytes]) -> None:
    reader = PdfReader(io.BytesIO(pdfs["daily"]))
    info = reader.metadata
    assert info is not None
    assert info.subject.startswith("NATO UNCLASSIFIED · RELEASABLE TO KFOR")
    assert "Daily deconfliction brief" in info.subject
    assert "deconfliction" in (info.get("/Keywords") or "")
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    assert any(t.startswith(("Key points", "Critical")) for t in titles), titles
    assert any(t.startswith("Map") for t in titles) and len(titles) >= 5
    # every bookmark goes to a real page, and not all to the first one
    pages = {reader.get_destination_page_number(o) for o in reader.outline
             if not isinstance(o, list)}
    assert len(pages) > 2 and max(pages) < len(reader.pages)


def test_exercise_is_in_the_subject_of_a_training_brief() -> None:
    data = f.daily()
    pdf = render_daily_brief(dataclasses.replace(
        data, meta=dataclasses.replace(data.meta, training=True)))
    info = PdfReader(io.BytesIO(pdf)).metadata
    assert info is not None and "EXERCISE" in info.subject


def test_a_long_marking_is_wrapped_never_cut() -> None:
    data = f.daily()
    pdf = render_daily_brief(dataclasses.replace(
        data, meta=dataclasses.replace(data.meta, classification=LONG)))
    reader = PdfReader(io.BytesIO(pdf))
    words = LONG.split()
    for page in reader.pages:
        text = page.extract_text() or ""
        assert "…" not in "".join(ln for ln in text.splitlines() if "NATO RESTRICTED" in ln)
        joined = " ".join(text.split())
        assert joined.count(" ".join(words[-4:])) == 2  # the end of the marking, top and bottom
        assert joined.count(LONG) == 2 or joined.count(words[0] + " " + words[1]) == 2


def test_full_chain_head_in_the_footer(pdfs: dict[str, bytes]) -> None:
    head = f.daily().meta.chain_head
    assert len(head) == 64
    for page in PdfReader(io.BytesIO(pdfs["daily"])).pages:
        assert head in (page.extract_text() or "").replace("\n", "")


def test_same_input_same_bytes_for_every_brief(pdfs: dict[str, bytes]) -> None:
    assert _all() == pdfs
