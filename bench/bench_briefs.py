"""PDF brief benchmark.

Targets (issue 5):
- the daily brief with 1,000 records (600 SAF activities and 400 open KSF requests, all in the
  tables, on the map and in the timeline) in at most 2x the time of a raw reportlab document
  holding the same two tables (same cell markup, same font, no template, map or timeline),
  built in the same run;
- a record sheet (a request with 40 history entries) in at most 0.5 s.

Each figure is the best of ``--repeat`` runs after one warm-up build (which loads the fonts and
the map geometry once per process, as the application does).
Run: ``.venv/bin/python bench/bench_briefs.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from kfor_desk.domain.records import Record
from kfor_desk.reports import (
    DailyBriefData,
    TimelineItem,
    render_daily_brief,
    render_record_sheet,
)
from kfor_desk.reports import daily as daily_mod
from kfor_desk.reports.template import FONT, register_fonts, styles
from tests.reports import brief_factory as f

N_SAF, N_KSF = 600, 400
RATIO_TARGET = 2.0
SHEET_TARGET_S = 0.5


def make_daily() -> DailyBriefData:
    safs = tuple(f.saf(i, start_h=(i * 7) % 70 - 10) for i in range(1, N_SAF + 1))
    ksfs = tuple(f.ksf(1000 + i, due_h=(i * 11) % 60 - 12) for i in range(1, N_KSF + 1))
    records: tuple[Record, ...] = (*safs, *ksfs)
    timeline = tuple(TimelineItem(r.register_no or "", r.kind, r.title, r.start, r.end,
                                  i % 17 == 0) for i, r in enumerate(records))
    base = f.daily()
    return DailyBriefData(
        meta=base.meta, key_points=base.key_points, saf_activities=safs, ksf_requests=ksfs,
        decisions=base.decisions, previous_brief_at=base.previous_brief_at,
        conflicts=base.conflicts, flags=base.flags, map_records=records,
        timeline=timeline)


def raw_tables(data: DailyBriefData) -> bytes:
    """The same two tables (identical cell markup and widths) in a bare reportlab document."""
    register_fonts()
    st = styles()
    now = data.meta.as_of
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, invariant=1, initialFontName=FONT)
    story: list[Any] = []
    for (header, rows), widths in (
            (daily_mod.saf_rows(list(data.saf_activities), now), daily_mod.SAF_WIDTHS),
            (daily_mod.ksf_rows(list(data.ksf_requests), now), daily_mod.KSF_WIDTHS)):
        cells = [[Paragraph(c, st.head) for c in header]]
        cells += [[Paragraph(c, st.cell) if isinstance(c, str) else getattr(c, "text", c)
                   for c in row] for row in rows]
        story.append(Table(cells, colWidths=list(widths), repeatRows=1,
                           style=TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT),
                                             ("VALIGN", (0, 0), (-1, -1), "TOP")])))
    doc.build(story)
    return buf.getvalue()


def best(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    data = make_daily()
    pdf = render_daily_brief(data)
    t_brief = best(lambda: render_daily_brief(data), args.repeat)
    t_raw = best(lambda: raw_tables(data), args.repeat)
    sheet = f.sheet(f.decided(200), n_history=40)
    t_sheet = best(lambda: render_record_sheet(sheet), args.repeat)
    ratio = t_brief / t_raw
    print(f"daily brief, {N_SAF + N_KSF} records: {t_brief:.3f} s, {len(pdf):,} bytes")
    print(f"raw reportlab, same two tables: {t_raw:.3f} s")
    print(f"ratio: {ratio:.2f} (target <= {RATIO_TARGET})")
    print(f"record sheet (40 history entries): {t_sheet:.3f} s (target <= {SHEET_TARGET_S})")
    ok = ratio <= RATIO_TARGET and t_sheet <= SHEET_TARGET_S
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
