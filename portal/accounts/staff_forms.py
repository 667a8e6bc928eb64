"""The supervisor's staff-account form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectChoice, SelectField, StringField
from wtforms.validators import Email, InputRequired, Length, ValidationError

from portal.forms import ChoiceField, PortalForm

from .models import Role
from .rules import normalize_email

ROLE_CHOICES = [
    SelectChoice(Role.AGENT.value, _l("Help-desk agent")),
    SelectChoice(Role.SUPERVISOR.value, _l("Help-desk supervisor")),
    SelectChoice(Role.SCHOOL_VERIFIER.value, _l("School or child-care verifier")),
]
ROLE_LABELS = {choice.value: choice.label for choice in ROLE_CHOICES}


class StaffAccountForm(PortalForm):
    email = EmailField(
        _l("Email address"),
        filters=[normalize_email],
        validators=[
            InputRequired(message=_l("Enter the person's email address.")),
            Length(max=254, message=_l("This email address is too long.")),
            Email(message=_l("Enter an email address like name@example.com.")),
        ],
    )
    full_name = StringField(
        _l("Full name"),
        filters=[lambda v: v.strip() if v else v],
        validators=[
            InputRequired(message=_l("Enter the person's name.")),
            Length(max=200, message=_l("Use 200 characters or fewer.")),
        ],
    )
    role = ChoiceField(_l("Role"), choices=ROLE_CHOICES)
    # Choices are the schools and child-care organizations, filled in by the view.
    organization = ChoiceField(_l("Organization (school verifiers only)"), default="")

    def validate_organization(self, field: SelectField) -> None:
        if self.role.data != Role.SCHOOL_VERIFIER.value:
            return  # only a verifier's organization is kept
        if not field.data:
            raise ValidationError(_l("Choose the verifier's school or child-care organization."))
