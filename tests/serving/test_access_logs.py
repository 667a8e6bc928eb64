"""Served access logs (gunicorn's, the demo's werkzeug server) carry no link token."""

from __future__ import annotations

import http.client
import logging
import secrets
import threading
import time

import pytest
from werkzeug.serving import make_server

from portal.access_log import RedactingRequestHandler, redact

from .conftest import REDIS_URL


def _token_paths() -> dict[str, str]:
    """A fresh token per kind of link: nothing but these requests can put them in a log."""
    return {
        secrets.token_urlsafe(24): path
        for path in ("/reset/{}", "/confirm/{}", "/records/invitation/{}")
    }


def _visit(port: int, tokens: dict[str, str]) -> None:
    for token, path in tokens.items():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        # A page's stylesheet is fetched with the page (and its token) as the referrer.
        connection.request("GET", path.format(token) + "?lang=es",
                           headers={"Referer": f"http://127.0.0.1:{port}{path.format(token)}"})
        connection.getresponse().read()
        connection.close()


def test_redact_keeps_everything_but_the_token() -> None:
    assert redact('"GET /reset/abc-_9 HTTP/1.1" 400') == '"GET /reset/[redacted] HTTP/1.1" 400'
    assert redact("/records/invitation/Zz?x=1") == "/records/invitation/[redacted]?x=1"
    assert redact("/reset/sent") == "/reset/sent"
    assert redact("/records/12/invite /confirm") == "/records/12/invite /confirm"


def test_gunicorns_access_log_has_no_token(serve, production_env, redis_prefix) -> None:
    env = {**production_env, "PORTAL_REDIS_URL": REDIS_URL}
    app = f"portal:create_app({{'RATELIMIT_KEY_PREFIX': '{redis_prefix}'}})"
    # gunicorn's default format (with the referrer) and headers: what an operator would log.
    fields = '%(h)s "%(r)s" %(s)s "%(f)s" "%(a)s" %(U)s %(q)s {referer}i {location}o'
    server = serve(env, "-w", "1", "--access-logformat", fields, app=app)
    tokens = _token_paths()
    _visit(server.port, tokens)
    time.sleep(0.3)
    log = server.access_log.read_text()
    assert log.count("[redacted]") >= 3 * 3, log  # request line, path, referrer
    assert [t for t in tokens if t in log] == []
    assert [t for t in tokens if t in server.error_log.read_text()] == []


def test_the_demo_servers_log_has_no_token(app, caplog) -> None:
    server = make_server("127.0.0.1", 0, app, request_handler=RedactingRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        tokens = _token_paths()
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            _visit(server.port, tokens)
    finally:
        server.shutdown()
        thread.join()
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert sum("[redacted]" in line for line in lines) == 3, lines
    assert [t for t in tokens if any(t in line for line in lines)] == []


def test_portal_demo_serves_with_the_redacting_handler(monkeypatch, tmp_path) -> None:
    from flask import Flask

    from portal.demo.command import demo

    served: dict = {}
    monkeypatch.setattr(Flask, "run", lambda self, **kw: served.update(kw))
    monkeypatch.chdir(tmp_path)
    from click.testing import CliRunner

    result = CliRunner().invoke(demo, ["--port", "5999"])
    assert result.exit_code == 0, result.output
    assert served["request_handler"] is RedactingRequestHandler


@pytest.mark.parametrize("path", ["/reset/{}", "/confirm/{}", "/records/invitation/{}"])
def test_the_apps_error_log_never_writes_the_token(
    app, client, make, login, path, caplog, monkeypatch
) -> None:
    """A failure while a link is opened logs the endpoint and an error id, not the path."""
    from portal.accounts import reset_views, views
    from portal.linking import views as linking_views

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(reset_views.services, "user_for_reset", fail)
    monkeypatch.setattr(views.services, "confirm_email", fail)
    monkeypatch.setattr(linking_views, "render_template", fail)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    login(client, make.user())  # an invitation is opened signed in
    token = secrets.token_urlsafe(24)
    with caplog.at_level(logging.DEBUG):
        response = client.get(path.format(token))
    assert response.status_code == 500
    assert caplog.records, "the failure was logged"
    assert token not in caplog.text
