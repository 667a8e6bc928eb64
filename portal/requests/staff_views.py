"""One request worked by staff: beside its record, its timeline and documents, its actions.

Views never compare statuses: the buttons come from `rules.actions_for`, every move goes
through `services.take_action` with the version the page showed, and a stale form is
told so and changes nothing. What approving does is the kind's registered effect
(`corrections.py` here; `portal.linking.approval` for a verification).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from portal.access import STAFF, allow
from portal.accounts.models import User
from portal.db import db
from portal.i18n import current_language, local_today
from portal.linking.access_codes import issue_access_code
from portal.linking.approval import link_refusal
from portal.linking.documents import MAX_DOCUMENT_BYTES, check_document
from portal.linking.web import upload_dir
from portal.orm import utcnow
from portal.records.services import open_for_staff, record_view
from portal.registry import Patient
from portal.registry.vaccines import lookup

from . import canned, corrections, rules  # noqa: F401  (corrections: its effect)
from .corrections import CorrectionRefused
from .filing import Upload
from .models import Request, RequestKind
from .on_behalf import file_for_family
from .rules import IllegalTransition, RequestAction
from .services import NotYours, StaleRequest, request_for, take_action
from .staff_forms import (
    CHANNELS,
    NOTE_ACTIONS,
    ActionForm,
    ApproveCorrectionForm,
    ApproveForm,
    ApproveVerificationForm,
    OnBehalfForm,
)
from .staff_words import (
    ACTION_LABELS,
    CORRECTION_REFUSALS,
    EVENT_LABELS,
    KIND_LABELS,
    LINK_REFUSALS,
    RELATIONSHIP_LABELS,
    STATUS_LABELS,
    family_details,
)

bp = Blueprint("staff_requests", __name__)


def _me() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _request_or_404(request_id: int) -> Request:
    found = request_for(db.session, _me(), request_id)
    if found is None:
        abort(404)
    return found


def _dose_choices(patient: Patient, locale: str) -> list[SelectChoice]:
    choices = []
    for dose in sorted(patient.immunizations, key=lambda d: (d.given_on, d.id)):
        if dose.deleted:
            continue
        vaccine = lookup(dose.cvx_code)
        name = vaccine.name(locale) if vaccine else f"CVX {dose.cvx_code}"
        # The date first, as on the family's report form: a narrow list shows only its start.
        choices.append(SelectChoice(str(dose.id), f"{dose.given_on.isoformat()} — {name}"))
    return choices


def _correction_form(req: Request, formdata: Any = None) -> ApproveCorrectionForm:
    form = ApproveCorrectionForm(formdata=formdata, version=req.version)
    patient = req.patient
    doses = _dose_choices(patient, current_language()) if patient is not None else []
    form.set_choices(doses, current_language())
    return form


def _approve_form(req: Request, formdata: Any = None) -> ApproveForm:
    if req.kind is RequestKind.VERIFICATION:
        return ApproveVerificationForm(formdata=formdata, version=req.version)
    if req.kind is RequestKind.CORRECTION:
        return _correction_form(req, formdata)
    return ApproveForm(formdata=formdata, version=req.version)


def _page(
    req: Request,
    *,
    action_form: ActionForm | None = None,
    failed_action: str | None = None,
    approve_form: ApproveForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    me = _me()
    patient = open_for_staff(db.session, me, req.patient_id) if req.patient_id else None
    view = record_view(patient, current_language(), local_today()) if patient else None
    offered = rules.actions_for(req.status, me.role)
    reply_id = request.args.get("reply", type=int)
    reply = canned.reply_text(db.session, reply_id, req.requester.locale)
    users = {
        u.id: u
        for u in db.session.scalars(
            sa.select(User).where(User.id.in_({e.actor_id for e in req.events if e.actor_id}))
        )
    }
    forms = {}
    for action in offered:
        if action is RequestAction.APPROVE:
            continue
        if action.value == failed_action and action_form is not None:
            forms[action] = action_form
        else:
            note = reply if action in (RequestAction.ASK_INFO, RequestAction.REJECT) else None
            forms[action] = ActionForm(
                formdata=None, version=req.version, action=action.value, note=note
            )
    for action, form in forms.items():
        form.note.id = f"note-{action.value}"  # one page, several note boxes: ids of their own
    if RequestAction.APPROVE in offered and approve_form is None:
        approve_form = _approve_form(req)
    body = render_template(
        "requests/staff_request.html",
        req=req,
        view=view,
        forms=forms,
        approve_form=approve_form if RequestAction.APPROVE in offered else None,
        note_actions=NOTE_ACTIONS,
        users=users,
        replies=canned.active_replies(db.session),
        reply_id=reply_id if reply else None,
        locale=current_language(),
        action_labels=ACTION_LABELS,
        kind_labels=KIND_LABELS,
        status_labels=STATUS_LABELS,
        event_labels=EVENT_LABELS,
        details=family_details(req.details or {}, current_language()),
        channels=CHANNELS,
    )
    return body, status


@bp.get("/staff/requests/<id:request_id>")
@allow(STAFF)
def show(request_id: int) -> tuple[str, int]:
    return _page(_request_or_404(request_id))


def _refused(exc: Exception, request_id: int) -> Any:
    """Nothing the failed action did is kept; the agent sees the request as it is now."""
    db.session.rollback()
    if isinstance(exc, StaleRequest):
        flash(
            _("Someone else changed this request first. Nothing was changed: "
              "here it is as it is now."),
            "error",
        )  # fmt: skip
    elif isinstance(exc, NotYours):
        flash(_("Another agent has claimed this request. Nothing was changed."), "error")
    else:
        flash(_("That action is no longer possible for this request."), "error")
    return redirect(url_for("staff_requests.show", request_id=request_id))


@bp.post("/staff/requests/<id:request_id>/action")
@allow(STAFF)
def act(request_id: int) -> Any:
    req = _request_or_404(request_id)
    form = ActionForm()
    if not form.validate_on_submit():
        if form.action.errors or form.version.errors:
            abort(400)  # only a tampered post: the page offers these as buttons
        return _page(req, action_form=form, failed_action=form.action.data)
    action = RequestAction(form.action.data)
    if action in NOTE_ACTIONS and not (form.note.data or "").strip():
        form.note.errors.append(_("Write the message first."))
        return _page(req, action_form=form, failed_action=action.value)
    try:
        take_action(
            db.session, req, action, actor=_me(), note=form.note.data,
            now=utcnow(), seen_version=form.version.data,
        )  # fmt: skip
    except (StaleRequest, NotYours, IllegalTransition) as exc:
        return _refused(exc, request_id)
    flash(_("Done: %(action)s.", action=ACTION_LABELS[action]), "success")
    return redirect(url_for("staff_requests.show", request_id=request_id))


def _correction_data(form: ApproveCorrectionForm) -> dict[str, Any]:
    if form.dose_id.data:
        return {
            "dose_id": int(form.dose_id.data),
            "given_on": form.given_on.data,
            "cvx_code": form.cvx_code.data or None,
            "remove": bool(form.remove.data),
        }
    value: Any = form.value.data
    if form.field.data == "birth_date":
        try:
            value = date.fromisoformat((value or "").strip())
        except ValueError:
            raise CorrectionRefused("a birth date is a date") from None
    return {"field": form.field.data, "value": value}


@bp.post("/staff/requests/<id:request_id>/approve")
@allow(STAFF)
def approve(request_id: int) -> Any:
    req = _request_or_404(request_id)
    form = _approve_form(req, request.form)
    if not form.validate_on_submit():
        if form.version.errors:
            abort(400)
        return _page(req, approve_form=form)
    if RequestAction.APPROVE not in rules.actions_for(req.status, _me().role):
        return _refused(IllegalTransition(), request_id)
    data: dict[str, Any] = {}
    if isinstance(form, ApproveVerificationForm):
        patient = db.session.scalar(
            sa.select(Patient).where(Patient.registry_id == form.registry_id.data.strip().upper())
        )
        if patient is None:
            form.registry_id.errors.append(_("No record has this registry ID."))
            return _page(req, approve_form=form)
        refusal = link_refusal(
            req, patient, today=local_today(), guardian_age=current_app.config["GUARDIAN_LINK_AGE"]
        )
        if refusal is not None:
            form.registry_id.errors.append(str(LINK_REFUSALS.get(refusal, refusal)))
            return _page(req, approve_form=form)
        if not form.confirmed.data:
            found = open_for_staff(db.session, _me(), patient.id)
            view = record_view(found, current_language(), local_today())  # type: ignore[arg-type]
            form.confirmed.data = True
            return render_template(
                "requests/staff_confirm_link.html",
                req=req, form=form, view=view, relationships=RELATIONSHIP_LABELS,
            ), 200  # fmt: skip
        data = {
            "patient_id": patient.id,
            "today": local_today(),
            "guardian_age": current_app.config["GUARDIAN_LINK_AGE"],
        }
    elif isinstance(form, ApproveCorrectionForm):
        try:
            data = _correction_data(form)
        except CorrectionRefused as exc:
            form.value.errors.append(str(CORRECTION_REFUSALS[str(exc)]))
            return _page(req, approve_form=form)
    try:
        take_action(
            db.session, req, RequestAction.APPROVE, actor=_me(), note=form.note.data,
            now=utcnow(), seen_version=form.version.data, data=data,
        )  # fmt: skip
    except (StaleRequest, NotYours, IllegalTransition) as exc:
        return _refused(exc, request_id)
    except CorrectionRefused as exc:
        db.session.rollback()
        req = _request_or_404(request_id)
        form = _correction_form(req, request.form)
        form.validate()
        form.value.errors.append(str(CORRECTION_REFUSALS.get(str(exc), exc)))
        return _page(req, approve_form=form)
    except ValueError:  # the record changed between the check and the approval
        return _refused(IllegalTransition(), request_id)
    except LookupError:
        db.session.rollback()
        flash(_("Requests of this kind cannot be approved here yet."), "error")
        return redirect(url_for("staff_requests.show", request_id=request_id))
    flash(_("The request is approved."), "success")
    return redirect(url_for("staff_requests.show", request_id=request_id))


@bp.post("/staff/patients/<id:patient_id>/access-code")
@allow(STAFF)
def access_code(patient_id: int) -> Any:
    """A new access code for the record, shown once on this answer (never stored in clear,
    never in a URL); any earlier code of the record stops working."""
    patient = open_for_staff(db.session, _me(), patient_id)
    if patient is None:
        abort(404)
    issued = issue_access_code(db.session, patient, issued_by=_me(), now=utcnow())
    back = request.form.get("request_id", type=int)
    body = render_template(
        "requests/staff_access_code.html", issued=issued, patient=patient, back=back
    )
    return body, 200, {"Cache-Control": "no-store"}


@bp.route("/staff/requests/new", methods=["GET", "POST"])
@allow(STAFF)
def new() -> Any:
    form = OnBehalfForm()
    if form.validate_on_submit():
        kind = RequestKind(form.kind.data)
        family = db.session.scalar(
            sa.select(User).where(sa.func.lower(User.email) == form.email.data.strip().lower())
        )
        if family is None or family.role not in rules.FAMILY_ROLES:
            form.email.errors.append(_("No family account has this email."))
        patient = None
        if form.registry_id.data:
            patient = db.session.scalar(
                sa.select(Patient).where(
                    Patient.registry_id == form.registry_id.data.strip().upper()
                )
            )
            if patient is None:
                form.registry_id.errors.append(_("No record has this registry ID."))
        elif kind is not RequestKind.VERIFICATION:
            form.registry_id.errors.append(_("Give the registry ID of the record."))
        document = _document(form)
        if not (form.email.errors or form.registry_id.errors or form.document.errors):
            req = file_for_family(
                db.session, agent=_me(), family=family, kind=kind,  # type: ignore[arg-type]
                patient=patient, channel=form.channel.data,
                description=form.description.data.strip(), document=document,
                upload_dir=upload_dir(), now=utcnow(),
            )  # fmt: skip
            flash(_("The request is filed for the family."), "success")
            return redirect(url_for("staff_requests.show", request_id=req.id))
    return render_template("requests/staff_new.html", form=form)


def _document(form: OnBehalfForm) -> Upload | None:
    upload = form.document.data
    if not upload or not getattr(upload, "filename", ""):
        return None
    data = upload.read(MAX_DOCUMENT_BYTES + 1)
    checked = check_document(data) if len(data) <= MAX_DOCUMENT_BYTES else None
    if checked is None or checked.content_type is None:
        form.document.errors.append(
            _("The document must be a PDF, JPEG or PNG of at most 10 MB, without scripts.")
        )
        return None
    return Upload(upload.filename or "", data, checked.content_type)
