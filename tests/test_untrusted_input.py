"""Posted values and URL parts are untrusted: tampered choices, JSON bodies, huge ids.

Each answer is a form error or a 4xx, never a 500, and nothing the visitor typed
reaches the log.
"""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from portal.accounts.models import User
from portal.linking.models import PatientLink
from tests.factories import PASSWORD

# Distinctive, so that finding it in the log means the log carries what was typed.
TAMPERED = ["x", "", "PARENT", "tampered-choice-Zq7"]


@pytest.fixture
def settings(settings: dict[str, Any]) -> dict[str, Any]:
    return {**settings, "LINK_MATCH_FLOOR_SECONDS": 0}


@pytest.fixture(autouse=True)
def no_limits(app):  # type: ignore[no-untyped-def]
    """Rate limits off: these tests post many times to one form."""
    from portal.extensions import limiter

    limiter.enabled = False
    yield
    limiter.enabled = True  # create_app reads the flag back as its default


@pytest.fixture
def parent(client, make, login):  # type: ignore[no-untyped-def]
    user = make.user()
    login(client, user)
    return user


MATCH = {
    "first_name": "Lucía",
    "last_name": "Tampered-Name",
    "birth_date": "2019-03-14",
    "contact": "5595550123",
}
ACCESS_CODE = {"code": "ABCD-EFGH-JKLM-NPQR", "birth_date": "2019-03-14"}
VERIFICATION = {
    "first_name": "Lucía",
    "last_name": "Tampered-Name",
    "birth_date": "2019-03-14",
    "note": "",
}


def _pdf() -> tuple[Any, str]:
    import io

    return io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"), "birth.pdf"


@pytest.mark.parametrize("value", TAMPERED)
@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("/records/add/match", MATCH),
        ("/records/add/access-code", ACCESS_CODE),
        ("/records/add/verification", VERIFICATION),
    ],
)
def test_a_tampered_relationship_is_a_form_error_that_keeps_what_was_typed(
    client, parent, db, caplog, path: str, fields: dict[str, str], value: str
) -> None:
    data: dict[str, Any] = {**fields, "relationship": value}
    if path.endswith("verification"):
        data["document"] = _pdf()
    links = db.scalar(sa.select(sa.func.count()).select_from(PatientLink))
    with caplog.at_level(logging.DEBUG):
        response = client.post(path, data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Choose one of the options in the list." in page
    typed = fields.get("last_name", fields.get("code"))
    assert f'value="{typed}"' in page  # re-rendered with what was typed
    assert db.scalar(sa.select(sa.func.count()).select_from(PatientLink)) == links
    if value:
        assert value not in caplog.text
    assert "Traceback" not in caplog.text


@pytest.mark.parametrize("value", TAMPERED)
def test_a_tampered_language_on_sign_up_is_a_form_error(client, db, value: str) -> None:
    response = client.post(
        "/signup",
        data={
            "email": "new-person@example.org",
            "password": "a long and unusual passphrase",
            "confirm": "a long and unusual passphrase",
            "language": value,
        },
    )
    assert response.status_code == 200
    assert "Choose one of the options in the list." in response.get_data(as_text=True)
    assert db.scalar(sa.select(User).where(User.email == "new-person@example.org")) is None


@pytest.mark.parametrize("value", TAMPERED)
def test_a_tampered_language_in_settings_is_a_form_error(client, parent, db, value: str) -> None:
    response = client.post("/account/language", data={"locale": value})
    assert response.status_code == 200
    assert "Choose one of the options in the list." in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(User, parent.id).locale != value


def test_the_tampered_choice_message_is_translated(client, parent) -> None:
    client.post("/language", data={"lang": "es"})
    response = client.post("/account/language", data={"locale": "xx"})
    page = response.get_data(as_text=True)
    assert "Choose one of the options in the list." not in page
    assert "Elija una de las opciones de la lista." in page


# --- JSON and other bodies ------------------------------------------------------------


def _json_post(client, path: str, body: Any):  # type: ignore[no-untyped-def]
    """A JSON post that carries a valid CSRF token in the header, as a script could."""
    return client.post(
        path,
        data=json.dumps(body),
        content_type="application/json",
        headers={"X-CSRFToken": client.csrf_token()},
        csrf=False,
    )


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/records/add/match", {**MATCH, "relationship": "parent"}),
        ("/records/add/match", [1, 2, 3]),
        ("/records/add/match", "just a string"),
        ("/records/add/match", {"first_name": 5, "relationship": ["parent"]}),
        ("/records/add/access-code", {**ACCESS_CODE, "relationship": "x"}),
        ("/records/add/verification", {**VERIFICATION, "relationship": "parent"}),
        ("/account/language", {"locale": "es"}),
        ("/account/password", {"current_password": PASSWORD, "password": 1, "confirm": 1}),
    ],
)
def test_a_json_body_sent_to_a_signed_in_form_is_not_read(
    client, parent, db, path: str, body: Any
) -> None:
    response = _json_post(client, path, body)
    assert response.status_code < 500
    assert response.status_code != 302  # nothing was done
    db.expire_all()
    assert db.get(User, parent.id).locale != "es"
    assert db.scalar(sa.select(sa.func.count()).select_from(PatientLink)) == 0


