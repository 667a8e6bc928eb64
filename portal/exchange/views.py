"""`POST /exchange/hl7`: an organization's system sends one HL7 v2 message as text and
gets the answer (the Z23 ACK to a VXU, the RSP^K11 to a QBP) as text.

HTTP Basic with the organization's own credential (credentials.py): a wrong, unknown
or revoked one is a bare 401. Rate-limited per remote address and per organization
(the username's organization). A body over MAX_BODY is a 413, unread.

CSRF: the route is exempt from the global check on purpose. It is a machine endpoint
that never reads the session cookie: every request is authenticated by its own
Authorization header, which a browser on another site cannot forge (it would have to
know the password), so a cross-site request can do nothing a token would prevent.

The dispatch on MSH-9 happens in one place, `HANDLERS` below; `answer_message` is the
part both transports share (the SOAP service, soap.py, answers exactly what this does).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from datetime import datetime

from flask import Blueprint, Response, current_app, g, request
from flask_limiter.util import get_remote_address
from sqlalchemy.orm import Session

from portal.access import ORGANIZATION_SYSTEM, allow
from portal.answer_floor import hold_answer
from portal.db import db
from portal.extensions import csrf, limiter
from portal.orm import utcnow
from portal.registry import Organization

from . import query
from .credentials import authenticate, username_organization
from .hl7 import Checked, Problem, Severity, build_ack, check
from .submit import submit

bp = Blueprint("exchange", __name__)

MAX_BODY = 512 * 1024  # the largest conformance VXU is ~4 KB; a batch goes to import-hl7
# A clinic's system sends a message per dose recorded; a pharmacy on a flu-clinic day a few
# a second at most. EXCHANGE_LIMIT_PER_ORGANIZATION changes the second (tests, a big sender).
PER_ADDRESS = "600/minute"
PER_ORGANIZATION = "300/minute;10000/hour"
# One budget per organization across both transports (this route and soap.py).
ORGANIZATION_SCOPE = "exchange-organization"


def _organization_limit() -> str:
    return str(current_app.config.get("EXCHANGE_LIMIT_PER_ORGANIZATION") or PER_ORGANIZATION)


def _address_limit() -> str:
    return str(current_app.config.get("EXCHANGE_LIMIT_PER_ADDRESS") or PER_ADDRESS)


# What an app's config may pass in (the demo's loader does; see portal/demo/exchange.py):
# EXCHANGE_CLOCK, a callable giving the time the exchange stamps (default utcnow);
# EXCHANGE_REGISTRY_IDS, a callable (session) -> a new record's registry id;
# EXCHANGE_QUERY_FLOOR_SECONDS, the QBP answer floor (default query.FLOOR_SECONDS).
def _now() -> datetime:
    clock = current_app.config.get("EXCHANGE_CLOCK")
    return clock() if clock is not None else utcnow()


MEDIA_TYPE = "text/plain; charset=utf-8"
UNSUPPORTED = "Unsupported message type: this registry accepts VXU^V04 and QBP^Q11"

Handler = Callable[[Session, Organization, Checked, datetime, str], bytes]


def _submit(session: Session, org: Organization, checked: Checked, now: datetime,
            control_id: str) -> bytes:  # fmt: skip
    return submit(
        session,
        org,
        checked,
        now=now,
        control_id=control_id,
        registry_ids=current_app.config.get("EXCHANGE_REGISTRY_IDS"),
    )


def _query(session: Session, org: Organization, checked: Checked, now: datetime,
           control_id: str) -> bytes:  # fmt: skip
    # Every QBP answer leaves no sooner than the floor after the request began, whatever
    # it found (waited out after the commit), so a refusal times like a no-match.
    floor = current_app.config.get("EXCHANGE_QUERY_FLOOR_SECONDS", query.FLOOR_SECONDS)
    hold_answer(floor, started=g.exchange_started)
    assert checked.message is not None  # noqa: S101 - the view answers an unreadable one
    return query.answer_query(session, org, checked.message, now, control_id=control_id)


def _refuse(text: str, code: int) -> Handler:
    def handler(session: Session, org: Organization, checked: Checked, now: datetime,
                control_id: str) -> bytes:  # fmt: skip
        problem = Problem(None, code, Severity.ERROR, text, rejects=True)
        return build_ack(checked.received, [problem], control_id=control_id, now=now)

    return handler


# MSH-9 -> what answers it.
HANDLERS: dict[str, Handler] = {
    "VXU^V04": _submit,
    "QBP^Q11": _query,
}
_OTHER = _refuse(UNSUPPORTED, 200)


def organization_key() -> str:
    """The per-organization limit's key: the organization a username belongs to (all its
    credentials share one budget); an unknown username counts against its address."""
    auth = request.authorization
    org_id = username_organization(db.session, auth.username or "") if auth else None
    return f"org:{org_id}" if org_id is not None else f"org-unknown:{get_remote_address()}"


def _text(body: bytes | str, status: int = 200) -> Response:
    return Response(body, status=status, content_type=MEDIA_TYPE)


def _unauthorized() -> Response:
    response = Response("", status=401, content_type=MEDIA_TYPE)
    response.headers["WWW-Authenticate"] = 'Basic realm="exchange", charset="UTF-8"'
    return response


@bp.post("/exchange/hl7")
@allow(ORGANIZATION_SYSTEM)
@limiter.limit(_address_limit)
@limiter.shared_limit(_organization_limit, ORGANIZATION_SCOPE, key_func=organization_key)
@csrf.exempt  # see the module's docstring: Basic auth on every request, no session
def hl7_message() -> Response:
    g.exchange_started = time.monotonic()
    auth = request.authorization
    if auth is None or auth.type != "basic":
        return _unauthorized()
    organization = authenticate(db.session, auth.username or "", auth.password or "")
    if organization is None:
        return _unauthorized()
    if request.content_length is not None and request.content_length > MAX_BODY:
        return _text("Message too large", 413)
    body = request.stream.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        return _text("Message too large", 413)
    return _text(answer_message(db.session, organization, body))


def answer_message(session: Session, organization: Organization, body: bytes) -> bytes:
    """The answer to one message from an authenticated organization: the one path both
    transports (this route and the SOAP service, soap.py) take. `g.exchange_started` is
    when the request began (the QBP floor counts from it)."""
    now = _now()
    control_id = secrets.token_hex(10)
    checked = check(body, today=now.date())
    if checked.message is None:  # unreadable: AR, whatever it claims to be
        return build_ack(checked.received, checked.problems, control_id=control_id, now=now)
    handler = HANDLERS.get(checked.message.header.message_type, _OTHER)
    return handler(session, organization, checked, now, control_id)
