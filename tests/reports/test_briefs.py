"""The three briefs, read back from the real PDF bytes with pypdf."""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader

from kfor_desk.domain.records import ConsentRequest, ExerciseNotification
from kfor_desk.reports import (
    DailyBriefData,
    render_daily_brief,
    render_handover,
    render_record_sheet,
)
from kfor_desk.reports.record_sheet import record_groups
from kfor_desk.reports.template import esc
from tests.reports import brief_factory as f


def pages(data: bytes) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages]


def lines(page_text: str) -> list[str]:
    return [ln.strip() for ln in page_text.splitlines() if ln.strip()]


def fonts_per_page(data: bytes) -> list[dict[str, bool]]:
    """Base font name → embedded?, for every page (including fonts of form XObjects)."""
    out = []
    for page in PdfReader(io.BytesIO(data)).pages:
        found: dict[str, bool] = {}
        resources = [page["/Resources"]]
        while resources:
            res = resources.pop().get_object()
            for font in (res.get("/Font") or {}).values():
                font = font.get_object()
                descriptors = []
                if "/DescendantFonts" in font:
                    descriptors = [d.get_object().get("/FontDescriptor")
                                   for d in font["/DescendantFonts"]]
                else:
                    descriptors = [font.get("/FontDescriptor")]
                embedded = any(
                    d is not None and any(k in d.get_object()
                                          for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                    for d in descriptors)
                found[str(font["/BaseFont"])] = embedded
            for xo in (res.get("/XObject") or {}).values():
                xo = xo.get_object()
                if "/Resources" in xo:
                    resources.append(xo["/Resources"])
        out.append(found)
    return out


@pytest.fixture(scope="module")
def daily_pdf() -> bytes:
    return render_daily_brief(f.daily(training=True))


@pytest.fixture(scope="module")
def sheet_pdf() -> bytes:
    return render_record_sheet(f.sheet(f.decided(200)))


@pytest.fixture(scope="module")
def handover_pdf() -> bytes:
    return render_handover(f.handover())


ALL = ("daily_pdf", "sheet_pdf", "handover_pdf")


@pytest.mark.parametrize("which", ALL)
def test_banner_top_and_bottom_and_page_x_of_y(which: str, request: pytest.FixtureRequest) -> None:
    texts = pages(request.getfixturevalue(which))
    assert texts
    for n, t in enumerate(texts, start=1):
        ls = lines(t)
        assert ls.count("NATO UNCLASSIFIED") == 2, ls
        assert f"Page {n} of {len(texts)}" in t
        assert "RELEASABLE TO KFOR" in t
        assert f"Audit chain head {f.CHAIN}" in t  # the full head: a paper witness
        assert "Produced 261700ZNOV26" in t and "Maj. Ana Petrović (DO)" in t
        assert "As of 261700ZNOV26" in t


def test_banner_is_first_and_last_line_of_every_page() -> None:
    data = render_daily_brief(f.daily())
    for t in pages(data):
        ls = lines(t)
        # pypdf returns the content stream order: the decorations are drawn last, top first
        assert ls[-1] == "NATO UNCLASSIFIED" or ls[0] == "NATO UNCLASSIFIED"
        assert ls.count("NATO UNCLASSIFIED") == 2


def test_custom_classification_and_training_marking() -> None:
    base = f.daily(training=True)
    data = dataclasses.replace(base, meta=dataclasses.replace(
        base.meta, classification="NATO RESTRICTED & <SPECIAL>"))
    texts = pages(render_daily_brief(data))
    for t in texts:
        assert lines(t).count("NATO RESTRICTED & <SPECIAL>") == 2
        assert lines(t).count("EXERCISE EXERCISE EXERCISE") == 2


def test_live_database_prints_no_exercise_marking() -> None:
    for t in pages(render_daily_brief(f.daily(training=False))):
        assert "EXERCISE" not in t


def test_daily_contains_every_expected_register_number(daily_pdf: bytes) -> None:
    text = "\n".join(pages(daily_pdf))
    d = f.daily()
    regnos = [r.register_no or "" for r in d.saf_activities]
    regnos += [r.register_no or "" for r in (*d.ksf_requests, *d.decisions)]
    for regno in regnos:
        assert regno and regno in text
    for heading in ("Critical items", "SAF activities active or starting in the next 72 h",
                    "Open KSF consent requests by decision due", "Conflicts and attention flags",
                    "Map of the ABL area", "72-hour timeline"):
        assert heading in text
    assert "OVERDUE" in text
    assert "© OpenStreetMap contributors (ODbL)" in text and "ABL indicative" in text


def test_overdue_requests_come_first(daily_pdf: bytes) -> None:
    text = "\n".join(pages(daily_pdf))
    d = f.daily()
    overdue = [r.register_no for r in d.ksf_requests if r.is_overdue(f.AS_OF)]
    due = [r.register_no for r in d.ksf_requests if not r.is_overdue(f.AS_OF)]
    assert overdue and due
    # every request here is due within 72 h: briefed under Critical items, overdue first
    start = text.index("Critical items (")
    section = text[start:text.index("SAF activities active", start)]
    assert max(section.index(x or "") for x in overdue) < min(section.index(x or "") for x in due)


def _with_user_text() -> bytes:
    """The daily brief with the factory's Cyrillic, Latin, Albanian and markup strings in the
    fields an operator types (key points are counts and are no longer printed)."""
    d = f.daily()
    saf = list(d.saf_activities)
    saf[0] = dataclasses.replace(saf[0], name=f"{f.CYRILLIC} {f.MARKUP}", units=f.ALBANIAN)
    ksf = list(d.ksf_requests)
    ksf[0] = dataclasses.replace(ksf[0], description=f.LATIN)
    return render_daily_brief(dataclasses.replace(d, saf_activities=tuple(saf),
                                                  ksf_requests=tuple(ksf)))


def test_unicode_extracted_exactly() -> None:
    text = "\n".join(pages(_with_user_text()))
    for s in ("Лепосавић", "ћ џ љ њ", "Zvečan", "Ćuprija", "Đurđevik", "Šipovo", "Žabare",
              "Mitrovicë e Veriut", "Zveçan", "Рашка / Raška"):
        assert s in text, s


def test_markup_prints_literally() -> None:
    text = " ".join(" ".join(pages(_with_user_text())).split())  # the cell wraps
    assert "Tom & Jerry <b>not bold</b> a<b" in text


def test_escape() -> None:
    assert esc("a & b <c> \n d") == "a &amp; b &lt;c&gt; <br/> d"
    assert esc("x\x00y\tz") == "xy z"


@pytest.mark.parametrize("which", ALL)
def test_every_font_on_every_page_is_embedded(which: str, request: pytest.FixtureRequest) -> None:
    for fonts in fonts_per_page(request.getfixturevalue(which)):
        assert fonts, "a page with no fonts"
        assert all(fonts.values()), fonts
        assert all("DejaVuSans" in name for name in fonts), fonts


def test_reproducible_bytes() -> None:
    assert render_daily_brief(f.daily()) == render_daily_brief(f.daily())
    assert render_record_sheet(f.sheet(f.saf(3))) == render_record_sheet(f.sheet(f.saf(3)))
    assert render_handover(f.handover()) == render_handover(f.handover())


def test_different_as_of_gives_different_bytes() -> None:
    a = f.daily()
    later = dataclasses.replace(a.meta, as_of=a.meta.as_of + timedelta(hours=1))
    assert render_daily_brief(a) != render_daily_brief(dataclasses.replace(a, meta=later))


def test_empty_sections_say_nothing_to_report() -> None:
    data = DailyBriefData(meta=f.meta(), conflicts=(), flags=())
    text = "\n".join(pages(render_daily_brief(data)))
    assert text.count("Nothing to report.") >= 6


def test_missing_conflicts_source_is_a_plain_sentence() -> None:
    data = DailyBriefData(meta=f.meta(), conflicts=None, flags=None,
                          conflicts_unavailable="the deconfliction engine is not installed")
    text = " ".join(" ".join(pages(render_daily_brief(data))).split())
    assert ("Conflicts and attention flags unavailable: the deconfliction engine is not "
            "installed.") in text


def test_long_text_paginates_with_repeated_headers() -> None:
    safs = tuple(f.saf(i, name=f"Exercise {i} " + "very long name " * 5) for i in range(1, 121))
    data = DailyBriefData(meta=f.meta(), saf_activities=safs, conflicts=(), flags=())
    texts = pages(render_daily_brief(data))
    with_table = [t for t in texts if "SAF-2026-0" in t and "Unit(s)" in t]
    assert len(with_table) >= 4
    for t in with_table:
        assert "Register no." in t and "Location (MGRS)" in t
    joined = "\n".join(texts)
    for r in safs:
        assert (r.register_no or "?") in joined


def test_huge_note_in_record_sheet_splits_across_pages() -> None:
    note = ("Napomena: vežba se izvodi & nastavlja <sutra>. " * 180).strip()
    data = render_record_sheet(f.sheet(f.saf(1, notes=note)))
    texts = pages(data)
    assert len(texts) >= 3
    # decorations are drawn after the body: cut each page at its first banner line
    bodies = [t[: t.index("NATO UNCLASSIFIED")] for t in texts]
    joined = " ".join(" ".join(bodies).split())
    assert joined.count("vežba se izvodi & nastavlja <sutra>.") == 180


@pytest.mark.parametrize("record", [f.saf(7), f.decided(200), f.ksf(5)])
def test_record_sheet_shows_every_field(record: ExerciseNotification | ConsentRequest) -> None:
    names = {name for _, rows in record_groups(record, f.AS_OF) for name, _, _ in rows}
    expected = {x.name for x in dataclasses.fields(record)} - {"id", "version", "locations"}
    assert expected <= names, expected - names
    text = "\n".join(pages(render_record_sheet(f.sheet(record))))  # locations: their own table
    for loc in record.locations:
        assert loc.name in text


def test_record_sheet_history_and_decision_block(sheet_pdf: bytes) -> None:
    text = "\n".join(pages(sheet_pdf))
    assert "KSF-2026-0200" in text
    assert "History" in text and "JOC-DESK-2" in text and "Capt. Arbër Krasniqi" in text
    assert "Staffed to J3 & LEGAD <urgent>" in text
    assert "DECISION" in text and "Signature" in text and "Decision authority" in text
    assert "Escorted by KFOR; daylight only" in text


def test_saf_record_sheet_has_no_decision_block() -> None:
    text = "\n".join(pages(render_record_sheet(f.sheet(f.saf(2)))))
    assert "SAF-2026-0002" in text
    assert "Signature" not in text


def test_handover_lists_changes_and_pending(handover_pdf: bytes) -> None:
    text = "\n".join(pages(handover_pdf))
    for regno in ("KSF-2026-0101", "KSF-2026-0102", "SAF-2026-0003", "KSF-2026-0200"):
        assert regno in text
    assert "Pending" in text and "Changes since 260500ZNOV26" in text
    assert "Communicate the decision to the KSF" in text
    assert "Decision OVERDUE" in text
    assert re.search(r"5 audited change\(s\) to 2 record\(s\)", text)


def test_many_records_timeline_draws_every_activity_in_parts() -> None:
    safs = tuple(f.saf(i, start_h=i % 60 - 5) for i in range(1, 301))
    base = f.daily()
    items = tuple(dataclasses.replace(base.timeline[0], register_no=r.register_no or "",
                                      start=r.start, end=r.end) for r in safs)
    data = dataclasses.replace(base, saf_activities=safs, timeline=items, map_records=safs)
    text = "\n".join(pages(render_daily_brief(data)))
    part = text[text.index("72-hour timeline"):]
    assert "Part 1 of 6" in part and "Part 6 of 6" in part
    for r in safs:
        assert r.register_no in part  # every bar has its label


def test_dtgs_and_status_words_never_break_mid_token() -> None:
    safs = tuple(f.saf(i, start_h=i % 60 - 5) for i in range(1, 80))
    ksfs = tuple(f.ksf(100 + i, due_h=i % 50 - 10) for i in range(1, 60))
    base = f.daily()
    conflicts = tuple(dataclasses.replace(base.conflicts[0], a=s.register_no or "",
                                          b=k.register_no or "")
                      for s, k in zip(safs, ksfs, strict=False))
    data = dataclasses.replace(base, saf_activities=safs, ksf_requests=ksfs,
                               map_records=(*safs, *ksfs), conflicts=conflicts)
    for which, pdf in (("daily", render_daily_brief(data)),
                       ("handover", render_handover(f.handover()))):
        for text in pages(pdf):
            for token in re.findall(r"\b\d{6}Z[A-Z]{0,3}\d{0,2}", text):
                assert re.fullmatch(r"\d{6}Z[A-Z]{3}\d{2}", token), (which, token)
            for line in lines(text):
                assert line not in ("ed", "Recommend", "review", "Dissemi", "nated", "e"), which
                assert not line.endswith(("Deconflict", "Distanc")), (which, line)
                assert not re.search(r"(SAF|KSF)-\d{4}-\d{0,3}$", line), (which, line)


def test_every_history_action_prints_whole_words() -> None:
    """The handover's and the record sheet's Action column fits the longest word of every
    action the history reader names ("Recommendation recorded" broke as "Recommendat/ion")."""
    from kfor_desk.services.history import action_label

    codes = ["create", "import", "demo", "amend", "correct", "acknowledge", "disseminate",
             "cancel", "start_review", "recommend", "decide", "withdraw", "communicate",
             "deconflict", "reopen", "settings"]
    base = f.handover()
    changes = tuple(dataclasses.replace(base.changes[0], action=action_label(code),
                                        at=base.changes[0].at + timedelta(minutes=i))
                    for i, code in enumerate(codes))
    text = " ".join(pages(render_handover(dataclasses.replace(base, changes=changes))))
    words = set(re.findall(r"[A-Za-z()]+", text))
    for code in codes:
        for word in action_label(code).split():
            assert word.strip("()") in words or word in words, (code, word)


def test_distances_never_read_as_the_band_edge() -> None:
    from kfor_desk.reports.fmt import km

    assert km(1.04) == "1.04" and km(1.0) == "1.0" and km(0.96) == "1.0"  # <= 1 km: true
    assert km(5.01) == "5.01" and km(4.99) == "5.0" and km(7.34) == "7.3"
    assert km(25.004) == "25.004"


def _table_after_filler(filler_pt: float, row_lines: int) -> list[str]:
    from reportlab.platypus import Spacer

    from kfor_desk.reports.tables import data_table
    from kfor_desk.reports.template import build_pdf, frame_height

    rows = [[f"KEY-{n}", "<br/>".join(f"line {n}.{i}" for i in range(row_lines))]
            for n in range(1, 4)]
    story = [Spacer(1, frame_height() - filler_pt),
             data_table(["Key", "Text"], rows, [100, 300])]
    return pages(build_pdf(f.meta(), story))


def test_a_row_that_fits_a_page_moves_whole_no_stray_header_at_the_foot() -> None:
    # 80 pt left at the foot of page 1: the header and a 20-line row (~180 pt) do not fit;
    # the header and the row go to page 2 whole instead of a header and a fragment on page 1
    text = _table_after_filler(80, 20)
    assert "Text" not in lines(text[0]) and "KEY-1" not in text[0]
    assert "KEY-1" in text[1] and "line 1.0" in text[1] and "line 1.19" in text[1]


def test_a_row_taller_than_a_page_splits_and_repeats_its_key() -> None:
    text = _table_after_filler(200, 120)  # 120 lines: more than a page
    first = next(n for n, t in enumerate(text) if "line 1.0" in t)
    assert "KEY-1 (cont.)" in text[first + 1]


def test_a_row_split_over_three_pages_says_cont_once() -> None:
    text = _table_after_filler(200, 200)  # 200 lines: over three pages
    first = next(n for n, t in enumerate(text) if "line 1.0" in t)
    assert "KEY-1 (cont.)" in text[first + 1] and "KEY-1 (cont.)" in text[first + 2]
    assert "(cont.) (cont.)" not in " ".join(text)
