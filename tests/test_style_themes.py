"""The night theme (issue 15 item 11): every text on its background stays readable (WCAG
contrast at least 4.5:1, 3:1 for map lines on land), the statuses and bands keep their hue,
and both themes define the same colours."""

from __future__ import annotations

import colorsys
from dataclasses import fields

import pytest

from kfor_desk import style
from kfor_desk.style import Pill, ScreenTheme, Tint, rgb


def luminance(colour: str) -> float:
    def lin(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def hue(colour: str) -> float:
    r, g, b = (c / 255 for c in rgb(colour))
    return colorsys.rgb_to_hls(r, g, b)[0] * 360


THEMES = [style.DAY, style.NIGHT]


def test_both_themes_are_offered() -> None:
    assert set(style.SCREEN_THEMES) == {"day", "night"}
    assert style.SCREEN_THEMES["night"] is style.NIGHT


@pytest.mark.parametrize("theme", [style.NIGHT], ids=lambda t: t.name)
def test_night_text_reads_on_its_backgrounds(theme: ScreenTheme) -> None:
    for bg in (theme.window, theme.base, theme.alternate_base):
        for name in ("text", "heading", "muted", "hint", "error", "due_soon", "caution", "ok",
                     "note", "saf", "ksf"):
            assert contrast(getattr(theme, name), bg) >= 4.5, (name, bg)
    assert contrast(theme.text, theme.selection) >= 4.5
    assert contrast(theme.exercise_text, theme.exercise) >= 4.5
    for group in (theme.pills, theme.conflict_rows):
        for name, pill in group.items():
            assert contrast(pill.text, pill.background) >= 4.5, name
    for banners in (theme.window_banners, theme.form_banners):
        for name, b in banners.items():
            assert contrast(b.text, b.background) >= 4.5, name
            assert contrast(b.button_text, b.button_background) >= 4.5, name
    b = theme.conflicts_banner
    assert contrast(b.text, b.background) >= 4.5
    tl = theme.timeline
    assert contrast(tl.text, tl.background) >= 4.5 and contrast(tl.muted, tl.background) >= 4.5
    m = theme.map
    for land in (m.kosovo, m.serbia, m.other_land):
        assert contrast(m.text, land) >= 4.5
        for line in (m.abl, m.notify_band, m.ground_band, m.kosovo_band, theme.saf, theme.ksf):
            assert contrast(line, land) >= 3.0, (line, land)


def test_statuses_and_bands_keep_their_hue_at_night() -> None:
    for name in ("amber", "blue", "green", "teal", "violet", "red", "orange"):
        day, night = style.DAY.pills[name], style.NIGHT.pills[name]
        d = abs(hue(day.text) - hue(night.text)) % 360
        assert min(d, 360 - d) < 30, name
    assert dict(style.NIGHT.status_pills) == {
        k: style.NIGHT.pills[n] for k, v in style.DAY.status_pills.items()
        for n, p in style.DAY.pills.items() if p == v}
    for band in ("notify", "ground", "air", "beyond"):
        assert band in style.NIGHT.band_pills


def test_the_night_theme_is_dark_and_complete() -> None:
    assert luminance(style.NIGHT.window) < 0.05 and luminance(style.NIGHT.base) < 0.05
    assert luminance(style.DAY.window) > 0.8
    for f in fields(ScreenTheme):
        value = getattr(style.NIGHT, f.name)
        assert value is not None and type(value) is type(getattr(style.DAY, f.name)), f.name
        if isinstance(value, str) and f.name != "name":
            rgb(value)
        if isinstance(value, Tint | Pill):
            assert value


def test_palette_switches_the_short_names() -> None:
    from kfor_desk.ui import palette

    try:
        assert palette.use_theme("night") is style.NIGHT
        assert palette.THEME is style.NIGHT and style.NIGHT.text == palette.TEXT
        assert palette.STATUS_PILLS is style.NIGHT.status_pills
        assert style.NIGHT.pills["grey"] == palette.GREY
        assert palette.use_theme("no such theme") is style.DAY
    finally:
        palette.use_theme("day")
    assert palette.THEME is style.DAY and style.DAY.muted == palette.MUTED
