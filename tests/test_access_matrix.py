"""Every route declares who may use it; a route without a rule fails here (and is refused)."""

from __future__ import annotations

import pytest
from flask import Flask

from portal.access import PUBLIC, allow, rule_for


def test_every_route_has_an_access_rule(app: Flask) -> None:
    missing = [
        rule.endpoint for rule in app.url_map.iter_rules() if rule_for(app, rule.endpoint) is None
    ]
    assert missing == [], f"routes without an access rule: {missing}"


def test_a_route_without_a_rule_is_refused_and_reported(settings: dict) -> None:
    from portal import create_app

    app = create_app(settings)

    @app.get("/forgotten")
    def forgotten() -> str:
        return "secret"

    assert rule_for(app, "forgotten") is None
    response = app.test_client().get("/forgotten")
    assert response.status_code == 403
    assert b"secret" not in response.data


def test_public_rule_lets_anyone_in(settings: dict) -> None:
    from portal import create_app

    app = create_app(settings)

    @app.get("/open")
    @allow(PUBLIC)
    def open_page() -> str:
        return "hello"

    assert app.test_client().get("/open").data == b"hello"


@pytest.mark.parametrize("path", ["/demo/mailbox"])
def test_demo_pages_do_not_exist_outside_the_demo(client, path: str) -> None:
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("role", ["parent", "agent", "school_verifier"])
def test_demo_pages_do_not_exist_outside_the_demo_for_signed_in_users_either(
    client, make, login, role: str
) -> None:
    from portal.accounts.models import Role

    # A staff member half-way through signing in is not sent to the code page for it.
    login(client, make.user(role=Role(role)), mfa=False)
    assert client.get("/demo/mailbox").status_code == 404


def test_a_post_by_staff_before_the_second_factor_is_refused_not_redirected(
    app, client, make, login
) -> None:
    from portal.access import STAFF
    from portal.accounts.models import Role

    app.add_url_rule(
        "/staff-action", "staff_action", allow(STAFF)(lambda: "done"), methods=["POST"]
    )
    login(client, make.user(role=Role.AGENT), mfa=False)
    # A redirect would come back to this POST-only address as a GET after the code.
    response = client.post("/staff-action")
    assert response.status_code == 401
    assert b"done" not in response.data
    get = client.get("/account")
    assert get.headers["Location"] == "/account/second-factor?next=/account"
