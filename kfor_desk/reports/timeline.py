"""The 72-hour timeline: a bar per activity from the 6-hour mark before the as-of time, ticks
every 6 hours, a line at the as-of time, conflicts in red. Every activity in the window is
drawn: the chart is cut into page-sized parts, each with its own time axis. Drawn straight on
the canvas (a graphics ``Drawing`` of shapes cost about 60 ms for the 326 bars of a
1,000-record desk). It does not choose which activities are in the window
(``services.briefs``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
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
    fit_text,
    frame_width,
    nothing_to_report,
    styles,
)
from .textrun import TextRun

SAF_COLOUR = colors.HexColor(PAPER.saf)  # navy and teal on paper: red means conflict
KSF_COLOUR = colors.HexColor(PAPER.ksf)
HOURS = 72
TICK_H = 6
ROW = 9.5
ROWS_PER_PART = 54  # one part fills most of a page, also under a long marking
LABEL_W = 150.0
TOP_PAD, BOTTOM_PAD = 26.0, 30.0


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
        out.append(TimelineChart(part, as_of, start, end))
    return out


class TimelineChart(Flowable):  # type: ignore[misc]
    """One part of the timeline, drawn straight on the canvas: day bands, 6-hour ticks, a bar
    per activity with its label, the as-of line, the legend (all text in one text object)."""

    def __init__(self, items: list[TimelineItem], as_of: datetime, start: datetime,
                 end: datetime) -> None:
        super().__init__()
        self.items, self.as_of, self.start, self.end = items, as_of, start, end
        self.width = frame_width()
        self.height = TOP_PAD + ROW * len(items) + BOTTOM_PAD

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        start, end, as_of = self.start, self.end, self.as_of
        chart_x, chart_w = LABEL_W, self.width - LABEL_W - 4
        span = (end - start).total_seconds()
        text = TextRun(c)

        def x_of(t: datetime) -> float:
            frac = (min(max(t, start), end) - start).total_seconds() / span
            return chart_x + frac * chart_w

        chart_top = self.height - TOP_PAD
        chart_bottom = BOTTOM_PAD
        c.saveState()
        # 6-hour ticks, day bands, labels
        c.setFillColor(LIGHT)
        for k in range(HOURS // TICK_H):
            t0 = start + timedelta(hours=k * TICK_H)
            if (t0.hour // TICK_H) % 2 == 0 and t0.hour < 12:
                x0, x1 = x_of(t0), x_of(t0 + timedelta(hours=TICK_H))
                c.rect(x0, chart_bottom, x1 - x0, chart_top - chart_bottom, stroke=0, fill=1)
        for k in range(HOURS // TICK_H + 1):
            t0 = start + timedelta(hours=k * TICK_H)
            x0 = x_of(t0)
            midnight = t0.hour == 0
            c.setStrokeColor(NAVY if midnight else RULE)
            c.setLineWidth(0.7 if midnight else 0.3)
            c.line(x0, chart_bottom, x0, chart_top + 4)
            if k < HOURS // TICK_H:
                first = midnight or k == 0
                label = f"{t0.day:02d} {MONTHS[t0.month - 1]}" if first else f"{t0.hour:02d}Z"
                text.add(x0 + 1.5, chart_top + 6, label, FONT_BOLD if first else FONT, 6, NAVY)
                if first:
                    text.add(x0 + 1.5, chart_top + 13, f"{t0.hour:02d}Z", FONT, 5.5, GREY)
        # bars
        for n, item in enumerate(self.items):
            y = chart_top - (n + 1) * ROW
            label = fit_text(f"{item.register_no}  {item.label}", FONT, 6.5, LABEL_W - 6)
            text.add(0, y + 3, label, FONT, 6.5, ALERT if item.conflict else colors.black)
            x0, x1 = x_of(item.start), x_of(item.end)
            c.setFillColor(SAF_COLOUR if item.kind is RecordKind.SAF else KSF_COLOUR)
            if item.conflict:
                c.setStrokeColor(ALERT)
                c.setLineWidth(1.4)
            c.rect(x0, y + 2, max(x1 - x0, 1.5), ROW - 4, stroke=1 if item.conflict else 0,
                   fill=1)
            c.setFillColor(colors.white)
            if item.start < start:  # begins before the window: an open end
                _triangle(c, x0, y, 4)
            if item.end > end:
                _triangle(c, x1, y, -4)
            if item.conflict:
                text.add(min(x1 + 2, chart_x + chart_w - 4), y + 3, "!", FONT_BOLD, 7, ALERT)
        # now line
        if start <= as_of <= end:
            xn = x_of(as_of)
            c.setStrokeColor(ALERT)
            c.setLineWidth(1)
            c.setDash([3, 2])
            c.line(xn, chart_bottom - 3, xn, chart_top + 2)
            c.setDash([])
            w = stringWidth("as of", FONT_BOLD, 6.5)
            text.add(xn - w / 2, chart_bottom - 11, "as of", FONT_BOLD, 6.5, ALERT)
        # legend
        ly, lx = 2.0, chart_x
        for colour, label, outline in ((SAF_COLOUR, "SAF exercise", False),
                                       (KSF_COLOUR, "KSF request", False),
                                       (colors.white, "in conflict", True)):
            c.setFillColor(colour)
            if outline:
                c.setStrokeColor(ALERT)
                c.setLineWidth(1.4)
            c.rect(lx, ly, 14, 7, stroke=1 if outline else 0, fill=1)
            text.add(lx + 18, ly + 1, label, FONT, 6.5, GREY)
            lx += 90
        w = stringWidth("times UTC", FONT, 6.5)
        text.add(chart_x + chart_w - w, ly + 1, "times UTC", FONT, 6.5, GREY)
        c.restoreState()
        text.draw()


def _triangle(c: Canvas, x: float, y: float, dx: float) -> None:
    """The white notch at a bar's open end (``dx`` > 0: the start, < 0: the end)."""
    p = c.beginPath()
    p.moveTo(x, y + ROW / 2)
    p.lineTo(x + dx, y + 2)
    p.lineTo(x + dx, y + ROW - 2)
    p.close()
    c.drawPath(p, stroke=0, fill=1)
