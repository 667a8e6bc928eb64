"""Hypothesis over every form: no 5xx, and a refused post writes nothing.

The forms are every POST route of `app.url_map`, so a form added later is fuzzed
without being listed here. Each is posted as a role its access rule lets in (rate
limits off), with the fields of the Flask-WTF forms its view builds (recorded while
the view runs) and of the page's HTML form that posts to it: random, huge, unicode
and control-character strings, missing fields, several values for one field,
choices outside the list, random files, JSON bodies and odd content types. A
refused answer (a 4xx, or the form shown again with its errors) must leave every
table's row count unchanged but the logs of tries and accesses.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from html.parser import HTMLParser
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from flask import Flask
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from portal.access import rule_for
from portal.accounts.models import Role, User
from portal.accounts.tokens import reset_token
from portal.forms import PortalForm
from portal.linking.invitations import create_invitation
from portal.linking.models import PatientLink, Relationship
from portal.models import metadata
from portal.orm import utcnow
from portal.requests.models import Request, RequestKind, RequestStatus

# Per form: about 40 s for the whole fuzz on a 2-core machine. A longer hunt:
# PORTAL_FUZZ_EXAMPLES=500 .venv/bin/pytest tests/test_fuzz_forms.py
EXAMPLES = int(os.environ.get("PORTAL_FUZZ_EXAMPLES", "25"))
CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "fuzzing is a long passphrase"
# Tables a refused try may still write to: the log of linking tries (lock-out counts
# refused tries) and the access log.
LOGS = {"link_attempts", "access_events"}
MISSING = object()

# Who posts to an endpoint when its rule lets in more than one kind of account.
ROLE_FOR = {"accounts.unconfirmed": "unconfirmed", "accounts.second_factor": "agent_pending"}
ROLE_ORDER = ["anonymous", "parent", "school", "agent_pending", "agent", "supervisor"]


def _turning_18_in(days: int) -> date:
    birthday = date.today() + timedelta(days=days)
    if birthday.month == 2 and birthday.day == 29:
        birthday += timedelta(days=1)
    return birthday.replace(year=birthday.year - 18)


@dataclass
class Site:
    users: dict[str, User | None]
    teen_link: PatientLink
    child_link: PatientLink
    child_contact: str
    reset_token: str
    invitation_token: str
    asked_request_id: int
    reply_id: int


@pytest.fixture
def settings(settings: dict[str, Any]) -> dict[str, Any]:
    return {**settings, "LINK_MATCH_FLOOR_SECONDS": 0}


@pytest.fixture
def fast(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No rate limits, and password hashing at its cheapest: hundreds of posts to sign-in."""
    from portal.accounts import passwords
    from portal.extensions import limiter

    monkeypatch.setattr(passwords, "_hasher", CHEAP)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", CHEAP.hash("dummy"))
    limiter.enabled = False
    yield
    limiter.enabled = True  # create_app reads the flag back as its default


@pytest.fixture
def site(app: Flask, db: Any, make: Any, fast: None) -> Site:
    cheap = CHEAP.hash(PASSWORD)
    parent = make.user(password_hash=cheap)
    teen = make.patient(birth_date=_turning_18_in(30))  # may be invited to take over
    child = make.patient(first_name="Lucía", last_name="García-López", phone="5595550123")
    make.dose(child, given_on=child.birth_date + timedelta(days=60))
    teen_link = make.link(parent, teen)
    child_link = make.link(parent, child)
    other = make.link(make.user(password_hash=cheap), teen, relationship_=Relationship.GUARDIAN)
    _, invitation = create_invitation(db, other, "teen@example.org", now=utcnow())
    db.commit()
    users: dict[str, User | None] = {
        "anonymous": None,
        "parent": parent,
        "unconfirmed": make.user(password_hash=cheap, email_confirmed_at=None),
        "school": make.user(password_hash=cheap, role=Role.SCHOOL_VERIFIER),
        "agent_pending": make.user(password_hash=cheap, role=Role.AGENT),
        "agent": make.user(password_hash=cheap, role=Role.AGENT),
        "supervisor": make.user(password_hash=cheap, role=Role.SUPERVISOR),
    }
    reset_user = make.user(password_hash=cheap)
    # A request of the parent's that the help desk asked about: answer and withdraw open.
    asked = Request(kind=RequestKind.CORRECTION, requester=parent, patient_id=child.id,
                    status=RequestStatus.NEEDS_INFO, details={})  # fmt: skip
    db.add(asked)
    db.commit()
    return Site(
        users=users,
        teen_link=teen_link,
        child_link=child_link,
        child_contact="5595550123",
        reset_token=reset_token(app.config["SECRET_KEY"], reset_user),
        invitation_token=invitation,
        asked_request_id=asked.id,
        reply_id=make.canned_reply().id,
    )


