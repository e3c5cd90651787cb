"""One-way layers: models/services/sync never import Qt; the UI never imports SQLAlchemy."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def files_under(*parts: str) -> list[Path]:
    return sorted(APP.joinpath(*parts).rglob("*.py"))


@pytest.mark.parametrize("layer", ["models", "services", "sync"])
def test_core_layers_do_not_import_qt(layer):
    offenders = {
        str(p.relative_to(APP)): sorted(m for m in imported_modules(p) if m.split(".")[0] in {"PySide6", "shiboken6"})
        for p in files_under(layer)
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_ui_does_not_touch_the_database():
    offenders = {
        str(p.relative_to(APP)): sorted(m for m in imported_modules(p) if m.split(".")[0] in {"sqlalchemy", "sqlite3", "alembic"} or m.startswith("app.models"))
        for p in files_under("ui")
    }
    assert {k: v for k, v in offenders.items() if v} == {}
