"""Every route declares who may use it, the table beside this file pins who that is, and
every route is requested as every role to check that the app does what the table says.

A change of who may use a route shows as a diff of tests/access_matrix.txt. After a
deliberate change, regenerate the table with

    .venv/bin/python -m tests.test_access_matrix

and commit it with the change (a reviewer reads the diff).
"""

from __future__ import annotations

import difflib
import functools
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from portal.access import PUBLIC, allow, rule_for

TABLE = Path(__file__).with_name("access_matrix.txt")
REGENERATE = ".venv/bin/python -m tests.test_access_matrix"
HEADER = f"""\
# Who may use each route: endpoint, methods, path, access rule (portal/access.py).
# tests/test_access_matrix.py compares this table to the app and requests every route
# as every role. After a deliberate change, regenerate it: {REGENERATE}
"""


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


# --- The pinned table -----------------------------------------------------------------


def matrix_rows(app: Flask) -> list[tuple[str, str, str, str]]:
    """(endpoint, methods, path, rule name) for every route of the app, sorted."""
    rows = []
    for url_rule in app.url_map.iter_rules():
        rule = rule_for(app, url_rule.endpoint)
        methods = ",".join(sorted((url_rule.methods or set()) - {"HEAD", "OPTIONS"}))
        name = rule.name if rule is not None else "(no rule: refused)"
        rows.append((url_rule.endpoint, methods, url_rule.rule, name))
    return sorted(rows)


def render_table(rows: list[tuple[str, str, str, str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
        + "  "
        + row[3]
        for row in rows
    ]
    return HEADER + "\n".join(lines) + "\n"


def read_table(text: str) -> dict[tuple[str, str], str]:
    """(endpoint, method) -> rule name, from the checked-in table."""
    found = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        endpoint, methods, _path, name = re.split(r" {2,}", line.strip(), maxsplit=3)
        for method in methods.split(","):
            found[(endpoint, method)] = name
    return found


def _app_for_table() -> Flask:
    from portal import create_app

    return create_app(
        {"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x" * 40, "DEMO": False}
    )


def test_the_access_matrix_is_the_checked_in_table(app: Flask) -> None:
    expected = TABLE.read_text(encoding="utf-8") if TABLE.exists() else ""
    actual = render_table(matrix_rows(app))
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                "tests/access_matrix.txt (checked in)",
                "the app's routes now",
            )
        )
        pytest.fail(
            "Who may use which route changed. If that is deliberate, regenerate the table "
            f"with `{REGENERATE}` and commit it with the change:\n{diff}",
            pytrace=False,
        )


# --- Every route as every role --------------------------------------------------------

ALLOWED = "allowed"
TO_LOGIN = "redirect to /login"
TO_SECOND_FACTOR = "redirect to the second factor"
TO_CONFIRM = "redirect to confirm the email"
NOT_SIGNED_IN = "401"  # a POST is not redirected: it could not be resumed after signing in
FORBIDDEN = "403"
NOT_FOUND = "404"

ROLES = [
    "signed out",
    "unconfirmed parent",
    "parent",
    "school verifier",
    "agent before the second factor",
    "agent",
    "supervisor",
]

# What each rule (by its name in the table) means for each role, on a GET, written out by
# hand: a rule whose meaning changes, or a new rule, has to be described here.
EXPECTED: dict[str, dict[str, str]] = {
    "anyone": dict.fromkeys(ROLES, ALLOWED),
    "anyone, in the demo": dict.fromkeys(ROLES, NOT_FOUND),  # the suite runs outside the demo
    # The rule lets every request reach the view, which then asks for the organization's
    # HTTP Basic credential (tests/exchange/test_endpoint.py: 401 without one).
    "organizations' systems (their own credential)": dict.fromkeys(ROLES, ALLOWED),
    "signed-out visitors": {
        "signed out": ALLOWED,
        "unconfirmed parent": TO_CONFIRM,
        "parent": FORBIDDEN,
        "school verifier": FORBIDDEN,
        "agent before the second factor": TO_SECOND_FACTOR,
        "agent": FORBIDDEN,
        "supervisor": FORBIDDEN,
    },
    "any signed-in account": {**dict.fromkeys(ROLES, ALLOWED), "signed out": TO_LOGIN},
    "signed-in accounts (staff after the second factor)": {
        **dict.fromkeys(ROLES, ALLOWED),
        "signed out": TO_LOGIN,
        "agent before the second factor": TO_SECOND_FACTOR,
    },
    "parents and patients": {
        "signed out": TO_LOGIN,
        "unconfirmed parent": TO_CONFIRM,
        "parent": ALLOWED,
        "school verifier": FORBIDDEN,
        "agent before the second factor": TO_SECOND_FACTOR,
        "agent": FORBIDDEN,
        "supervisor": FORBIDDEN,
    },
    "school verifiers": {
        "signed out": TO_LOGIN,
        "unconfirmed parent": TO_CONFIRM,
        "parent": FORBIDDEN,
        "school verifier": ALLOWED,
        "agent before the second factor": TO_SECOND_FACTOR,
        "agent": FORBIDDEN,
        "supervisor": FORBIDDEN,
    },
    "staff before the second factor": {
        "signed out": TO_LOGIN,
        "unconfirmed parent": TO_CONFIRM,
        "parent": FORBIDDEN,
        "school verifier": FORBIDDEN,
        "agent before the second factor": ALLOWED,
        "agent": ALLOWED,
        "supervisor": ALLOWED,
    },
    "help-desk staff": {
        "signed out": TO_LOGIN,
        "unconfirmed parent": TO_CONFIRM,
        "parent": FORBIDDEN,
        "school verifier": FORBIDDEN,
        "agent before the second factor": TO_SECOND_FACTOR,
        "agent": ALLOWED,
        "supervisor": ALLOWED,
    },
    "help-desk supervisors": {
        "signed out": TO_LOGIN,
        "unconfirmed parent": TO_CONFIRM,
        "parent": FORBIDDEN,
        "school verifier": FORBIDDEN,
        "agent before the second factor": TO_SECOND_FACTOR,
        "agent": FORBIDDEN,
        "supervisor": ALLOWED,
    },
}


