"""The map's colours as Qt objects, for one screen theme, and the holder a view's items share.

:func:`ink_for` turns a :class:`~kfor_desk.style.ScreenTheme` into ``QColor`` values (once per
theme). A view keeps one :class:`InkRef`; its items read ``ref.ink`` when they paint, so
:meth:`MapView.apply_theme` repaints them by swapping ``ref.ink`` and invalidating their caches.
No colour value is written here: they all come from :mod:`kfor_desk.style`.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor

from kfor_desk import style
from kfor_desk.domain.enums import Side
from kfor_desk.ui.palette import qcolor


@dataclass(frozen=True)
class MapInk:
    """Every colour the map paints with, for one theme."""

    theme: str
    outside: QColor
    land: dict[Side, QColor]
    border: QColor
    abl: QColor
    abl_casing: QColor
    notify: QColor
    ground: QColor
    air: QColor
    kosovo_band: QColor
    notify_zone: QColor
    ground_zone: QColor
    saf: QColor
    ksf: QColor
    text: QColor
    country_text: QColor
    label_halo: QColor
    highlight: QColor
    place: QColor
    place_outline: QColor
    caption: QColor
    caption_background: QColor
    symbol_outline: QColor
    selected_halo: QColor
    scale_alternate: QColor
    pick_hint: QColor
    pick_hint_text: QColor
    cluster_beyond: QColor
    cluster_text: QColor

    def band(self, rank: int) -> QColor:
        """The colour of a count disc whose worst record lies in band ``rank``
        (3 within 1 km, 2 within 5 km, 1 within 25 km, else beyond or unknown)."""
        return {3: self.notify, 2: self.ground, 1: self.air}.get(rank, self.cluster_beyond)


_MADE: dict[int, tuple[style.ScreenTheme, MapInk]] = {}


def ink_for(theme: style.ScreenTheme) -> MapInk:
    """The map's ink for ``theme`` (made once per theme object)."""
    made = _MADE.get(id(theme))
    if made is None or made[0] is not theme:
        made = (theme, _make(theme))
        _MADE[id(theme)] = made
    return made[1]


def _make(theme: style.ScreenTheme) -> MapInk:
    m = theme.map
    return MapInk(
        theme=theme.name,
        outside=qcolor(m.outside),
        land={Side.KOSOVO: qcolor(m.kosovo), Side.SERBIA: qcolor(m.serbia),
              Side.OTHER: qcolor(m.other_land)},
        border=qcolor(m.border),
        abl=qcolor(m.abl),
        abl_casing=qcolor(m.abl_casing),
        notify=qcolor(m.notify_band),
        ground=qcolor(m.ground_band),
        air=qcolor(m.air_band),
        kosovo_band=qcolor(m.kosovo_band),
        notify_zone=qcolor(m.notify_zone),
        ground_zone=qcolor(m.ground_zone),
        saf=qcolor(theme.saf),
        ksf=qcolor(theme.ksf),
        text=qcolor(m.text),
        country_text=qcolor(m.country_text),
        label_halo=qcolor(m.label_halo),
        highlight=qcolor(theme.highlight),
        place=qcolor(m.place),
        place_outline=qcolor(m.place_outline),
        caption=qcolor(m.caption),
        caption_background=qcolor(m.caption_background),
        symbol_outline=qcolor(m.symbol_outline),
        selected_halo=qcolor(m.selected_halo),
        scale_alternate=qcolor(m.scale_alternate),
        pick_hint=qcolor(m.pick_hint),
        pick_hint_text=qcolor(m.pick_hint_text),
        cluster_beyond=qcolor(m.cluster_beyond),
        cluster_text=qcolor(m.cluster_text),
    )


class InkRef:
    """The ink a view's items paint with now (one per view; swapped by ``apply_theme``)."""

    __slots__ = ("ink",)

    def __init__(self, ink: MapInk) -> None:
        self.ink = ink
