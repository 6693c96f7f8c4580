"""The window's two themes, :data:`DAY` and :data:`NIGHT`, and :data:`SCREEN_THEMES` by name.
It does not define the shapes (``kinds.py``) or the paper's colours (``paper.py``)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .kinds import (
                    BannerColours,
                    MapColours,
                    Pill,
                    ScreenTheme,
                    TimelineColours,
                    Tint,
                    band_pills,
                    frozen,
                    status_pills,
)

_DAY_PILLS = {
    "amber": Pill("#fff0d1", "#6e4700"),
    "blue": Pill("#e2ecf8", "#1b4a86"),
    "green": Pill("#e1f0e4", "#1d5a31"),
    "teal": Pill("#dcefec", "#145a52"),
    "violet": Pill("#ebe6f5", "#46377a"),
    "red": Pill("#fbe3e0", "#8c1d18"),
    "orange": Pill("#fde9d2", "#7f4500"),
    "sand": Pill("#efeae0", "#574a37"),
    "grey": Pill("#ececea", "#5a5e63"),
}



_DAY_ERROR = "#b3261e"
_DAY_CAUTION = "#b35c00"
_DAY_OK = "#1f5130"
_DAY_TEXT = "#202326"
_DAY_HIGHLIGHT = "#f2b705"

DAY = ScreenTheme(
    name="day",
    window="#f4f3ef",
    base="#ffffff",
    alternate_base="#f7f6f2",
    button="#ebe9e3",
    tooltip="#fffdf5",
    selection="#cfe0f3",
    text=_DAY_TEXT,
    heading="#3a3f44",
    muted="#6b7075",
    hint="#555b61",
    disabled="#9a9ea3",
    rule="#d9d6ce",
    indicator="#f4f3ef",  # the window's own: the outline shows on a light window
    saf="#c0262d",
    ksf="#1c5fb0",
    error=_DAY_ERROR,
    due_soon="#8a4b00",
    caution=_DAY_CAUTION,
    ok=_DAY_OK,
    note="#6e4700",
    conflict="#e85d04",
    highlight=_DAY_HIGHLIGHT,
    exercise="#7a1f1f",
    exercise_text="#ffffff",
    pills=frozen(_DAY_PILLS),
    status_pills=status_pills(_DAY_PILLS),
    band_pills=band_pills(_DAY_PILLS),
    window_banners=MappingProxyType({
        "error": BannerColours(_DAY_ERROR, "#ffffff", _DAY_ERROR, "#ffffff", _DAY_ERROR),
        "warning": BannerColours("#fff4ce", "#4a3600", "#fff4ce", "#ffffff", "#4a3600"),
    }),
    form_banners=MappingProxyType({
        "error": BannerColours("#fdecea", _DAY_ERROR, "#f2b8b5", "#ffffff", _DAY_ERROR),
        "warning": BannerColours("#fff4d6", "#5c4400", "#e6c770", "#ffffff", "#5c4400"),
        "ok": BannerColours("#e6f4ea", _DAY_OK, "#a8d5b5", "#ffffff", _DAY_OK),
    }),
    conflict_rows=MappingProxyType({
        "open": Pill("#fbeae8", _DAY_ERROR),
        "reopened": Pill("#fdf0e0", _DAY_CAUTION),
        "deconflicted": Pill("#eaf4ea", "#2e7d32"),
    }),
    conflicts_banner=BannerColours("#fbeae8", "#8c1d18", "#e0a9a4", "#ffffff", "#8c1d18"),
    map=MapColours(
        outside="#dcdedd",
        kosovo="#f8f6ef",
        serbia="#ece8de",
        other_land="#e3e3de",
        border="#9d978b",
        abl="#6d2a5c",
        notify_band="#b8322a",
        ground_band="#c97b2a",
        air_band="#8a7a66",
        kosovo_band="#4f6f8f",
        notify_zone=Tint("#b8322a", 38 / 255),
        ground_zone=Tint("#c97b2a", 22 / 255),
        text="#2b2b2b",
        country_text=Tint("#787064", 150 / 255),
        place="#3a3a3a",
        place_outline="#ffffff",
        caption="#444444",
        caption_background=Tint("#ffffff", 215 / 255),
        label_halo=Tint("#ffffff", 230 / 255),
        abl_casing=Tint("#ffffff", 200 / 255),
        symbol_outline="#ffffff",
        selected_halo=Tint("#ffffff", 220 / 255),
        scale_alternate="#ffffff",
        pick_hint=Tint("#fff4c8", 240 / 255),
        pick_hint_text="#2b2b2b",
        cluster_beyond="#5b6470",
        cluster_text="#ffffff",
    ),
    timeline=TimelineColours(
        background="#fbfaf7",
        label_background="#f3f1ec",
        axis_background="#eeebe4",
        grid_day="#cfc9bd",
        grid_minor="#e8e4dc",
        weekend=Tint("#000000", 8 / 255),
        text="#2b2b2b",
        muted="#6b665d",
        group="#e4e0d7",
        now="#d62828",
        now_text="#ffffff",
        selected_row=Tint(_DAY_HIGHLIGHT, 60 / 255),
        selected="#1f1f1f",
    ),
)



# ---------------------------------------------------------------- the night theme
# For dim rooms: dark surfaces, light text; every status, band and map colour keeps its hue
# (amber received, blue acknowledged, green granted, red 1 km …) as a dark chip with light text,
# so the registers and the map read the same at a glance. Contrast of text on its background
# is at least 4.5:1 (tests/test_style.py checks every pair).
_NIGHT_PILLS = {
    "amber": Pill("#4a3a12", "#ffd68a"),
    "blue": Pill("#1f3550", "#b0d0f7"),
    "green": Pill("#1d3d28", "#a3dfb4"),
    "teal": Pill("#17403b", "#93dcd1"),
    "violet": Pill("#342a52", "#d0c3f7"),
    "red": Pill("#4d1f1c", "#ffb9b0"),
    "orange": Pill("#4d3115", "#ffc896"),
    "sand": Pill("#3d372c", "#e0d4bf"),
    "grey": Pill("#3a3d40", "#c9cdd1"),
}
_NIGHT_ERROR = "#ff7b72"
_NIGHT_CAUTION = "#f0a04a"
_NIGHT_OK = "#7fd19a"
_NIGHT_TEXT = "#e3e6e8"
_NIGHT_BASE = "#25292d"
_NIGHT_HIGHLIGHT = "#f2b705"

NIGHT = ScreenTheme(
    name="night",
    window="#1c1f22",
    base=_NIGHT_BASE,
    alternate_base="#2a2f33",
    button="#33383d",
    tooltip="#2f3439",
    selection="#35516e",
    text=_NIGHT_TEXT,
    heading="#cdd2d7",
    muted="#a3aab1",
    hint="#a9b0b7",
    disabled="#6f767d",
    rule="#454b52",
    indicator="#9aa2aa",  # outline ≈ #6e747a: a visible ring on the dark fields
    saf="#ff6b6b",
    ksf="#6aa8f0",
    error=_NIGHT_ERROR,
    due_soon="#f2b25c",
    caution=_NIGHT_CAUTION,
    ok=_NIGHT_OK,
    note="#e6c070",
    conflict="#ff8c42",
    highlight=_NIGHT_HIGHLIGHT,
    exercise="#8b2323",
    exercise_text="#ffffff",
    pills=frozen(_NIGHT_PILLS),
    status_pills=status_pills(_NIGHT_PILLS),
    band_pills=band_pills(_NIGHT_PILLS),
    window_banners=MappingProxyType({
        "error": BannerColours("#7a1f1a", "#ffffff", "#7a1f1a", _NIGHT_BASE, "#ffb9b0"),
        "warning": BannerColours("#4a3a12", "#ffe3a3", "#4a3a12", _NIGHT_BASE, "#ffe3a3"),
    }),
    form_banners=MappingProxyType({
        "error": BannerColours("#3d1c1a", "#ffb9b0", "#7a2e28", _NIGHT_BASE, "#ffb9b0"),
        "warning": BannerColours("#3b3115", "#ffd68a", "#6e5a22", _NIGHT_BASE, "#ffd68a"),
        "ok": BannerColours("#1b3323", "#a3dfb4", "#2f5a3c", _NIGHT_BASE, "#a3dfb4"),
    }),
    conflict_rows=MappingProxyType({
        "open": Pill("#4d1f1c", "#ffb9b0"),
        "reopened": Pill("#4d3115", "#ffc896"),
        "deconflicted": Pill("#1d3d28", "#a3dfb4"),
    }),
    conflicts_banner=BannerColours("#3d1c1a", "#ffb9b0", "#7a2e28", _NIGHT_BASE, "#ffb9b0"),
    map=MapColours(
        outside="#15181b",
        kosovo="#2e3236",
        serbia="#26292d",
        other_land="#212427",
        border="#626a72",
        abl="#d889c9",
        notify_band="#ff6b5e",
        ground_band="#f0a04a",
        air_band="#bfae93",
        kosovo_band="#86a9cc",
        notify_zone=Tint("#ff6b5e", 0.22),
        ground_zone=Tint("#f0a04a", 0.14),
        text="#dadee1",
        country_text=Tint("#b0a898", 0.6),
        place="#d4d8dc",
        place_outline="#15181b",
        caption="#c4c8cc",
        caption_background=Tint("#1c1f22", 0.85),
        label_halo=Tint("#15181b", 0.85),
        abl_casing=Tint("#15181b", 0.75),
        symbol_outline="#15181b",
        selected_halo=Tint("#15181b", 0.85),
        scale_alternate="#15181b",
        pick_hint=Tint("#4a3a12", 0.95),
        pick_hint_text="#ffe3a3",
        cluster_beyond="#9aa3ad",
        cluster_text="#15181b",
    ),
    timeline=TimelineColours(
        background="#1f2225",
        label_background="#25292d",
        axis_background="#2a2e32",
        grid_day="#4d535a",
        grid_minor="#33383d",
        weekend=Tint("#ffffff", 0.04),
        text="#dfe3e6",
        muted="#a3aab1",
        group="#30353a",
        now="#ff5c5c",
        now_text="#1c1f22",
        selected_row=Tint(_NIGHT_HIGHLIGHT, 0.25),
        selected="#ffffff",
    ),
)

SCREEN_THEMES: Mapping[str, ScreenTheme] = MappingProxyType({DAY.name: DAY, NIGHT.name: NIGHT})
