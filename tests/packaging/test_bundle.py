"""The frozen app: build the PyInstaller bundle and run the built program offscreen.

Skipped in the everyday run; ``.ci/run`` runs it with ``KFOR_DESK_BUNDLE_TEST=1``. The bundle is
built once per session with ``packaging/build.sh`` unless ``KFOR_DESK_BUNDLE=PATH`` names the
``kfor-desk`` program of a bundle already built in the same CI run. Each command runs twice: as
is, and inside a new network namespace (``unshare -n`` as root, ``-rn`` otherwise: no network at
all; see ``tests/offline.py``) where one can be made.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kfor_desk import __version__
from tests.offline import no_network

ROOT = Path(__file__).resolve().parents[2]
BUNDLE_DIR = ROOT / "packaging" / "dist" / "kfor-desk"
EXE_NAME = "kfor-desk.exe" if sys.platform == "win32" else "kfor-desk"
ENABLE = "KFOR_DESK_BUNDLE_TEST"
PREBUILT = "KFOR_DESK_BUNDLE"

pytestmark = [
    pytest.mark.bundle,
    pytest.mark.skipif(os.environ.get(ENABLE) != "1",
                       reason=f"builds the PyInstaller bundle (minutes): set {ENABLE}=1 "
                              "(.ci/run does)"),
]


@pytest.fixture(scope="session")
def exe() -> Path:
    prebuilt = os.environ.get(PREBUILT)
    if prebuilt:
        path = Path(prebuilt)
        assert path.is_file(), f"{PREBUILT}={prebuilt} is not the bundle's program"
        return path
    done = subprocess.run(["bash", str(ROOT / "packaging" / "build.sh")], cwd=ROOT,
                          capture_output=True, text=True, timeout=1800, check=False)
    assert done.returncode == 0, f"build failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    print(done.stdout.strip().splitlines()[-1])  # the size line, shown with -s
    return BUNDLE_DIR / EXE_NAME




@pytest.fixture(params=["host", "no-network"], scope="session")
def prefix(request: pytest.FixtureRequest) -> list[str]:
    if request.param == "host":
        return []
    offline, problem = no_network()
    if not offline:
        pytest.skip(f"no network namespace here, ran without it only: {problem}")
    return offline


@pytest.fixture
def home(tmp_path: Path) -> Path:
    h = tmp_path / "home"
    h.mkdir()
    return h


def run(prefix: list[str], exe: Path, home: Path, *args: str,
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("KFOR_DESK_DB", "KFOR_DESK_PORTABLE", "PYTHON", "VIRTUAL_ENV"))}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(home), XDG_DATA_HOME=str(home / "share"),
               XDG_CONFIG_HOME=str(home / "config"), XDG_CACHE_HOME=str(home / "cache"),
               KFOR_DESK_OPERATOR="Capt Bundle")
    return subprocess.run([*prefix, str(exe), *args], cwd=cwd or home, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_bundle_ships_its_assets(exe: Path) -> None:
    internal = exe.parent / "_internal"
    for rel in ("resources/data/abl.geojson", "resources/fonts/DejaVuSans.ttf",
                "resources/icons/kfor-desk.svg", "resources/icons/kfor-desk-256.png",
                "kfor_desk/store/migrations/env.py",
                "kfor_desk/store/migrations/script.py.mako",
                "kfor_desk/store/migrations/versions/0001_initial_schema.py",
                "pyproj/proj_dir/share/proj/proj.db", "tzdata/zoneinfo/Europe/Belgrade"):
        assert (internal / rel).is_file(), rel


def test_version(prefix: list[str], exe: Path, home: Path) -> None:
    assert ok(run(prefix, exe, home, "--version")).strip() == __version__


def test_demo_then_verify(prefix: list[str], exe: Path, home: Path, tmp_path: Path) -> None:
    db = tmp_path / "out" / "desk.db"
    db.parent.mkdir()
    ok(run(prefix, exe, home, "--db", str(db), "demo"))
    assert db.is_file()
    assert ok(run(prefix, exe, home, "--db", str(db), "verify")).startswith("ok:")


def test_geo_json(prefix: list[str], exe: Path, home: Path) -> None:
    out = json.loads(ok(run(prefix, exe, home, "geo", "42.8922,20.8686", "--json")))
    assert out["lat"] == pytest.approx(42.8922)
    assert out["side"] == "kosovo"
    assert out["abl_distance_km"] > 0
    assert out["mgrs"].startswith("34T")


def test_brief_daily(prefix: list[str], exe: Path, home: Path, tmp_path: Path) -> None:
    if "brief" not in ok(run(prefix, exe, home, "--help")):
        pytest.skip("the 'brief' command is not in this build yet")
    from pypdf import PdfReader

    db = tmp_path / "desk.db"
    ok(run(prefix, exe, home, "--db", str(db), "demo"))
    pdf = tmp_path / "briefs" / "daily.pdf"
    pdf.parent.mkdir()
    ok(run(prefix, exe, home, "--db", str(db), "brief", "daily", str(pdf)))
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 1
    assert "BRIEF" in reader.pages[0].extract_text().upper()


@pytest.fixture
def portable_marker(exe: Path) -> Iterator[Path]:
    marker = exe.parent / "kfor-desk.portable"
    data = exe.parent / "data"
    assert not marker.exists() and not data.exists(), "the bundle is already in portable mode"
    marker.write_text("")
    try:
        yield data
    finally:
        marker.unlink()
        shutil.rmtree(data, ignore_errors=True)


def test_portable_mode_keeps_data_beside_the_program(
        prefix: list[str], exe: Path, home: Path, portable_marker: Path) -> None:
    ok(run(prefix, exe, home, "demo", "--records", "5"))
    assert (portable_marker / "kfor-desk.db").is_file()
    assert not any(home.rglob("*.db")), "portable mode wrote into the user's home"
