"""Forgotten password: ask for a link by email, then set a new password with it."""

from __future__ import annotations

import time

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from portal import answer_floor
from portal.access import PUBLIC, allow
from portal.db import db
from portal.extensions import limiter
from portal.orm import utcnow

from . import limits, services
from .emails import AccountMail
from .forms import NewPasswordForm, ResetRequestForm
from .tokens import TokenError
from .views import bp, sign_out


@bp.route("/reset", methods=["GET", "POST"])
@allow(PUBLIC)
@limiter.limit(limits.RESET_PER_ADDRESS, methods=["POST"])
@limiter.limit(limits.RESET_PER_EMAIL, key_func=limits.submitted_email_key, methods=["POST"])
def reset_request() -> object:
    started = time.monotonic()
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_reset(db.session, AccountMail.from_app(), form.email.data)
        # An account's address queues a link, an unknown one nothing: the same floor for
        # both, waited out after the commit, leaves nothing in the timing to tell them apart.
        floor = current_app.config.get("RESET_FLOOR_SECONDS", answer_floor.DEFAULT_SECONDS)
        answer_floor.hold_answer(floor, started=started)
        # The same answer whether or not the address has an account.
        return redirect(url_for("accounts.reset_sent"))
    return render_template("accounts/reset_request.html", form=form)


@bp.get("/reset/sent")
@allow(PUBLIC)
def reset_sent() -> str:
    return render_template("accounts/reset_sent.html")


@bp.route("/reset/<token>", methods=["GET", "POST"])
@allow(PUBLIC)
def reset_password(token: str) -> object:
    secret = current_app.config["SECRET_KEY"]
    try:
        user = services.user_for_reset(db.session, secret, token, now=utcnow())
    except TokenError as exc:
        return render_template("accounts/link_problem.html", expired=exc.expired, kind="reset"), 400
    form = NewPasswordForm()
    form.account_email = user.email
    if form.validate_on_submit():
        services.reset_password(
            db.session, AccountMail.from_app(), user, form.password.data, now=utcnow()
        )
        # Whoever is signed in here (the owner, whose rows have all ended, or another
        # account) is signed out, so the sign-in page that follows starts clean.
        sign_out()
        flash(_("Your new password is saved. Sign in with it now."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)
