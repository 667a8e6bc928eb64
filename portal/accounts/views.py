"""Sign-up, email confirmation, sign-in and sign-out.

The blueprint's other pages live beside this module: password reset in
reset_views.py, account settings and the staff second factor in
settings_views.py; they are imported at the end so their routes register.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from portal.access import PUBLIC, SIGNED_IN, allow
from portal.core.views import safe_next
from portal.db import db
from portal.extensions import limiter
from portal.i18n import SESSION_KEY, current_language
from portal.orm import utcnow

from . import limits, services
from .emails import AccountMail
from .forms import ConfirmActionForm, LoginForm, SignupForm
from .models import STAFF_ROLES, User
from .rules import landing_endpoint, needs_confirmation
from .sessions import end_session, start_session
from .tokens import TokenError

bp = Blueprint("accounts", __name__)


def landing_url(user: User) -> str:
    """The first page of the user's role that this installation has."""
    return url_for(landing_endpoint(user.role, current_app.view_functions))


def after_sign_in_url(user: User, target: str | None) -> str:
    if user.password_temporary:  # before the second factor: see first_password.py
        return url_for("accounts.first_password", next=target)
    if user.role in STAFF_ROLES:
        return url_for("accounts.second_factor", next=target or landing_url(user))
    if needs_confirmation(user):
        return url_for("accounts.unconfirmed")
    return target or landing_url(user)


def _forget_browser_session() -> None:
    """Empty the signed cookie session but for the language picked on the switcher.

    On a shared computer the next person must not inherit what the last one left
    there (a linking challenge, the CSRF token), signed in or not.
    """
    language = session.get(SESSION_KEY)
    session.clear()
    if language:
        session[SESSION_KEY] = language


def sign_in(user: User) -> None:
    chosen = session.get(SESSION_KEY)
    _forget_browser_session()
    if user.locale is None and chosen in current_app.config["LANGUAGES"]:
        # An account without a language yet (the demo's, one made by a supervisor) takes the
        # one picked on the switcher before signing in: the pages already speak it, and the
        # emails to the account follow the account's language.
        user.locale = chosen
    start_session(db.session, user)
    login_user(user)


def sign_out() -> None:
    """End this browser's server-side session and forget its cookie session."""
    if current_user.is_authenticated and current_user.current_session is not None:
        end_session(current_user.current_session)
    logout_user()
    _forget_browser_session()


@bp.route("/signup", methods=["GET", "POST"])
@allow(PUBLIC)
@limiter.limit(limits.SIGNUP_PER_ADDRESS, methods=["POST"])
@limiter.limit(limits.SIGNUP_PER_EMAIL, key_func=limits.submitted_email_key, methods=["POST"])
def signup() -> object:
    if current_user.is_authenticated:
        return redirect(landing_url(current_user))
    form = SignupForm()
    if request.method == "GET":
        form.language.data = current_language()
    if form.validate_on_submit():
        services.sign_up(
            db.session,
            AccountMail.from_app(),
            email=form.email.data,
            password=form.password.data,
            locale=form.language.data,
        )
        return redirect(url_for("accounts.check_email"))
    return render_template("accounts/signup.html", form=form)


@bp.get("/signup/check-email")
@allow(PUBLIC)
def check_email() -> str:
    return render_template("accounts/check_email.html")


@bp.get("/confirm/<token>")
@allow(PUBLIC)
def confirm(token: str) -> object:
    try:
        result = services.confirm_email(
            db.session, current_app.config["SECRET_KEY"], token, now=utcnow()
        )
    except TokenError as exc:
        return render_template(
            "accounts/link_problem.html", expired=exc.expired, kind="confirm"
        ), 400
    if result.newly_confirmed:
        flash(_("Thank you. Your email address is confirmed."), "success")
    else:
        flash(_("Your email address was already confirmed."), "info")
    signed_in_here = current_user.is_authenticated and current_user.id == result.user.id
    if signed_in_here:
        return redirect(landing_url(current_user))
    flash(_("Sign in to continue."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account/unconfirmed", methods=["GET", "POST"])
@allow(SIGNED_IN)
@limiter.limit(limits.RESEND_PER_USER, key_func=limits.user_key, methods=["POST"])
def unconfirmed() -> object:
    if not needs_confirmation(current_user):
        return redirect(landing_url(current_user))
    form = ConfirmActionForm()
    if form.validate_on_submit():
        AccountMail.from_app().confirmation(db.session, current_user)
        flash(_("We sent a new link. Check your email, and your spam folder."), "success")
        return redirect(url_for("accounts.unconfirmed"))
    return render_template("accounts/unconfirmed.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@allow(PUBLIC)
@limiter.limit(limits.LOGIN_PER_ADDRESS, methods=["POST"])
@limiter.limit(limits.LOGIN_PER_EMAIL, key_func=limits.submitted_email_key, methods=["POST"])
def login() -> object:
    target = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(after_sign_in_url(current_user, target))
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        user = services.authenticate(db.session, form.email.data, form.password.data)
        if user is not None:
            sign_in(user)
            return redirect(after_sign_in_url(user, target))
        failed = True
    return render_template("accounts/login.html", form=form, failed=failed)


@bp.post("/logout")
@allow(SIGNED_IN)
def logout() -> object:
    # CSRFProtect has checked the token; there is nothing else to validate.
    sign_out()
    flash(_("You are signed out."), "success")
    return redirect(url_for("core.home"))


from . import first_password, reset_views, settings_views  # noqa: E402, F401  (routes here)