# Path parameters: by name wherever they appear, or by endpoint where the meaning differs.
BY_PARAMETER: dict[str, Callable[[Site], Any]] = {
    "link_id": lambda s: s.teen_link.id,
    "patient_id": lambda s: s.teen_link.patient_id,
    "document_id": lambda s: 1,
    "user_id": lambda s: s.users["agent"].id,  # a staff account a supervisor manages
    "request_id": lambda s: s.asked_request_id,
    "reply_id": lambda s: s.reply_id,
}
BY_ENDPOINT: dict[str, Callable[[Site], dict[str, Any]]] = {
    "accounts.reset_password": lambda s: {"token": s.reset_token},
    "linking.accept_invitation": lambda s: {"token": s.invitation_token},
}


def post_endpoints(app: Flask) -> list[str]:
    return sorted(
        {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in (rule.methods or ())}
    )


def _post_endpoints_of_a_fresh_app() -> list[str]:
    from portal import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x" * 40})
    return post_endpoints(app)


# --- Which fields a form has ----------------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str  # text, choice, date, file, email, password, submit
    choices: tuple[str, ...] = ()


class _FormFields(HTMLParser):
    """The named controls of the page's forms that post to `action`."""

    def __init__(self, action: str, page_path: str) -> None:
        super().__init__()
        self.action, self.page_path = action, page_path
        self.inside = False
        self.fields: dict[str, FieldSpec] = {}
        self.select: str | None = None
        self.options: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            target = a.get("action") or self.page_path
            self.inside = a.get("method", "").lower() == "post" and target == self.action
        elif self.inside and tag in {"input", "textarea", "select", "button"} and a.get("name"):
            kind = {"file": "file", "date": "date", "email": "email", "password": "password"}
            name = a["name"]
            if tag == "select":
                self.select, self.options = name, []
            elif name != "csrf_token":
                spec = FieldSpec(name, kind.get(a.get("type", ""), "text"))
                self.fields.setdefault(name, spec)
        elif self.select and tag == "option":
            self.options.append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            self.fields[self.select] = FieldSpec(self.select, "choice", tuple(self.options))
            self.select = None


def _spec_of(field: Any) -> FieldSpec:
    kind = {
        "SelectField": "choice",
        "ChoiceField": "choice",
        "DateField": "date",
        "FileField": "file",
        "EmailField": "email",
        "PasswordField": "password",
        "SubmitField": "submit",
    }.get(type(field).__name__, "text")
    choices = tuple(str(c[0]) for c in field.iter_choices()) if kind == "choice" else ()
    return FieldSpec(field.name, kind, choices)


