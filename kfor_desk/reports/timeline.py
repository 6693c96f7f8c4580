"""The 72-hour timeline: a bar per activity from the 6-hour mark before the as-of time, ticks
every 6 hours, a line at the as-of time, conflicts in red. Every activity in the window is
drawn: the chart is cut into page-sized parts, each with its own time axis."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.platypus import Flowable, Paragraph

from kfor_desk.domain.records import RecordKind
from kfor_desk.domain.timefmt import MONTHS, ensure_utc
from kfor_desk.style import PAPER

from .model import TimelineItem
from .template import (
    ALERT,
    FONT,
    FONT_BOLD,
    GREY,
    LIGHT,
    NAVY,
    RULE,
    drawing,
    fit_text,
    frame_width,
    nothing_to_report,
    styles,
)

SAF_COLOUR = colors.HexColor(PAPER.saf)  # navy and teal on paper: red means conflict
KSF_COLOUR = colors.HexColor(PAPER.ksf)
HOURS = 72
TICK_H = 6
ROW = 9.5
ROWS_PER_PART = 54  # one part fills most of a page, also under a long marking


def timeline_window(as_of: datetime) -> tuple[datetime, datetime]:
    """72 hours from the 6-hour mark at or before the as-of time."""
    t = ensure_utc(as_of).replace(minute=0, second=0, microsecond=0)
    start = t.replace(hour=t.hour - t.hour % TICK_H)
    return start, start + timedelta(hours=HOURS)


def timeline_section(items: Iterable[TimelineItem], as_of: datetime) -> list[Flowable]:
    start, end = timeline_window(as_of)
    shown = sorted((i for i in items if i.end >= start and i.start <= end),
                   key=lambda i: (i.start, i.register_no))
    if not shown:
        return [nothing_to_report()]
    parts = [shown[k:k + ROWS_PER_PART] for k in range(0, len(shown), ROWS_PER_PART)]
    out: list[Flowable] = []
    for n, part in enumerate(parts, start=1):
        if len(parts) > 1:
            out.append(Paragraph(f"Part {n} of {len(parts)} · activities "
                                 f"{(n - 1) * ROWS_PER_PART + 1}–"
                                 f"{(n - 1) * ROWS_PER_PART + len(part)} of {len(shown)}, "
                                 "by start", styles().small))
        out.append(timeline_drawing(part, as_of, start, end))
    return out


def timeline_drawing(items: list[TimelineItem], as_of: datetime, start: datetime,
                     end: datetime) -> Drawing:
    width = frame_width()
    label_w = 150.0
    chart_x, chart_w = label_w, width - label_w - 4
    top_pad, bottom_pad = 26.0, 30.0
    height = top_pad + ROW * len(items) + bottom_pad
    d = drawing(width, height)
    span = (end - start).total_seconds()

    def x_of(t: datetime) -> float:
        frac = (min(max(t, start), end) - start).total_seconds() / span
        return chart_x + frac * chart_w

    chart_top = height - top_pad
    chart_bottom = bottom_pad
    # 6-hour ticks, day bands, labels
    for k in range(HOURS // TICK_H + 1):
        t0 = start + timedelta(hours=k * TICK_H)
        x0 = x_of(t0)
        if k < HOURS // TICK_H and (t0.hour // TICK_H) % 2 == 0 and t0.hour < 12:
            x1 = x_of(t0 + timedelta(hours=TICK_H))
            d.add(Rect(x0, chart_bottom, x1 - x0, chart_top - chart_bottom, fillColor=LIGHT,
                       strokeColor=None))
        midnight = t0.hour == 0
        d.add(Line(x0, chart_bottom, x0, chart_top + 4, strokeColor=NAVY if midnight else RULE,
                   strokeWidth=0.7 if midnight else 0.3))
        if k < HOURS // TICK_H:
            label = (f"{t0.day:02d} {MONTHS[t0.month - 1]}" if midnight or k == 0
                     else f"{t0.hour:02d}Z")
            d.add(String(x0 + 1.5, chart_top + 6, label,
                         fontName=FONT_BOLD if midnight or k == 0 else FONT, fontSize=6,
                         fillColor=NAVY))
            if midnight or k == 0:
                d.add(String(x0 + 1.5, chart_top + 13, f"{t0.hour:02d}Z", fontName=FONT,
                             fontSize=5.5, fillColor=GREY))
    # bars
    for n, item in enumerate(items):
        y = chart_top - (n + 1) * ROW
        colour = SAF_COLOUR if item.kind is RecordKind.SAF else KSF_COLOUR
        label = fit_text(f"{item.register_no}  {item.label}", FONT, 6.5, label_w - 6)
        d.add(String(0, y + 3, label, fontName=FONT, fontSize=6.5,
                     fillColor=ALERT if item.conflict else colors.black))
        x0, x1 = x_of(item.start), x_of(item.end)
        bar_w = max(x1 - x0, 1.5)
        d.add(Rect(x0, y + 2, bar_w, ROW - 4, fillColor=colour,
                   strokeColor=ALERT if item.conflict else None,
                   strokeWidth=1.4 if item.conflict else 0))
        if item.start < start:
            d.add(Polygon([x0, y + ROW / 2, x0 + 4, y + 2, x0 + 4, y + ROW - 2],
                          fillColor=colors.white, strokeColor=None))
        if item.end > end:
            d.add(Polygon([x1, y + ROW / 2, x1 - 4, y + 2, x1 - 4, y + ROW - 2],
                          fillColor=colors.white, strokeColor=None))
        if item.conflict:
            d.add(String(min(x1 + 2, chart_x + chart_w - 4), y + 3, "!", fontName=FONT_BOLD,
                         fontSize=7, fillColor=ALERT))
    # now line
    if start <= as_of <= end:
        xn = x_of(as_of)
        d.add(Line(xn, chart_bottom - 3, xn, chart_top + 2, strokeColor=ALERT, strokeWidth=1,
                   strokeDashArray=[3, 2]))
        d.add(String(xn, chart_bottom - 11, "as of", fontName=FONT_BOLD, fontSize=6.5,
                     fillColor=ALERT, textAnchor="middle"))
    # legend
    ly = 2.0
    lx = chart_x
    for colour, text, outline in ((SAF_COLOUR, "SAF exercise", False),
                                  (KSF_COLOUR, "KSF request", False),
                                  (colors.white, "in conflict", True)):
        d.add(Rect(lx, ly, 14, 7, fillColor=colour, strokeColor=ALERT if outline else None,
                   strokeWidth=1.4 if outline else 0))
        d.add(String(lx + 18, ly + 1, text, fontName=FONT, fontSize=6.5, fillColor=GREY))
        lx += 90
    d.add(String(chart_x + chart_w, ly + 1, "times UTC", fontName=FONT, fontSize=6.5,
                 fillColor=GREY, textAnchor="end"))
    return d
