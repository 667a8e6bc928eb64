"""My records, the start page, unlinking, teen invitations, and documents for staff."""

from __future__ import annotations

from datetime import date

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import FAMILY, STAFF, allow
from portal.db import db
from portal.extensions import limiter
from portal.i18n import local_today
from portal.orm import utcnow
from portal.requests.labels import STATUS_LABELS
from portal.requests.models import OPEN_STATUSES

from . import approval, invitations, verify_views  # noqa: F401  (they register routes, effects)
from .attempts import lockout_ends
from .documents import EXTENSIONS, document_path
from .forms import ConfirmForm, InvitationForm, InviteForm
from .manual import document_for_staff, log_document_view, verification_requests
from .messages import send_invitation
from .models import AttemptOutcome, LinkMethod, PatientLink
from .services import active_link_for, record_summaries, unlink
from .web import account_key, bp, client, lockout_response, upload_dir, when


def record_href(link: PatientLink) -> str:
    return url_for("records.show", link_id=link.id)


def _as_date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _own_link(link_id: int) -> PatientLink:
    link = active_link_for(db.session, current_user, link_id, local_today())
    if link is None:
        abort(404)
    return link


@bp.get("/records")
@allow(FAMILY)
def dashboard() -> str:
    now = utcnow()
    requests = verification_requests(db.session, current_user, now)
    return render_template(
        "linking/dashboard.html",
        summaries=record_summaries(db.session, current_user, local_today()),
        requests=requests,
        waiting=any(r.status in OPEN_STATUSES for r in requests),
        status_labels=STATUS_LABELS,
        record_href=record_href,
        as_date=_as_date,
    )


@bp.get("/records/add")
@allow(FAMILY)
def start() -> str:
    who = client()
    until = lockout_ends(db.session, who.user, utcnow(), who.address_hash)
    return render_template("linking/start.html", locked_until=when(until))


@bp.route("/records/<id:link_id>/unlink", methods=["GET", "POST"])
@allow(FAMILY)
def unlink_record(link_id: int) -> object:
    link = _own_link(link_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        unlink(link, utcnow())
        flash(_("The record was removed from your list."), "success")
        return redirect(url_for("linking.dashboard"))
    return render_template("linking/unlink.html", link=link, form=form)


@bp.route("/records/<id:link_id>/invite", methods=["GET", "POST"])
@allow(FAMILY)
@limiter.limit("5 per day", key_func=account_key, methods=["POST"])
def invite(link_id: int) -> object:
    link = _own_link(link_id)
    if not invitations.may_invite(link, local_today()):
        abort(404)
    form = InviteForm()
    if form.validate_on_submit():
        invitation, token = invitations.create_invitation(
            db.session, link, form.email.data, now=utcnow()
        )
        # From the portal's public address, never the request's Host header (as accounts do).
        base = current_app.config["ISSUER_URL"].rstrip("/")
        url = base + url_for("linking.accept_invitation", token=token)
        send_invitation(db.session, to=invitation.email, url=url, expires_at=invitation.expires_at)
        flash(_("We sent the invitation to %(email)s.", email=invitation.email), "success")
        return redirect(url_for("linking.dashboard"))
    return render_template("linking/invite.html", link=link, form=form)


@bp.route("/records/invitation/<token>", methods=["GET", "POST"])
@allow(FAMILY)
@limiter.limit("10 per hour", key_func=account_key, methods=["POST"])
def accept_invitation(token: str) -> object:
    now = utcnow()
    invitation = invitations.open_invitation(db.session, token, now)
    if invitation is None:
        return render_template("linking/invitation_invalid.html"), 404
    if invitation.link.user_id == current_user.id:
        return render_template("linking/invitation_own.html"), 403
    locked = lockout_response(LinkMethod.INVITATION)
    if locked:
        return locked
    form = InvitationForm()
    if form.validate_on_submit():
        result = invitations.accept_invitation(
            db.session,
            client(),
            token,
            form.birth_date.data,
            now=now,
            today=local_today(),
            guardian_age=current_app.config["GUARDIAN_LINK_AGE"],
        )
        if result.outcome is AttemptOutcome.LINKED:
            flash(_("Your own record is now in your list."), "success")
            return redirect(url_for("linking.dashboard"))
        if invitations.open_invitation(db.session, token, now) is None:
            return render_template("linking/invitation_invalid.html"), 404
        form.birth_date.errors.append(_("That birth date does not match the record."))
    return render_template("linking/invitation.html", form=form)


@bp.get("/help-desk/documents/<id:document_id>")
@allow(STAFF)
def document(document_id: int) -> object:
    doc = document_for_staff(db.session, document_id)
    path = document_path(upload_dir(), doc.stored_name) if doc is not None else None
    if doc is None or path is None:
        abort(404)
    log_document_view(db.session, doc, current_user._get_current_object(), utcnow())
    response = send_file(
        path,
        mimetype=doc.content_type,
        as_attachment=True,
        download_name=f"verification-{doc.request_id}-{doc.id}{EXTENSIONS[doc.content_type]}",
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
