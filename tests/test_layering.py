"""The floors of the house, checked on the source: layers one way down, UI and CLI through Desk.

``domain`` (pure Python) <- ``store`` (SQLAlchemy) <- ``services`` <- ``ui`` / ``cli`` / ``app``;
``reports`` stands on the domain (see also ``tests/reports/test_layering.py``); ``style``,
``resources`` and ``portable`` are leaves every floor may use. Every import counts, also the
ones inside functions and under ``TYPE_CHECKING``.

Two rules still have offenders that other work is removing. Their files are listed below; the
lists must only shrink: a file not on a list that breaks the rule fails, and so does a listed
file that no longer breaks it (take it off the list).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import kfor_desk

PACKAGE = Path(kfor_desk.__file__).parent
QT = ("PySide6", "shiboken6")
SQL = ("sqlalchemy", "alembic", "psycopg")
PDF = ("reportlab", "pikepdf", "pyhanko")
LEAVES = ("kfor_desk.style", "kfor_desk.resources", "kfor_desk.portable")

# Files of ui/, cli/ and app.py that still import kfor_desk.store or SQLAlchemy.
# MUST ONLY SHRINK: the window and the CLI talk to Desk and services (services.errors carries
# the store's exceptions).
STORE_IMPORT_ALLOWED: frozenset[str] = frozenset()

# Files outside services/ that still reach through a desk to its ``.repo`` or ``.db``.
# MUST ONLY SHRINK: use the Desk's own methods (records, record, history, chain_head, readonly,
# close, the context manager).
DESK_REACH_ALLOWED: frozenset[str] = frozenset()


def _files(*floors: str) -> Iterator[Path]:
    for floor in floors:
        path = PACKAGE / floor
        if path.suffix == ".py":
            yield path
        else:
            yield from sorted(path.rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports (relative imports resolved), with ``from X import y`` also
    giving ``X.y`` (``y`` may be a submodule)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{a.name}" for a in node.names)
    return names


def _under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _ours(name: str, floors: tuple[str, ...]) -> bool:
    return _under(name, tuple(f"kfor_desk.{f}" for f in floors))


def _rel(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def _violations(floors: tuple[str, ...], forbidden_ours: tuple[str, ...],
                forbidden_libs: tuple[str, ...]) -> list[str]:
    found = []
    for path in _files(*floors):
        for name in sorted(_imports(path)):
            if _ours(name, forbidden_ours) or _under(name, forbidden_libs):
                found.append(f"{_rel(path)} imports {name}")
    return found


def test_every_floor_is_checked() -> None:
    """A new top-level package or module must be placed on a floor here."""
    known = {"domain", "store", "services", "reports", "ui", "cli", "app.py", "style",
             "resources.py", "portable.py", "__init__.py", "__main__.py", "py.typed",
             "_resources", "__pycache__"}
    assert {p.name for p in PACKAGE.iterdir()} <= known


def test_domain_stands_alone() -> None:
    """The domain imports nothing of ours above it, and no Qt, SQLAlchemy or reportlab."""
    found = _violations(("domain",), ("store", "services", "reports", "ui", "cli", "app",
                                      "style", "portable"), QT + SQL + PDF)
    assert found == []


def test_style_is_a_leaf() -> None:
    found = [f"{_rel(path)} imports {n}" for path in sorted((PACKAGE / "style").glob("*.py"))
             for n in _imports(path)
             if (n.startswith("kfor_desk") and not n.startswith("kfor_desk.style"))
             or _under(n, QT + SQL + PDF)]
    assert found == []


def test_store_stands_on_the_domain() -> None:
    found = _violations(("store",), ("services", "reports", "ui", "cli", "app"), QT + PDF)
    assert found == []


def test_services_and_reports_know_no_window_or_cli() -> None:
    found = _violations(("services", "reports"), ("ui", "cli", "app"), QT)
    found += _violations(("reports",), ("store", "services"), SQL)
    assert found == []


def test_ui_and_cli_never_import_the_store() -> None:
    offending = set()
    for path in _files("ui", "cli", "app.py"):
        if any(_ours(n, ("store",)) or _under(n, ("sqlalchemy", "alembic"))
               for n in _imports(path)):
            offending.add(_rel(path))
    assert sorted(offending - STORE_IMPORT_ALLOWED) == [], "new store imports in ui/cli"
    assert sorted(STORE_IMPORT_ALLOWED - offending) == [], \
        "no longer offending: take these off STORE_IMPORT_ALLOWED"


def _reaches_through_a_desk(path: Path) -> list[int]:
    """Lines where ``<something>desk.repo`` / ``<something>desk.db`` is used."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in ("repo", "db"):
            base = node.value
            name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
            if "desk" in name.lower():
                lines.append(node.lineno)
    return sorted(lines)


def test_reaching_through_a_desk_sample(tmp_path: Path) -> None:
    """The detector sees ``desk.repo``, ``self.desk.db`` and ``result.desk.db``, and ignores
    ``args.db``."""
    path = tmp_path / "sample.py"
    path.write_text("desk.repo.get(1)\nself.desk.db.close()\nresult.desk.db.close()\n"
                    "open(args.db)\nself._desk.repo\n", encoding="utf-8")
    assert _reaches_through_a_desk(path) == [1, 2, 3, 5]


@pytest.mark.parametrize("floors", [("ui", "cli", "app.py", "reports")])
def test_only_services_reach_through_a_desk(floors: tuple[str, ...]) -> None:
    offending = {_rel(p) for p in _files(*floors) if _reaches_through_a_desk(p)}
    assert sorted(offending - DESK_REACH_ALLOWED) == [], "new desk.repo / desk.db outside services"
    assert sorted(DESK_REACH_ALLOWED - offending) == [], \
        "no longer offending: take these off DESK_REACH_ALLOWED"
