"""Shared fixtures: an app on a clean database per test, a CSRF-aware client, factories.

Set PORTAL_TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1/test)
to run the same suite on PostgreSQL; by default it runs on a SQLite file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy.orm import Session

from portal import create_app
from portal.db import engine_for
from portal.extensions import limiter
from portal.models import metadata
from tests.factories import Factories

SECRET = "test-secret-key-that-is-long-enough-0123456789"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("PORTAL_TEST_DATABASE_URL")
    if not url:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    engine = engine_for(url)
    metadata.drop_all(engine)
    metadata.create_all(engine)
    return url


@pytest.fixture(scope="session")
def upload_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("uploads"))


@pytest.fixture
def settings(database_url: str, upload_dir: str) -> dict[str, Any]:
    """Per-test settings; a test may change its own copy before asking for `app`."""
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET,
        "UPLOAD_DIR": upload_dir,
        "ISSUER_URL": "http://localhost",
        "SERVER_NAME": None,
    }


@pytest.fixture
def app(settings: dict[str, Any]) -> Iterator[Flask]:
    app = create_app(settings)
    app.test_client_class = CsrfClient
    limiter.reset()
    yield app
    limiter.reset()
    _empty_tables(settings["DATABASE_URL"])


def _empty_tables(url: str) -> None:
    with engine_for(url).begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def client(app: Flask) -> CsrfClient:
    return app.test_client()  # type: ignore[return-value]


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """A session of its own for setting up and checking data; commit to make rows visible."""
    session: Session = app.extensions["portal.db"]()
    yield session
    session.rollback()
    session.close()


@pytest.fixture
def make(db: Session) -> Factories:
    return Factories(db)


@pytest.fixture
def login(app: Flask, db: Session):  # type: ignore[no-untyped-def]
    """login(client, user, mfa=True): sign a user in on a client without the sign-in form."""
    from portal.accounts.sessions import start_session
    from portal.orm import utcnow

    def sign_in(client: FlaskClient, user: Any, *, mfa: bool = True) -> None:
        row = start_session(db, user)
        if mfa and user.is_staff:
            row.mfa_at = utcnow()
        db.commit()
        with client.session_transaction() as sess:
            sess["_user_id"] = row.token
            sess["_fresh"] = True

    return sign_in


class CsrfClient(FlaskClient):
    """Adds a valid CSRF token to form posts, as a browser that loaded the form would.

    CSRF protection stays switched on in every test; pass ``csrf=False`` to post
    without a token (tests/test_security.py checks such a post is refused).
    """

    def open(self, *args: Any, csrf: bool = True, **kwargs: Any) -> Any:
        method = kwargs.get("method", "GET").upper()
        data = kwargs.get("data")
        if csrf and method in {"POST", "PUT", "PATCH", "DELETE"}:
            if data is None:
                data = kwargs["data"] = {}
            if isinstance(data, dict) and "csrf_token" not in data:
                data["csrf_token"] = self.csrf_token()
        return super().open(*args, **kwargs)

    def csrf_token(self) -> str:
        with self.session_transaction() as sess:
            raw = sess.setdefault("csrf_token", os.urandom(20).hex())
        return URLSafeTimedSerializer(self.application.secret_key, salt="wtf-csrf-token").dumps(raw)
