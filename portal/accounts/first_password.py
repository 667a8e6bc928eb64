"""First sign-in with a temporary password: choose one's own before anything else.

A supervisor (or `portal create-staff`) knows the temporary password, so it must not
be enough to enrol the authenticator: `access.enforce` sends such an account here
from every page that needs signing in, and the second factor comes after.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_user

from portal.access import SIGNED_IN, allow
from portal.core.views import safe_next
from portal.db import db
from portal.extensions import limiter
from portal.orm import utcnow

from . import limits
from .forms import NewPasswordForm
from .staff_accounts import is_temporary_password, replace_temporary_password
from .views import after_sign_in_url, bp


@bp.route("/account/new-password", methods=["GET", "POST"])
@allow(SIGNED_IN)
@limiter.limit(limits.ACCOUNT_CHANGE_PER_USER, key_func=limits.user_key, methods=["POST"])
def first_password() -> object:
    target = safe_next(request.args.get("next"))
    if not current_user.password_temporary:
        return redirect(after_sign_in_url(current_user, target))
    form = NewPasswordForm()
    form.account_email = current_user.email
    user = current_user._get_current_object()
    valid = form.validate_on_submit()
    if valid and is_temporary_password(user, form.password.data):
        form.password.errors.append(_("Choose a password of your own, not the temporary one."))
        valid = False
    if valid:
        replace_temporary_password(db.session, user, form.password.data, now=utcnow())
        login_user(user)  # the cookie now names the new session row
        flash(_("Your new password is saved."), "success")
        return redirect(after_sign_in_url(user, target))
    return render_template("accounts/first_password.html", form=form)
