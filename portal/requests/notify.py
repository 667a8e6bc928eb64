"""Emails to the family when a request is filed and at each change of its status.

Written in the account's language and queued in the outbox in the same transaction as
the change, so a rolled-back change sends nothing. They carry no health details: the
kind and the status in general words, never the record's name, a dose or a note, and a
link to sign in (built from ISSUER_URL, never the request's Host).
"""

from __future__ import annotations

from flask import current_app, has_app_context
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.mail.outbox import queue_email

from .labels import KIND_LABELS, STATUS_LABELS
from .models import Request, RequestStatus

# The family's "My requests" page; the route in family_views uses the same path.
MY_REQUESTS_PATH = "/requests"


def _link() -> str:
    return current_app.config["ISSUER_URL"].rstrip("/") + MY_REQUESTS_PATH


def submitted(db: Session, request: Request) -> None:
    """The family filed a request (or the help desk filed one for it)."""
    if not has_app_context():  # see status_changed
        return
    user = request.requester
    with force_locale(user.locale or "en"):
        subject = _("We received your request")
        body = _(
            "Hello,\n\nWe received your request “%(kind)s”. The help desk will look at "
            "it and write to you when anything changes.\n\nTo follow it, sign in and "
            "open “My requests”:\n%(link)s\n\nFor your privacy, this email does not "
            "include any details of the record.",
            kind=str(KIND_LABELS[request.kind]),
            link=_link(),
        )
    queue_email(db, to=user.email, subject=subject, body=body)


def status_changed(db: Session, request: Request, status: RequestStatus) -> None:
    """The request moved to `status` (called by services.take_action)."""
    # The services used as a plain library (a script or test with a session and no app)
    # have no ISSUER_URL for the link nor catalogs to write in: no email then. Every
    # request and CLI command of the portal runs in an app context, so it always sends.
    if not has_app_context():
        return
    user = request.requester
    with force_locale(user.locale or "en"):
        subject = _("An update on your request")
        if status is RequestStatus.NEEDS_INFO:
            next_step = _("The help desk needs something from you to go on.")
        elif status in (RequestStatus.APPROVED, RequestStatus.REJECTED):
            next_step = _("The help desk has finished with it.")
        else:
            next_step = ""
        body = _(
            "Hello,\n\nThere is news about your request “%(kind)s”. It now reads: "
            "%(status)s. %(next_step)s\n\nTo see it, sign in and open “My requests”:"
            "\n%(link)s\n\nFor your privacy, this email does not include any details "
            "of the record.",
            kind=str(KIND_LABELS[request.kind]),
            status=str(STATUS_LABELS[status]),
            next_step=next_step,
            link=_link(),
        )
    queue_email(db, to=user.email, subject=subject, body=body)
