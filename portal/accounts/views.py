"""Sign-in and sign-out. (Sign-up, reset and the second factor: see the accounts issue.)"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from portal.access import PUBLIC, SIGNED_IN, STAFF_PENDING_MFA, allow
from portal.core.views import safe_next
from portal.db import db

from .models import User
from .passwords import verify_password
from .sessions import end_session, start_session

bp = Blueprint("accounts", __name__)


@bp.route("/login", methods=["GET", "POST"])
@allow(PUBLIC)
def login() -> object:
    error = None
    email = request.form.get("email", "").strip().lower()
    if request.method == "POST":
        user = db.session.scalar(sa.select(User).where(User.email == email))
        if user is not None and verify_password(
            user.password_hash, request.form.get("password", "")
        ):
            start_session(db.session, user)
            login_user(user)
            return redirect(safe_next(request.args.get("next")) or url_for("core.home"))
        verify_password(None, "")
        error = _("The email or password is not right.")
    return render_template("accounts/login.html", error=error, email=email)


@bp.post("/logout")
@allow(SIGNED_IN)
def logout() -> object:
    if current_user.current_session is not None:
        end_session(current_user.current_session)
    logout_user()
    return redirect(url_for("core.home"))


@bp.get("/signup")
@allow(PUBLIC)
def signup() -> object:
    return redirect(url_for("accounts.login"))


@bp.get("/account/unconfirmed")
@allow(SIGNED_IN)
def unconfirmed() -> object:
    return redirect(url_for("core.home"))


@bp.get("/account/second-factor")
@allow(STAFF_PENDING_MFA)
def second_factor() -> object:
    return redirect(url_for("core.home"))
