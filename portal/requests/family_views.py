"""The family's side of requests: report a mistake, lock or unlock, "My requests",
answer a question from the help desk, withdraw. Views validate, call a service, redirect;
which buttons show comes from rules.actions_for, never from comparing statuses here."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import FileStorage

from portal.access import FAMILY, allow
from portal.accounts.limits import user_key
from portal.accounts.models import Role
from portal.db import db
from portal.extensions import limiter
from portal.i18n import current_language, local_today
from portal.linking.documents import MAX_DOCUMENT_BYTES, check_document
from portal.linking.models import PatientLink
from portal.linking.services import active_link_for
from portal.linking.verify_views import _refusal_message
from portal.linking.web import upload_dir
from portal.orm import utcnow
from portal.records.services import RecordView, load_record_view
from portal.registry.patients import Patient

from . import sharing  # noqa: F401  (registers the lock/unlock approval effects)
from .family_forms import (
    ABOUT_DETAIL,
    ABOUT_DOSE,
    AnswerForm,
    ReportForm,
    SharingForm,
    WithdrawForm,
)
from .filing import Upload, add_document
from .labels import KIND_LABELS, STATUS_LABELS, step_label
from .mine import my_requests, own_request, question
from .models import Request, RequestKind
from .notify import MY_REQUESTS_PATH
from .rules import IllegalTransition, RequestAction, actions_for
from .services import StaleRequest, take_action
from .submit import SharingPending, file_request, pending_sharing_request

bp = Blueprint("family_requests", __name__)


def _own_link(link_id: int) -> PatientLink:
    link = active_link_for(db.session, current_user, link_id, local_today())
    if link is None:
        abort(404)
    return link


def _own_request(request_id: int) -> Request:
    request = own_request(db.session, current_user, request_id)
    if request is None:
        abort(404)
    return request


def _read_upload(storage: FileStorage | None) -> tuple[Upload | None, str | None]:
    """An optional upload, checked by its bytes: (the upload or None, or why it is refused)."""
    if storage is None or not getattr(storage, "filename", None):
        return None, None
    data = storage.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        return None, _("The file is larger than 10 MB.")
    checked = check_document(data)
    if checked.content_type is None:
        return None, _refusal_message(checked.refusal)
    upload = Upload(filename=storage.filename or "", data=data, content_type=checked.content_type)
    return upload, None


def _report_details(form: ReportForm, view: RecordView) -> dict[str, Any]:
    details: dict[str, Any] = {
        "about": form.about.data,
        "wrong": (form.wrong.data or "").strip(),
        "right": form.right.data.strip(),
    }
    if form.about.data == ABOUT_DOSE:
        dose = next(d for d in view.doses if str(d.id) == form.dose.data)  # the form checked it
        details.update(
            immunization_id=dose.id,
            cvx=dose.cvx,
            given_on=dose.given_on.isoformat(),
            problem=form.problem.data,
        )
    elif form.about.data == ABOUT_DETAIL:
        details["detail"] = form.detail.data
    return details


@bp.route("/records/<id:link_id>/report", methods=["GET", "POST"])
@allow(FAMILY)
@limiter.limit("20 per day", key_func=user_key, methods=["POST"])
def report(link_id: int) -> Any:
    link = _own_link(link_id)
    view = load_record_view(db.session, link.patient_id, current_language(), local_today())
    if view is None:
        abort(404)
    form = ReportForm()
    # The date first: a phone shows only the start of a closed list, and a long vaccine name
    # would hide which of two doses of it is chosen.
    form.set_doses([(d.id, f"{format_date(d.given_on, 'medium')} — {d.name}") for d in view.doses])
    if form.validate_on_submit():
        upload, refusal = _read_upload(form.evidence.data)
        if refusal:
            form.evidence.errors = [*form.evidence.errors, refusal]
        else:
            filed = file_request(
                db.session,
                current_user._get_current_object(),
                RequestKind.CORRECTION,
                patient=db.session.get(Patient, link.patient_id),
                details=_report_details(form, view),
                token=form.token.data,
                upload=upload,
                upload_dir=upload_dir(),
                now=utcnow(),
            )
            _flash_filed(filed.created)
            return redirect(url_for(".mine"))
    return render_template("requests/family_report.html", form=form, link=link, view=view)


def _flash_filed(created: bool) -> None:
    if created:
        flash(_("Your request was sent. The help desk will check it and write to you."), "success")
    else:
        flash(_("This request was already sent. Here is where it stands."), "success")


@bp.route("/records/<id:link_id>/sharing", methods=["GET", "POST"])
@allow(FAMILY)
@limiter.limit("20 per day", key_func=user_key, methods=["POST"])
def sharing_page(link_id: int) -> Any:
    link = _own_link(link_id)
    patient = db.session.get(Patient, link.patient_id)
    if patient is None:
        abort(404)
    kind = RequestKind.LOCK if patient.shared else RequestKind.UNLOCK
    form = SharingForm()
    if not form.is_submitted():
        form.kind.data = kind.value
    status = 200
    if form.validate_on_submit():
        if form.kind.data != kind.value:
            # Someone (the help desk, another parent) changed the sharing meanwhile.
            flash(_("This record's sharing changed while the page was open. Check it again."))
            return redirect(url_for(".sharing_page", link_id=link_id))
        try:
            filed = file_request(
                db.session,
                current_user._get_current_object(),
                kind,
                patient=patient,
                details={},
                token=form.token.data,
                now=utcnow(),
            )
        except SharingPending:
            status = 409
        else:
            _flash_filed(filed.created)
            return redirect(url_for(".mine"))
    return (
        render_template(
            "requests/family_sharing.html",
            form=form,
            link=link,
            patient=patient,
            kind=kind,
            pending=pending_sharing_request(db.session, patient),
            refused=status == 409,
            status_labels=STATUS_LABELS,
        ),
        status,
    )


@bp.get(MY_REQUESTS_PATH)
@allow(FAMILY)
def mine() -> str:
    return render_template(
        "requests/family_mine.html",
        items=my_requests(db.session, current_user),
        kind_labels=KIND_LABELS,
        status_labels=STATUS_LABELS,
        step_label=step_label,
        A=RequestAction,
    )


def _seen_version(form: AnswerForm | WithdrawForm) -> int:
    return int(form.version.data)


def _nothing_to_do() -> Any:
    flash(_("There is nothing to do on this request now. Here is where it stands."))
    return redirect(url_for(".mine"))


def _stale() -> Any:
    flash(
        _(
            "This request changed since you opened the page, so nothing was sent. "
            "Here is where it stands now."
        )
    )
    return redirect(url_for(".mine"))


@bp.route("/requests/<id:request_id>/answer", methods=["GET", "POST"])
@allow(FAMILY)
@limiter.limit("20 per day", key_func=user_key, methods=["POST"])
def answer(request_id: int) -> Any:
    request = _own_request(request_id)
    if RequestAction.ANSWER not in actions_for(request.status, Role.PARENT):
        return _nothing_to_do()
    form = AnswerForm()
    if not form.is_submitted():
        form.version.data = str(request.version)
    if form.validate_on_submit():
        upload, refusal = _read_upload(form.document.data)
        if refusal:
            form.document.errors = [*form.document.errors, refusal]
        else:
            try:
                take_action(
                    db.session,
                    request,
                    RequestAction.ANSWER,
                    actor=current_user._get_current_object(),
                    note=form.answer.data,
                    now=utcnow(),
                    seen_version=_seen_version(form),
                )
            except (StaleRequest, IllegalTransition):
                return _stale()
            if upload is not None:
                add_document(db.session, request, upload, upload_dir=upload_dir(), now=utcnow())
            flash(_("Your answer was sent to the help desk."), "success")
            return redirect(url_for(".mine"))
    return render_template(
        "requests/family_answer.html",
        form=form,
        request=request,
        question=question(request),
        kind_labels=KIND_LABELS,
    )


@bp.route("/requests/<id:request_id>/withdraw", methods=["GET", "POST"])
@allow(FAMILY)
def withdraw(request_id: int) -> Any:
    request = _own_request(request_id)
    if RequestAction.WITHDRAW not in actions_for(request.status, Role.PARENT):
        return _nothing_to_do()
    form = WithdrawForm()
    if not form.is_submitted():
        form.version.data = str(request.version)
    if form.validate_on_submit():
        try:
            take_action(
                db.session,
                request,
                RequestAction.WITHDRAW,
                actor=current_user._get_current_object(),
                now=utcnow(),
                seen_version=_seen_version(form),
            )
        except (StaleRequest, IllegalTransition):
            return _stale()
        flash(_("The request was withdrawn."), "success")
        return redirect(url_for(".mine"))
    return render_template(
        "requests/family_withdraw.html", form=form, request=request, kind_labels=KIND_LABELS
    )
