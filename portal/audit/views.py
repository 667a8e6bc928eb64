"""The supervisor's audit page: search by record and by staff member, newest first.

The search is posted and answered with a redirect to internal ids, so neither the
registry id nor the email ends up in an address (or the access log of the web server).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from portal.access import SUPERVISOR, allow
from portal.accounts.models import User
from portal.db import db
from portal.registry import Patient
from portal.requests.canned import LANGUAGES, NATIVE_NAMES

from . import service
from .actions import AuditAction
from .forms import AuditSearchForm

bp = Blueprint("audit", __name__)

ACTION_LABELS = {
    AuditAction.RECORD_VIEWED: _l("Opened a record"),
    AuditAction.RECORD_EDITED: _l("Changed a record"),
    AuditAction.DOCUMENT_VIEWED: _l("Opened a verification document"),
    AuditAction.ACCESS_CODE_ISSUED: _l("Issued an access code"),
    AuditAction.REQUEST_CLAIMED: _l("Claimed a request"),
    AuditAction.REQUEST_TRANSITION: _l("Moved a request on"),
    AuditAction.STAFF_CREATED: _l("Created a staff account"),
    AuditAction.STAFF_DISABLED: _l("Disabled a staff account"),
    AuditAction.STAFF_ENABLED: _l("Enabled a staff account again"),
    AuditAction.STAFF_SECOND_FACTOR_RESET: _l("Reset a second factor"),
    AuditAction.TEMPORARY_PASSWORD_CHANGED: _l("Replaced a temporary password"),
    AuditAction.CANNED_REPLY_ADDED: _l("Added a ready answer"),
    AuditAction.CANNED_REPLY_EDITED: _l("Changed a ready answer"),
    AuditAction.CANNED_REPLY_RETIRED: _l("Retired a ready answer"),
    AuditAction.CANNED_REPLY_RESTORED: _l("Offered a ready answer again"),
}
SUBJECT_LABELS = {
    "users": _l("account"),
    "request_documents": _l("document"),
    "access_codes": _l("access code"),
    "requests": _l("request"),
    "immunizations": _l("dose"),
    "canned_replies": _l("ready answer"),
}

# The keys of before/after; a key without a label is shown as stored.
CHANGE_LABELS = {
    "active": _l("active"),
    "second_factor": _l("authenticator set up"),
    "expires_at": _l("expires"),
    "email": _l("email"),
    "role": _l("role"),
    "organization": _l("organization"),
    "status": _l("status"),
}
for _lang in LANGUAGES:  # a ready answer's wording, each language by its own name
    CHANGE_LABELS[f"title_{_lang}"] = _l("title (%(language)s)", language=NATIVE_NAMES[_lang])
    CHANGE_LABELS[f"text_{_lang}"] = _l("text (%(language)s)", language=NATIVE_NAMES[_lang])


def _id_arg(name: str) -> int | None:
    """A query-string id, or None when it is missing, malformed or past an INTEGER column."""
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value < 2**31 else None


def _filters() -> tuple[Patient | None, User | None]:
    patient_id = _id_arg("patient")
    actor_id = _id_arg("actor")
    patient = db.session.get(Patient, patient_id) if patient_id else None
    actor = db.session.get(User, actor_id) if actor_id else None
    return patient, actor


@bp.route("/staff/audit", methods=["GET", "POST"])
@allow(SUPERVISOR)
def search() -> object:
    form = AuditSearchForm()
    if form.validate_on_submit():
        patient = actor = None
        if form.registry_id.data:
            patient = db.session.scalar(
                sa.select(Patient).where(Patient.registry_id == form.registry_id.data)
            )
            if patient is None:
                form.registry_id.errors.append(_l("No record has this registry id."))
        if form.staff_email.data:
            actor = db.session.scalar(sa.select(User).where(User.email == form.staff_email.data))
            if actor is None or not actor.is_staff:
                form.staff_email.errors.append(_l("No staff member has this email address."))
        if not form.errors:
            return redirect(
                url_for(
                    "audit.search",
                    patient=patient.id if patient else None,
                    actor=actor.id if actor else None,
                )
            )
        page = service.Page([], None)
        return render_template("audit/search.html", form=form, page=page, **_labels())
    patient, actor = _filters()
    if request.method == "GET":
        form.registry_id.data = patient.registry_id if patient else ""
        form.staff_email.data = actor.email if actor else ""
    page = service.search(
        db.session,
        # An id that names nothing still filters: it finds no entries, rather than all.
        patient_id=patient.id if patient else _id_arg("patient"),
        actor_id=actor.id if actor else _id_arg("actor"),
        before=_id_arg("before"),
    )
    return render_template(
        "audit/search.html", form=form, page=page, patient=patient, actor=actor, **_labels()
    )


def _labels() -> dict[str, object]:
    return {
        "action_labels": ACTION_LABELS,
        "subject_labels": SUBJECT_LABELS,
        "change_labels": CHANGE_LABELS,
    }
