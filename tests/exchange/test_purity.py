"""The HL7 library and the sharing rules stay plain Python: they import no web framework
and no database module themselves (the sharing rules take the registry's enums from its
model modules, as every rule module does)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "portal"
FILES = [*sorted((ROOT / "exchange" / "hl7").glob("*.py")), ROOT / "registry" / "sharing.py"]
FORBIDDEN = ("flask", "flask_babel", "flask_login", "flask_wtf", "sqlalchemy", "portal.db")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_framework_or_database_imports(path: Path) -> None:
    bad = {n for n in _imports(path) if n.split(".")[0] in FORBIDDEN or n in FORBIDDEN}
    assert bad == set()


def test_the_library_is_all_there() -> None:
    assert len(FILES) >= 10


# The exchange's services take a session and plain objects: no web framework (views.py and
# commands.py are the only Flask and click parts).
SERVICES = [ROOT / "exchange" / name for name in ("submit.py", "credentials.py", "models.py")]
WEB = ("flask", "flask_babel", "flask_login", "flask_wtf", "portal.db")


@pytest.mark.parametrize("path", SERVICES, ids=lambda p: p.name)
def test_the_exchange_services_import_no_web_framework(path: Path) -> None:
    bad = {n for n in _imports(path) if n.split(".")[0] in WEB or n in WEB}
    assert bad == set()
