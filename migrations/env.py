"""Alembic environment: the portal's metadata, the URL from PORTAL_DATABASE_URL or the caller."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

from portal.models import metadata

config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    url = config.attributes.get("url") or os.environ.get("PORTAL_DATABASE_URL")
    if not url:
        raise RuntimeError("Set PORTAL_DATABASE_URL to the database to migrate.")
    engine = create_engine(url)
    with engine.begin() as conn:
        _migrate(conn)
    engine.dispose()


def _migrate(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
