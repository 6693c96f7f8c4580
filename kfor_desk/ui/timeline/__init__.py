"""The timeline: activities of both registers as bars over time, with the conflicts marked.

``TimelineView`` paints plain :class:`TimelineItem` values — one lane per record, SAF
notifications above KSF requests — against a UTC time axis labelled with DTGs (day ticks and
six-hour ticks). A red line marks now. A conflicting pair has both bars outlined and its overlap
window marked on each bar, joined by a dashed connector (muted green once deconflicted).

Mouse and keys: the wheel zooms in time about the cursor (``Shift``+wheel scrolls the lanes),
drag pans, a click on a bar or its label selects the record (``recordSelected``); ``+``/``-``
zoom, ``←``/``→`` pan, ``Home`` returns to the default seven days, ``↑``/``↓``/``PgUp``/``PgDn``
scroll. Tooltips give local time as well as UTC. The widget holds no database and no rules.
"""

from __future__ import annotations

from .items import (
    C_CONFLICT,
    C_NOW,
    TimelineConflict,
    TimelineItem,
    items_from_records,
    timeline_period,
)
from .view import TimelineView

__all__ = [
    "C_CONFLICT",
    "C_NOW",
    "TimelineConflict",
    "TimelineItem",
    "TimelineView",
    "items_from_records",
    "timeline_period",
]
