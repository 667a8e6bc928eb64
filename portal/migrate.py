"""Run Alembic from code: `portal db upgrade`, the demo and the tests use this."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection


def _migrations_dir() -> Path:
    """migrations/ at the repository root is installed as the package portal.migrations
    (pyproject.toml maps it), so an editable checkout and a built wheel both find it here."""
    return Path(str(resources.files("portal.migrations")))


MIGRATIONS = _migrations_dir()


def alembic_config(url: str | None = None, connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("file_template", "%%(year)d-%%(month).2d-%%(day).2d_%%(rev)s_%%(slug)s")
    cfg.attributes["url"] = url
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)
