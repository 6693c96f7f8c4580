"""Portable mode: the marker beside the frozen executable moves data, settings and backups."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kfor_desk import portable
from kfor_desk.services.backup import default_backup_dir
from kfor_desk.services.session import data_dir, default_db_location


@pytest.fixture(autouse=True)
def fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(portable.ENV_PORTABLE, raising=False)
    portable.portable_root.cache_clear()
    yield
    portable.portable_root.cache_clear()


def frozen_at(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    exe = folder / "kfor-desk"
    exe.write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))


def test_frozen_with_marker_keeps_everything_beside_the_executable(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stick = tmp_path / "stick" / "kfor-desk"
    frozen_at(monkeypatch, stick)
    (stick / portable.MARKER).write_text("")
    assert portable.portable_root() == stick
    assert portable.is_portable()
    assert data_dir() == stick / "data"
    assert Path(default_db_location()) == stick / "data" / "kfor-desk.db"
    assert portable.settings_file() == stick / "data" / "kfor-desk.ini"
    assert portable.backups_dir() == stick / "data" / "backups"
    assert default_backup_dir(Path(default_db_location())) == portable.backups_dir()


def test_frozen_without_marker_is_a_normal_install(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    frozen_at(monkeypatch, tmp_path / "app")
    assert portable.portable_root() is None
    assert portable.settings_file() is None
    assert portable.backups_dir() is None
    assert not data_dir().is_relative_to(tmp_path)


def test_from_source_a_marker_beside_python_is_ignored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(sys, "frozen", raising=False)
    bindir = tmp_path / "venv" / "bin"
    bindir.mkdir(parents=True)
    (bindir / portable.MARKER).write_text("")
    monkeypatch.setattr(sys, "executable", str(bindir / "python"))
    assert portable.portable_root() is None


def test_environment_variable_names_the_portable_root(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(portable.ENV_PORTABLE, str(tmp_path / "usb"))
    assert portable.portable_root() == tmp_path / "usb"
    assert data_dir() == tmp_path / "usb" / "data"


def test_window_settings_are_an_ini_file_in_the_portable_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QSettings

    from kfor_desk.ui.app_settings import app_settings

    stick = tmp_path / "stick"
    frozen_at(monkeypatch, stick)
    (stick / portable.MARKER).write_text("")
    settings = app_settings()
    assert settings.format() == QSettings.Format.IniFormat
    settings.setValue("window/geometry", "1200x760")
    settings.sync()
    assert settings.status() == QSettings.Status.NoError
    ini = stick / "data" / "kfor-desk.ini"
    assert Path(settings.fileName()) == ini
    assert "1200x760" in ini.read_text(encoding="utf-8")