def discover_fields(
    app: Flask, client: Any, endpoint: str, path: str, monkeypatch: pytest.MonkeyPatch
) -> list[FieldSpec]:
    """The fields of the forms the view builds (on a GET of its page, or an empty post
    where it has no page), and of the HTML forms on the page that post to it."""
    built: list[PortalForm] = []
    original = PortalForm.__init__

    def recording(self: PortalForm, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        built.append(self)

    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    has_page = "GET" in (rule.methods or ())
    with monkeypatch.context() as patch:
        patch.setattr(PortalForm, "__init__", recording)
        client.get(path) if has_page else client.post(path, data={})
    fields = {f.name: _spec_of(f) for form in built for f in form if f.name != "csrf_token"}
    page = path if has_page else "/"
    parser = _FormFields(path, page)
    parser.feed(client.get(page).get_data(as_text=True))
    for name, spec in parser.fields.items():
        fields.setdefault(name, spec)
    return sorted(fields.values(), key=lambda f: f.name)


# --- What to send ---------------------------------------------------------------------

HUGE = st.sampled_from(["A" * 200_000, "é" * 60_000, "1" * 100_000, "@" * 5000 + ".org"])
ODD_TEXT = st.text(max_size=40)  # any code point but surrogates, controls included
CONTROL = st.sampled_from(["\x00", "a\x00b", "\x07", "\x1b[31m", "\u202e", "\ufeff", "\r\n"])
DATES = st.one_of(
    st.dates().map(date.isoformat),
    st.sampled_from(["0001-01-01", "9999-12-31", "2019-02-30", "2019-13-01", "-1-01-01"]),
    st.sampled_from(["2019-03-14", (date.today() - timedelta(days=365 * 17)).isoformat()]),
)
FILES = st.one_of(
    st.binary(max_size=200),
    st.binary(max_size=200).map(lambda b: b"\x89PNG\r\n\x1a\n" + b),
    st.binary(max_size=200).map(lambda b: b"\xff\xd8\xff" + b),
    st.binary(max_size=200).map(lambda b: b"%PDF-1.4\n" + b + b"\n%%EOF\n"),
)


def plausible(spec: FieldSpec, site: Site) -> st.SearchStrategy[str]:
    """Values a person could have typed, so that the fuzz reaches the checks behind the
    first ones (and sometimes succeeds)."""
    by_kind: dict[str, st.SearchStrategy[str]] = {
        "date": DATES,
        "email": st.sampled_from(["ana@example.org", "teen@example.org", "x@y"]),
        "password": st.sampled_from([PASSWORD, "a different long passphrase", "short"]),
        "submit": st.just("1"),
        "choice": st.sampled_from(spec.choices or ("",)),
    }
    by_name: dict[str, st.SearchStrategy[str]] = {
        "contact": st.sampled_from([site.child_contact, "ana@example.org", "555"]),
        "first_name": st.sampled_from(["Lucía", "LUCIA", "Lu"]),
        "last_name": st.sampled_from(["García-López", "Garcia Lopez"]),
        "code": st.sampled_from(["123456", "ABCD-EFGH-JKMN-PQRS", "K7Q4-M9TX-3HBR-WP2F"]),
        "text": st.sampled_from(["shc:/5676290952432060346029243740446031222959532654603460"]),
        "next": st.sampled_from(["/records", "//evil.example", "/\x00"]),
        "lang": st.sampled_from(["en", "es", "xx"]),
    }
    if spec.name in by_name:
        return by_name[spec.name]
    return by_kind.get(spec.kind, st.sampled_from(["Ana", "1"]))


def value_of(spec: FieldSpec, site: Site) -> st.SearchStrategy[Any]:
    if spec.kind == "file":
        return st.one_of(st.just(MISSING), st.tuples(FILES, ODD_TEXT))
    return st.one_of(
        plausible(spec, site),
        plausible(spec, site),
        st.just(MISSING),
        ODD_TEXT,
        HUGE,
        CONTROL,
        st.lists(st.one_of(plausible(spec, site), ODD_TEXT), min_size=2, max_size=3),
    )


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | ODD_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ODD_TEXT, inner, max_size=3),
    max_leaves=6,
)


@dataclass
class Post:
    how: str  # form, multipart, json, odd
    fields: dict[str, Any]
    extra: dict[str, Any]
    json_body: Any
    odd_type: str
    odd_body: bytes
    with_csrf: bool


def posts(specs: list[FieldSpec], site: Site) -> st.SearchStrategy[Post]:
    fields = st.fixed_dictionaries({s.name: value_of(s, site) for s in specs})
    json_body = st.one_of(
        fields.map(lambda f: {k: v for k, v in f.items() if isinstance(v, str | list) and k}),
        JSON_VALUES,
    )
    return st.builds(
        Post,
        how=st.sampled_from(["form", "form", "multipart", "multipart", "json", "odd"]),
        fields=fields,
        extra=st.dictionaries(ODD_TEXT, ODD_TEXT, max_size=2),
        json_body=json_body,
        odd_type=st.sampled_from(
            [
                "text/plain",
                "application/xml",
                "application/json",
                "multipart/form-data",  # no boundary
                "application/x-www-form-urlencoded; charset=latin-1",
                "application/octet-stream",
            ]
        ),
        odd_body=st.binary(max_size=300),
        with_csrf=st.sampled_from([True, True, True, True, False]),
    )