def expected_outcome(rule_name: str, role: str, method: str) -> str:
    if rule_name not in EXPECTED:
        pytest.fail(
            f"the table names a rule no test describes: {rule_name!r}; add what it means "
            "for each role to EXPECTED in tests/test_access_matrix.py",
            pytrace=False,
        )
    outcome = EXPECTED[rule_name][role]
    if method != "GET" and outcome in (TO_LOGIN, TO_SECOND_FACTOR):
        return NOT_SIGNED_IN
    return outcome


def _reached(endpoint: str) -> bytes:
    return f"view reached: {endpoint}".encode()


@pytest.fixture
def stubbed_app(app: Flask) -> Flask:
    """The app with every view replaced by a stub that says it was reached.

    Routing, CSRF, the limiter's bookkeeping, sign-in and `access.enforce` run as they
    do for real; only what a view would do is left out, so a view's own 404 for
    someone else's record cannot pass for a refusal by the access rule.
    """
    from portal.extensions import limiter

    for endpoint, view in list(app.view_functions.items()):

        @functools.wraps(view)  # keeps access_rule and the name CSRF exemptions use
        def stub(*_args: Any, _endpoint: str = endpoint, **_kwargs: Any) -> bytes:
            return _reached(_endpoint)

        app.view_functions[endpoint] = stub
    limiter.enabled = False
    yield app
    limiter.enabled = True  # create_app reads the flag back as its default


def _path_values(url_rule: Any) -> dict[str, Any]:
    from portal.converters import IdConverter

    # Any value will do: the stubs look nothing up.
    return {
        name: 1 if isinstance(converter, IdConverter) else "x"
        for name, converter in (url_rule._converters or {}).items()
    }


def _classify(response: Any, endpoint: str) -> str:
    location = response.headers.get("Location", "")
    if response.status_code == 200 and response.data == _reached(endpoint):
        return ALLOWED
    if response.status_code in (301, 302, 303, 307, 308):
        if location.startswith("/login"):
            return TO_LOGIN
        if location.startswith("/account/second-factor"):
            return TO_SECOND_FACTOR
        if location.startswith("/account/unconfirmed"):
            return TO_CONFIRM
    if response.status_code in (401, 403, 404):
        return str(response.status_code)
    return f"unexpected {response.status_code} {location}".strip()


def _sign_in_as(role: str, client: Any, make: Any, login: Any) -> None:
    from portal.accounts.models import Role

    users = {
        "unconfirmed parent": lambda: make.user(email_confirmed_at=None),
        "parent": lambda: make.user(),
        "school verifier": lambda: make.user(role=Role.SCHOOL_VERIFIER),
        "agent before the second factor": lambda: make.user(role=Role.AGENT),
        "agent": lambda: make.user(role=Role.AGENT),
        "supervisor": lambda: make.user(role=Role.SUPERVISOR),
    }
    if role in users:
        login(client, users[role](), mfa=role != "agent before the second factor")


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_every_role_as_the_table_says(
    stubbed_app: Flask, make: Any, login: Any, role: str
) -> None:
    table = read_table(TABLE.read_text(encoding="utf-8"))
    client = stubbed_app.test_client()
    _sign_in_as(role, client, make, login)
    adapter = stubbed_app.url_map.bind("localhost")
    wrong, checked = [], 0
    for url_rule in stubbed_app.url_map.iter_rules():
        path = adapter.build(url_rule.endpoint, _path_values(url_rule))
        for method in sorted((url_rule.methods or set()) - {"HEAD", "OPTIONS"}):
            name = table.get((url_rule.endpoint, method))
            if name is None:
                pytest.fail(
                    f"{url_rule.endpoint} {method} is not in tests/access_matrix.txt; "
                    f"regenerate it with `{REGENERATE}`",
                    pytrace=False,
                )
            expected = expected_outcome(name, role, method)
            got = _classify(client.open(path, method=method), url_rule.endpoint)
            checked += 1
            if got != expected:
                wrong.append(f"{method} {path} ({name}): expected {expected}, got {got}")
    assert checked >= 40
    assert wrong == [], f"as {role}:\n" + "\n".join(wrong)


if __name__ == "__main__":  # regenerate the table: python -m tests.test_access_matrix
    TABLE.write_text(render_table(matrix_rows(_app_for_table())), encoding="utf-8")
    sys.stdout.write(f"wrote {TABLE}\n")
