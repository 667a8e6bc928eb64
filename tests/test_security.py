"""Cross-cutting protections: CSRF, headers, caching, redirects, error pages, settings."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from flask import Flask

from portal import config
from portal.access import PUBLIC, allow
from portal.core.views import safe_next


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


# --- CSRF -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/language", {"lang": "es"}),
        ("/login", {"email": "someone@example.com", "password": "whatever it is"}),
    ],
)
def test_a_post_without_a_csrf_token_is_refused(client, path: str, data: dict) -> None:
    response = client.post(path, data=data, csrf=False)

    assert response.status_code == 400
    assert b"Error reference" in response.data


def test_a_post_with_a_forged_csrf_token_is_refused(client) -> None:
    response = client.post("/language", data={"lang": "es", "csrf_token": "forged"}, csrf=False)

    assert response.status_code == 400


def test_a_refused_language_post_changes_nothing(client) -> None:
    client.post("/language", data={"lang": "es"}, csrf=False)

    assert 'lang="en"' in client.get("/").get_data(as_text=True)


# --- Headers ----------------------------------------------------------------------


def test_pages_carry_the_security_headers(client) -> None:
    headers = client.get("/").headers

    csp = csp_directives(headers["Content-Security-Policy"])
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp.get("style-src", [])
    assert csp["object-src"] == ["'none'"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    assert int(headers["Strict-Transport-Security"].split(";")[0].split("=")[1]) >= 31536000


def test_forms_still_work_over_https_where_csrf_also_checks_the_referrer(client, make) -> None:
    """Over HTTPS Flask-WTF refuses a post without a same-site Referer, so the pages'
    Referrer-Policy must let the browser send one back to this site."""
    https = "https://localhost"
    make.user(email="ana@example.org")
    page = client.get("/login", base_url=https)
    # A browser sends a Referer to the same site under every policy but no-referrer.
    sent_back = page.headers["Referrer-Policy"] != "no-referrer"
    headers = {"Referer": f"{https}/login"} if sent_back else {}

    response = client.post(
        "/login",
        base_url=https,
        headers=headers,
        data={"email": "ana@example.org", "password": "correct horse battery staple"},
    )

    assert response.status_code == 302
    assert client.post("/login", base_url=https, data={}).status_code == 400  # still checked


def test_the_referrer_never_leaves_the_site(client) -> None:
    # Reset and invitation links carry a token in the path: no other site may see it.
    assert client.get("/").headers["Referrer-Policy"] in {"same-origin", "no-referrer"}


@pytest.mark.parametrize("path", ["/", "/login", "/no-such-page"])
def test_html_pages_are_never_cached(client, path: str) -> None:
    response = client.get(path)

    assert response.mimetype == "text/html"
    assert response.headers["Cache-Control"] == "no-store"


def test_error_pages_carry_the_security_headers_too(client) -> None:
    response = client.get("/no-such-page")

    assert response.status_code == 404
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_static_files_may_be_cached(client) -> None:
    response = client.get("/static/css/portal.css")

    assert response.status_code == 200
    assert "no-store" not in response.headers["Cache-Control"]
    response.close()


@pytest.mark.usefixtures("clean_environment")
def test_session_cookie_is_locked_down_in_production() -> None:
    settings = config.build(
        {"DATABASE_URL": "sqlite://", "SECRET_KEY": "x" * 40, "TESTING": False, "DEMO": False,
         "SINGLE_PROCESS": True}  # fmt: skip
    )

    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert settings["SESSION_COOKIE_NAME"].startswith("__Host-")


# --- Health check -----------------------------------------------------------------


def test_healthz_reports_ok_with_the_database_up(client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


# --- Redirects ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "//evil.com",
        "https://evil.com/x",
        "/\\evil.com",
        "javascript:alert(1)",
        "evil.com/records",
        "/\t/evil.com",
        "/records\r\nSet-Cookie: a=b",
        "",
        None,
    ],
)
def test_safe_next_refuses_anything_but_a_local_path(target: str | None) -> None:
    assert safe_next(target) is None


@pytest.mark.parametrize("target", ["/records", "/records/abc?tab=2"])
def test_safe_next_keeps_a_local_path(target: str) -> None:
    assert safe_next(target) == target


@pytest.mark.parametrize("target", ["https://evil.com/x", "//evil.com", "/\\evil.com"])
def test_the_language_form_ignores_an_external_next(client, target: str) -> None:
    response = client.post("/language", data={"lang": "es", "next": target})

    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_next_with_a_line_break_sends_you_home_instead_of_failing(client) -> None:
    response = client.post("/language", data={"lang": "es", "next": "/login\r\nSet-Cookie: a=b"})

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "a=b" not in response.headers.get("Set-Cookie", "")


def test_the_language_form_returns_to_a_local_next(client) -> None:
    response = client.post("/language", data={"lang": "es", "next": "/login"})

    assert response.headers["Location"] == "/login"


# --- Unexpected errors ----------------------------------------------------------------


@pytest.fixture
def exploding_app(app: Flask) -> Flask:
    @app.route("/explode", methods=["GET", "POST"])
    @allow(PUBLIC)
    def explode() -> str:
        raise RuntimeError("the view failed")

    return app


def test_an_unexpected_error_shows_a_500_page_with_a_reference_that_is_logged(
    exploding_app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    client = exploding_app.test_client()
    secret_value = "Maria Lopez 2019-03-14 CA00001234"

    with caplog.at_level(logging.ERROR):
        response = client.post("/explode", data={"name": secret_value})

    assert response.status_code == 500
    page = response.get_data(as_text=True)
    found = re.search(r"Error reference: ([0-9a-f]{12})", page)
    assert found, page
    error_id = found.group(1)
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert len(logged) == 1
    assert logged[0].exc_info is not None  # the traceback is there for the developers
    assert secret_value not in caplog.text
    assert secret_value not in page
    assert "the view failed" not in page
    assert response.headers["Cache-Control"] == "no-store"


@pytest.fixture
def duplicate_email_app(app: Flask) -> Flask:
    """Two accounts with one address: fails in the view (flush) or after it (the commit)."""
    from portal.accounts.models import User
    from portal.db import db

    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production, where nothing re-raises

    def add_twice() -> None:
        for _ in range(2):
            db.session.add(User(email="maria.lopez@example.org", password_hash="x"))

    @app.post("/reset/<token>/in-view")
    @allow(PUBLIC)
    def fails_in_view(token: str) -> str:
        add_twice()
        db.session.flush()
        return "unreachable"

    @app.post("/reset/<token>/at-commit")
    @allow(PUBLIC)
    def fails_at_commit(token: str) -> str:
        add_twice()
        return "the view itself finished"

    return app


@pytest.mark.parametrize("where", ["in-view", "at-commit"])
def test_a_database_error_logs_its_reference_but_no_values_nor_the_address(
    duplicate_email_app: Flask, caplog: pytest.LogCaptureFixture, where: str
) -> None:
    client = duplicate_email_app.test_client()

    with caplog.at_level(logging.ERROR):
        response = client.post(f"/reset/live-reset-token/{where}")

    assert response.status_code == 500
    page = response.get_data(as_text=True)
    found = re.search(r"Error reference: ([0-9a-f]{12})", page)
    assert found, page
    assert "the view itself finished" not in page
    logged = [r for r in caplog.records if found.group(1) in r.getMessage()]
    assert len(logged) == 1 and logged[0].exc_info is not None
    assert "IntegrityError" in caplog.text  # what went wrong is there for the developers
    assert "maria.lopez@example.org" not in caplog.text  # the SQL's values are not
    assert "live-reset-token" not in caplog.text  # nor the path, which can hold a token
    assert response.headers["Cache-Control"] == "no-store"


def test_each_error_gets_its_own_reference(exploding_app: Flask) -> None:
    client = exploding_app.test_client()

    first = re.search(r"Error reference: (\w+)", client.get("/explode").get_data(as_text=True))
    second = re.search(r"Error reference: (\w+)", client.get("/explode").get_data(as_text=True))

    assert first and second
    assert first.group(1) != second.group(1)


def test_a_body_too_large_gets_the_plain_413_page_in_the_visitors_language(client) -> None:
    response = client.post(
        "/login",
        data={"email": "a@example.org", "password": "x" * (12 * 1024 * 1024)},
        headers={"Accept-Language": "es"},
    )

    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "El archivo es demasiado grande" in page
    assert "Elija un archivo de menos de 10 MB." in page
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


# --- Settings ---------------------------------------------------------------------------


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in config.DEFAULTS:
        monkeypatch.delenv(f"PORTAL_{key}", raising=False)


@pytest.mark.usefixtures("clean_environment")
def test_config_refuses_to_start_without_a_secret_key_in_production() -> None:
    with pytest.raises(RuntimeError, match="PORTAL_SECRET_KEY"):
        config.build({"DATABASE_URL": "sqlite://", "TESTING": False, "DEMO": False})


@pytest.mark.usefixtures("clean_environment")
def test_config_refuses_a_short_secret_key_in_production() -> None:
    with pytest.raises(RuntimeError, match="at least 32"):
        config.build({"DATABASE_URL": "sqlite://", "SECRET_KEY": "short"})


@pytest.mark.usefixtures("clean_environment")
def test_config_refuses_to_start_without_a_database_url() -> None:
    with pytest.raises(RuntimeError, match="PORTAL_DATABASE_URL"):
        config.build({"SECRET_KEY": "x" * 40})


@pytest.mark.usefixtures("clean_environment")
def test_config_reads_the_secret_key_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PORTAL_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("PORTAL_DATABASE_URL", "sqlite://")
    monkeypatch.setenv("PORTAL_REDIS_URL", "redis://127.0.0.1:6379/0")

    settings: dict[str, Any] = config.build()

    assert settings["SECRET_KEY"] == "s" * 40
    assert settings["TESTING"] is False


@pytest.mark.usefixtures("clean_environment")
@pytest.mark.parametrize("relaxed", ["DEMO", "TESTING"])
def test_demo_and_tests_may_start_without_a_secret_key(relaxed: str) -> None:
    settings = config.build({"DATABASE_URL": "sqlite://", relaxed: True})

    assert settings["SECRET_KEY"] is None


def test_languages_from_the_environment_become_a_list() -> None:
    from portal.config import from_environment

    assert from_environment({"PORTAL_LANGUAGES": "en, es"})["LANGUAGES"] == ("en", "es")