def send(client: Any, path: str, post: Post) -> Any:
    token = client.csrf_token()
    headers = {"X-CSRFToken": token} if post.with_csrf else {}
    if post.how == "json":
        body = json.dumps(post.json_body)
        return client.post(
            path, data=body, content_type="application/json", headers=headers, csrf=False
        )
    if post.how == "odd":
        return client.post(
            path, data=post.odd_body, content_type=post.odd_type, headers=headers, csrf=False
        )
    data: dict[str, Any] = {k: v for k, v in post.extra.items() if k}
    for name, value in post.fields.items():
        if value is MISSING:
            continue
        if isinstance(value, tuple):  # a file: (bytes, file name)
            if post.how != "multipart":
                continue
            value = (io.BytesIO(value[0]), value[1] or "upload")
        data[name] = value
    if post.with_csrf:
        data["csrf_token"] = token
    content_type = "multipart/form-data" if post.how == "multipart" else None
    response = client.post(path, data=data, content_type=content_type, csrf=False)
    # A body over 500 kB is a temporary file, and without follow_redirects the test
    # client never closes it (an unclosed-file warning fails the test): close it here.
    response.request.environ["wsgi.input"].close()
    return response


def _short(post: Post) -> str:
    """The post for a failure message, long values cut (hypothesis prints the example)."""
    text = repr(post)
    return text if len(text) < 2000 else text[:2000] + "…"


# --- The fuzz -------------------------------------------------------------------------


def row_counts(db: Any) -> dict[str, int]:
    db.rollback()
    return {
        t.name: db.scalar(sa.select(sa.func.count()).select_from(t))
        for t in metadata.sorted_tables
        if t.name not in LOGS
    }


def refused(response: Any) -> bool:
    if 400 <= response.status_code < 500:
        return True
    if response.status_code == 200 and response.mimetype == "text/html":
        page = response.get_data(as_text=True)
        return 'class="error-summary"' in page or 'class="error-text"' in page
    return False


def _role_for(app: Flask, endpoint: str, site: Site) -> str:
    if endpoint in ROLE_FOR:
        return ROLE_FOR[endpoint]
    rule = rule_for(app, endpoint)
    assert rule is not None, f"{endpoint} has no access rule"
    from flask_login import AnonymousUserMixin

    with app.app_context():
        for role in ROLE_ORDER:
            user = site.users[role]
            who: Any = AnonymousUserMixin()
            if user is not None:  # as signed in: staff past the second factor but one
                who = SimpleNamespace(
                    is_authenticated=True,
                    role=user.role,
                    email_confirmed_at=user.email_confirmed_at,
                    mfa_passed=role != "agent_pending",
                )
            if rule.allows(who):
                return role
    pytest.fail(f"no role in the fuzz may post to {endpoint}; add one to ROLE_FOR")


def _path(app: Flask, endpoint: str, site: Site) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    given_values = BY_ENDPOINT[endpoint](site) if endpoint in BY_ENDPOINT else {}
    values = {}
    for name in rule.arguments:
        if name in given_values:
            values[name] = given_values[name]
        elif name in BY_PARAMETER:
            values[name] = BY_PARAMETER[name](site)
        else:
            pytest.fail(
                f"no way to fill <{name}> of {endpoint}: add it to BY_ENDPOINT or "
                "BY_PARAMETER in tests/test_fuzz_forms.py",
                pytrace=False,
            )
    return app.url_map.bind("localhost").build(endpoint, values)


def _prepare(client: Any, endpoint: str, site: Site) -> None:
    """What a person does before reaching the form (the code page needs a sent code)."""
    if endpoint == "linking.enter_code":
        child = site.child_link.patient
        client.post(
            "/records/add/match",
            data={
                "first_name": child.first_name,
                "last_name": child.last_name,
                "birth_date": child.birth_date.isoformat(),
                "contact": site.child_contact,
                "relationship": "parent",
            },
        )


