"""The supervisor's staff accounts: list, create (temporary password shown once), disable,
reset a lost second factor. Views validate, call staff_accounts / create_staff_account,
and redirect; every change lands in the audit trail there."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectChoice

from portal.access import SUPERVISOR, allow
from portal.db import db
from portal.orm import utcnow
from portal.registry.organizations import Organization

from . import staff_accounts
from .commands import VERIFIER_ORG_KINDS, StaffAccountError, StaffProblem, create_staff_account
from .forms import ConfirmActionForm
from .models import Role
from .staff_forms import ROLE_LABELS, StaffAccountForm

bp = Blueprint("staff_accounts", __name__)

PROBLEM_FIELDS = {
    StaffProblem.BAD_EMAIL: ("email", _l("Enter an email address like name@example.com.")),
    StaffProblem.EMAIL_TAKEN: ("email", _l("An account with this email address already exists.")),
    StaffProblem.NO_SUCH_ORG: ("organization", _l("Choose an organization from the list.")),
    StaffProblem.NEEDS_ORG: (
        "organization", _l("Choose the verifier's school or child-care organization."),
    ),
    StaffProblem.NOT_A_SCHOOL: ("organization", _l("Choose an organization from the list.")),
}  # fmt: skip


def _organization_choices() -> list[SelectChoice]:
    rows = db.session.execute(
        sa.select(Organization.identifier, Organization.name)
        .where(Organization.kind.in_(VERIFIER_ORG_KINDS), Organization.active)
        .order_by(Organization.name)
    ).all()
    return [SelectChoice("", _("No organization"))] + [
        SelectChoice(ident, name) for ident, name in rows
    ]


@bp.get("/staff/accounts")
@allow(SUPERVISOR)
def index() -> str:
    return render_template(
        "accounts/staff_list.html",
        accounts=staff_accounts.staff_accounts(db.session),
        roles=ROLE_LABELS,
        action_form=ConfirmActionForm(),
    )


@bp.route("/staff/accounts/new", methods=["GET", "POST"])
@allow(SUPERVISOR)
def create() -> object:
    form = StaffAccountForm()
    form.organization.choices = _organization_choices()
    if form.validate_on_submit():
        role = Role(form.role.data)
        try:
            user, password = create_staff_account(
                db.session,
                form.email.data,
                role,
                org_identifier=form.organization.data if role == Role.SCHOOL_VERIFIER else None,
                name=form.full_name.data,
                actor=current_user._get_current_object(),
                now=utcnow(),
            )
        except StaffAccountError as exc:
            name, message = PROBLEM_FIELDS[exc.problem]
            form[name].errors = [*form[name].errors, message]
        else:
            # Shown in this answer only (no-store): never kept, never sent by email.
            return render_template(
                "accounts/staff_created.html", account=user, password=password,
                roles=ROLE_LABELS,
            )  # fmt: skip
    return render_template("accounts/staff_new.html", form=form)


def _act(user_id: int, action: object, done: str) -> object:
    form = ConfirmActionForm()
    if not form.validate_on_submit():
        abort(400)
    user = staff_accounts.managed_account(db.session, user_id)
    if user is None:
        abort(404)
    refusal = action(db.session, current_user._get_current_object(), user, now=utcnow())  # type: ignore[operator]
    if refusal is staff_accounts.Refusal.YOURSELF:
        flash(_("You cannot do this to your own account. Ask another supervisor."), "error")
    else:
        flash(done % {"email": user.email}, "success")
    return redirect(url_for("staff_accounts.index"))


@bp.post("/staff/accounts/<id:user_id>/disable")
@allow(SUPERVISOR)
def disable(user_id: int) -> object:
    return _act(
        user_id, staff_accounts.disable_account,
        _("%(email)s is disabled and signed out everywhere."),
    )  # fmt: skip


@bp.post("/staff/accounts/<id:user_id>/enable")
@allow(SUPERVISOR)
def enable(user_id: int) -> object:
    return _act(user_id, staff_accounts.enable_account, _("%(email)s can sign in again."))


@bp.post("/staff/accounts/<id:user_id>/reset-second-factor")
@allow(SUPERVISOR)
def reset_second_factor(user_id: int) -> object:
    return _act(
        user_id, staff_accounts.reset_second_factor,
        _("%(email)s will set up a new authenticator app at their next sign-in."),
    )  # fmt: skip
