"""The three ways to prove a record is yours: contact code, access code, manual verification."""

from __future__ import annotations

import time

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import FAMILY, allow
from portal.db import db
from portal.extensions import limiter
from portal.i18n import local_today
from portal.orm import utcnow
from portal.requests.filing import Upload

from .access_codes import redeem_access_code
from .contact_codes import (
    MatchDetails,
    check_contact_code,
    is_own_challenge,
    start_contact_match,
)
from .documents import MAX_DOCUMENT_BYTES, MAX_IMAGE_PIXELS, Refusal, check_document
from .forms import AccessCodeForm, CodeForm, MatchForm, VerificationForm
from .manual import VerificationDetails, submit_verification
from .messages import outbox_code_sender
from .models import AttemptOutcome, LinkMethod, Relationship
from .pdf_check import MAX_PAGES
from .web import (
    account_key,
    bp,
    client,
    lockout_response,
    upload_dir,
    wait_out_the_floor,
)

# The pending challenge lives in the (signed, server-checked) session, not the URL, so the
# answer to a match and to a non-match is the very same redirect.
CHALLENGE_KEY = "linking_challenge"
ADDRESS_LIMIT = "30 per hour"


def _linked() -> object:
    flash(_("The record is now in your list."), "success")
    return redirect(url_for("linking.dashboard"))


@bp.route("/records/add/match", methods=["GET", "POST"])
@allow(FAMILY)
@limiter.limit("5 per hour;20 per day", key_func=account_key, methods=["POST"])
@limiter.limit(ADDRESS_LIMIT, methods=["POST"])
def match() -> object:
    started = time.monotonic()
    locked = lockout_response(LinkMethod.CONTACT_CODE)
    if locked:
        return locked
    form = MatchForm()
    if form.validate_on_submit():
        details = MatchDetails(
            first_name=form.first_name.data,
            last_name=form.last_name.data,
            birth_date=form.birth_date.data,
            contact=form.contact.data,
            relationship=Relationship(form.relationship.data),
        )
        challenge = start_contact_match(
            db.session, client(), details, send_code=outbox_code_sender, now=utcnow()
        )
        session[CHALLENGE_KEY] = challenge.token
        wait_out_the_floor(started)
        return redirect(url_for("linking.enter_code"))
    return render_template("linking/match.html", form=form)


@bp.route("/records/add/code", methods=["GET", "POST"])
@allow(FAMILY)
@limiter.limit("20 per hour", key_func=account_key, methods=["POST"])
@limiter.limit(ADDRESS_LIMIT, methods=["POST"])
def enter_code() -> object:
    token = session.get(CHALLENGE_KEY)
    if not token:
        return redirect(url_for("linking.match"))
    if not is_own_challenge(db.session, client(), token):
        # Left by the account signed in here before: to this one it is a code that has ended.
        session.pop(CHALLENGE_KEY, None)
        return render_template("linking/code.html", form=CodeForm(), ended=True)
    locked = lockout_response(LinkMethod.CONTACT_CODE)
    if locked:
        return locked
    form = CodeForm()
    ended = False
    if form.validate_on_submit():
        result = check_contact_code(
            db.session,
            client(),
            token,
            form.code.data,
            now=utcnow(),
            today=local_today(),
            guardian_age=current_app.config["GUARDIAN_LINK_AGE"],
        )
        if result.outcome is AttemptOutcome.LINKED:
            session.pop(CHALLENGE_KEY, None)
            return _linked()
        locked = lockout_response(LinkMethod.CONTACT_CODE, log=False)
        if locked:
            return locked
        if result.outcome is AttemptOutcome.WRONG_CODE:
            form.code.errors.append(
                _("That code is not right. Tries left: %(n)d.", n=result.tries_left)
            )
        else:
            session.pop(CHALLENGE_KEY, None)
            ended = True
    return render_template("linking/code.html", form=form, ended=ended)


@bp.route("/records/add/access-code", methods=["GET", "POST"])
@allow(FAMILY)
@limiter.limit("10 per hour", key_func=account_key, methods=["POST"])
@limiter.limit(ADDRESS_LIMIT, methods=["POST"])
def access_code() -> object:
    locked = lockout_response(LinkMethod.ACCESS_CODE)
    if locked:
        return locked
    form = AccessCodeForm()
    if form.validate_on_submit():
        result = redeem_access_code(
            db.session,
            client(),
            code=form.code.data,
            birth_date=form.birth_date.data,
            relationship=Relationship(form.relationship.data),
            now=utcnow(),
            today=local_today(),
            guardian_age=current_app.config["GUARDIAN_LINK_AGE"],
        )
        if result.outcome is AttemptOutcome.LINKED:
            return _linked()
        locked = lockout_response(LinkMethod.ACCESS_CODE, log=False)
        if locked:
            return locked
        # One message for every failure: which part was wrong is a hint to a guesser.
        form.code.errors.append(
            _("The access code or the birth date is not right, or the code no longer works.")
        )
    return render_template("linking/access_code.html", form=form)


@bp.route("/records/add/verification", methods=["GET", "POST"])
@allow(FAMILY)
@limiter.limit("5 per day", key_func=account_key, methods=["POST"])
def verification() -> object:
    form = VerificationForm()
    if form.validate_on_submit():
        upload = form.document.data
        data = upload.read(MAX_DOCUMENT_BYTES + 1)
        checked = check_document(data) if len(data) <= MAX_DOCUMENT_BYTES else None
        if checked is None:
            form.document.errors.append(_("The file is larger than 10 MB."))
        elif checked.content_type is None:
            form.document.errors.append(_refusal_message(checked.refusal))
        else:
            content_type = checked.content_type
            details = VerificationDetails(
                first_name=form.first_name.data,
                middle_name=form.middle_name.data,
                last_name=form.last_name.data,
                birth_date=form.birth_date.data,
                relationship=Relationship(form.relationship.data),
                note=form.note.data,
            )
            submit_verification(
                db.session,
                current_user._get_current_object(),
                details,
                Upload(filename=upload.filename or "", data=data, content_type=content_type),
                upload_dir=upload_dir(),
                now=utcnow(),
            )
            flash(
                _("Your request was sent. The help desk will check it and write to you."),
                "success",
            )
            return redirect(url_for("linking.dashboard"))
    return render_template("linking/verification.html", form=form)


def _refusal_message(refusal: Refusal | None) -> str:
    if refusal == Refusal.TOO_MANY_PIXELS:
        return _(
            "This picture is too large (more than %(megapixels)d megapixels). "
            "Take the photo at a lower resolution, or send a scan.",
            megapixels=MAX_IMAGE_PIXELS // 1_000_000,
        )
    if refusal == Refusal.PDF_ACTIVE_CONTENT:
        return _(
            "This PDF holds scripts, attached files or actions, which we do not accept. "
            "Print it to a new PDF, or send a scan or a photo of the document."
        )
    if refusal == Refusal.PDF_TOO_LARGE:
        return _(
            "This PDF has more than %(pages)d pages or is too complex. "
            "Send only the pages that show you are the parent or guardian.",
            pages=MAX_PAGES,
        )
    if refusal == Refusal.PDF_ENCRYPTED:
        return _("This PDF is protected by a password. Send it without the password.")
    return _("This file is not a PDF, JPEG or PNG. Upload a scan or a photo of the document.")