@pytest.mark.parametrize("endpoint", _post_endpoints_of_a_fresh_app())
def test_no_post_to_a_form_is_a_server_error_or_a_half_written_record(
    app: Flask, db: Any, login: Any, site: Site, monkeypatch: pytest.MonkeyPatch, endpoint: str
) -> None:
    role = _role_for(app, endpoint, site)
    path = _path(app, endpoint, site)
    user = site.users[role]

    def signed_in_client() -> Any:
        client = app.test_client()
        if user is not None:
            login(client, user, mfa=role != "agent_pending")
        _prepare(client, endpoint, site)
        return client

    # A probe post may sign out or act (a logout, a print): the fuzz starts afresh after it.
    specs = discover_fields(app, signed_in_client(), endpoint, path, monkeypatch)
    client = signed_in_client()
    seen: dict[int, int] = {}

    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,  # the same examples on every run: CI stays stable
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(post=posts(specs, site))
    def fuzz(post: Post) -> None:
        before = row_counts(db)
        response = send(client, path, post)
        try:
            seen[response.status_code] = seen.get(response.status_code, 0) + 1
            assert response.status_code < 500, (
                f"{endpoint}: {response.status_code} for {_short(post)}"
            )
            if refused(response):
                after = row_counts(db)
                changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
                assert changed == {}, f"{endpoint} refused the post but wrote rows: {changed}"
        finally:
            response.close()  # the test client's body, over 500 kB, is a temporary file

    fuzz()
    assert sum(seen.values()) >= EXAMPLES // 2  # the fuzz did run


def test_the_fuzz_covers_every_post_route(app: Flask) -> None:
    endpoints = post_endpoints(app)
    assert "accounts.login" in endpoints and "linking.match" in endpoints
    assert endpoints == _post_endpoints_of_a_fresh_app()


def test_the_fuzz_finds_the_fields_of_a_form(
    app: Flask, login: Any, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = app.test_client()
    login(client, site.users["parent"])
    specs = discover_fields(app, client, "linking.match", "/records/add/match", monkeypatch)
    by_name = {s.name: s for s in specs}
    assert {"first_name", "last_name", "birth_date", "contact", "relationship"} <= set(by_name)
    assert by_name["relationship"].choices == ("parent", "guardian", "self")
    assert by_name["birth_date"].kind == "date"
    language = discover_fields(app, client, "core.set_language", "/language", monkeypatch)
    assert "lang" in {s.name for s in language}  # read by hand, found on the page
    login(client, site.users["supervisor"])
    replies = discover_fields(app, client, "canned_replies.create", "/staff/replies/new",
                              monkeypatch)  # fmt: skip
    assert {f"{part}_{lang}" for part in ("title", "text")
            for lang in ("en", "es", "zh_Hans", "zh_Hant", "vi", "tl", "ko")} == {
        s.name for s in replies
    }  # every language's title and text is fuzzed  # fmt: skip


def test_a_refusal_is_told_apart_from_a_success() -> None:
    class Answer:
        def __init__(self, status: int, body: str, mimetype: str = "text/html") -> None:
            self.status_code, self.mimetype, self.body = status, mimetype, body

        def get_data(self, as_text: bool = False) -> str:
            return self.body

    assert refused(Answer(400, ""))
    assert refused(Answer(200, '<div class="error-summary" role="alert">'))
    assert not refused(Answer(302, ""))
    assert not refused(Answer(200, "%PDF", "application/pdf"))


# --- Values in the path ---------------------------------------------------------------


def _routes_with_parameters() -> list[str]:
    from portal import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x" * 40})
    return sorted({r.endpoint for r in app.url_map.iter_rules() if r.arguments})


PATH_TEXT = st.one_of(
    st.text(min_size=1, max_size=60),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["0", "00001", "1e9", "١٢", "9" * 5000, "x" * 5000, "..", "%00", "a/b"]),
    st.sampled_from([str(2**31 - 1), str(2**31), str(2**63 - 1), str(2**63), str(2**64)]),
)


@pytest.mark.parametrize("endpoint", _routes_with_parameters())
def test_no_value_in_a_path_is_a_server_error(
    app: Flask, login: Any, site: Site, endpoint: str
) -> None:
    from urllib.parse import quote

    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    role = _role_for(app, endpoint, site)
    client = app.test_client()
    user = site.users[role]
    if user is not None:
        login(client, user, mfa=role != "agent_pending")
    method = "GET" if "GET" in (rule.methods or ()) else "POST"

    @hypothesis_settings(
        max_examples=max(8, EXAMPLES // 3), deadline=None, derandomize=True, database=None
    )
    @given(values=st.fixed_dictionaries({name: PATH_TEXT for name in rule.arguments}))
    def fuzz(values: dict[str, str]) -> None:
        path = rule.rule
        for name, value in values.items():
            quoted = quote(value, safe="")
            path = re.sub(rf"<(?:[^:<>]+:)?{name}>", lambda _m, q=quoted: q, path)
        response = client.open(path, method=method)
        response.close()
        assert response.status_code < 500, f"{method} {path[:200]}: {response.status_code}"

    fuzz()
