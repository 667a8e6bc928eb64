"""The record page and its printable PDF, for the family and for the help desk."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from flask_login import current_user

from portal.access import FAMILY, STAFF, allow
from portal.accounts.limits import user_key
from portal.db import db
from portal.extensions import limiter
from portal.i18n import current_language, local_today
from portal.linking.services import active_link_for
from portal.proof.current import proof_for_printout
from portal.registry import Patient

from . import labels
from .pdf import PrintedProof, build_shot_record_pdf
from .services import RecordView, load_patient, open_for_staff, record_view
from .timeline import build_timeline

bp = Blueprint("records", __name__)


def _family_record(link_id: int) -> tuple[RecordView, Patient]:
    today = local_today()
    link = active_link_for(db.session, current_user, link_id, today)
    patient = load_patient(db.session, link.patient_id) if link else None
    if link is None or patient is None:
        abort(404)
    return record_view(patient, current_language(), today), patient


def _render(view: RecordView, **context: object) -> str:
    return render_template(
        "records/show.html",
        view=view,
        timeline=build_timeline(view),
        labels=labels,
        **context,
    )


@bp.get("/records/<id:link_id>")
@allow(FAMILY)
def show(link_id: int) -> str:
    view, _ = _family_record(link_id)
    return _render(view, link_id=link_id, staff=False)


@bp.post("/records/<id:link_id>/shot-record.pdf")
@allow(FAMILY)
# Each printout signs and stores a card; a family needs a few a day, not hundreds.
@limiter.limit("20 per hour;50 per day", key_func=user_key, methods=["POST"])
def pdf(link_id: int) -> Response:
    """A new printout with a new signed card; older cards of the record become revoked.

    A POST, because printing changes state: a link prefetcher must not revoke the
    family's last printout. The family printing its own record is not an access event.
    """
    view, patient = _family_record(link_id)
    card = proof_for_printout(db.session, patient, current_user.id)
    proof = PrintedProof(card.qr_chunks, card.short_code, card.issued_at) if card else None
    response = Response(
        build_shot_record_pdf(view, printed_on=view.today, proof=proof),
        mimetype="application/pdf",
    )
    # No name in the file name: headers and download lists are not a place for PHI.
    response.headers["Content-Disposition"] = 'attachment; filename="shot-record.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/staff/patients/<id:patient_id>")
@allow(STAFF)
def staff_show(patient_id: int) -> str:
    patient = open_for_staff(db.session, current_user, patient_id)
    if patient is None:
        abort(404)
    return _render(
        record_view(patient, current_language(), local_today()), link_id=None, staff=True
    )
