"""What every map carries besides the geometry: scale bar, north arrow, attribution, the legend,
and the record symbols (a SAF triangle, a KSF square, the disc of a group).

Drawn on the canvas at the map's origin; the map itself, its labels and which records it
shows are :mod:`.map_drawing`'s and :mod:`.map`'s.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from kfor_desk.domain.enums import Band
from kfor_desk.style import PAPER

from .map_paths import circle
from .template import ALERT, FONT, FONT_BOLD, GREY, fit_text
from .timeline import KSF_COLOUR, SAF_COLOUR

ABL_COLOUR = colors.HexColor(PAPER.abl)
BAND_COLOUR = {Band.NOTIFY: colors.HexColor(PAPER.notify_band),
               Band.GROUND: colors.HexColor(PAPER.ground_band),
               Band.AIR: colors.HexColor(PAPER.air_band)}
PLACE = colors.HexColor(PAPER.place)


def draw_furniture(c: Canvas, width: float, height: float, legend_h: float, scale: float,
                   attribution: Sequence[str]) -> None:
    """Scale bar (bottom left), north arrow (top right) and attribution (bottom right)."""
    # scale bar, bottom left
    km = next((k for k in (50, 20, 10, 5, 2, 1) if k * 1000 * scale <= width / 4),
              1)
    bar = km * 1000 * scale
    x, y = 10.0, legend_h + 12
    c.setFillColor(colors.Color(1, 1, 1, alpha=0.85))
    c.rect(x - 4, y - 7, bar + 34, 22, stroke=0, fill=1)
    c.setFillColor(colors.black)
    c.setStrokeColor(colors.black)
    c.setLineWidth(0.6)
    c.rect(x, y, bar / 2, 3, stroke=1, fill=1)
    c.setFillColor(colors.white)
    c.rect(x + bar / 2, y, bar / 2, 3, stroke=1, fill=1)
    c.setFillColor(colors.black)
    c.setFont(FONT, 6)
    c.drawCentredString(x, y + 5, "0")
    c.drawCentredString(x + bar / 2, y + 5, f"{km / 2:g}")
    c.drawString(x + bar - 2, y + 5, f"{km} km")
    c.drawString(x, y - 6, "UTM 34N")
    # north arrow, top right
    nx, ny = width - 16, height - 30
    p = c.beginPath()
    p.moveTo(nx, ny + 14)
    p.lineTo(nx - 5, ny)
    p.lineTo(nx, ny + 4)
    p.lineTo(nx + 5, ny)
    p.close()
    c.drawPath(p, stroke=0, fill=1)
    c.setFont(FONT_BOLD, 7)
    c.drawCentredString(nx, ny + 16, "N")
    # attribution, bottom right
    text = " · ".join(attribution)
    w = stringWidth(text, FONT, 6)
    c.setFillColor(colors.Color(1, 1, 1, alpha=0.85))
    c.rect(width - w - 8, legend_h + 1, w + 7, 10, stroke=0, fill=1)
    c.setFillColor(PLACE)
    c.setFont(FONT, 6)
    c.drawRightString(width - 4, legend_h + 4, text)


def draw_legend(c: Canvas, legend_h: float) -> None:
    """The legend below the map: line styles, symbols and what the tints mean."""
    y = legend_h - 14
    x = 0.0
    c.setFont(FONT, 6.5)

    def text(label: str) -> None:
        nonlocal x
        c.setFillColor(colors.black)
        label = fit_text(label, FONT, 6.5, 120)
        c.drawString(x, y - 2, label)
        x += stringWidth(label, FONT, 6.5) + 9

    def line(colour: colors.Color, width: float, dash: list[float]) -> None:
        nonlocal x
        c.setStrokeColor(colour)
        c.setLineWidth(width)
        c.setDash(dash)
        c.line(x, y, x + 18, y)
        c.setDash([])
        x += 21

    line(ABL_COLOUR, 1.6, [])
    text("ABL (indicative)")
    line(BAND_COLOUR[Band.NOTIFY], 0.8, [1.5, 1.5])
    text("1 km")
    line(BAND_COLOUR[Band.GROUND], 0.8, [1.5, 1.5])
    text("5 km")
    line(BAND_COLOUR[Band.AIR], 0.8, [3, 2])
    text("25 km")
    c.setStrokeColor(colors.white)
    c.setLineWidth(0.5)
    draw_symbol(c, x + 5, y, True)
    x += 12
    text("SAF exercise")
    draw_symbol(c, x + 5, y, False)
    x += 12
    text("KSF request")
    c.setStrokeColor(ALERT)
    c.setLineWidth(1.3)
    circle(c, x + 5, y, 5, stroke=1, fill=0)
    x += 14
    text("open conflict")
    c.setFillColor(colors.black)
    circle(c, x + 3, y, 1.5, stroke=0, fill=1)
    x += 8
    text("place")
    c.setFillColor(ABL_COLOUR)
    c.rect(x + 1.4, y - 1.6, 3.2, 3.2, stroke=0, fill=1)
    x += 8
    text("crossing point")
    c.setFillColor(GREY)
    c.setFont(FONT, 6.5)
    c.drawString(0, y - 15, "Tinted: land within 1 km (red) and 5 km (amber) of the ABL. "
                            "Dotted circles: stated radius. "
                            "© OpenStreetMap contributors (ODbL).")


def group_radius(n: int) -> float:
    """Radius in points of the disc standing for ``n`` grouped symbols (grows slowly)."""
    return 4.6 + 1.6 * math.log10(n)


def draw_symbol(c: Canvas, x: float, y: float, saf: bool) -> None:
    """SAF: a blue triangle; KSF: a green square."""
    if saf:
        c.setFillColor(SAF_COLOUR)
        p = c.beginPath()
        p.moveTo(x, y + 4.6)
        p.lineTo(x - 4.2, y - 2.8)
        p.lineTo(x + 4.2, y - 2.8)
        p.close()
        c.drawPath(p, stroke=1, fill=1)
    else:
        c.setFillColor(KSF_COLOUR)
        c.rect(x - 3.3, y - 3.3, 6.6, 6.6, stroke=1, fill=1)
