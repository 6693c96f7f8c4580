"""Every colour of KFOR Desk, named by what it means: the window's theme and the paper's.

This is the one place a colour value is written. The Qt palette (``ui/palette.py``), the map,
the timeline, banners, forms and the PDF briefs (``reports/``) read their colours from here.

Two media, two shapes:

* :class:`ScreenTheme` — the window. :data:`DAY` is today's calm, print-like theme. A night theme
  is a second instance of the same class (``NIGHT = ScreenTheme(...)``, added to
  :data:`SCREEN_THEMES`); nothing outside this module then needs a new colour literal.
* :class:`PaperTheme` — the printed briefs (:data:`PAPER`). Paper stays light whatever the window
  shows. On paper SAF and KSF are navy and teal, not red and blue, because red marks conflicts,
  overdue decisions and the 1 km band there (a red SAF bar with a red conflict outline would not
  read).

Values are plain ``#rrggbb`` strings; a few see-through colours are :class:`Tint` (a colour and
an opacity 0–1). This module imports nothing (no Qt, no reportlab, nothing of ours): every floor
may use it. It does not decide *when* a colour applies (which status is overdue, which band a
distance is in): that is the domain's job.
"""

from __future__ import annotations

from .kinds import (
                    BannerColours,
                    MapColours,
                    Pill,
                    ScreenTheme,
                    TimelineColours,
                    Tint,
                    band_pills,
                    rgb,
                    status_pills,
)
from .paper import PAPER, PaperTheme
from .screen import DAY, NIGHT, SCREEN_THEMES

__all__ = [
                    "DAY",
                    "NIGHT",
                    "PAPER",
                    "SCREEN_THEMES",
                    "BannerColours",
                    "MapColours",
                    "PaperTheme",
                    "Pill",
                    "ScreenTheme",
                    "TimelineColours",
                    "Tint",
                    "band_pills",
                    "rgb",
                    "status_pills",
]
