"""DtgEdit and PositionEdit read as the operator types."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kfor_desk.ui.widgets import DtgEdit, FieldError, PositionEdit

pytestmark = [pytest.mark.gui,
              # the offscreen platform says so whenever a top-level dialog is shown
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def test_dtg_edit_shows_local_time(qtbot: QtBot) -> None:
    w = DtgEdit()
    qtbot.addWidget(w)
    qtbot.keyClicks(w.edit, "261700ZNOV26")
    assert w.value() == datetime(2026, 11, 26, 17, 0, tzinfo=UTC)
    assert w.hint.text() == "26 Nov 18:00 CET"
    assert w.error() is None


def test_dtg_edit_accepts_iso_and_lower_case(qtbot: QtBot) -> None:
    w = DtgEdit()
    qtbot.addWidget(w)
    w.setText("2026-07-01T08:30Z")
    assert w.value() == datetime(2026, 7, 1, 8, 30, tzinfo=UTC)
    assert w.hint.text() == "01 Jul 10:30 CEST"
    w.setText("261700znov26")
    assert w.value() == datetime(2026, 11, 26, 17, 0, tzinfo=UTC)


def test_dtg_edit_error_sentence_after_leaving(qtbot: QtBot) -> None:
    w = DtgEdit()
    qtbot.addWidget(w)
    qtbot.keyClicks(w.edit, "2617")
    assert w.value() is None
    assert "DTG" in w.hint.text() and w.edit.property("invalid") is not True
    w.edit.editingFinished.emit()
    assert "neither a DTG" in w.hint.text()
    assert w.edit.property("invalid") is True
    assert w.error() is not None


def test_dtg_edit_required(qtbot: QtBot) -> None:
    w = DtgEdit()
    qtbot.addWidget(w)
    assert w.error() is not None and "required" in w.error()  # type: ignore[operator]
    optional = DtgEdit(required=False)
    qtbot.addWidget(optional)
    assert optional.error() is None and optional.value() is None


@pytest.mark.parametrize(("text", "side", "place"), [
    ("43.26, 20.58", "Serbia", "Raška"),
    ("43.2075, 20.7167", "Kosovo", "Jarinje"),
])
def test_position_edit_shows_side_band_and_place(qtbot: QtBot, text: str, side: str,
                                                 place: str) -> None:
    w = PositionEdit()
    qtbot.addWidget(w)
    qtbot.keyClicks(w.edit, text)
    info = w.info.text()
    assert info.startswith(side + " · ")
    assert "km from the ABL" in info and "band" in info and place in info
    assert w.mgrs.text().startswith("MGRS 34T ")
    assert w.error() is None
    assert not w.confirm.isVisibleTo(w)


def test_position_edit_reads_mgrs(qtbot: QtBot) -> None:
    w = PositionEdit()
    qtbot.addWidget(w)
    w.setText("34TDN8927048850")
    v = w.value()
    assert v is not None and v.form == "mgrs"
    # changed with issue 15: the readout also says what precision the text states
    assert w.mgrs.text() == "MGRS 34T DN 89270 48850 · stated ±1 m square"
    assert w.precision_warning() is None and not w.coarse.isVisibleTo(w)


@pytest.mark.parametrize(("text", "stated", "warns"), [
    ("34T DN 7500", "±1 km square", True),  # a dropped digit
    ("34TDN84", "±10 km square", True),
    ("34TDN892488", "±100 m square", False),
    ("34TDN89274885", "±10 m square", False),
    ("42.89, 20.87", "±1.1 km", True),
    ("42.8922, 20.8686", "±11 m", False),
    ("42°53′32″N 20°52′07″E", "±31 m", False),
])
def test_position_edit_shows_precision_and_warns_when_coarse(
        qtbot: QtBot, text: str, stated: str, warns: bool) -> None:
    w = PositionEdit()
    qtbot.addWidget(w)
    w.show()
    qtbot.keyClicks(w.edit, text.replace("′", "'").replace("″", '"').replace("°", " ")
                    if not text.isascii() else text)
    assert w.value() is not None, w.info.text()
    assert w.mgrs.text().endswith(f"stated {stated}")
    assert w.coarse.isVisible() is warns
    assert (w.precision_warning() is not None) is warns
    if warns:
        assert w.coarse.text() == w.precision_warning()
        assert "Only a" in w.coarse.text() or "Only to" in w.coarse.text()
    assert w.error() is None  # a warning, never a refusal
    w.edit.clear()
    assert not w.coarse.isVisible()


def test_position_edit_bad_text(qtbot: QtBot) -> None:
    w = PositionEdit()
    qtbot.addWidget(w)
    qtbot.keyClicks(w.edit, "42,8922 20,8686")
    assert w.value() is None
    w.show_problems()
    err = w.error()
    assert err is not None and "decimal comma" in err
    assert w.edit.property("invalid") is True


def test_position_edit_out_of_area_needs_confirm(qtbot: QtBot) -> None:
    w = PositionEdit()
    qtbot.addWidget(w)
    w.setText("45.0, 20.0")
    assert w.value() is not None
    assert w.out_of_area() is not None
    assert w.confirm.isVisibleTo(w)
    assert w.error() == w.out_of_area()
    w.confirm.setChecked(True)
    assert w.error() is None
    w.setText("46.0, 20.0")  # another position: confirm again
    assert not w.confirm.isChecked() and w.error() is not None


def test_pick_on_map_fills_the_field(qtbot: QtBot) -> None:
    w = PositionEdit()
    qtbot.addWidget(w)
    asked: list[tuple[float | None, float | None]] = []

    def fake_picker(parent: object, lat: float | None, lon: float | None
                    ) -> tuple[float, float]:
        asked.append((lat, lon))
        return 43.2075, 20.7167

    w.picker = fake_picker
    qtbot.mouseClick(w.pick_button, Qt.MouseButton.LeftButton)
    assert asked == [(None, None)]
    assert w.text() == "43.20750, 20.71670"
    assert "Jarinje" in w.info.text()


def test_map_pick_dialog_emits_clicked_position(qtbot: QtBot) -> None:
    from kfor_desk.ui.widgets import MapPickDialog

    dlg = MapPickDialog(None, 43.2075, 20.7167)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg.map.picking
    centre = dlg.map.viewport().rect().center()
    qtbot.mouseClick(dlg.map.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert dlg.picked is not None
    lat, lon = dlg.picked
    assert 41 < lat < 44 and 19 < lon < 23
    assert dlg.result() == dlg.DialogCode.Accepted


def test_field_error_sentence(qtbot: QtBot) -> None:
    e = FieldError()
    qtbot.addWidget(e)
    e.set_error("end must be after the start")
    assert e.text() == "End must be after the start."
    assert e.isVisibleTo(e.parentWidget() or e) or not e.isHidden()
    e.set_error(None)
    assert e.isHidden()


def test_word_elision_cuts_mid_word_rather_than_leave_the_cell_empty(qtbot: QtBot) -> None:
    """At 1366×768 every "Вежба „Копаоник“ 26-73" showed as "Вежба …": the words that fit
    must fill most of the cell, else the text is cut inside a word."""
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QLabel

    from kfor_desk.ui.panels.word_elide import elide_words

    fm = QFontMetrics(QLabel().font())
    text = "Вежба „Копаоник“ 26-73"
    width = fm.horizontalAdvance("Вежба „Копаон") + fm.horizontalAdvance("…")
    shown = elide_words(text, fm, width)
    assert shown.startswith("Вежба „Ко") and shown.endswith("…")
    # whole words when they fill the cell
    place = "training area near Raška · 11.8 km"
    wide = fm.horizontalAdvance("training area near Raška") + fm.horizontalAdvance(" …") + 2
    assert elide_words(place, fm, wide) == "training area near Raška …"
    assert elide_words(place, fm, fm.horizontalAdvance(place)) == place
