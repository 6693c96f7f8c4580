"""Issue 17 item 5: thousands of records on the map, driven through the real widget — count
discs at small scales, the records alone when zoomed in, the counts add up, a click on a disc
zooms in, a record selected in a register is found inside a disc, and the theme repaints."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from pytestqt.qtbot import QtBot

from kfor_desk import style
from kfor_desk.domain.geo.clusters import MIN_TO_GROUP
from kfor_desk.ui.map import MapItem, MapView

pytestmark = pytest.mark.gui

N = 600
BANDS = ("notify", "ground", "air", "beyond")


def records(n: int = N, seed: int = 5) -> list[MapItem]:
    rng = random.Random(seed)
    out = [MapItem(f"{'SAF' if i % 2 else 'KSF'}-2026-{i:04d}", "SAF" if i % 2 else "KSF",
                   f"Activity {i}", rng.uniform(42.75, 43.15), rng.uniform(20.55, 21.25),
                   rng.choice([0, 1000, 3000]), i % 97 == 0, rng.choice(BANDS))
           for i in range(n - 5)]
    # five records at one training area (they stay one disc until zoomed right in)
    out += [MapItem(f"SAF-2026-9{i:03d}", "SAF", f"Same place {i}", 42.98, 20.90, 0, False,
                    "notify") for i in range(5)]
    return out


@pytest.fixture
def view(qtbot: QtBot) -> MapView:
    v = MapView()
    qtbot.addWidget(v)
    v.resize(900, 700)
    v.show()
    qtbot.waitExposed(v)
    v.fit()
    with qtbot.waitSignal(v.recordsShown, timeout=20_000) as shown:
        v.set_records(records())
        assert v.records_pending()  # grouped on a worker: the GUI thread does not wait
    assert shown.args == [N]
    assert not v.records_pending()
    return v


def visible(view: MapView, scene_pos: QPointF) -> bool:
    return view.viewport().rect().contains(view.mapFromScene(scene_pos))


def drawn_count(view: MapView) -> int:
    return sum(d.count for d in view.cluster_items()) + len(view.record_items())


def test_zoomed_out_the_records_are_count_discs_that_add_up(view: MapView) -> None:
    for zoom in (1.0, 0.5):  # the region, then wider
        view.zoom_by(zoom)
        discs = view.cluster_items()
        assert view.grouping_level() is not None
        assert discs and all(d.count > 1 for d in discs)
        assert len(discs) + len(view.record_items()) < N / 3  # far fewer marks than records
        assert all(visible(view, d.scenePos()) for d in discs)  # the region is in view
        assert drawn_count(view) == N  # every record counted once: alone or in one disc
        assert not any(visible(view, d.scenePos()) and not d.isVisible() for d in discs)


def test_zoomed_in_the_records_are_drawn_alone(view: MapView) -> None:
    view.centre_on("KSF-2026-0010")
    while view.grouping_level() is not None:
        view.zoom_by(1.5)
    assert view.cluster_items() == []
    shown = view.record_items()
    assert "KSF-2026-0010" in shown
    from kfor_desk.domain.geo.mapdata import project

    for r in records():  # every record in the view has its own symbol there
        x, y = project(r.lat, r.lon)
        if visible(view, QPointF(x, -y)):
            assert r.register_no in shown
            assert shown[r.register_no].scenePos().x() == pytest.approx(x)


def test_a_disc_wears_the_worst_band_and_says_what_it_holds(view: MapView) -> None:
    from kfor_desk.domain.geo.mapdata import project

    x, y = project(42.98, 20.90)  # the five records at one place, all within 1 km
    discs = view.cluster_items()
    nearest = min(discs, key=lambda d: (d.scenePos() - QPointF(x, -y)).manhattanLength())
    assert nearest.count >= 5 and nearest.worst == 3
    assert "within 1 km of the ABL" in nearest.toolTip()
    for d in discs:
        assert f"<b>{d.count} records here</b>" in d.toolTip()
    # closer in, the discs are small and wear several band colours
    view.zoom_by(4.0)
    assert len({d.worst for d in view.cluster_items()}) >= 2


def test_a_click_on_a_disc_zooms_in_on_its_records(qtbot: QtBot, view: MapView) -> None:
    level = view.grouping_level()
    assert level is not None
    disc = max(view.cluster_items(), key=lambda d: d.count)
    scale = view.scale_m_per_px()
    with qtbot.assertNotEmitted(view.recordSelected):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         pos=view.mapFromScene(disc.scenePos()))
    assert view.scale_m_per_px() < scale
    finer = view.grouping_level()
    assert finer is None or finer < level
    centre = view.mapToScene(view.viewport().rect().center())
    assert abs(centre.x() - disc.scenePos().x()) < 40 * view.scale_m_per_px() + 2 ** level


def test_a_record_selected_in_a_disc_marks_the_disc_then_is_shown_alone(view: MapView) -> None:
    assert "SAF-2026-0101" not in view.record_items()  # counted in a disc at this scale
    view.select("SAF-2026-0101")
    marked = [d for d in view.cluster_items() if d.selected_mark]
    assert len(marked) == 1
    # what the detail pane does when the officer picks the record in the register
    assert view.centre_on("SAF-2026-0101")
    shown = view.record_items()
    assert "SAF-2026-0101" in shown
    symbol = shown["SAF-2026-0101"]
    assert symbol.selected_mark  # type: ignore[attr-defined]
    assert not any(d.selected_mark for d in view.cluster_items())
    assert view.mapFromScene(symbol.scenePos()) == view.viewport().rect().center() \
        or (view.mapFromScene(symbol.scenePos()) - view.viewport().rect().center()
            ).manhattanLength() <= 2
    # and a click on it selects it, as ever
    pos = view.mapFromScene(symbol.scenePos())
    assert isinstance(pos, QPoint)


def test_records_at_one_place_stay_one_disc_until_close_in(view: MapView) -> None:
    assert view.centre_on("SAF-2026-9000")
    # a record sharing its place with four others: at the closest width the view zooms to on
    # selection it is still in their disc, which is marked
    marked = [d for d in view.cluster_items() if d.selected_mark]
    assert marked and marked[0].count >= 5
    while view.grouping_level() is not None:
        view.zoom_by(1.5)
    assert {f"SAF-2026-9{i:03d}" for i in range(5)} <= set(view.record_items())


def test_few_records_are_never_grouped(qtbot: QtBot) -> None:
    v = MapView()
    qtbot.addWidget(v)
    v.resize(600, 400)
    v.show()
    v.set_records(records()[: MIN_TO_GROUP - 1])  # at once: nothing to wait for
    assert not v.records_pending()
    v.zoom_by(0.2)
    assert v.cluster_items() == [] and len(v.record_items()) == MIN_TO_GROUP - 1 - 0


def test_newer_records_win_over_older_ones_still_grouping(qtbot: QtBot, view: MapView) -> None:
    with qtbot.waitSignal(view.recordsShown, timeout=20_000) as shown:
        view.set_records(records(800, seed=1))
        view.set_records(records(700, seed=2))
    assert shown.args == [700]
    qtbot.wait(50)
    assert drawn_count(view) == 700


def test_apply_theme_repaints_the_map_live(view: MapView) -> None:
    def corner() -> tuple[int, int, int]:
        c = view.viewport().grab().toImage().pixelColor(view.viewport().width() - 3, 3)
        return c.red(), c.green(), c.blue()

    day = corner()
    image_day = view.viewport().grab().toImage()
    view.apply_theme(style.NIGHT)
    assert view.theme_name() == "night"
    night = corner()
    assert night != day
    assert sum(night) < sum(day)  # dark
    image_night = view.viewport().grab().toImage()
    disc = view.cluster_items()[0]
    p = view.mapFromScene(disc.scenePos())
    assert image_day.pixelColor(p.x(), p.y()) != image_night.pixelColor(p.x(), p.y())
    view.apply_theme(style.DAY)
    assert corner() == day


def test_the_detail_pane_finds_a_record_counted_in_a_disc(qtbot: QtBot) -> None:
    """The register's selection goes through the detail pane: its record is shown alone and
    marked, even when the map of the whole region had it inside a disc."""
    from dataclasses import replace

    from kfor_desk.domain.records import Location
    from kfor_desk.ui.panels.detail import DetailPane, map_items
    from tests.factories import make_notification

    others = records()
    picked = replace(make_notification(locations=(Location("among the others", 42.95, 21.05),)),
                     register_no="SAF-2026-7777")
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.resize(900, 900)
    pane.show()
    qtbot.waitExposed(pane)
    with qtbot.waitSignal(pane.map.recordsShown, timeout=20_000):
        pane.set_map_items([*others, *map_items([picked])])
    pane.map.fit()
    assert "SAF-2026-7777" not in pane.map.record_items()
    pane.show_record(picked)
    symbol = pane.map.record_items()["SAF-2026-7777"]
    assert symbol.selected_mark  # type: ignore[attr-defined]
    assert symbol.item.band == ""  # type: ignore[attr-defined]  # no ABL relation given
