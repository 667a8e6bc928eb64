"""The migrations build exactly the schema the models describe, on the suite's database kind."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.orm import Session

from portal.migrate import MIGRATIONS, upgrade
from portal.models import metadata


@pytest.fixture
def empty_database(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A new empty database of the same kind as the suite's (SQLite file or PostgreSQL)."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    url = sa.make_url(database_url)
    name = f"migrations_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_migrations_reach_the_models(empty_database: str) -> None:
    upgrade(empty_database)
    engine = sa.create_engine(empty_database)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, metadata)
    engine.dispose()
    assert diff == [], f"models and migrations differ: {diff}"


def test_migration_files_are_date_prefixed() -> None:
    names = [p.name for p in (MIGRATIONS / "versions").glob("*.py")]
    assert names, "no migrations"
    for name in names:
        assert name[:10].count("-") == 2 and name[:4].isdigit(), name


def test_db_upgrade_needs_only_the_database_url(tmp_path: Path, monkeypatch) -> None:
    """The README's first production step sets PORTAL_DATABASE_URL alone, then migrates."""
    from click.testing import CliRunner

    from portal.cli import main

    for name in ("PORTAL_SECRET_KEY", "PORTAL_DEMO", "PORTAL_TESTING", "PORTAL_ISSUER_URL"):
        monkeypatch.delenv(name, raising=False)
    database = tmp_path / "fresh.db"
    monkeypatch.setenv("PORTAL_DATABASE_URL", f"sqlite:///{database}")
    result = CliRunner().invoke(main, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    engine = sa.create_engine(f"sqlite:///{database}")
    assert set(metadata.tables) <= set(sa.inspect(engine).get_table_names())
    engine.dispose()

    monkeypatch.delenv("PORTAL_DATABASE_URL")
    result = CliRunner().invoke(main, ["db", "upgrade"])
    assert result.exit_code == 2 and "Set PORTAL_DATABASE_URL" in result.output


def test_a_fresh_database_has_the_ready_answers_in_both_languages(empty_database: str) -> None:
    from portal.requests.models import CannedReply

    upgrade(empty_database)
    engine = sa.create_engine(empty_database)
    try:
        with Session(engine) as session:
            replies = session.scalars(sa.select(CannedReply).order_by(CannedReply.id)).all()
            assert [r.title("en") for r in replies] == [
                "Ask for a clearer document",
                "Ask for proof of parenthood",
                "Ask for the provider's record",
                "No matching record",
                "The record is already correct",
            ]
            assert all(r.active and r.text("es") != r.text("en") for r in replies)
            for lang in ("es", "zh_Hans", "zh_Hant", "vi", "tl", "ko"):  # every seeded language
                assert all(set(r.texts) == {"en", "es", "zh_Hans", "zh_Hant", "vi", "tl", "ko"}
                           and r.title(lang) != r.title("en") for r in replies)  # fmt: skip
            assert replies[3].text("vi").startswith("Chúng tôi không tìm thấy hồ sơ")
            assert replies[0].text("es").startswith("No pudimos leer el documento que envió.")
            assert replies[0].created_at.tzinfo is not None
    finally:
        engine.dispose()


def test_the_reply_texts_migration_moves_the_columns_and_back(empty_database: str) -> None:
    """f6a7b8c9d0e1 moves English and Spanish into canned_reply_texts (a reply added before
    it keeps its texts, with no other language); its downgrade puts them back in columns."""
    from alembic import command

    from portal.migrate import alembic_config

    upgrade(empty_database, "e1f7a3c9d5b2")
    engine = sa.create_engine(empty_database)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO canned_replies (title_en, title_es, text_en, text_es, active,"
                " created_at, updated_at) VALUES ('Own answer', 'Respuesta propia', 'Own text',"
                " 'Texto propio', false, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            ))  # fmt: skip
            own = conn.scalar(sa.text("SELECT max(id) FROM canned_replies"))
        upgrade(empty_database, "f6a7b8c9d0e1")
        with engine.connect() as conn:
            columns = {c["name"] for c in sa.inspect(conn).get_columns("canned_replies")}
            assert "title_en" not in columns and "text_es" not in columns
            rows = conn.execute(sa.text(
                "SELECT lang, title, text FROM canned_reply_texts WHERE reply_id = :id"
                " ORDER BY lang"), {"id": own}).all()  # fmt: skip
            assert [tuple(r) for r in rows] == [
                ("en", "Own answer", "Own text"), ("es", "Respuesta propia", "Texto propio")
            ]  # fmt: skip
            seeded = conn.scalar(sa.text("SELECT count(*) FROM canned_reply_texts"))
            assert seeded == 5 * 7 + 2
            conn.execute(sa.text("DELETE FROM canned_reply_texts WHERE lang = 'es' AND "
                                 "reply_id = 1"))  # fmt: skip
            conn.commit()
        command.downgrade(alembic_config(empty_database), "e1f7a3c9d5b2")
        with engine.connect() as conn:
            assert not sa.inspect(conn).has_table("canned_reply_texts")
            back = conn.execute(sa.text(
                "SELECT id, title_en, title_es, text_en, text_es FROM canned_replies"
                " WHERE id IN (1, :id) ORDER BY id"), {"id": own}).all()  # fmt: skip
            first, mine = (tuple(r) for r in back)
            assert mine == (own, "Own answer", "Respuesta propia", "Own text", "Texto propio")
            assert first[1] == first[2] == "Ask for a clearer document"  # no Spanish: English
    finally:
        engine.dispose()
