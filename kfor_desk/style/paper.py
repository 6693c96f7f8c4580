"""The printed briefs' colours (:data:`PAPER`, always light). It does not hold the window's
themes (``screen.py``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .kinds import Tint


# ================================================================ paper (the PDF briefs)
@dataclass(frozen=True)
class PaperTheme:
    """All colours of the printed briefs (always light: paper)."""

    heading: str  # titles, table heads (white text on it)
    muted: str  # small print, units, secondary lines
    shade: str  # alternate table rows, key-figure boxes
    rule: str  # table lines
    alert: str  # overdue, open conflicts, live fire, the 1 km band's text, classification
    caution: str  # due within 24 h, not yet communicated, the 5 km band's text
    alert_row: str  # a table row that needs action now
    caution_row: str  # a table row that needs action soon
    saf: str  # navy: red means "conflict" on paper
    ksf: str
    kosovo: str
    serbia: str
    other_land: str
    border: str
    abl: str
    notify_band: str
    ground_band: str
    air_band: str
    notify_zone: Tint
    ground_zone: Tint
    place: str
    bands: Mapping[str, str]  # line colour by Band value


_PAPER_NOTIFY = "#c62828"
_PAPER_GROUND = "#d48806"
_PAPER_AIR = "#7d8791"

PAPER = PaperTheme(
    heading="#1f3a5f",
    muted="#5b6470",
    shade="#eef1f5",
    rule="#9aa5b1",
    alert="#b00020",
    caution="#a15c00",
    alert_row="#fbe4e7",
    caution_row="#fdf0dc",
    saf="#3d5a80",
    ksf="#2a9d8f",
    kosovo="#f6f1e4",
    serbia="#eceff2",
    other_land="#f7f7f7",
    border="#b9bec5",
    abl="#4a1d6e",
    notify_band=_PAPER_NOTIFY,
    ground_band=_PAPER_GROUND,
    air_band=_PAPER_AIR,
    notify_zone=Tint("#c72929", 0.16),
    ground_zone=Tint("#d48705", 0.10),
    place="#333333",
    bands=MappingProxyType({"notify": _PAPER_NOTIFY, "ground": _PAPER_GROUND,
                            "air": _PAPER_AIR}),
)
