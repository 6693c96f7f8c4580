"""The one place that finds runtime assets (fonts, map data, icons, migrations).

Looks in the frozen bundle first (PyInstaller's ``sys._MEIPASS``), then in the top-level
``resources/`` folder of a source checkout or editable install, then in the copy installed beside
the package. Imports nothing of ours, so every layer may use it.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def resources_dir() -> Path:
    candidates: list[Path] = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.append(Path(frozen) / "resources")
    here = Path(__file__).resolve().parent
    candidates += [here.parent / "resources", here / "_resources"]
    for c in candidates:
        if (c / "data" / "abl.geojson").is_file():
            return c
    raise FileNotFoundError(
        "KFOR Desk's resources folder is missing (looked in: "
        + ", ".join(str(c) for c in candidates) + "); reinstall the application."
    )


def resource(*parts: str) -> Path:
    """Path of a shipped asset, e.g. ``resource("data", "abl.geojson")``."""
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"KFOR Desk resource missing: {path}")
    return path
