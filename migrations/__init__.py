"""Alembic migrations: installed as the package portal.migrations (see pyproject.toml)."""