@pytest.mark.parametrize(
    "body", [{"email": "x@example.org"}, [1], 7, None, {"email": ["a"], "password": {}}]
)
@pytest.mark.parametrize("path", ["/login", "/signup", "/reset"])
def test_a_json_body_sent_to_a_public_form_is_not_read(client, db, path: str, body: Any) -> None:
    response = _json_post(client, path, body)
    assert response.status_code < 500
    assert response.status_code != 302


def test_a_json_sign_in_with_the_right_password_does_not_sign_in(client, make) -> None:
    user = make.user()
    response = _json_post(client, "/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code != 302
    assert client.get("/account").status_code == 302  # still signed out: sent to /login


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/xml", "application/octet-stream"]
)
def test_an_odd_content_type_is_not_a_server_error(client, parent, content_type: str) -> None:
    response = client.post(
        "/records/add/match",
        data=b"first_name=Ana&relationship=parent\x00\xff",
        content_type=content_type,
        headers={"X-CSRFToken": client.csrf_token()},
        csrf=False,
    )
    assert response.status_code < 500
    assert response.status_code != 302


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b"])
def test_control_characters_in_a_text_field_are_a_form_error(client, parent, char) -> None:
    response = client.post(
        "/records/add/match", data={**MATCH, "first_name": f"Lu{char}cía", "relationship": "parent"}
    )
    assert response.status_code == 200
    assert "cannot be used" in response.get_data(as_text=True)


def test_the_per_email_limit_keys_on_the_value_the_form_validates(app) -> None:
    """A JSON body names no email to the form, and none to the limit either."""
    from portal.accounts import limits

    with app.test_request_context(
        "/login", method="POST", json={"email": "ana@example.org", "password": "x"}
    ):
        json_key = limits.submitted_email_key()
    with app.test_request_context("/login", method="POST", data={"email": ""}):
        empty_key = limits.submitted_email_key()
    with app.test_request_context(
        "/login", method="POST", data={"email": [" Ana@Example.org ", "other@example.org"]}
    ):
        first_key = limits.submitted_email_key()
    with app.test_request_context("/login", method="POST", data={"email": "ana@example.org"}):
        form_key = limits.submitted_email_key()
    assert json_key == empty_key
    assert first_key == form_key  # the form reads the first value, and so does the key


def test_json_sign_ins_count_against_the_per_email_limit(settings, make) -> None:
    from portal import create_app
    from portal.extensions import limiter
    from tests.conftest import CsrfClient

    limiter.enabled = True
    app = create_app(settings)
    app.test_client_class = CsrfClient
    limiter.reset()
    user = make.user()
    client = app.test_client()
    statuses = []
    for _ in range(6):
        form = client.post("/login", data={"email": user.email, "password": "wrong password"})
        statuses.append(form.status_code)
    json_try = _json_post(client, "/login", {"email": user.email, "password": PASSWORD})
    limiter.reset()
    assert statuses[-1] == 429
    assert json_try.status_code in {400, 429} or json_try.status_code == 200
    assert client.get("/account").status_code == 302  # never signed in


# --- Ids in URLs ----------------------------------------------------------------------

HUGE_IDS = [str(2**31), str(2**63 - 1), str(2**63), str(2**64), "9" * 30, "9" * 5000, "0"]


@pytest.mark.parametrize("value", HUGE_IDS)
@pytest.mark.parametrize(
    "template",
    ["/records/{}", "/records/{}/unlink", "/records/{}/invite", "/staff/patients/{}"],
)
def test_an_id_outside_the_databases_range_is_not_found(
    client, make, login, template: str, value: str
) -> None:
    from portal.accounts.models import Role

    login(client, make.user(role=Role.AGENT if "staff" in template else Role.PARENT))
    assert client.get(template.format(value)).status_code == 404


@pytest.mark.parametrize("value", HUGE_IDS)
def test_a_huge_id_in_a_post_or_a_staff_download_is_not_found(client, make, login, value) -> None:
    from portal.accounts.models import Role

    parent = make.user()
    login(client, parent)
    assert client.post(f"/records/{value}/shot-record.pdf").status_code == 404
    agent_client = client.application.test_client()
    login(agent_client, make.user(role=Role.AGENT))
    assert agent_client.get(f"/help-desk/documents/{value}").status_code == 404


