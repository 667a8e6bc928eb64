"""Database: the engine, and one session per request.

A request (or CLI command) works in one transaction: services flush, the
request commits once after the view returns, and anything that ends in a
server error is rolled back. After the commit, the answer floor a view asked
for (portal/answer_floor.py) is waited out.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, current_app, g
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from portal import answer_floor

_engines: dict[str, Engine] = {}


def engine_for(url: str) -> Engine:
    """One engine per URL for the life of the process (apps in tests share it)."""
    engine = _engines.get(url)
    if engine is None:
        # A failed statement's parameters (names, birth dates, emails) stay out of its message,
        # and so out of the logs.
        options: dict[str, Any] = {"pool_pre_ping": True, "hide_parameters": True}
        if url.startswith("sqlite"):
            options = {
                "connect_args": {"check_same_thread": False, "timeout": 15},
                "hide_parameters": True,
            }
        engine = sa.create_engine(url, **options)
        if url.startswith("sqlite"):
            sa.event.listen(engine, "connect", _sqlite_pragmas)
            sa.event.listen(engine, "savepoint", _sqlite_savepoint_inside_a_transaction)
        _engines[url] = engine
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def _sqlite_savepoint_inside_a_transaction(connection: sa.Connection, _name: str) -> None:
    """Open the transaction before a SAVEPOINT when the driver has not opened it yet.

    pysqlite begins a transaction only before INSERT, UPDATE or DELETE. A SAVEPOINT
    issued before any of those (e.g. after a SELECT, as in accounts.services.sign_up)
    therefore started the transaction itself, and its RELEASE committed it for good:
    the outer rollback undid nothing. SQLAlchemy's documented recipe (driver autocommit,
    BEGIN on the "begin" event) fixes that too, but opens the transaction at the first
    SELECT: SQLite then holds a snapshot from the first read, and a request that reads,
    waits for another request's commit and then writes fails with "database is locked"
    (tests/linking/test_races.py shows it). Emitting BEGIN only here keeps pysqlite's
    write-time transactions and makes savepoints nest.
    """
    dbapi_connection = connection.connection.dbapi_connection
    if dbapi_connection is not None and not dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN")


class Database:
    """Holds the session factory of the current app; ``db.session`` is per request."""

    def init_app(self, app: Flask) -> None:
        engine = engine_for(app.config["DATABASE_URL"])
        app.extensions["portal.db"] = sessionmaker(engine, expire_on_commit=False)
        app.after_request(_commit_unless_failed)
        app.teardown_appcontext(_close)

    @property
    def engine(self) -> Engine:
        return current_app.extensions["portal.db"].kw["bind"]

    @property
    def session(self) -> Session:
        session = g.get("_portal_db_session")
        if session is None:
            session = current_app.extensions["portal.db"]()
            g._portal_db_session = session
        return session

    def commit_early(self) -> None:
        """Commit the request's work now, before slow work that needs no database (drawing
        the printout), so no lock is held through it. What the view writes afterwards is
        committed after the view as usual."""
        self.session.commit()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """For CLI commands: one transaction, committed at the end or rolled back."""
        session = self.session
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def _commit_unless_failed(response: Response) -> Response:
    session: Session | None = g.get("_portal_db_session")
    if session is not None:
        if response.status_code >= 500:
            session.rollback()
        else:
            session.commit()
    answer_floor.wait_out()  # after the commit, so its cost is inside the floor
    return response


def _close(_exc: BaseException | None) -> None:
    session: Session | None = g.pop("_portal_db_session", None)
    if session is not None:
        session.rollback()
        session.close()


db = Database()
