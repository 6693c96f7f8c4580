"""The shapes of the colour tables: :class:`Pill`, :class:`Tint`, the screen theme's parts and
:class:`ScreenTheme`, and which pill each status and band wears. No colour value is written
here (those are in ``screen.py`` and ``paper.py``); this module imports nothing of ours."""


from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple


class Pill(NamedTuple):
    """A small rounded label: background and text colour (unpacks as ``bg, fg``)."""

    background: str
    text: str


@dataclass(frozen=True)
class Tint:
    """A see-through colour: ``colour`` at ``alpha`` (0 transparent … 1 opaque)."""

    colour: str
    alpha: float


def rgb(colour: str) -> tuple[int, int, int]:
    """``"#c0262d"`` → ``(192, 38, 45)``."""
    value = colour.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def frozen(mapping: Mapping[str, Pill]) -> Mapping[str, Pill]:
    return MappingProxyType(dict(mapping))


# ================================================================ the window
@dataclass(frozen=True)
class BannerColours:
    """A strip across the window (read-only, warnings) or over a form (problems, advice)."""

    background: str
    text: str
    border: str
    button_background: str
    button_text: str


@dataclass(frozen=True)
class MapColours:
    """The map in the detail pane and in the location picker."""

    outside: str  # beyond the land data
    kosovo: str
    serbia: str
    other_land: str
    border: str
    abl: str
    notify_band: str  # 1 km line
    ground_band: str  # 5 km GSZ
    air_band: str  # 25 km ASZ
    kosovo_band: str  # the 1 / 5 km lines on the Kosovo side
    notify_zone: Tint  # the area within 1 km
    ground_zone: Tint  # the area within 5 km
    text: str
    country_text: Tint
    place: str  # municipality seats, crossing points
    place_outline: str
    caption: str  # attribution box text
    caption_background: Tint
    label_halo: Tint  # the outline that keeps a place name readable over lines
    abl_casing: Tint  # the wide line under the ABL
    symbol_outline: str  # the edge of a record's symbol and of a count disc
    selected_halo: Tint  # the disc behind the selected record (its ring is ``text``)
    scale_alternate: str  # the scale bar's second segment (the first is ``text``)
    pick_hint: Tint  # "Click the map to pick a position" box
    pick_hint_text: str
    cluster_beyond: str  # a count disc whose records all lie beyond the 25 km band
    cluster_text: str  # the count on a disc (discs wear the band colours)


@dataclass(frozen=True)
class TimelineColours:
    """The Timeline tab (chart surfaces; SAF/KSF/conflict come from the theme)."""

    background: str
    label_background: str
    axis_background: str
    grid_day: str
    grid_minor: str
    weekend: Tint
    text: str
    muted: str
    group: str
    now: str
    now_text: str
    selected_row: Tint
    selected: str


@dataclass(frozen=True)
class ScreenTheme:
    """All colours of the window. A night theme is another instance of this class."""

    name: str
    # surfaces
    window: str
    base: str
    alternate_base: str
    button: str
    tooltip: str
    selection: str
    # text
    text: str
    heading: str  # section headings in the detail pane, advice sentences
    muted: str  # secondary text: labels, "Database: …", units
    hint: str  # the grey sentence under a form that says what to do
    disabled: str
    rule: str  # thin lines under headings
    # the window colour check boxes and radio buttons are given: Fusion draws their outline
    # a shade darker than it, which vanishes on a dark window
    indicator: str
    # meanings
    saf: str
    ksf: str
    error: str  # overdue, a problem, an open conflict
    due_soon: str
    caution: str  # reopened conflicts, warnings that are not yet errors
    ok: str  # deconflicted, a form that is fine
    note: str  # "not an accredited system", the settings' notes
    conflict: str  # conflict marks on the timeline
    highlight: str  # the record picked on the map / timeline
    exercise: str  # background of the EXERCISE EXERCISE EXERCISE mark
    exercise_text: str
    pills: Mapping[str, Pill]  # by colour name: amber, blue, green, …
    status_pills: Mapping[str, Pill]  # by record status value
    band_pills: Mapping[str, Pill]  # by Band value
    window_banners: Mapping[str, BannerColours]  # "error" / "warning" strip over the window
    form_banners: Mapping[str, BannerColours]  # "error" / "warning" / "ok" over a form
    conflict_rows: Mapping[str, Pill]  # conflicts list: "open" / "reopened" / "deconflicted"
    conflicts_banner: BannerColours
    map: MapColours
    timeline: TimelineColours



def status_pills(pills: Mapping[str, Pill]) -> Mapping[str, Pill]:
    """Which pill colour each record status wears (the same for every theme)."""
    return frozen({
        # notifications
        "received": pills["amber"],
        "acknowledged": pills["blue"],
        "disseminated": pills["green"],
        "cancelled": pills["grey"],
        # requests
        "under_review": pills["blue"],
        "recommended": pills["violet"],
        "granted": pills["green"],
        "granted_with_conditions": pills["teal"],
        "denied": pills["red"],
        "withdrawn": pills["grey"],
    })


def band_pills(pills: Mapping[str, Pill]) -> Mapping[str, Pill]:
    """Which pill colour each ABL band wears (the same for every theme)."""
    return frozen({"notify": pills["red"], "ground": pills["orange"], "air": pills["sand"],
                    "beyond": pills["grey"]})


