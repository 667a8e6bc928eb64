"""Account settings (password, language) and the staff second factor."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from portal.access import STAFF_PENDING_MFA, Rule, allow
from portal.core.views import safe_next
from portal.db import db
from portal.extensions import limiter
from portal.i18n import current_language
from portal.orm import utcnow

from . import limits, services, totp
from .emails import AccountMail
from .forms import ChangePasswordForm, CodeForm, LanguageForm
from .models import STAFF_ROLES
from .sealing import SecretBox
from .views import bp, landing_url

# Any signed-in account, but staff only after the second factor: a stolen staff
# password alone must not be enough to change the password and lock the owner out.
ACCOUNT_HOLDER = Rule(
    "signed-in accounts (staff after the second factor)",
    lambda u: u.role not in STAFF_ROLES or u.mfa_passed,
)


def _settings_page(
    password_form: ChangePasswordForm | None = None, language_form: LanguageForm | None = None
) -> str:
    password_form = password_form or ChangePasswordForm(formdata=None)
    language_form = language_form or LanguageForm(
        formdata=None, locale=current_user.locale or current_language()
    )
    return render_template(
        "accounts/settings.html", password_form=password_form, language_form=language_form
    )


@bp.get("/account")
@allow(ACCOUNT_HOLDER)
def settings() -> str:
    return _settings_page()


@bp.post("/account/password")
@allow(ACCOUNT_HOLDER)
@limiter.limit(limits.ACCOUNT_CHANGE_PER_USER, key_func=limits.user_key)
def change_password() -> object:
    form = ChangePasswordForm()
    form.account_email = current_user.email
    if form.validate_on_submit():
        user = current_user._get_current_object()
        row = services.change_password(
            db.session,
            AccountMail.from_app(),
            user,
            form.current_password.data,
            form.password.data,
            now=utcnow(),
        )
        if row is not None:
            login_user(user)  # the cookie now names the new session row
            flash(_("Your password is changed. Other devices have been signed out."), "success")
            return redirect(url_for("accounts.settings"))
        form.current_password.errors.append(_("Your current password is not right."))
    return _settings_page(password_form=form)


@bp.post("/account/language")
@allow(ACCOUNT_HOLDER)
def change_language() -> object:
    form = LanguageForm()
    if form.validate_on_submit():
        services.set_locale(current_user, form.locale.data)
        flash(_("Your language is saved."), "success")
        return redirect(url_for("accounts.settings"))
    return _settings_page(language_form=form)


@bp.route("/account/second-factor", methods=["GET", "POST"])
@allow(STAFF_PENDING_MFA)
@limiter.limit(limits.SECOND_FACTOR_PER_USER, key_func=limits.user_key, methods=["POST"])
def second_factor() -> object:
    target = safe_next(request.args.get("next")) or landing_url(current_user)
    if current_user.mfa_passed:
        return redirect(target)
    user = current_user._get_current_object()
    box = SecretBox(current_app.config["SECRET_KEY"])
    enrolling = user.totp_confirmed_at is None
    secret = services.ensure_totp_secret(user, box) if enrolling else None
    form = CodeForm()
    if form.validate_on_submit():
        check = services.pass_second_factor(db.session, user, form.code.data, now=utcnow(), box=box)
        if check is totp.CodeCheck.OK:
            if enrolling:
                flash(_("Your authenticator app is set up."), "success")
            return redirect(target)
        form.code.data = ""  # a wrong code is no help to retype from
        if check is totp.CodeCheck.REUSED:
            form.code.errors.append(_("That code was already used. Wait for a new code."))
        else:
            form.code.errors.append(_("That code is not right. Try the newest code."))
    enrolment = None
    if secret is not None:
        uri = totp.otpauth_uri(secret, user.email)
        enrolment = {"secret": totp.grouped(secret), "qr": totp.qr_data_uri(uri)}
    return render_template("accounts/second_factor.html", form=form, enrolment=enrolment)
