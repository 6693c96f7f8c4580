"""The whole ``kfor-desk brief daily`` command on a 1,000-record desk (issue 16).

Builds a training database of 1,000 records (``demo``) once, then times, in the same process
and the same run:

- the command ``kfor-desk --db DB brief daily OUT.pdf --as-of AS_OF`` (open the database, read
  the records and the audit chain, run the deconfliction engine, lay out and write the PDF);
- a raw reportlab document holding one table of the same rows (every SAF activity and KSF
  request the brief lists, as a critical item or in its tables: register number, title, unit,
  period, status, first place with MGRS) with the same font, no template, map, timeline or
  database. The rows are the same set whatever the brief's layout, so the baseline stays
  comparable between versions of the brief.

Each figure is the best of ``--repeat`` runs after one warm-up (fonts and map geometry load once
per process, as in the application). Reports the ratio (goal <= 2.5), the page count and the
file size. The ratio is of wall-clock times, as the issue states it; the CPU-time ratio is
printed beside it, since on a machine shared with other work it is the steadier figure, and so
is the time per page (the brief has several times the pages of the raw table).
Run: ``.venv/bin/python bench/bench_brief_cli.py [--repeat N] [--records N]``.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from kfor_desk.cli import main as cli_main
from kfor_desk.domain.geo import format_mgrs, to_mgrs
from kfor_desk.domain.records import Record
from kfor_desk.domain.timefmt import format_dtg
from kfor_desk.reports.template import FONT, esc, register_fonts, styles
from kfor_desk.services.briefs import daily_brief_data
from kfor_desk.services.demo import create_demo

NOW = datetime(2026, 11, 26, 17, 0, tzinfo=UTC)
AS_OF = "261700ZNOV26"
RATIO_GOAL = 2.5


def raw_table(rows: list[list[str]]) -> bytes:
    register_fonts()
    st = styles()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, invariant=1, initialFontName=FONT)
    cells = [[Paragraph(c, st.head) for c in ("Register no.", "Title", "Unit", "Period",
                                              "Status", "Place")]]
    cells += [[Paragraph(c, st.cell) for c in row] for row in rows]
    doc.build([Table(cells, colWidths=[70, 110, 100, 80, 60, 90], repeatRows=1,
                     style=TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT),
                                       ("VALIGN", (0, 0), (-1, -1), "TOP")]))])
    return buf.getvalue()


def _place(r: Record) -> str:
    if not r.locations:
        return ""
    loc = r.locations[0]
    return esc(f"{loc.name} {format_mgrs(to_mgrs(loc.lat, loc.lon))}")


def best(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(best wall-clock time, best CPU time of this process) over ``repeat`` runs."""
    fn()
    walls, cpus = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return min(walls), min(cpus)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--records", type=int, default=1000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        desk = create_demo(str(db), args.records, now=NOW)
        data = daily_brief_data(desk, NOW)
        desk.close()
        listed = [*data.saf_activities, *data.ksf_requests]
        rows = [[esc(r.register_no), esc(r.title),
                 esc(getattr(r, "units", "") or getattr(r, "requesting_unit", "")),
                 f"{format_dtg(r.start)} – {format_dtg(r.end)}", esc(r.status.label),
                 _place(r)] for r in listed]
        out = Path(tmp) / "daily.pdf"
        argv = ["--db", str(db), "brief", "daily", str(out), "--as-of", AS_OF]
        t_cmd, c_cmd = best(lambda: cli_main(argv), args.repeat)
        t_raw, c_raw = best(lambda: raw_table(rows), args.repeat)
        pages = len(PdfReader(str(out)).pages)
        size = out.stat().st_size
        raw = raw_table(rows)
        raw_pages = len(PdfReader(io.BytesIO(raw)).pages)
    ratio = t_cmd / t_raw
    print(f"desk of {args.records} records; {len(listed)} SAF activities and KSF requests briefed")
    print(f"kfor-desk brief daily: {t_cmd:.3f} s ({c_cmd:.3f} s CPU), {pages} pages, "
          f"{size:,} bytes")
    print(f"raw reportlab table of the same rows: {t_raw:.3f} s ({c_raw:.3f} s CPU), "
          f"{raw_pages} pages, {len(raw):,} bytes")
    print(f"ratio: {ratio:.2f} (goal <= {RATIO_GOAL}); CPU-time ratio {c_cmd / c_raw:.2f}; "
          f"per page {(c_cmd / pages) / (c_raw / raw_pages):.2f}")
    print("PASS" if ratio <= RATIO_GOAL else "FAIL")
    return 0 if ratio <= RATIO_GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
