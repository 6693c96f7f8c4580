"""``kfor_desk.reports`` stands on the domain alone: no Qt, SQLAlchemy, store, services, UI, CLI."""

from __future__ import annotations

import ast
from pathlib import Path

import kfor_desk.reports

FORBIDDEN = ("PySide6", "shiboken6", "sqlalchemy", "alembic", "kfor_desk.store",
             "kfor_desk.services", "kfor_desk.ui", "kfor_desk.cli", "kfor_desk.app")


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_reports_import_only_the_domain_and_resources() -> None:
    folder = Path(kfor_desk.reports.__file__).parent
    files = sorted(folder.glob("*.py"))
    assert files
    for path in files:
        for name in imported_modules(path):
            assert not name.startswith(FORBIDDEN), f"{path.name} imports {name}"
            if name.startswith("kfor_desk"):
                allowed = ("kfor_desk.domain", "kfor_desk.resources", "kfor_desk.style")
                assert name.startswith(allowed) or name == "kfor_desk", \
                    f"{path.name} imports {name}"