def test_the_largest_id_the_databases_hold_reaches_the_view(client, make, login) -> None:
    from portal.converters import ID_MAX

    login(client, make.user())
    with client.application.test_request_context():
        from flask import url_for

        assert url_for("records.show", link_id=ID_MAX) == f"/records/{ID_MAX}"
    assert client.get(f"/records/{ID_MAX}").status_code == 404  # the view's: no such link
    assert client.get(f"/staff/patients/{ID_MAX}").status_code == 403  # routed, then refused


def test_the_id_range_fits_every_id_column() -> None:
    from portal.converters import ID_MAX
    from portal.models import metadata

    narrowest = min(
        2**63 - 1 if isinstance(column.type, sa.BigInteger) else 2**31 - 1
        for table in metadata.sorted_tables
        for column in table.primary_key.columns
        if isinstance(column.type, sa.Integer)
    )
    assert ID_MAX == narrowest


def test_every_id_in_a_route_uses_the_id_converter(app) -> None:
    from werkzeug.routing import IntegerConverter

    from portal.converters import IdConverter

    plain = [
        f"{rule.endpoint} ({rule.rule})"
        for rule in app.url_map.iter_rules()
        for converter in (rule._converters or {}).values()
        if isinstance(converter, IntegerConverter) and not isinstance(converter, IdConverter)
    ]
    assert plain == [], f"use <id:...> instead of <int:...> in: {plain}"


def test_the_id_converter_builds_urls(app) -> None:
    with app.test_request_context():
        from flask import url_for

        assert url_for("records.show", link_id=42) == "/records/42"


def test_dates_far_in_the_past_or_future_are_form_errors_not_crashes(client, parent) -> None:
    for value in ["0001-01-01", "9999-12-31", date.max.isoformat(), "2019-02-30", "10000-01-01"]:
        for relationship in ["parent", "guardian", "self"]:
            response = client.post(
                "/records/add/match",
                data={**MATCH, "birth_date": value, "relationship": relationship},
            )
            assert response.status_code < 500, (value, relationship)


# --- Every form, now and later --------------------------------------------------------


def _all_subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_all_subclasses(sub)]
    return found


def _portal_forms() -> list[type]:
    import importlib
    import pkgutil

    from flask_wtf import FlaskForm

    import portal

    for module in pkgutil.walk_packages(portal.__path__, "portal."):
        importlib.import_module(module.name)
    return [f for f in _all_subclasses(FlaskForm) if f.__module__.startswith("portal.")]


def test_every_form_reads_form_data_only_and_checks_its_choices() -> None:
    from wtforms import RadioField, SelectField, SelectMultipleField

    from portal.forms import ChoiceField, PortalForm

    forms = _portal_forms()
    assert len(forms) > 10
    not_portal = [f.__qualname__ for f in forms if not issubclass(f, PortalForm)]
    assert not_portal == [], f"derive these from portal.forms.PortalForm: {not_portal}"
    unchecked = [
        f"{form.__qualname__}.{name}"
        for form in forms
        for name, unbound in vars(form).items()
        if getattr(unbound, "field_class", None) in (SelectField, RadioField, SelectMultipleField)
        and not issubclass(unbound.field_class, ChoiceField)
    ]
    assert unchecked == [], f"use portal.forms.ChoiceField for: {unchecked}"


@pytest.mark.parametrize("with_token", [False, True])
@pytest.mark.parametrize("path", ["/reset", "/login", "/verify"])
def test_a_multipart_part_without_a_usable_name_is_not_a_server_error(
    client, path: str, with_token: bool
) -> None:
    """Found by the fuzz: a part named "\\r" is parsed with no name, and the CSRF check
    (which looks through every field name for a prefixed token) failed on it."""
    data: dict[str, Any] = {"\r": "x", "email": "ana@example.org"}
    if with_token:
        data["csrf_token"] = client.csrf_token()
    response = client.post(path, data=data, content_type="multipart/form-data", csrf=False)
    assert response.status_code < 500
    if not with_token and path != "/verify":
        assert response.status_code == 400  # refused for its missing token, as any post


def test_an_unnamed_file_part_is_closed_with_the_request(client) -> None:
    """FormRequest drops it from request.files, so the request's close no longer would."""
    import gc
    import warnings

    body = (
        b'--b\r\nContent-Disposition: form-data; filename="a.png"\r\n'
        b"Content-Type: image/png\r\n\r\n" + b"x" * 600_000 + b"\r\n--b--\r\n"
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        response = client.post(
            "/login", data=body, content_type="multipart/form-data; boundary=b", csrf=False
        )
        response.close()
        gc.collect()
    assert response.status_code == 400
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []
